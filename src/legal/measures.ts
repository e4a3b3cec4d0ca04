/**
 * What happens to an order's measures after the first decision:
 * - an emergency (interim) order's temporary withholdings are confirmed by the final order, which
 *   makes them permanent; unconfirmed ones lapse at the review deadline through the expiry daemon;
 * - measures are restored by hand (the order was withdrawn or revoked, a court set it aside, the
 *   review committee did not approve it): each restoration is a recorded reversal of the entry that
 *   carried the decision out, so it lifts exactly that and nothing newer.
 * Both write ledger entries, decision rows, author notices and outbox events in one transaction.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Principal } from "../auth/policy.ts";
import { actorOf, authorize } from "../auth/policy.ts";
import { enforcementState, orderDecisions, orderItems, orders } from "../db/schema.ts";
import type { Db } from "../db/store.ts";
import { type ActionBody, type LedgerEntry, REVERSAL } from "../domain/model.ts";
import { ConflictError, InvalidRequestError, NotFoundError } from "../errors.ts";
import { Text } from "../ledger/actions.ts";
import { Ledger } from "../ledger/ledger.ts";
import { enqueue } from "../outbox/outbox.ts";
import {
  type LatestDecision,
  latestIn,
  noticeOrder,
  type OrderDecider,
  recordedSeq,
  reversalOf,
} from "./decisions.ts";
import { recordAuthorNotices } from "./notices.ts";
import type { OrderRequest } from "./order-input.ts";

const Timestamp = z.iso.datetime({ offset: false, message: "must be an RFC 3339 timestamp in UTC" });

export const ConfirmRequest = z.strictObject({
  reference: Text(200).min(1, "the final order's reference is required"),
  receivedAt: Timestamp.describe("when the final order was received"),
  reason: Text(2000).min(1, "a reason is required"),
});
export type ConfirmRequest = z.output<typeof ConfirmRequest>;

export const RestoreRequest = z.strictObject({
  items: z
    .union([z.literal("all"), z.array(z.string().min(1).max(200)).min(1).max(100_000)])
    .describe("`all`, or the ids of the items to restore"),
  reason: Text(2000).min(1, "every restoration needs a reason"),
});
export type RestoreRequest = z.output<typeof RestoreRequest>;

export interface MeasureResult {
  items: { item: string; seq: number }[];
}

export class OrderMeasures {
  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly decisions: OrderDecider,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async load(orderId: string) {
    const [order] = await this.db.select().from(orders).where(eq(orders.id, orderId));
    if (!order) throw new NotFoundError(`no order '${orderId}'`);
    const items = await this.db.select().from(orderItems).where(eq(orderItems.orderId, orderId));
    const latest = await this.decisions.latest(orderId);
    return { order, items: new Map(items.map((i) => [i.id, i])), latest };
  }

  /** Makes an emergency order's temporary withholdings permanent, citing the final order. */
  async confirm(orderId: string, req: ConfirmRequest, principal: Principal): Promise<MeasureResult> {
    authorize(principal, "decide", "order");
    const { order, latest } = await this.load(orderId);
    if (!order.emergency) throw new InvalidRequestError(`order ${orderId} is not an emergency order`);
    if (order.confirmedAt)
      throw new ConflictError(
        `order ${orderId} was already confirmed by ${(order.confirmation as ConfirmRequest).reference}`,
      );
    const temporary = [...latest].filter(([, d]) => d.outcome === "temporary_withhold" && d.seq !== null);
    if (temporary.length === 0)
      throw new InvalidRequestError(`order ${orderId} has no temporary withholding to confirm`);
    const at = this.now().toISOString();
    const body = order.body as OrderRequest;
    const bodies: { itemId: string; body: ActionBody }[] = [];
    for (const [itemId, d] of temporary) {
      const original = await this.ledger.entry(d.seq!);
      if (!original) throw new Error(`decision points at missing ledger entry ${d.seq}`);
      bodies.push({
        itemId,
        body: {
          subject: original.subject,
          action: "withhold",
          countries: original.countries,
          surfaces: null,
          label: null,
          basis: "legal_demand",
          expiresAt: null,
          source: { kind: "legal_demand_item", id: itemId },
          actor: actorOf(principal),
          reason: `confirmed by final order ${req.reference} of ${req.receivedAt}: ${req.reason}`,
          rule: null,
          legalBasis: body.legalBasis,
          reverses: null,
          idempotencyKey: `confirm:${itemId}`,
          recordedAt: at,
        },
      });
    }
    const result = await this.write(
      order,
      bodies,
      latest,
      "withhold",
      req.reason,
      principal,
      at,
      async (tx) => {
        const done = await tx
          .update(orders)
          .set({ confirmedAt: at, confirmation: req })
          .where(eq(orders.id, orderId))
          .returning({ id: orders.id });
        if (done.length !== 1) throw new Error("the order row vanished");
        return { topic: "order.confirmed" as const, payload: { finalOrder: req } };
      },
    );
    return result;
  }

  /** Lifts the measures taken on the given items by recorded reversals of their ledger entries. */
  async restore(orderId: string, req: RestoreRequest, principal: Principal): Promise<MeasureResult> {
    authorize(principal, "decide", "order");
    const { order, items, latest } = await this.load(orderId);
    const wanted = req.items === "all" ? [...latest.keys()] : req.items;
    const problems: string[] = [];
    const bodies: { itemId: string; body: ActionBody }[] = [];
    const at = this.now().toISOString();
    for (const itemId of wanted) {
      const d = latest.get(itemId);
      if (!items.has(itemId)) {
        problems.push(`${itemId}: not an item of order ${orderId}`);
        continue;
      }
      if (!d || d.seq === null || d.outcome === "no_action" || d.outcome === "restored") {
        if (req.items !== "all") problems.push(`${itemId}: no measure in force to restore`);
        continue;
      }
      const original = await this.ledger.entry(d.seq);
      if (!original) throw new Error(`decision points at missing ledger entry ${d.seq}`);
      const reversal = REVERSAL[original.action];
      if (!reversal) continue;
      const inForce = await this.db
        .select({ seq: enforcementState.seq })
        .from(enforcementState)
        .where(eq(enforcementState.seq, original.seq))
        .limit(1);
      if (inForce.length === 0) {
        if (req.items !== "all")
          problems.push(`${itemId}: the measure (entry ${original.seq}) is no longer in force`);
        continue;
      }
      bodies.push({ itemId, body: reversalOf(original, itemId, principal, req.reason, at) });
    }
    if (problems.length > 0)
      throw new InvalidRequestError(
        `nothing was restored: ${problems.length} problem(s); first: ${problems[0]}`,
        { problems },
      );
    if (bodies.length === 0) throw new InvalidRequestError(`order ${orderId} has no measure in force`);
    return this.write(order, bodies, latest, "restored", req.reason, principal, at, async () => ({
      topic: "order.restored" as const,
      payload: { reason: req.reason },
    }));
  }

  private async write(
    order: typeof orders.$inferSelect,
    bodies: { itemId: string; body: ActionBody }[],
    seen: ReadonlyMap<string, LatestDecision>,
    outcome: "withhold" | "restored",
    reason: string,
    principal: Principal,
    at: string,
    also: (
      tx: Db,
    ) => Promise<{ topic: "order.confirmed" | "order.restored"; payload: Record<string, unknown> }>,
  ): Promise<MeasureResult> {
    let appended: LedgerEntry[] = [];
    const out = await this.db.transaction(async (tx) => {
      // The order's row first, as deciding takes it: one lock order, and these take turns with decisions.
      await tx.select({ id: orders.id }).from(orders).where(eq(orders.id, order.id)).for("update");
      const current = await latestIn(tx, order.id);
      const moved = bodies.find((b) => current.get(b.itemId)?.decidedAt !== seen.get(b.itemId)?.decidedAt);
      if (moved)
        throw new ConflictError(
          `nothing was recorded: item ${moved.itemId} was decided again while this was being recorded; read the order and try again`,
        );
      const results = await new Ledger(tx).appendBatch(bodies.map((b) => b.body));
      const seqs = results.map(recordedSeq);
      appended = results.flatMap((r) => (r.status === "appended" ? [r.entry] : []));
      const rows = bodies.map((b, i) => ({
        id: randomUUID(),
        orderId: order.id,
        itemId: b.itemId,
        outcome,
        params: { countries: b.body.countries, action: b.body.action, label: null, rule: null, until: null },
        reason: b.body.reason,
        decidedBy: principal.keyId,
        decidedAt: at,
        ledgerSeq: seqs[i]!,
      }));
      for (let i = 0; i < rows.length; i += 1000)
        await tx.insert(orderDecisions).values(rows.slice(i, i + 1000));
      await recordAuthorNotices(
        tx,
        results.flatMap((r, i) =>
          r.status === "appended" ? [{ entry: r.entry, itemId: bodies[i]!.itemId }] : [],
        ),
        noticeOrder(order),
        new Date(at),
      );
      const event = await also(tx);
      await enqueue(
        tx,
        [
          {
            topic: event.topic,
            ref: `order:${order.id}`,
            payload: {
              orderId: order.id,
              reference: order.reference,
              reason,
              items: rows.length,
              ledgerSeqs: rows.map((r) => r.ledgerSeq),
              ...event.payload,
            },
          },
        ],
        new Date(at),
      );
      return rows.map((r) => ({ item: r.itemId, seq: r.ledgerSeq }));
    });
    if (appended.length > 0) this.ledger.events.emit("commit", appended);
    return { items: out };
  }
}

// The recorded reversal of an entry; it lives with the decisions, which revise through it too.
export { recordedSeq, reversalOf } from "./decisions.ts";
