/**
 * Decisions on an order's items (contract §2): per item, or in bulk with per-item overrides. Every
 * decision needs a reason. Decisions that restrict become ledger entries citing the order item, the
 * legal basis and the rule, written in the same transaction as the decisions themselves.
 *
 * An item is decided once. Changing course is explicit: a decision with `revise: true` writes the
 * recorded reversal of the measure the item's current decision put in force (if it is still in
 * force) and the new decision's entries, in one transaction; both decisions stay on record. The
 * order's row is locked while deciding, so concurrent requests on one order take turns and each sees
 * what the one before recorded.
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Principal } from "../auth/policy.ts";
import { actorOf, authorize } from "../auth/policy.ts";
import { insertMany } from "../db/bulk.ts";
import { enforcementState, orderDecisions, orderItems, orders } from "../db/schema.ts";
import type { Db } from "../db/store.ts";
import { type ActionBody, type LedgerEntry, REVERSAL } from "../domain/model.ts";
import { ConflictError, InvalidRequestError, NotFoundError, VigilError } from "../errors.ts";
import { CountryCode, Text } from "../ledger/actions.ts";
import { type AppendResult, Ledger } from "../ledger/ledger.ts";
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

/** An item that already has a decision was decided again without `revise` (409). */
export class ItemAlreadyDecidedError extends VigilError {
  override name = "ItemAlreadyDecidedError";
  constructor(message: string, details?: unknown) {
    super("item_already_decided", 409, message, details);
  }
}

const DecisionFields = {
  outcome: z.enum(OUTCOMES),
  countries: z
    .array(CountryCode)
    .min(1)
    .max(250)
    .optional()
    .describe("withhold, temporary_withhold: where (default: the requesting country)"),
  action: z.enum(["suspend", "label", "limit_engagement"]).optional().describe("global_action: what"),
  label: Text(64).optional().describe("global_action with action label: the label"),
  rule: Text(128).optional().describe("global_action: the platform rule"),
  until: z.iso
    .datetime({ offset: false })
    .optional()
    .describe("temporary_withhold: until, in the future (default: the review deadline)"),
  reason: Text(2000).min(1, "every decision needs a reason"),
  justification: Text(4000)
    .min(20, "a justification must say why, in at least 20 characters")
    .optional()
    .describe("required to act against a subject in the protected-category registry"),
};

export const DecisionRequest = z
  .strictObject({
    decisions: z
      .array(
        z.strictObject({
          item: z.string().min(1).max(200),
          ...DecisionFields,
          revise: z
            .boolean()
            .optional()
            .describe(
              "true to change an item's recorded decision: the measure it put in force is reversed (a recorded reversal) and this decision replaces it; both stay on record. Without it, an item already decided is refused (409 item_already_decided)",
            ),
        }),
      )
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

const PARAM_FIELDS = ["countries", "action", "label", "rule", "until"] as const;
type ParamField = (typeof PARAM_FIELDS)[number];

/** Why `field` does not apply to a decision, or null when it does. */
function notApplicable(f: Partial<Fields>, field: ParamField): string | null {
  switch (f.outcome) {
    case "no_action":
      return "no_action restricts nothing and writes nothing to the ledger; leave it out";
    case "withhold":
    case "temporary_withhold":
      if (field === "countries") return null;
      if (field === "until")
        return f.outcome === "temporary_withhold"
          ? null
          : "a withholding stays until it is restored; use temporary_withhold for one that ends at `until`";
      return `a withholding carries out the order in \`countries\` under its legal basis; \`${field}\` belongs to global_action`;
    case "global_action":
      if (field === "countries")
        return "a global action applies everywhere under the platform's rules; use withhold to restrict in some countries";
      if (field === "until")
        return "a global action does not end at a set time; use temporary_withhold for a measure that ends";
      if (field === "label" && f.action !== "label")
        return `\`label\` goes with action label only (this decision's action is ${f.action ?? "not given"})`;
      return null;
    default:
      return null;
  }
}

/** What is wrong with a decision's fields, whatever the item: fields that do not apply, an `until` not in the future. */
function fieldProblems(f: Partial<Fields>, now: Date): string[] {
  if (!f.outcome) return [];
  const out: string[] = [];
  for (const field of PARAM_FIELDS) {
    if (f[field] === undefined) continue;
    const why = notApplicable(f, field);
    if (why) out.push(`\`${field}\` does not apply to ${f.outcome}: ${why}`);
  }
  if (f.outcome === "temporary_withhold" && f.until !== undefined && Date.parse(f.until) <= now.getTime())
    out.push(
      `\`until\` (${f.until}) must be in the future (now ${now.toISOString()}): a temporary withholding that has already ended would be lifted at once`,
    );
  return out;
}

/** The decision an item's latest decision replaced (a revision), with the ones before it. */
export interface RevisedDecision {
  outcome: Outcome;
  reason: string;
  decidedAt: string;
  seq: number | null;
  /** The recorded reversal of its measure, written with the revision; null when nothing of it was in force. */
  reversal: number | null;
  revises?: RevisedDecision;
}

/** An item's latest decision, as the order view shows it. */
export interface LatestDecision {
  outcome: Outcome;
  reason: string;
  decidedAt: string;
  seq: number | null;
  /** Set when this decision revised an earlier one. */
  revises?: RevisedDecision;
}

export interface DecisionResult {
  decided: number;
  ledgerEntries: number;
  /** Decisions that revised an earlier one. */
  revised: number;
  /** `reversed`: the recorded reversal written for a revision. */
  items: { item: string; outcome: Outcome; seq: number | null; reversed?: number }[];
}

/** The latest decision per item of an order, read through `db` (a transaction, when deciding). */
export async function latestIn(db: Db, orderId: string): Promise<Map<string, LatestDecision>> {
  const rows = await db
    .select()
    .from(orderDecisions)
    .where(and(eq(orderDecisions.orderId, orderId)))
    .orderBy(asc(orderDecisions.decidedAt));
  const out = new Map<string, LatestDecision>();
  for (const r of rows) {
    const revises = (r.params as { revises?: RevisedDecision } | null)?.revises;
    out.set(r.itemId, {
      outcome: r.outcome as Outcome,
      reason: r.reason,
      decidedAt: new Date(r.decidedAt).toISOString(),
      seq: r.ledgerSeq,
      ...(revises ? { revises } : {}),
    });
  }
  return out;
}

/** The seq an append recorded (or found recorded under its key); a refused append fails the whole write. */
export function recordedSeq(r: AppendResult): number {
  if (r.status === "appended" || r.status === "duplicate") return r.entry.seq;
  throw new ConflictError(r.message);
}

const ACTED: readonly Outcome[] = ["withhold", "temporary_withhold", "global_action"];

export class OrderDecider {
  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async decide(orderId: string, req: DecisionRequest, principal: Principal): Promise<DecisionResult> {
    authorize(principal, "decide", "order");
    const listed = new Set<string>();
    const repeated = new Set<string>();
    for (const d of req.decisions) (listed.has(d.item) ? repeated : listed).add(d.item);
    if (repeated.size > 0) {
      const items = [...repeated];
      throw new InvalidRequestError(
        `no decision was recorded: item ${items[0]} is listed more than once in this request; give one decision per item`,
        { items },
        "duplicate_item",
      );
    }
    const now = this.now();
    const recordedAt = now.toISOString();

    let appended: LedgerEntry[] = [];
    const result = await this.db.transaction(async (tx) => {
      // Decisions (and revisions, restorations, confirmations) on one order take turns from here on.
      const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
      if (!order) throw new NotFoundError(`no order '${orderId}'`);
      const body = order.body as OrderRequest;
      const items = await tx
        .select()
        .from(orderItems)
        .where(eq(orderItems.orderId, orderId))
        .orderBy(asc(orderItems.position));
      const byId = new Map(items.map((i) => [i.id, i]));
      const unknown = req.decisions.filter((d) => !byId.has(d.item)).map((d) => d.item);
      if (unknown.length > 0)
        throw new InvalidRequestError(
          `these items are not in order ${orderId}: ${unknown.slice(0, 10).join(", ")}`,
          { unknown },
        );
      const prior = await latestIn(tx, orderId);

      const chosen = new Map<string, Fields>();
      const revising = new Map<string, LatestDecision>();
      const already: { item: string; outcome: Outcome; decidedAt: string; seq: number | null }[] = [];
      const problems: { item: string; message: string }[] = [];
      const named = (itemId: string) => `${itemId} (${byId.get(itemId)!.target})`;
      for (const d of req.decisions) {
        const { item, revise, ...fields } = d;
        chosen.set(item, fields);
        const p = prior.get(item);
        if (revise && p) revising.set(item, p);
        else if (revise)
          problems.push({
            item: named(item),
            message: "`revise` changes a recorded decision, and this item has none yet: leave it out",
          });
        else if (p) already.push({ item, outcome: p.outcome, decidedAt: p.decidedAt, seq: p.seq });
      }
      if (req.bulk) {
        const { select, decision, reason } = req.bulk;
        for (const m of fieldProblems(decision ?? {}, now))
          problems.push({ item: "bulk.decision", message: m });
        for (const item of items) {
          if (chosen.has(item.id) || prior.has(item.id)) continue;
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
            chosen.set(item.id, {
              ...decision,
              outcome: decision.outcome,
              reason: decision.reason ?? reason!,
            });
          }
        }
      }

      const bodies: { itemId: string; body: ActionBody | null; fields: Fields; decidedAt: string }[] = [];
      const explicit = new Set(req.decisions.map((d) => d.item));
      let n = 0;
      for (const [itemId, f] of chosen) {
        const item = byId.get(itemId)!;
        const subject = item.subjectType
          ? { type: item.subjectType as ActionBody["subject"]["type"], id: item.subjectId! }
          : null;
        const problem = (message: string) => problems.push({ item: named(itemId), message });
        if (explicit.has(itemId)) {
          const bad = fieldProblems(f, now);
          if (bad.length > 0) {
            for (const m of bad) problem(m);
            continue;
          }
        }
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
        // A revision is recorded after the decision it replaces, even on a clock that has not moved
        // (or a server whose clock is behind), so "the latest decision" is never ambiguous.
        const p = revising.get(itemId);
        const decidedAt = p
          ? new Date(Math.max(now.getTime(), Date.parse(p.decidedAt) + 1)).toISOString()
          : recordedAt;
        const common = {
          subject: subject!,
          surfaces: null,
          source: { kind: "legal_demand_item" as const, id: itemId },
          actor: actorOf(principal),
          reason: f.reason,
          legalBasis: body.legalBasis,
          reverses: null,
          idempotencyKey: `decision:${itemId}:${decidedAt}:${n}`,
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
        bodies.push({ itemId, body: actionBody, fields: f, decidedAt });
      }
      if (problems.length > 0)
        throw new InvalidRequestError(
          `no decision was recorded: ${problems.length} problem(s); first: item ${problems[0]!.item}: ${problems[0]!.message}`,
          { problems },
          "invalid_decisions",
        );
      if (already.length > 0) {
        const [first] = already;
        throw new ItemAlreadyDecidedError(
          `no decision was recorded: item ${named(first!.item)} was already decided (${first!.outcome}, ${first!.decidedAt})${already.length > 1 ? `, and ${already.length - 1} more item(s) too` : ""}. An item is decided once: to change course, send the decision with "revise": true and a reason (the measure in force is reversed in the ledger and both decisions stay on record), or lift the measure with POST /v1/orders/${orderId}/restore`,
          { count: already.length, items: already.slice(0, 100) },
        );
      }

      // Revisions: the recorded reversal of what the replaced decision still holds in force comes first.
      const toReverse = [...revising]
        .filter(([, p]) => p.seq !== null && ACTED.includes(p.outcome))
        .map(([itemId, p]) => ({ itemId, seq: p.seq! }));
      const inForce = new Set(
        toReverse.length === 0
          ? []
          : (
              await tx
                .selectDistinct({ seq: enforcementState.seq })
                .from(enforcementState)
                .where(
                  inArray(
                    enforcementState.seq,
                    toReverse.map((r) => r.seq),
                  ),
                )
            ).map((r) => Number(r.seq)),
      );
      const txLedger = new Ledger(tx);
      const reversals = new Map<string, ActionBody>();
      for (const r of toReverse) {
        if (!inForce.has(r.seq)) continue;
        const original = await txLedger.entry(r.seq);
        if (!original) throw new Error(`decision points at missing ledger entry ${r.seq}`);
        if (!REVERSAL[original.action]) continue;
        reversals.set(
          r.itemId,
          reversalOf(original, r.itemId, principal, `revised: ${chosen.get(r.itemId)!.reason}`, recordedAt),
        );
      }
      const toLedger: { itemId: string; body: ActionBody; reversal: boolean }[] = [];
      for (const b of bodies) {
        const rev = reversals.get(b.itemId);
        if (rev) toLedger.push({ itemId: b.itemId, body: rev, reversal: true });
        if (b.body) toLedger.push({ itemId: b.itemId, body: b.body, reversal: false });
      }
      const entries = await txLedger.appendBatch(toLedger.map((b) => b.body));
      const seqs = entries.map(recordedSeq);
      appended = entries.flatMap((e) => (e.status === "appended" ? [e.entry] : []));
      const seqOf = new Map<string, number>();
      const reversalSeqOf = new Map<string, number>();
      for (const [i, t] of toLedger.entries()) (t.reversal ? reversalSeqOf : seqOf).set(t.itemId, seqs[i]!);

      const rows = bodies.map((b) => {
        const p = revising.get(b.itemId);
        return {
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
            ...(b.fields.justification ? { justification: b.fields.justification } : {}),
            ...(p
              ? {
                  revises: {
                    outcome: p.outcome,
                    reason: p.reason,
                    decidedAt: p.decidedAt,
                    seq: p.seq,
                    reversal: reversalSeqOf.get(b.itemId) ?? null,
                    ...(p.revises ? { revises: p.revises } : {}),
                  } satisfies RevisedDecision,
                }
              : {}),
          },
          reason: b.fields.reason,
          decidedBy: principal.keyId,
          decidedAt: b.decidedAt,
          ledgerSeq: seqOf.get(b.itemId) ?? null,
        };
      });
      await insertMany(tx, orderDecisions, rows);
      // Side effects leave through the outbox, after this transaction commits.
      await recordAuthorNotices(
        tx,
        entries.flatMap((e, i) =>
          e.status === "appended" ? [{ entry: e.entry, itemId: toLedger[i]!.itemId }] : [],
        ),
        noticeOrder(order),
        now,
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
              ...(revising.size > 0
                ? { revised: revising.size, reversalSeqs: [...reversalSeqOf.values()] }
                : {}),
            },
          },
        ],
        now,
      );
      return {
        revised: revising.size,
        items: rows.map((r) => {
          const reversed = reversalSeqOf.get(r.itemId);
          return {
            item: r.itemId,
            outcome: r.outcome as Outcome,
            seq: r.ledgerSeq,
            ...(reversed === undefined ? {} : { reversed }),
          };
        }),
      };
    });
    // The nested ledger wrote through the transaction; wake in-process followers now that it committed.
    if (appended.length > 0) this.ledger.events.emit("commit", appended);
    return {
      decided: result.items.length,
      ledgerEntries: appended.length,
      revised: result.revised,
      items: result.items,
    };
  }

  /** The latest decision per item of an order. */
  async latest(orderId: string): Promise<Map<string, LatestDecision>> {
    return latestIn(this.db, orderId);
  }
}

/** The recorded reversal of `original` (it lifts only what that entry put in force). */
export function reversalOf(
  original: LedgerEntry,
  sourceId: string,
  principal: Principal,
  reason: string,
  at: string,
  sourceKind: ActionBody["source"]["kind"] = "legal_demand_item",
): ActionBody {
  return {
    subject: original.subject,
    action: REVERSAL[original.action]!,
    countries: original.countries,
    surfaces: original.surfaces,
    label: original.label,
    basis: null,
    expiresAt: null,
    source: { kind: sourceKind, id: sourceId },
    actor: actorOf(principal),
    reason,
    rule: original.rule,
    legalBasis: original.legalBasis,
    reverses: original.seq,
    idempotencyKey: `reverse:${original.seq}`,
    recordedAt: at,
  };
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
