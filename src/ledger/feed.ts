/**
 * The change feed's waiting side: wakes long-poll and SSE readers when the ledger grows, whether the
 * append happened in this process (ledger `commit` event) or another one (NOTIFY on the store).
 */
import { EventEmitter } from "node:events";
import type { Store } from "../db/store.ts";
import { LEDGER_CHANNEL, type Ledger } from "./ledger.ts";

export class ChangeFeed {
  private readonly wake = new EventEmitter();
  private stopListening: (() => Promise<void>) | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly ledger: Ledger,
  ) {
    this.wake.setMaxListeners(0);
    ledger.events.on("commit", () => this.wake.emit("grew"));
  }

  private ensureListening(): Promise<void> {
    this.starting ??= this.store
      .listen(LEDGER_CHANNEL, () => this.wake.emit("grew"))
      .then((stop) => {
        this.stopListening = stop;
      });
    return this.starting;
  }

  /** Resolves once the head is past `after`, or when `timeoutMs` passes or `signal` aborts. */
  async waitPast(after: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    await this.ensureListening();
    if ((await this.ledger.headSeq()) > after) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.off("grew", check);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const check = () => {
        this.ledger.headSeq().then((h) => h > after && done(), done);
      };
      const timer = setTimeout(done, timeoutMs);
      this.wake.on("grew", check);
      signal?.addEventListener("abort", done);
    });
  }

  /** Subscribe to "the ledger may have grown" signals. */
  onGrow(fn: () => void): () => void {
    void this.ensureListening();
    this.wake.on("grew", fn);
    return () => this.wake.off("grew", fn);
  }

  async close(): Promise<void> {
    await this.starting?.catch(() => {});
    await this.stopListening?.();
  }
}
