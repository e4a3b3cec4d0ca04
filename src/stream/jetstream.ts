/**
 * Ledger entries over NATS JetStream. The server relays committed entries to a stream (message id =
 * ledger seq, so a relay that restarts or runs twice never duplicates), and SDK resolvers follow the
 * stream with an ordered consumer from the seq they need.
 */
import { DeliverPolicy, type JetStreamManager, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { LedgerEntry } from "../domain/model.ts";

export const DEFAULT_STREAM = "VIGIL_LEDGER";
/** Each stream has its own subject, so several installations (or test runs) can share one NATS server. */
export const subjectOf = (stream: string) => `vigil.${stream.toLowerCase()}.entries`;

export type StreamEntry = LedgerEntry & { display?: { handle: string | null } };

/** Creates the stream if it does not exist. */
export async function ensureStream(jsm: JetStreamManager, stream = DEFAULT_STREAM): Promise<void> {
  try {
    await jsm.streams.info(stream);
  } catch {
    await jsm.streams.add({
      name: stream,
      subjects: [subjectOf(stream)],
      duplicate_window: 10 * 60 * 1_000_000_000,
    });
  }
}

/** Publishes entries in order; each message id is the ledger seq. */
export class LedgerRelay {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: ReturnType<typeof jetstream>,
    readonly stream: string,
  ) {}

  static async connect(servers: string | string[], stream = DEFAULT_STREAM): Promise<LedgerRelay> {
    const nc = await connect({ servers });
    await ensureStream(await jetstreamManager(nc), stream);
    return new LedgerRelay(nc, jetstream(nc), stream);
  }

  /** The last ledger seq stored in the stream (0 when empty). */
  async lastSeq(): Promise<number> {
    const jsm = await jetstreamManager(this.nc);
    const info = await jsm.streams.info(this.stream);
    if (info.state.messages === 0) return 0;
    const m = await jsm.streams.getMessage(this.stream, { last_by_subj: subjectOf(this.stream) });
    return m ? (m.json<StreamEntry>().seq ?? 0) : 0;
  }

  async publish(entries: StreamEntry[]): Promise<void> {
    const subject = subjectOf(this.stream);
    for (const e of entries) await this.js.publish(subject, JSON.stringify(e), { msgID: String(e.seq) });
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}

/** Follows the stream from the first message whose ledger seq is at least `fromSeq()`. */
export async function followJetStream(opts: {
  servers: string | string[];
  stream?: string;
  fromSeq: () => number;
  onEntry: (e: StreamEntry) => Promise<void>;
  onError: (err: Error) => void;
}): Promise<() => Promise<void>> {
  const nc = await connect({ servers: opts.servers, reconnect: true, maxReconnectAttempts: -1 });
  const js = jetstream(nc);
  const stream = opts.stream ?? DEFAULT_STREAM;
  // Ledger seqs are published in order from 1 with deduplication, so the stream sequence of ledger
  // entry N is N unless the stream was trimmed; entries before `fromSeq` are skipped either way, and a
  // gap is filled by the caller from /v1/changes.
  const consumer = await js.consumers.get(stream, {
    filter_subjects: subjectOf(stream),
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: Math.max(1, opts.fromSeq()),
  });
  const messages = await consumer.consume();
  const done = (async () => {
    try {
      for await (const m of messages) {
        const e = m.json<StreamEntry>();
        if (e.seq >= opts.fromSeq()) await opts.onEntry(e);
      }
    } catch (err) {
      opts.onError(err as Error);
    }
  })();
  return async () => {
    await messages.close();
    await done;
    await nc.drain();
  };
}
