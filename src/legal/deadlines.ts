/**
 * The deadline watcher: raises an outbox event, once per order, when an order becomes due soon, when
 * it is overdue with items still undecided, and when an emergency order's review deadline nears
 * without confirmation. Dedupe keys make every check idempotent, across restarts and processes.
 */
import { sql } from "drizzle-orm";
import type { Logger } from "pino";
import { type Db, query } from "../db/store.ts";
import { enqueue, type OutboxEvent } from "../outbox/outbox.ts";

export interface DeadlineOptions {
  /** How long before a deadline an order counts as due soon (default 6 h). */
  dueSoonMs?: number;
}

interface Row {
  id: string;
  reference: string;
  authority_name: string;
  deadline: string;
  review_deadline: string | null;
  emergency: boolean;
  confirmed_at: string | null;
  items: number;
  decided: number;
  temporary: number;
}

export class DeadlineWatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly dueSoonMs: number;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    opts: DeadlineOptions = {},
  ) {
    this.dueSoonMs = opts.dueSoonMs ?? 6 * 3_600_000;
  }

  /** Checks every open order once; returns how many events were raised. */
  async runOnce(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.check().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async check(): Promise<number> {
    const now = this.now();
    const horizon = new Date(now.getTime() + this.dueSoonMs).toISOString();
    const rows = await query<Row>(
      this.db,
      sql`with latest as (
            select distinct on (item_id) order_id, item_id, outcome
            from order_decisions order by item_id, decided_at desc
          )
          select o.id, o.reference, o.authority_name, o.deadline, o.review_deadline, o.emergency, o.confirmed_at,
                 (select count(*)::int from order_items i where i.order_id = o.id) as items,
                 (select count(*)::int from latest l where l.order_id = o.id) as decided,
                 (select count(*)::int from latest l where l.order_id = o.id and l.outcome = 'temporary_withhold') as temporary
          from orders o
          where o.deadline <= ${horizon} or (o.emergency and o.confirmed_at is null and o.review_deadline <= ${horizon})`,
    );
    const events: OutboxEvent[] = [];
    for (const r of rows) {
      const deadline = new Date(r.deadline);
      const undecided = r.items - r.decided;
      const base = { orderId: r.id, reference: r.reference, authority: r.authority_name, undecided };
      if (undecided > 0 && deadline <= now)
        events.push({
          topic: "order.overdue",
          dedupeKey: `overdue:${r.id}`,
          ref: `order:${r.id}`,
          payload: {
            ...base,
            deadline: deadline.toISOString(),
            overdueSinceMs: now.getTime() - deadline.getTime(),
          },
        });
      else if (undecided > 0)
        events.push({
          topic: "order.due_soon",
          dedupeKey: `due_soon:${r.id}`,
          ref: `order:${r.id}`,
          payload: { ...base, deadline: deadline.toISOString() },
        });
      if (
        r.emergency &&
        !r.confirmed_at &&
        r.review_deadline &&
        new Date(r.review_deadline).toISOString() <= horizon &&
        r.temporary > 0
      )
        events.push({
          topic: "order.emergency_review_due",
          dedupeKey: `review_due:${r.id}`,
          ref: `order:${r.id}`,
          payload: {
            ...base,
            reviewDeadline: new Date(r.review_deadline).toISOString(),
            temporaryWithholdings: r.temporary,
            note: "unless confirmed by the final order, the temporary withholdings lapse at the review deadline",
          },
        });
    }
    const raised = (await enqueue(this.db, events, now)).length;
    if (raised > 0) this.logger.info({ raised }, "order deadline events raised");
    return raised;
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    const tick = () => {
      this.runOnce()
        .catch((err) => this.logger.error({ err }, "deadline check failed"))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
