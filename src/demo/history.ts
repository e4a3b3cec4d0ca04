/**
 * The platform's 2021 history, replayed through Vigil's own services with the clock set to each
 * moment, so the demo holds what a legal team would have recorded (and the transparency report has
 * something true to count). The policy below is the scenario's: it follows the mission brief.
 *
 * - 31 Jan 20:00: order 1 (emergency, rule 9) is complied with temporarily: every resolved item is
 *   withheld in India until the review deadline (protected accounts too, with a written justification,
 *   as the platform did then).
 * - 1 Feb 02:30: about six hours later every measure is restored: judged newsworthy free speech.
 * - 2 Feb 10:00: MeitY's non-compliance notice arrives (recorded correspondence, with its deadline).
 * - 4 Feb 12:00: order 2 arrives. 10 Feb 06:00 it is decided: bot accounts are suspended globally
 *   under the platform-manipulation rule; news media, journalists, activists and politicians get no
 *   action; other resolved accounts and posts are withheld in India only; hashtags are left to the
 *   platform's own rules (no action on the order) and unresolvable or deleted items get no action.
 * - 10 Feb 05:00: the platform's own actions (the hashtag barred from trends and suggestions,
 *   manipulated-media labels) are recorded.
 * - 10 Feb 12:00: the compliance response goes to MeitY.
 * - 10 Feb 18:00: two withheld account holders appeal; at 20:00 the first is granted (restored),
 *   the second denied.
 */
import fs from "node:fs";
import path from "node:path";
import { AppealService } from "../appeals/appeals.ts";
import type { Principal } from "../auth/policy.ts";
import { CaseService } from "../cases/cases.ts";
import type { AppContext } from "../context.ts";
import { OrderDecider } from "../legal/decisions.ts";
import { OrderMeasures } from "../legal/measures.ts";
import { OrderService } from "../legal/orders.ts";
import { ComplianceResponses } from "../legal/response.ts";
import { OrderTimeline } from "../legal/timeline.ts";
import type { GroundTruth } from "./generate.ts";

export const HISTORY = {
  order1Decided: "2021-01-31T20:00:00Z",
  order1Restored: "2021-02-01T02:30:00Z",
  noticeReceived: "2021-02-02T10:00:00Z",
  noticeDeadline: "2021-02-03T10:00:00Z",
  platformActions: "2021-02-10T05:00:00Z",
  order2Decided: "2021-02-10T06:00:00Z",
  responseSent: "2021-02-10T12:00:00Z",
  appealsReceived: "2021-02-10T18:00:00Z",
  appealsDecided: "2021-02-10T20:00:00Z",
} as const;

/** The replay's legal team. */
const LEGAL: Principal = { keyId: "demo-legal", role: "legal", authority: null };

export interface HistorySummary {
  orders: string[];
  appeals: number;
}

/**
 * Replays the history into `ctx`'s store. `platformActions(clock)` records the platform's own
 * actions; it is called at their moment (10 Feb 05:00), so the ledger stays in time order.
 */
export async function replayHistory(
  ctx: AppContext,
  dir: string,
  truth: GroundTruth,
  platformActions: (clock: () => Date) => Promise<void>,
): Promise<HistorySummary> {
  let now = new Date(HISTORY.order1Decided);
  const clock = () => now;
  const at = (t: string) => {
    now = new Date(t);
  };
  const db = ctx.store.db;
  const decider = new OrderDecider(db, ctx.ledger, clock);
  const orders = new OrderService(db, ctx.visibility, decider, ctx.protectedRegistry, clock);
  const measures = new OrderMeasures(db, ctx.ledger, decider, clock);
  const responses = new ComplianceResponses(db, orders, clock);
  const timeline = new OrderTimeline(db, clock);
  const appeals = new AppealService(db, ctx.ledger, new CaseService(db, clock), clock);
  const body = (i: number) => JSON.parse(fs.readFileSync(path.join(dir, `orders/order-${i}.json`), "utf8"));

  // Order 1: received, complied with temporarily, restored within hours.
  at(body(1).receivedAt);
  const one = (await orders.submit(body(1), LEGAL)).order;
  at(HISTORY.order1Decided);
  await decider.decide(
    one.id,
    {
      decisions: one.items.map((item) =>
        item.resolution === "resolved"
          ? {
              item: item.id,
              outcome: "temporary_withhold" as const,
              reason: "interim direction under rule 9 of the Blocking Rules 2009: complied pending review",
              ...(item.recommendation.protectedCategory
                ? {
                    justification:
                      "complied with the emergency direction in full while its newsworthiness is reviewed",
                  }
                : {}),
            }
          : {
              item: item.id,
              outcome: "no_action" as const,
              reason: `nothing to act on: ${item.resolutionNote}`,
            },
      ),
    },
    LEGAL,
  );
  at(HISTORY.order1Restored);
  await measures.restore(
    one.id,
    { items: "all", reason: "judged newsworthy free speech: access restored pending the committee's review" },
    LEGAL,
  );
  at(HISTORY.noticeReceived);
  await timeline.record(
    one.id,
    {
      kind: "non_compliance_notice",
      direction: "incoming",
      at: HISTORY.noticeReceived,
      deadline: HISTORY.noticeDeadline,
      summary: "MeitY notice of non-compliance with the direction under s.69A, citing penal consequences",
      body: null,
    },
    LEGAL,
  );

  // Order 2: received on 4 Feb, decided on 10 Feb by the policy above.
  at(body(2).receivedAt);
  const two = (await orders.submit(body(2), LEGAL)).order;
  const categoryOf = new Map(truth.orders[1]!.items.map((t) => [t.target, t.expected.category] as const));
  at(HISTORY.platformActions);
  await platformActions(clock);
  at(HISTORY.order2Decided);
  const decided = await decider.decide(
    two.id,
    {
      decisions: two.items.map((item) => {
        const category = categoryOf.get(item.target) ?? null;
        if (item.resolution !== "resolved" || !item.subject)
          return {
            item: item.id,
            outcome: "no_action" as const,
            reason: `nothing to act on: ${item.resolutionNote}`,
          };
        if (item.recommendation.protectedCategory)
          return {
            item: item.id,
            outcome: "no_action" as const,
            reason: `protected speech: ${item.recommendation.protectedCategory.replace("_", " ")}`,
          };
        if (item.subject.type === "hashtag")
          return {
            item: item.id,
            outcome: "no_action" as const,
            reason: "hashtags are handled under the platform's own rules",
          };
        if (category === "bot" && item.subject.type === "account")
          return {
            item: item.id,
            outcome: "global_action" as const,
            action: "suspend",
            rule: "platform_manipulation",
            reason: "automated amplification: suspended under the platform manipulation and spam policy",
          };
        return {
          item: item.id,
          outcome: "withhold" as const,
          countries: ["IN"],
          reason: "withheld in India only under the Country Withheld Content policy",
        };
      }),
    },
    LEGAL,
  );

  at(HISTORY.responseSent);
  await responses.send(
    two.id,
    { note: "We have acted on the order as set out below, consistently with Indian law and our rules." },
    LEGAL,
  );

  // Two appeals from withheld account holders: one granted, one denied.
  const subjectOf = new Map(two.items.map((i) => [i.id, i.subject]));
  const withheld = decided.items.filter(
    (d) => d.outcome === "withhold" && d.seq !== null && subjectOf.get(d.item)?.type === "account",
  );
  const appealed: string[] = [];
  at(HISTORY.appealsReceived);
  for (const d of withheld.slice(0, 2)) {
    const entry = await ctx.ledger.entry(d.seq!);
    if (!entry) continue;
    const a = await appeals.file(
      {
        subject: entry.subject,
        entry: entry.seq,
        appellant: { accountId: entry.subject.id },
        text: "My account reports on the protests; nothing I posted is unlawful.",
      },
      { keyId: "demo-integration", role: "integration", authority: null },
    );
    appealed.push(a.id);
  }
  at(HISTORY.appealsDecided);
  if (appealed[0])
    await appeals.decide(
      appealed[0],
      { outcome: "granted", reason: "reporting on the protests, not incitement" },
      LEGAL,
    );
  if (appealed[1])
    await appeals.decide(
      appealed[1],
      { outcome: "denied", reason: "the posts repeat the content the order names" },
      LEGAL,
    );
  return { orders: [one.id, two.id], appeals: appealed.length };
}
