/**
 * Correspondence on an order (non-compliance notices, letters, responses, each with its own deadline)
 * and the order's timeline: everything that happened to it, in order, from the stored records.
 */
import { randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Principal } from "../auth/policy.ts";
import { authorize } from "../auth/policy.ts";
import { orderCorrespondence, orders } from "../db/schema.ts";
import { type Db, query } from "../db/store.ts";
import { NotFoundError } from "../errors.ts";
import { Text } from "../ledger/actions.ts";
import { eventsFor } from "../outbox/outbox.ts";

const noticeEvent = (n: { at: string; n: number }): TimelineEvent => ({
  at: n.at,
  kind: "notices_sent",
  summary: `${n.n} author notice(s) queued for delivery`,
});

export const CorrespondenceRequest = z.strictObject({
  kind: z.enum(["non_compliance_notice", "letter", "response", "call"]),
  direction: z.enum(["incoming", "outgoing"]),
  at: z.iso.datetime({ offset: false }),
  deadline: z.iso.datetime({ offset: false }).nullable().default(null),
  summary: Text(500).refine((s) => s.trim().length > 0, "a summary is required"),
  body: Text(100_000).nullable().default(null),
});

export interface TimelineEvent {
  at: string;
  kind: string;
  summary: string;
  ref?: string | number;
}

export class OrderTimeline {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async order(orderId: string, principal: Principal, verb: "read" | "decide") {
    const [row] = await this.db.select().from(orders).where(eq(orders.id, orderId));
    if (!row) throw new NotFoundError(`no order '${orderId}'`);
    authorize(principal, verb, "order", row.authorityName);
    return row;
  }

  async record(
    orderId: string,
    c: z.output<typeof CorrespondenceRequest>,
    principal: Principal,
  ): Promise<{ id: string }> {
    await this.order(orderId, principal, "decide");
    const id = randomUUID();
    await this.db.insert(orderCorrespondence).values({
      id,
      orderId,
      ...c,
      recordedBy: principal.keyId,
      recordedAt: this.now().toISOString(),
    });
    return { id };
  }

  /** Everything that happened to an order, oldest first. */
  async timeline(orderId: string, principal: Principal): Promise<TimelineEvent[]> {
    const o = await this.order(orderId, principal, "read");
    const iso = (t: string | Date) => new Date(t).toISOString();
    const events: TimelineEvent[] = [
      {
        at: iso(o.receivedAt),
        kind: "received",
        summary: `order ${o.reference} received from ${o.authorityName}`,
      },
      { at: iso(o.deadline), kind: "deadline", summary: "compliance deadline" },
    ];
    if (o.reviewDeadline)
      events.push({
        at: iso(o.reviewDeadline),
        kind: "review_deadline",
        summary: "emergency review deadline",
      });
    const decisions = await query<{ at: string; outcome: string; revised: boolean; n: number }>(
      this.db,
      sql`select decided_at as at, outcome, (params->'revises') is not null as revised, count(*)::int as n
          from order_decisions where order_id = ${orderId}
          group by decided_at, outcome, (params->'revises') is not null order by decided_at`,
    );
    for (const d of decisions)
      events.push(
        d.revised
          ? { at: iso(d.at), kind: "revised", summary: `${d.n} item(s) revised: now ${d.outcome}` }
          : { at: iso(d.at), kind: "decided", summary: `${d.n} item(s) decided: ${d.outcome}` },
      );
    // Ledger entries that carried out this order's items, and recorded reversals of them (expiry).
    const ledger = await query<{
      seq: string | number;
      at: string;
      action: string;
      reversal: boolean;
      n: number;
    }>(
      this.db,
      sql`with mine as (
            select l.seq from ledger l join order_items i on i.id = l.body->'source'->>'id' where i.order_id = ${orderId})
          select min(l.seq) as seq, l.recorded_at as at, l.body->>'action' as action, (l.body->>'reverses') is not null as reversal,
                 count(*)::int as n
          from ledger l
          where l.seq in (select seq from mine) or (l.body->>'reverses')::bigint in (select seq from mine)
          group by l.recorded_at, l.body->>'action', (l.body->>'reverses') is not null
          order by min(l.seq)`,
    );
    for (const l of ledger)
      events.push({
        at: iso(l.at),
        kind: l.reversal ? "reversed" : "enforced",
        summary: `${l.n} ledger entr${l.n === 1 ? "y" : "ies"}: ${l.action}${l.reversal ? " (recorded reversal)" : ""}`,
        ref: Number(l.seq),
      });
    const mail = await this.db
      .select()
      .from(orderCorrespondence)
      .where(eq(orderCorrespondence.orderId, orderId))
      .orderBy(asc(orderCorrespondence.at));
    for (const c of mail) {
      events.push({ at: iso(c.at), kind: c.kind, summary: `${c.direction}: ${c.summary}`, ref: c.id });
      if (c.deadline)
        events.push({
          at: iso(c.deadline),
          kind: "deadline",
          summary: `deadline set by ${c.kind.replaceAll("_", " ")}`,
          ref: c.id,
        });
    }
    // Alerts, confirmations, restorations, responses and appeals announced through the outbox.
    const SUMMARY: Record<string, (p: Record<string, unknown>) => string> = {
      "order.due_soon": (p) => `due soon: ${p.undecided} item(s) undecided`,
      "order.overdue": (p) => `overdue: ${p.undecided} item(s) undecided at the deadline`,
      "order.emergency_review_due": (p) =>
        `emergency review due: ${p.temporaryWithholdings} temporary withholding(s) lapse unless confirmed`,
      "order.confirmed": (p) =>
        `confirmed by final order ${(p.finalOrder as { reference: string }).reference}: ${p.items} withholding(s) made permanent`,
      "order.restored": (p) => `${p.items} item(s) restored: ${p.reason}`,
      "order.response_sent": () => "compliance response sent to the authority",
      "appeal.received": (p) => `appeal ${p.appeal} received against entry ${p.entry}`,
      "appeal.decided": (p) => `appeal ${p.appeal} ${p.outcome}`,
    };
    let notices: { at: string; n: number } | null = null;
    for (const e of await eventsFor(this.db, `order:${orderId}`)) {
      if (e.topic === "notice.author") {
        if (notices && notices.at === e.createdAt) notices.n += 1;
        else {
          if (notices) events.push(noticeEvent(notices));
          notices = { at: e.createdAt, n: 1 };
        }
        continue;
      }
      const summary = SUMMARY[e.topic];
      if (summary)
        events.push({
          at: e.createdAt,
          kind: e.topic.split(".")[1]!,
          summary: summary(e.payload),
          ref: e.id,
        });
    }
    if (notices) events.push(noticeEvent(notices));
    const [withheld] = await query<{ n: number; at: string | null; why: string | null }>(
      this.db,
      sql`select count(*)::int as n, min(created_at) as at, min(withheld_reason) as why from author_notices
          where order_id = ${orderId} and status = 'withheld'`,
    );
    if (withheld && withheld.n > 0)
      events.push({
        at: iso(withheld.at!),
        kind: "notices_withheld",
        summary: `${withheld.n} author notice(s) not sent: ${withheld.why}`,
      });
    return events.sort((a, b) => a.at.localeCompare(b.at) || a.kind.localeCompare(b.kind));
  }
}
