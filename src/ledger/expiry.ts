/**
 * The expiry daemon: when an action's time is up, it appends a recorded reversal (source `system`,
 * `reverses` = the original seq). The idempotency key `expiry:<seq>` makes a second daemon (another
 * process, or a retry) harmless, and `reverses` makes the reversal remove only what that entry put in
 * force, never a newer action on the same subject.
 */
import { and, asc, isNotNull, lte } from "drizzle-orm";
import type { Logger } from "pino";
import { enforcementState } from "../db/schema.ts";
import type { Db } from "../db/store.ts";
import { type ActionBody, REVERSAL } from "../domain/model.ts";
import type { Ledger } from "./ledger.ts";

export class ExpiryDaemon {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Reverses every action whose expiry has passed; returns how many reversals were appended. */
  async runOnce(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.sweep().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async sweep(): Promise<number> {
    const now = this.now().toISOString();
    let total = 0;
    for (;;) {
      const rows = await this.db
        .selectDistinct({ seq: enforcementState.seq })
        .from(enforcementState)
        .where(and(isNotNull(enforcementState.expiresAt), lte(enforcementState.expiresAt, now)))
        .orderBy(asc(enforcementState.seq))
        .limit(500);
      if (rows.length === 0) return total;
      const bodies: ActionBody[] = [];
      for (const { seq } of rows) {
        const original = await this.ledger.entry(seq);
        if (!original) throw new Error(`projection row points at missing ledger entry ${seq}`);
        const reversal = REVERSAL[original.action];
        if (!reversal) continue;
        bodies.push({
          subject: original.subject,
          action: reversal,
          countries: original.countries,
          surfaces: original.surfaces,
          label: original.label,
          basis: null,
          expiresAt: null,
          source: { kind: "system", id: `expiry:${seq}` },
          actor: "system",
          reason: `expired: the ${original.action} recorded as entry ${seq} was set to end at ${original.expiresAt}`,
          rule: original.rule,
          legalBasis: original.legalBasis,
          reverses: seq,
          idempotencyKey: `expiry:${seq}`,
          recordedAt: now,
        });
      }
      const results = await this.ledger.appendBatch(bodies);
      const appended = results.filter((r) => r.status === "appended").length;
      total += appended;
      if (appended > 0) this.logger.info({ appended }, "expired actions reversed");
      if (appended === 0) return total; // nothing more we can do this round
    }
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    const tick = () => {
      this.runOnce()
        .catch((err) => this.logger.error({ err }, "expiry sweep failed"))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }
}
