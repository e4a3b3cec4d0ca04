/**
 * Decisions on an order's items (contract §2): per item, or in bulk with per-item overrides. Every
 * decision needs a reason. Decisions that restrict become ledger entries citing the order item, the
 * legal basis and the rule, written in the same transaction as the decisions themselves.
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Principal } from "../auth/policy.ts";
import { actorOf, authorize } from "../auth/policy.ts";
import { insertMany } from "../db/bulk.ts";
import { orderDecisions, orderItems, orders } from "../db/schema.ts";
import type { Db } from "../db/store.ts";
import type { ActionBody, LedgerEntry } from "../domain/model.ts";
import { InvalidRequestError, NotFoundError } from "../errors.ts";
import { CountryCode, Text } from "../ledger/actions.ts";
import { Ledger } from "../ledger/ledger.ts";
import { enqueue } from "../outbox/outbox.ts";
import { type NoticeOrder, recordAuthorNotices } from "./notices.ts";
import type { OrderRequest } from "./order-input.ts";
import type { Recommendation } from "./orders.ts";

export const OUTCOMES = ["withhold", "temporary_withhold", "global_action", "no_action"] as const;
/** What a reviewer decides. */
export type DecidedOutcome = (typeof OUTCOMES)[number];
/** What the record can hold: a decision, or a later restoration (manual, or after an appeal). */
export type Outcome = DecidedOutcome | "restored";

const countBy = (xs: string[]) => {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
};

export const noticeOrder = (o: typeof orders.$inferSelect): NoticeOrder => ({
  id: o.id,
  reference: o.reference,
  authorityName: o.authorityName,
  authorityCountry: o.authorityCountry,
  confidential: o.confidential,
});

const DecisionFields = {
  outcome: z.enum(OUTCOMES),
  countries: z
    .array(CountryCode)
    .min(1)
    .max(250)
    .optional()
    .describe("withhold: where (default: the requesting country)"),
  action: z.enum(["suspend", "label", "limit_engagement"]).optional().describe("global_action: what"),
  label: Text(64).optional(),
  rule: Text(128).optional().describe("global_action: the platform rule"),
  until: z.iso
    .datetime({ offset: false })
    .optional()
    .describe("temporary_withhold: until (default: the review deadline)"),
  reason: Text(2000).min(1, "every decision needs a reason"),
  justification: Text(4000)
    .min(20, "a justification must say why, in at least 20 characters")
    .optional()
    .describe("required to act against a subject in the protected-category registry"),
};

export const DecisionRequest = z
  .strictObject({
    decisions: z
      .array(z.strictObject({ item: z.string().min(1).max(200), ...DecisionFields }))
      .max(100_000)
      .default([]),
    bulk: z
      .strictObject({
        select: z
          .union([
            z.literal("recommended"),
            z.literal("all_remaining"),
            z.strictObject({ recommendation: z.enum(OUTCOMES) }),
          ])
          .describe(
            "recommended: each undecided item gets its own recommendation; all_remaining: every undecided item gets `decision`; {recommendation}: undecided items recommended so",
          ),
        decision: z.strictObject(DecisionFields).partial({ outcome: true }).optional(),
        reason: Text(2000).min(1).optional(),
      })
      .optional(),
  })
  .refine(
    (r) => r.decisions.length > 0 || r.bulk !== undefined,
    "give decisions, or a bulk selection, or both",
  );
export type DecisionRequest = z.output<typeof DecisionRequest>;

type Fields = {
  outcome: DecidedOutcome;
  countries?: string[];
  action?: string;
  label?: string;
  rule?: string;
  until?: string;
  reason: string;
  justification?: string;
};

export interface DecisionResult {
  decided: number;
  ledgerEntries: number;
  items: { item: string; outcome: Outcome; seq: number | null }[];
}

export class OrderDecider {
  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async decide(orderId: string, req: DecisionRequest, principal: Principal): Promise<DecisionResult> {
    authorize(principal, "decide", "order");
    const [order] = await this.db.select().from(orders).where(eq(orders.id, orderId));
    if (!order) throw new NotFoundError(`no order '${orderId}'`);
    const body = order.body as OrderRequest;
    const items = await this.db
      .select()
      .from(orderItems)
      .where(eq(orderItems.orderId, orderId))
      .orderBy(asc(orderItems.position));
    const byId = new Map(items.map((i) => [i.id, i]));
    const decidedBefore = new Set(
      (
        await this.db
          .select({ itemId: orderDecisions.itemId })
          .from(orderDecisions)
          .where(eq(orderDecisions.orderId, orderId))
      ).map((d) => d.itemId),
    );

    const chosen = new Map<string, Fields>();
    const unknown = req.decisions.filter((d) => !byId.has(d.item)).map((d) => d.item);
    if (unknown.length > 0)
      throw new InvalidRequestError(
        `these items are not in order ${orderId}: ${unknown.slice(0, 10).join(", ")}`,
        { unknown },
      );
    for (const d of req.decisions) {
      const { item, ...fields } = d;
      chosen.set(item, fields);
    }
    if (req.bulk) {
      const { select, decision, reason } = req.bulk;
      for (const item of items) {
        if (chosen.has(item.id) || decidedBefore.has(item.id)) continue;
        const rec = item.recommendation as Recommendation;
        if (select === "recommended")
          chosen.set(item.id, {
            outcome: rec.outcome,
            countries: rec.countries,
            ...(rec.outcome === "global_action"
              ? { action: "suspend", rule: rec.rule ?? "platform_rules" }
              : {}),
            reason: `${reason ?? "as recommended"}: ${rec.reasons.join("; ")}`,
          });
        else if (select === "all_remaining" || rec.outcome === select.recommendation) {
          if (!decision?.outcome || !(decision.reason ?? reason))
            throw new InvalidRequestError("bulk.decision needs an outcome and a reason for this selection");
          chosen.set(item.id, { ...decision, outcome: decision.outcome, reason: decision.reason ?? reason! });
        }
      }
    }

    const problems: { item: string; message: string }[] = [];
    const bodies: { itemId: string; body: ActionBody | null; fields: Fields }[] = [];
    const recordedAt = this.now().toISOString();
    let n = 0;
    for (const [itemId, f] of chosen) {
      const item = byId.get(itemId)!;
      const subject = item.subjectType
        ? { type: item.subjectType as ActionBody["subject"]["type"], id: item.subjectId! }
        : null;
      const problem = (message: string) => problems.push({ item: `${itemId} (${item.target})`, message });
      const protectedCategory = (item.recommendation as Recommendation).protectedCategory;
      if (f.outcome !== "no_action" && protectedCategory && !f.justification) {
        problem(`the subject is protected (${protectedCategory}): acting needs a written justification`);
        continue;
      }
      if (f.outcome !== "no_action" && (item.resolution !== "resolved" || !subject)) {
        problem(`the target is ${item.resolution}: only no_action is possible`);
        continue;
      }
      if (f.outcome === "temporary_withhold" && !order.emergency && !f.until) {
        problem("temporary_withhold is for emergency orders, or needs `until`");
        continue;
      }
      if (f.outcome === "global_action" && (!f.action || !f.rule)) {
        problem("global_action needs an action and the platform rule");
        continue;
      }
      if (f.action === "label" && !f.label) {
        problem("a label action needs `label`");
        continue;
      }
      n += 1;
      const common = {
        subject: subject!,
        surfaces: null,
        source: { kind: "legal_demand_item" as const, id: itemId },
        actor: actorOf(principal),
        reason: f.reason,
        legalBasis: body.legalBasis,
        reverses: null,
        idempotencyKey: `decision:${itemId}:${recordedAt}:${n}`,
        recordedAt,
      };
      let actionBody: ActionBody | null = null;
      if (f.outcome === "withhold" || f.outcome === "temporary_withhold")
        actionBody = {
          ...common,
          action: "withhold",
          countries: [...(f.countries ?? [order.authorityCountry])].sort(),
          label: null,
          basis: "legal_demand",
          expiresAt:
            f.outcome === "temporary_withhold"
              ? new Date(f.until ?? order.reviewDeadline ?? order.deadline).toISOString()
              : null,
          rule: null,
        };
      else if (f.outcome === "global_action")
        actionBody = {
          ...common,
          action: f.action as ActionBody["action"],
          countries: null,
          label: f.action === "label" ? f.label! : null,
          basis: null,
          expiresAt: null,
          rule: f.rule!,
        };
      bodies.push({ itemId, body: actionBody, fields: f });
    }
    if (problems.length > 0)
      throw new InvalidRequestError(
        `no decision was recorded: ${problems.length} problem(s); first: item ${problems[0]!.item}: ${problems[0]!.message}`,
        { problems },
        "invalid_decisions",
      );

    let appended: LedgerEntry[] = [];
    const results = await this.db.transaction(async (tx) => {
      const toLedger = bodies.filter((b) => b.body !== null);
      const entries = await new Ledger(tx).appendBatch(toLedger.map((b) => b.body!));
      appended = entries.filter((e) => e.status === "appended").map((e) => e.entry);
      const seqOf = new Map(toLedger.map((b, i) => [b.itemId, entries[i]!.entry.seq]));
      const rows = bodies.map((b) => ({
        id: randomUUID(),
        orderId,
        itemId: b.itemId,
        outcome: b.fields.outcome,
        params: {
          countries: b.fields.countries ?? null,
          action: b.fields.action ?? null,
          label: b.fields.label ?? null,
          rule: b.fields.rule ?? null,
          until: b.fields.until ?? null,
        },
        reason: b.fields.reason,
        decidedBy: principal.keyId,
        decidedAt: recordedAt,
        ledgerSeq: seqOf.get(b.itemId) ?? null,
      }));
      await insertMany(tx, orderDecisions, rows);
      // Side effects leave through the outbox, after this transaction commits.
      const at = this.now();
      await recordAuthorNotices(
        tx,
        entries.flatMap((e, i) =>
          e.status === "appended" ? [{ entry: e.entry, itemId: toLedger[i]!.itemId }] : [],
        ),
        noticeOrder(order),
        at,
      );
      await enqueue(
        tx,
        [
          {
            topic: "order.decided",
            ref: `order:${orderId}`,
            payload: {
              orderId,
              reference: order.reference,
              decided: rows.length,
              outcomes: countBy(rows.map((r) => r.outcome)),
              ledgerSeqs: rows.flatMap((r) => (r.ledgerSeq === null ? [] : [r.ledgerSeq])),
            },
          },
        ],
        at,
      );
      return rows.map((r) => ({ item: r.itemId, outcome: r.outcome as Outcome, seq: r.ledgerSeq }));
    });
    // The nested ledger wrote through the transaction; wake in-process followers now that it committed.
    if (appended.length > 0) this.ledger.events.emit("commit", appended);
    return { decided: results.length, ledgerEntries: appended.length, items: results };
  }

  /** The latest decision per item of an order. */
  async latest(
    orderId: string,
  ): Promise<Map<string, { outcome: Outcome; reason: string; decidedAt: string; seq: number | null }>> {
    const rows = await this.db
      .select()
      .from(orderDecisions)
      .where(and(eq(orderDecisions.orderId, orderId)))
      .orderBy(asc(orderDecisions.decidedAt));
    const out = new Map<
      string,
      { outcome: Outcome; reason: string; decidedAt: string; seq: number | null }
    >();
    for (const r of rows)
      out.set(r.itemId, {
        outcome: r.outcome as Outcome,
        reason: r.reason,
        decidedAt: new Date(r.decidedAt).toISOString(),
        seq: r.ledgerSeq,
      });
    return out;
  }
}

/** Order status, derived from its items' latest decisions (never typed in). */
export function orderStatus(
  itemCount: number,
  outcomes: Outcome[],
): "received" | "in_review" | "complied" | "partially_complied" | "rejected" {
  if (outcomes.length === 0) return "received";
  if (outcomes.length < itemCount) return "in_review";
  const acted = outcomes.filter((o) => o !== "no_action" && o !== "restored").length;
  return acted === outcomes.length ? "complied" : acted === 0 ? "rejected" : "partially_complied";
}
