/**
 * The compliance response: what the platform tells the authority it did with each item of an order.
 * Built from the stored decisions and ledger entries, never typed in. Internal notes (recommendation
 * reasons, reviewers' reasons) stay out: each item gets a statement chosen by its outcome and, for
 * items not acted on, by the public ground (unidentifiable target, deleted content, protected speech).
 * Sending records the letter as outgoing correspondence and announces it through the outbox.
 */
import { randomUUID } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Principal } from "../auth/policy.ts";
import { authorize } from "../auth/policy.ts";
import { ledger, orderCorrespondence, orders } from "../db/schema.ts";
import type { Db } from "../db/store.ts";
import { countryName } from "../domain/countries.ts";
import type { ActionBody } from "../domain/model.ts";
import { NotFoundError } from "../errors.ts";
import { Text } from "../ledger/actions.ts";
import { enqueue } from "../outbox/outbox.ts";
import type { OrderService, OrderView } from "./orders.ts";

export const SendResponseRequest = z.strictObject({
  note: Text(4000).optional().describe("a covering note placed before the item list"),
});

export interface ResponseItem {
  item: string;
  target: string;
  outcome: string;
  statement: string;
}

export interface ComplianceResponse {
  orderId: string;
  reference: string;
  to: string;
  generatedAt: string;
  summary: Record<string, number>;
  items: ResponseItem[];
  text: string;
}

const day = (iso: string) => iso.slice(0, 10);
const places = (countries: string[] | null) =>
  countries === null ? "worldwide" : `in ${countries.map((c) => countryName(c)).join(", ")}`;

export class ComplianceResponses {
  constructor(
    private readonly db: Db,
    private readonly orders: OrderService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * The response as it stands. Legal and admin preview it (a confidential order's read is audited by
   * `orders.get`); a requester reads it for its own authority's orders: it holds only the public
   * statements, never the internal notes.
   */
  async preview(orderId: string, principal: Principal, note?: string): Promise<ComplianceResponse> {
    let order: OrderView;
    if (principal.role === "requester") {
      const [row] = await this.db
        .select({ authority: orders.authorityName })
        .from(orders)
        .where(eq(orders.id, orderId));
      if (!row) throw new NotFoundError(`no order '${orderId}'`);
      authorize(principal, "read", "order", row.authority);
      order = await this.orders.internalView(orderId);
    } else {
      authorize(principal, "decide", "order");
      order = await this.orders.get(orderId, principal);
    }
    const seqs = order.items.flatMap((i) => (i.decision?.seq ? [i.decision.seq] : []));
    const bodies = new Map<number, ActionBody>();
    for (let i = 0; i < seqs.length; i += 5000)
      for (const r of await this.db
        .select({ seq: ledger.seq, body: ledger.body })
        .from(ledger)
        .where(inArray(ledger.seq, seqs.slice(i, i + 5000))))
        bodies.set(r.seq, r.body as ActionBody);
    const items = order.items.map((i) => ({
      item: i.id,
      target: i.target,
      outcome: i.decision?.outcome ?? "pending",
      statement: statement(i, i.decision?.seq ? bodies.get(i.decision.seq) : undefined),
    }));
    const summary: Record<string, number> = {};
    for (const i of items) summary[i.outcome] = (summary[i.outcome] ?? 0) + 1;
    return {
      orderId,
      reference: order.reference,
      to: order.authority.name,
      generatedAt: this.now().toISOString(),
      summary,
      items,
      text: letter(order, items, summary, note, this.now()),
    };
  }

  async send(orderId: string, req: z.output<typeof SendResponseRequest>, principal: Principal) {
    authorize(principal, "decide", "order");
    const response = await this.preview(orderId, principal, req.note);
    const [order] = await this.db.select().from(orders).where(eq(orders.id, orderId));
    if (!order) throw new NotFoundError(`no order '${orderId}'`);
    const id = randomUUID();
    const at = this.now();
    await this.db.transaction(async (tx) => {
      await tx.insert(orderCorrespondence).values({
        id,
        orderId,
        kind: "response",
        direction: "outgoing",
        at: at.toISOString(),
        deadline: null,
        summary: `compliance response: ${Object.entries(response.summary)
          .map(([k, n]) => `${n} ${k}`)
          .join(", ")}`,
        body: response.text,
        recordedBy: principal.keyId,
        recordedAt: at.toISOString(),
      });
      await enqueue(
        tx,
        [
          {
            topic: "order.response_sent",
            ref: `order:${orderId}`,
            payload: { orderId, reference: order.reference, correspondence: id, summary: response.summary },
          },
        ],
        at,
      );
    });
    return { id, response };
  }
}

function statement(i: OrderView["items"][number], entry: ActionBody | undefined): string {
  const d = i.decision;
  if (!d) return "Under review.";
  switch (d.outcome) {
    case "withhold":
      return `Withheld ${places(entry?.countries ?? null)} on ${day(d.decidedAt)}.`;
    case "temporary_withhold":
      return `Withheld ${places(entry?.countries ?? null)} on ${day(d.decidedAt)} as an interim measure${
        entry?.expiresAt ? ` until ${entry.expiresAt}` : ""
      }, pending confirmation.`;
    case "global_action":
      return `Actioned under the platform's rules${entry?.rule ? ` (${entry.rule.replaceAll("_", " ")})` : ""} on ${day(d.decidedAt)}.`;
    case "restored":
      return `Restored on ${day(d.decidedAt)}; the earlier measure was lifted.`;
    default:
      if (i.resolution === "unresolvable")
        return `No action: the target could not be identified (${i.resolutionNote ?? "unknown"}).`;
      if (i.resolution === "deleted") return "No action: the content had already been deleted.";
      if (i.recommendation?.protectedCategory)
        return "No action: the content is protected expression (news, journalism or political speech). The platform requests that the authority reconsider this item and offers to be heard.";
      return "No action: the platform did not find grounds to restrict this item under the cited provision and requests that the authority reconsider it.";
  }
}

function letter(
  order: OrderView,
  items: ResponseItem[],
  summary: Record<string, number>,
  note: string | undefined,
  now: Date,
): string {
  const lines = [
    `To: ${order.authority.name}${order.authority.officer ? `, ${order.authority.officer}` : ""}`,
    `Re: ${order.reference}, received ${order.receivedAt} (${order.legalBasis})`,
    `Date: ${now.toISOString()}`,
    "",
    ...(note ? [note, ""] : []),
    `Of the ${items.length} item(s) in the order: ${Object.entries(summary)
      .map(([k, n]) => `${n} ${k.replaceAll("_", " ")}`)
      .join(", ")}.`,
    "",
    ...items.map((i, n) => `${n + 1}. ${i.target}: ${i.statement}`),
  ];
  return lines.join("\n");
}
