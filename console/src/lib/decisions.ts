/**
 * The bulk-decision builder: the reviewer's selection (apply the recommendation to every undecided
 * item) and per-item overrides become one POST /v1/orders/{id}/decisions body. It checks what the
 * server would refuse before sending, so the reviewer fixes it in place.
 */
import type { Order, OrderItem, Outcome } from "./types.ts";

export const OUTCOMES: readonly Outcome[] = ["withhold", "temporary_withhold", "global_action", "no_action"];
export const MIN_JUSTIFICATION = 20;

export interface Override {
  outcome: Outcome;
  reason: string;
  /** Required to act against a protected subject (at least 20 characters). */
  justification?: string;
  /** withhold: where (default: the requesting country). */
  countries?: string[];
  /** global_action: what and under which rule. */
  action?: "suspend" | "label" | "limit_engagement";
  rule?: string;
  label?: string;
  /** temporary_withhold on a non-emergency order. */
  until?: string;
}

export interface DecisionDraft {
  /** Apply each undecided item's own recommendation. */
  bulkRecommended: boolean;
  bulkReason: string;
  overrides: ReadonlyMap<string, Override>;
}

export interface DecisionBody {
  decisions?: Array<{ item: string } & Override>;
  bulk?: { select: "recommended"; reason: string };
}

export interface DraftProblem {
  item: string | null;
  message: string;
}

/** A fresh override for an item, pre-filled from its recommendation. */
export function overrideFor(item: OrderItem, outcome?: Outcome): Override {
  const rec = item.recommendation;
  const o: Override = { outcome: outcome ?? rec?.outcome ?? "no_action", reason: "" };
  if (o.outcome === "global_action") {
    o.action = "suspend";
    o.rule = rec?.rule ?? "platform_manipulation";
  }
  if ((o.outcome === "withhold" || o.outcome === "temporary_withhold") && rec?.countries?.length)
    o.countries = [...rec.countries];
  return o;
}

/** Checks the server also makes, so problems show on the item before anything is sent. */
export function checkDraft(order: Order, draft: DecisionDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const byId = new Map(order.items.map((i) => [i.id, i]));
  if (draft.bulkRecommended && draft.bulkReason.trim() === "")
    problems.push({ item: null, message: "the bulk decision needs a reason" });
  for (const [id, o] of draft.overrides) {
    const item = byId.get(id);
    if (!item) {
      problems.push({ item: id, message: "not an item of this order" });
      continue;
    }
    if (item.decision) problems.push({ item: id, message: "already decided" });
    if (o.reason.trim() === "") problems.push({ item: id, message: "every decision needs a reason" });
    const prot = item.recommendation?.protectedCategory;
    if (prot && o.outcome !== "no_action" && (o.justification ?? "").trim().length < MIN_JUSTIFICATION)
      problems.push({
        item: id,
        message: `protected (${prot.replace(/_/g, " ")}): acting needs a justification of at least ${MIN_JUSTIFICATION} characters`,
      });
    if (o.outcome !== "no_action" && (item.resolution !== "resolved" || !item.subject))
      problems.push({ item: id, message: `the target is ${item.resolution}: only no action is possible` });
    if (o.outcome === "temporary_withhold" && !order.emergency && !o.until)
      problems.push({
        item: id,
        message: "temporary withholding is for emergency orders, or needs an end date",
      });
    if (o.outcome === "global_action" && (!o.action || !o.rule?.trim()))
      problems.push({ item: id, message: "a global action needs an action and the platform rule" });
    if (o.action === "label" && !o.label?.trim())
      problems.push({ item: id, message: "a label action needs the label" });
  }
  if (!draft.bulkRecommended && draft.overrides.size === 0)
    problems.push({ item: null, message: "nothing to submit: select by recommendation or override items" });
  return problems;
}

/** The request body. Fields that do not apply to an outcome are left out. */
export function buildDecisionBody(draft: DecisionDraft): DecisionBody {
  const body: DecisionBody = {};
  const decisions: Array<{ item: string } & Override> = [];
  for (const [item, o] of draft.overrides) {
    const d: { item: string } & Override = { item, outcome: o.outcome, reason: o.reason.trim() };
    const j = o.justification?.trim();
    if (j) d.justification = j;
    if ((o.outcome === "withhold" || o.outcome === "temporary_withhold") && o.countries?.length)
      d.countries = o.countries;
    if (o.outcome === "temporary_withhold" && o.until) d.until = o.until;
    if (o.outcome === "global_action") {
      if (o.action) d.action = o.action;
      if (o.rule) d.rule = o.rule.trim();
      if (o.action === "label" && o.label) d.label = o.label.trim();
    }
    decisions.push(d);
  }
  if (decisions.length > 0) body.decisions = decisions;
  if (draft.bulkRecommended) body.bulk = { select: "recommended", reason: draft.bulkReason.trim() };
  return body;
}

/** What the submission would do, for the confirm line: counts per outcome. */
export function previewCounts(order: Order, draft: DecisionDraft): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of order.items) {
    if (i.decision) continue;
    const o =
      draft.overrides.get(i.id)?.outcome ?? (draft.bulkRecommended ? i.recommendation?.outcome : undefined);
    if (o) out[o] = (out[o] ?? 0) + 1;
  }
  return out;
}

/** The server's per-item problems (400 invalid_decisions), keyed by item id. */
export function problemsByItem(details: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const problems = (details as { problems?: Array<{ item?: string; message?: string }> } | null)?.problems;
  if (!Array.isArray(problems)) return out;
  for (const p of problems) {
    // The server names an item as "<id> (<target>)".
    const id = String(p.item ?? "").split(" ")[0] ?? "";
    out.set(id, [...(out.get(id) ?? []), String(p.message ?? "")]);
  }
  return out;
}
