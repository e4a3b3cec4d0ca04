/**
 * Appeals: an affected user contests an enforcement (one ledger entry). An appeal is received, queued
 * and decided with a reason. Granting it writes the recorded reversal of the entry (lifting exactly
 * what it put in force), and, when the entry carried out an order item, a `restored` record on that
 * order. The appellant is told through the outbox either way.
 */
import { randomUUID } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Principal } from "../auth/policy.ts";
import { actorOf, authorize } from "../auth/policy.ts";
import type { CaseService } from "../cases/cases.ts";
import { appeals, enforcementState, orderDecisions, orderItems } from "../db/schema.ts";
import { type Db, query } from "../db/store.ts";
import { isRestricting, type LedgerEntry } from "../domain/model.ts";
import { ConflictError, InvalidRequestError, NotFoundError } from "../errors.ts";
import { SubjectRefSchema, Text } from "../ledger/actions.ts";
import { Ledger } from "../ledger/ledger.ts";
import { reversalOf } from "../legal/measures.ts";
import { enqueue } from "../outbox/outbox.ts";

export const AppealRequest = z.strictObject({
  subject: SubjectRefSchema,
  entry: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("the ledger seq appealed against; default: the latest restriction in force on the subject"),
  appellant: z.strictObject({ accountId: Text(128).min(1) }),
  text: Text(5000).min(1, "say why the decision should be reversed"),
});
export type AppealRequest = z.output<typeof AppealRequest>;

export const AppealDecisionRequest = z.strictObject({
  outcome: z.enum(["granted", "denied"]),
  reason: Text(2000).min(1, "every appeal decision needs a reason"),
});
export type AppealDecisionRequest = z.output<typeof AppealDecisionRequest>;

export const APPEAL_STATES = ["open", "granted", "denied"] as const;

export interface AppealView {
  id: string;
  subject: { type: string; id: string };
  entry: number;
  action: string;
  orderId: string | null;
  itemId: string | null;
  appellant: string;
  text: string;
  receivedAt: string;
  state: (typeof APPEAL_STATES)[number];
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  restoreSeq: number | null;
}

const iso = (t: string | null) => (t ? new Date(t).toISOString() : null);

export class AppealService {
  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly cases: CaseService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async file(req: AppealRequest, principal: Principal): Promise<AppealView> {
    authorize(principal, "create", "appeal");
    const entry = req.entry
      ? await this.ledger.entry(req.entry)
      : await this.latestInForce(req.subject.type, req.subject.id);
    if (!entry)
      throw new NotFoundError(
        req.entry
          ? `no ledger entry ${req.entry}`
          : `nothing is in force on ${req.subject.type} ${req.subject.id} to appeal`,
      );
    if (entry.subject.type !== req.subject.type || entry.subject.id !== req.subject.id)
      throw new InvalidRequestError(
        `ledger entry ${entry.seq} concerns ${entry.subject.type} ${entry.subject.id}, not ${req.subject.type} ${req.subject.id}`,
      );
    if (!isRestricting(entry.action))
      throw new InvalidRequestError(
        `ledger entry ${entry.seq} is a ${entry.action}: only restrictions can be appealed`,
      );
    const [open] = await this.db
      .select({ id: appeals.id })
      .from(appeals)
      .where(and(eq(appeals.ledgerSeq, entry.seq), eq(appeals.state, "open")));
    if (open)
      throw new ConflictError(`entry ${entry.seq} already has an open appeal (${open.id})`, {
        appeal: open.id,
      });
    const item =
      entry.source.kind === "legal_demand_item" && entry.source.id
        ? (
            await this.db
              .select({ id: orderItems.id, orderId: orderItems.orderId })
              .from(orderItems)
              .where(eq(orderItems.id, entry.source.id))
          )[0]
        : undefined;
    const row = {
      id: randomUUID(),
      subjectType: entry.subject.type,
      subjectId: entry.subject.id,
      ledgerSeq: entry.seq,
      orderId: item?.orderId ?? null,
      itemId: item?.id ?? null,
      appellant: req.appellant.accountId,
      text: req.text,
      receivedAt: this.now().toISOString(),
      state: "open",
      decidedBy: null,
      decidedAt: null,
      decisionReason: null,
      restoreSeq: null,
    };
    await this.db.transaction(async (tx) => {
      await tx.insert(appeals).values(row);
      // Appeals are reviewed from the appeals queue, like every other case.
      await this.cases.raise(
        tx,
        {
          kind: "appeal",
          title: `appeal against ${entry.action} of ${entry.subject.type} ${entry.subject.id} (entry ${entry.seq})`,
          subjects: [{ type: entry.subject.type, id: entry.subject.id, score: null }],
          evidence: {
            appeal: row.id,
            entry: entry.seq,
            action: entry.action,
            countries: entry.countries,
            originalReason: entry.reason,
            source: entry.source,
            appellant: row.appellant,
            text: row.text,
          },
          priority: entry.source.kind === "legal_demand_item" ? 2 : 1,
          openKey: `appeal:${row.id}`,
        },
        `appellant:${row.appellant}`,
      );
      await enqueue(
        tx,
        [
          {
            topic: "appeal.received",
            ref: row.orderId ? `order:${row.orderId}` : `appeal:${row.id}`,
            payload: { appeal: row.id, subject: req.subject, entry: entry.seq, appellant: row.appellant },
          },
        ],
        this.now(),
      );
    });
    return this.view(row, entry.action);
  }

  async list(principal: Principal, state?: AppealView["state"]): Promise<AppealView[]> {
    authorize(principal, "read", "appeal");
    const rows = await query<typeof appeals.$inferSelect & { action: string }>(
      this.db,
      sql`select a.id, a.subject_type as "subjectType", a.subject_id as "subjectId", a.ledger_seq::int as "ledgerSeq",
                 a.order_id as "orderId", a.item_id as "itemId", a.appellant, a.text, a.received_at as "receivedAt",
                 a.state, a.decided_by as "decidedBy", a.decided_at as "decidedAt", a.decision_reason as "decisionReason",
                 a.restore_seq::int as "restoreSeq", l.body->>'action' as action
          from appeals a join ledger l on l.seq = a.ledger_seq
          ${state ? sql`where a.state = ${state}` : sql``}
          order by a.received_at, a.id`,
    );
    return rows.map((r) => this.view(r, r.action));
  }

  async get(id: string, principal: Principal): Promise<AppealView> {
    authorize(principal, "read", "appeal");
    const [row] = await this.db.select().from(appeals).where(eq(appeals.id, id));
    if (!row) throw new NotFoundError(`no appeal '${id}'`);
    const entry = await this.ledger.entry(row.ledgerSeq);
    return this.view(row, entry?.action ?? "unknown");
  }

  async decide(id: string, req: AppealDecisionRequest, principal: Principal): Promise<AppealView> {
    authorize(principal, "decide", "appeal");
    const [row] = await this.db.select().from(appeals).where(eq(appeals.id, id));
    if (!row) throw new NotFoundError(`no appeal '${id}'`);
    if (row.state !== "open") throw new ConflictError(`appeal ${id} was already decided: ${row.state}`);
    const entry = await this.ledger.entry(row.ledgerSeq);
    if (!entry) throw new Error(`appeal ${id} points at missing ledger entry ${row.ledgerSeq}`);
    const at = this.now().toISOString();
    let appended: LedgerEntry | null = null;
    const decided = await this.db.transaction(async (tx) => {
      let restoreSeq: number | null = null;
      if (req.outcome === "granted") {
        const inForce = await tx
          .select({ seq: enforcementState.seq })
          .from(enforcementState)
          .where(eq(enforcementState.seq, entry.seq))
          .limit(1);
        if (inForce.length > 0) {
          const [r] = await new Ledger(tx).appendBatch([
            reversalOf(entry, id, principal, `appeal ${id} granted: ${req.reason}`, at, "appeal"),
          ]);
          if (r!.status === "conflict") throw new ConflictError(r!.message);
          if (r!.status === "appended") appended = r!.entry;
          restoreSeq = r!.entry.seq;
          if (row.orderId && row.itemId)
            await tx.insert(orderDecisions).values({
              id: randomUUID(),
              orderId: row.orderId,
              itemId: row.itemId,
              outcome: "restored",
              params: {
                countries: entry.countries,
                action: entry.action,
                label: null,
                rule: null,
                until: null,
              },
              reason: `appeal ${id} granted: ${req.reason}`,
              decidedBy: principal.keyId,
              decidedAt: at,
              ledgerSeq: restoreSeq,
            });
        }
      }
      const [updated] = await tx
        .update(appeals)
        .set({
          state: req.outcome,
          decidedBy: principal.keyId,
          decidedAt: at,
          decisionReason: req.reason,
          restoreSeq,
        })
        .where(and(eq(appeals.id, id), eq(appeals.state, "open")))
        .returning();
      if (!updated) throw new ConflictError(`appeal ${id} was decided concurrently`);
      const [appealCase] = await query<{ id: string }>(
        tx,
        sql`select id from cases where open_key = ${`appeal:${id}`}`,
      );
      if (appealCase) {
        await tx.execute(
          sql`update cases set state = 'closed', closed_at = ${at}, open_key = null,
              resolution = ${req.outcome === "granted" ? "actioned" : "no_violation"} where id = ${appealCase.id}`,
        );
        await this.cases.record(tx, appealCase.id, actorOf(principal), "close", {
          resolution: req.outcome,
          reason: req.reason,
          restoreSeq,
        });
      }
      await enqueue(
        tx,
        [
          {
            topic: "appeal.decided",
            ref: row.orderId ? `order:${row.orderId}` : `appeal:${id}`,
            payload: {
              appeal: id,
              outcome: req.outcome,
              appellant: row.appellant,
              subject: { type: row.subjectType, id: row.subjectId },
              entry: row.ledgerSeq,
              restoreSeq,
              text:
                req.outcome === "granted"
                  ? `Your appeal was granted: the ${entry.action} was lifted. ${req.reason}`
                  : `Your appeal was reviewed and the decision stands. ${req.reason}`,
            },
          },
        ],
        new Date(at),
      );
      return updated;
    });
    if (appended) this.ledger.events.emit("commit", [appended]);
    return this.view(decided, entry.action);
  }

  private async latestInForce(type: string, id: string): Promise<LedgerEntry | null> {
    const [r] = await this.db
      .select({ seq: enforcementState.seq })
      .from(enforcementState)
      .where(and(eq(enforcementState.subjectType, type), eq(enforcementState.subjectId, id)))
      .orderBy(desc(enforcementState.seq))
      .limit(1);
    return r ? this.ledger.entry(r.seq) : null;
  }

  private view(r: typeof appeals.$inferSelect, action: string): AppealView {
    return {
      id: r.id,
      subject: { type: r.subjectType, id: r.subjectId },
      entry: Number(r.ledgerSeq),
      action,
      orderId: r.orderId,
      itemId: r.itemId,
      appellant: r.appellant,
      text: r.text,
      receivedAt: new Date(r.receivedAt).toISOString(),
      state: r.state as AppealView["state"],
      decidedBy: r.decidedBy,
      decidedAt: iso(r.decidedAt),
      decisionReason: r.decisionReason,
      restoreSeq: r.restoreSeq === null ? null : Number(r.restoreSeq),
    };
  }
}
