/**
 * Relays committed ledger entries to NATS JetStream when NATS_URL is set: an outbox read from the ledger
 * itself. It resumes from the last seq in the stream, publishes in seq order, and relies on JetStream's
 * message-id deduplication, so a restart or a second relay never duplicates an entry.
 */
import type { Logger } from "pino";
import type { Db } from "../db/store.ts";
import type { ChangeFeed } from "../ledger/feed.ts";
import { entriesWithDisplay } from "../visibility/service.ts";
import { LedgerRelay } from "./jetstream.ts";

export class JetStreamRelayService {
  private relay: LedgerRelay | null = null;
  private cursor = 0;
  private running: Promise<void> | null = null;
  private again = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly servers: string,
    private readonly db: Db,
    private readonly feed: ChangeFeed,
    private readonly logger: Logger,
    readonly stream?: string,
  ) {}

  async start(): Promise<void> {
    this.relay = await LedgerRelay.connect(this.servers, this.stream);
    this.cursor = await this.relay.lastSeq();
    this.unsubscribe = this.feed.onGrow(() => void this.pump());
    await this.pump();
    this.logger.info(
      { stream: this.relay.stream, from: this.cursor },
      "relaying the ledger to NATS JetStream",
    );
  }

  /** Publishes every entry after the cursor. Concurrent calls coalesce. */
  pump(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const entries = await entriesWithDisplay(this.db, this.cursor, 1000);
            if (entries.length === 0) break;
            await this.relay!.publish(entries);
            this.cursor = entries[entries.length - 1]!.seq;
          }
        } while (this.again);
      } catch (err) {
        this.logger.warn({ err }, "ledger relay to JetStream failed; will retry on the next commit");
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  get publishedUpTo(): number {
    return this.cursor;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.running;
    await this.relay?.close();
  }
}
