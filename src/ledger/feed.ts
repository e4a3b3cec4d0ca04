/**
 * The change feed's waiting side: wakes long-poll and SSE readers when the ledger grows, whether the
 * append happened in this process (ledger `commit` event) or another one (NOTIFY on the store, whose
 * payload is the new head seq). Waiters compare against the highest seq heard of, so a commit costs
 * no query per waiting reader.
 */
import { EventEmitter } from "node:events";
import type { Store } from "../db/store.ts";
import type { LedgerEntry } from "../domain/model.ts";
import { InvalidRequestError } from "../errors.ts";
import { LEDGER_CHANNEL, type Ledger } from "./ledger.ts";

export class ChangeFeed {
  private readonly wake = new EventEmitter();
  private latest = 0;
  private stopListening: (() => Promise<void>) | null = null;
  private starting: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly ledger: Ledger,
  ) {
    this.wake.setMaxListeners(0);
    ledger.events.on("commit", (entries: LedgerEntry[]) => this.heard(entries[entries.length - 1]?.seq ?? 0));
  }

  private heard(seq: number): void {
    if (seq > this.latest) this.latest = seq;
    this.wake.emit("grew", this.latest);
  }

  private ensureListening(): Promise<void> {
    this.starting ??= this.store
      .listen(LEDGER_CHANNEL, (payload) => this.heard(Number(payload) || 0))
      .then(async (stop) => {
        this.stopListening = stop;
        // Anything committed before we listened.
        this.heard(await this.ledger.headSeq());
      });
    return this.starting;
  }

  /** Resolves once the head is past `after`, or when `timeoutMs` passes or `signal` aborts. */
  async waitPast(after: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    await this.ensureListening();
    if (this.latest > after) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake.off("grew", check);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const check = (seq: number) => {
        if (seq > after) done();
      };
      const timer = setTimeout(done, timeoutMs);
      this.wake.on("grew", check);
      signal?.addEventListener("abort", done);
    });
  }

  /** Subscribe to "the ledger grew" signals (with the highest seq heard of). */
  onGrow(fn: (seq: number) => void): () => void {
    void this.ensureListening();
    this.wake.on("grew", fn);
    return () => this.wake.off("grew", fn);
  }

  async close(): Promise<void> {
    await this.starting?.catch(() => {});
    await this.stopListening?.();
  }
}

/**
 * The seq a reconnecting EventSource asks to resume after: its `Last-Event-ID` header (the `id:` of the
 * last event it received, which is a seq). Absent or empty: undefined. Anything but a non-negative
 * integer is refused, as a malformed `after` is.
 */
export function lastEventId(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const text = (Array.isArray(header) ? header.join(", ") : header).trim();
  if (text === "") return undefined;
  if (!/^\d{1,15}$/.test(text)) {
    const message = `Last-Event-ID: '${text.slice(0, 40)}' is not a ledger seq (a non-negative integer)`;
    throw new InvalidRequestError(message, { issues: [{ path: "headers.last-event-id", message }] });
  }
  return Number(text);
}
