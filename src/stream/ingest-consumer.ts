/**
 * Platform events from NATS JetStream (contract §1, "from a stream engine"). Producers publish one
 * NDJSON line per message (several lines are allowed) to `vigil.<stream>.events`, with the message id
 * `<type>:<id>:<digest of the line>` so JetStream drops exact repeats within its duplicate window
 * while account updates still pass (`publishEvents` does this). Vigil reads with a durable pull
 * consumer and explicit acks: a batch is acknowledged only after the events are committed, so a crash
 * redelivers them (at-least-once), and ingest's idempotency by `(type, id)` makes a redelivered event
 * a duplicate. A line that is not a valid event is acknowledged (it would fail again), counted, logged
 * and republished with its rejection to `vigil.<stream>.rejected`.
 */
import { createHash } from "node:crypto";
import { AckPolicy, DeliverPolicy, type JsMsg, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { Logger } from "pino";
import type { PlatformEvent } from "../ingest/events.ts";
import { type IngestService, parseEventLine, type Rejection } from "../ingest/ingest.ts";

export const DEFAULT_INGEST_STREAM = "VIGIL_INGEST";
export const eventsSubject = (stream: string) => `vigil.${stream.toLowerCase()}.events`;
export const rejectedSubject = (stream: string) => `vigil.${stream.toLowerCase()}.rejected`;
export const DURABLE = "vigil-ingest";

export async function ensureIngestStream(nc: NatsConnection, stream = DEFAULT_INGEST_STREAM): Promise<void> {
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(stream);
  } catch {
    await jsm.streams.add({
      name: stream,
      subjects: [eventsSubject(stream), rejectedSubject(stream)],
      duplicate_window: 10 * 60 * 1_000_000_000,
    });
  }
  try {
    await jsm.consumers.info(stream, DURABLE);
  } catch {
    await jsm.consumers.add(stream, {
      durable_name: DURABLE,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: eventsSubject(stream),
      ack_wait: 60 * 1_000_000_000,
      max_ack_pending: 20_000,
    });
  }
}

/** The message id a producer should use for an NDJSON line. */
export function messageId(line: string): string {
  let kind = "event";
  try {
    const e = JSON.parse(line) as { type?: string; id?: string };
    kind = `${e.type}:${e.id}`;
  } catch {
    // not JSON: the digest alone identifies it
  }
  return `${kind}:${createHash("sha256").update(line).digest("hex").slice(0, 16)}`;
}

/** Publishes NDJSON lines as events (one per message, deduplicated by `messageId`). */
export async function publishEvents(
  servers: string,
  lines: string[],
  stream = DEFAULT_INGEST_STREAM,
): Promise<{ published: number; duplicates: number }> {
  const nc = await connect({ servers });
  try {
    await ensureIngestStream(nc, stream);
    const js = jetstream(nc);
    let duplicates = 0;
    for (const line of lines) {
      const ack = await js.publish(eventsSubject(stream), line, { msgID: messageId(line) });
      if (ack.duplicate) duplicates++;
    }
    return { published: lines.length - duplicates, duplicates };
  } finally {
    await nc.drain();
  }
}

export interface ConsumerStats {
  messages: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  redelivered: number;
  lastError: string | null;
}

export class JetStreamIngestConsumer {
  private nc: NatsConnection | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  readonly stats: ConsumerStats = {
    messages: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    redelivered: 0,
    lastError: null,
  };

  constructor(
    private readonly servers: string,
    private readonly ingest: IngestService,
    private readonly logger: Logger,
    readonly stream = DEFAULT_INGEST_STREAM,
    private readonly batch = 1000,
  ) {}

  async start(): Promise<void> {
    this.nc = await connect({ servers: this.servers, reconnect: true, maxReconnectAttempts: -1 });
    await ensureIngestStream(this.nc, this.stream);
    this.stopping = false;
    this.loop = this.run();
    this.logger.info(
      { stream: this.stream, durable: DURABLE },
      "consuming platform events from NATS JetStream",
    );
  }

  private async run(): Promise<void> {
    const js = jetstream(this.nc!);
    const consumer = await js.consumers.get(this.stream, DURABLE);
    while (!this.stopping) {
      const msgs: JsMsg[] = [];
      try {
        const iter = await consumer.fetch({ max_messages: this.batch, expires: 1000 });
        for await (const m of iter) msgs.push(m);
        if (msgs.length > 0) await this.handle(msgs);
      } catch (err) {
        this.stats.lastError = (err as Error).message;
        this.logger.error({ err }, "JetStream ingest batch failed; it will be redelivered");
        for (const m of msgs) m.nak(1000);
        if (!this.stopping) await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  private async handle(msgs: JsMsg[]): Promise<void> {
    const events: PlatformEvent[] = [];
    const rejections: { msg: JsMsg; rejection: Rejection; line: string }[] = [];
    for (const m of msgs) {
      this.stats.messages++;
      if (m.redelivered) this.stats.redelivered++;
      const lines = m.string().split("\n");
      lines.forEach((line, i) => {
        if (line.trim() === "") return;
        const r = parseEventLine(line, i + 1);
        if ("event" in r) events.push(r.event);
        else rejections.push({ msg: m, rejection: r.rejection, line });
      });
    }
    // Commit first, acknowledge after: a failure here naks the batch (at-least-once).
    const r = await this.ingest.ingestEvents(events);
    this.stats.accepted += r.accepted;
    this.stats.duplicates += r.duplicates;
    if (rejections.length > 0) {
      this.stats.rejected += rejections.length;
      const js = jetstream(this.nc!);
      for (const x of rejections) {
        this.logger.warn({ seq: x.msg.seq, rejection: x.rejection }, "rejected an event from JetStream");
        await js.publish(
          rejectedSubject(this.stream),
          JSON.stringify({ streamSeq: x.msg.seq, ...x.rejection, line: x.line }),
        );
      }
    }
    for (const m of msgs) m.ack();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.loop?.catch(() => undefined);
    await this.nc?.drain();
    this.nc = null;
  }
}
