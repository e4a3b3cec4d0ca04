/**
 * Review cases (contract §6): what detectors and reporters raise, in queues by kind (campaign,
 * violent_speech, report, appeal), with assignment, escalation, notes and a small state machine:
 * open → escalated → closed, and closed → open again (reopen). Every change is an append-only case
 * event; a case's history is its events. An `openKey` keeps one open case per thing (a reported post,
 * a campaign): new evidence joins it instead of opening another.
 */
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Principal } from "../auth/policy.ts";
import { actorOf, authorize } from "../auth/policy.ts";
import { caseEvents, cases } from "../db/schema.ts";
import type { Db } from "../db/store.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import { Text } from "../ledger/actions.ts";
import { enqueue } from "../outbox/outbox.ts";

export const CASE_KINDS = ["campaign", "violent_speech", "report", "appeal"] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const CASE_STATES = ["open", "escalated", "closed"] as const;
export type CaseState = (typeof CASE_STATES)[number];

export interface CaseSubject {
  type: "account" | "post" | "hashtag";
  id: string;
  score: number | null;
  /** Why this subject is in the case, shortly (e.g. the signals behind a score). */
  why?: string[];
}

export interface NewCase {
  kind: CaseKind;
  title: string;
  subjects: CaseSubject[];
  evidence: Record<string, unknown>;
  priority: number;
  openKey: string | null;
}

export interface CaseEvent {
  id: number;
  at: string;
  actor: string;
  kind: string;
  body: Record<string, unknown>;
}

export interface CaseView {
  id: string;
  kind: CaseKind;
  state: CaseState;
  title: string;
  subjects: CaseSubject[];
  evidence: Record<string, unknown>;
  priority: number;
  assignee: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  resolution: string | null;
  history?: CaseEvent[];
}

export const CaseTransition = z.discriminatedUnion("op", [
  z.strictObject({ op: z.literal("assign"), assignee: Text(200).min(1).nullable() }),
  z.strictObject({ op: z.literal("escalate"), reason: Text(2000).min(1, "say why it is escalated") }),
  z.strictObject({ op: z.literal("note"), text: Text(10_000).min(1, "a note cannot be empty") }),
  z.strictObject({
    op: z.literal("close"),
    resolution: z.enum(["actioned", "no_violation", "duplicate", "insufficient_evidence"]),
    reason: Text(2000).min(1, "say why it is closed"),
  }),
  z.strictObject({ op: z.literal("reopen"), reason: Text(2000).min(1, "say why it is reopened") }),
]);
export type CaseTransition = z.output<typeof CaseTransition>;

const iso = (t: string | null) => (t ? new Date(t).toISOString() : null);

export class CaseService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Opens a case, or, when an open case holds `openKey`, adds to it: subjects are merged (the newer
   * score wins), evidence replaced, priority raised. Pass the transaction of the change that raised it.
   */
  async raise(db: Db, c: NewCase, actor: string): Promise<{ id: string; created: boolean }> {
    const at = this.now().toISOString();
    if (c.openKey) {
      const [prior] = await db.select().from(cases).where(eq(cases.openKey, c.openKey));
      if (prior) {
        const merged = new Map<string, CaseSubject>();
        for (const s of [...(prior.subjects as CaseSubject[]), ...c.subjects])
          merged.set(`${s.type}:${s.id}`, s);
        await db
          .update(cases)
          .set({
            subjects: [...merged.values()],
            evidence: c.evidence,
            priority: Math.max(prior.priority, c.priority),
            title: c.title,
            updatedAt: at,
          })
          .where(eq(cases.id, prior.id));
        await db.insert(caseEvents).values({
          caseId: prior.id,
          at,
          actor,
          kind: "evidence_updated",
          body: { subjects: merged.size, added: merged.size - (prior.subjects as CaseSubject[]).length },
        });
        return { id: prior.id, created: false };
      }
    }
    const id = randomUUID();
    await db.insert(cases).values({
      id,
      kind: c.kind,
      state: "open",
      title: c.title,
      subjects: c.subjects,
      evidence: c.evidence,
      priority: c.priority,
      assignee: null,
      key: c.openKey,
      openKey: c.openKey,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      resolution: null,
    });
    await db.insert(caseEvents).values({ caseId: id, at, actor, kind: "opened", body: { title: c.title } });
    await enqueue(
      db,
      [
        {
          topic: "case.opened",
          ref: `case:${id}`,
          payload: {
            case: id,
            kind: c.kind,
            title: c.title,
            subjects: c.subjects.length,
            priority: c.priority,
          },
        },
      ],
      new Date(at),
    );
    return { id, created: true };
  }

  async list(
    principal: Principal,
    q: { kind?: CaseKind; state?: CaseState; assignee?: string; limit?: number; offset?: number } = {},
  ): Promise<CaseView[]> {
    authorize(principal, "read", "case");
    const where = [];
    if (q.kind) where.push(eq(cases.kind, q.kind));
    if (q.state) where.push(eq(cases.state, q.state));
    if (q.assignee) where.push(eq(cases.assignee, q.assignee));
    const rows = await this.db
      .select()
      .from(cases)
      .where(where.length > 0 ? and(...where) : undefined)
      .orderBy(desc(cases.priority), asc(cases.createdAt))
      .limit(q.limit ?? 100)
      .offset(q.offset ?? 0);
    return rows.map((r) => this.view(r));
  }

  /** How many cases the same filters as `list` match, in all. */
  async count(
    principal: Principal,
    q: { kind?: CaseKind; state?: CaseState; assignee?: string } = {},
  ): Promise<number> {
    authorize(principal, "read", "case");
    const where = [];
    if (q.kind) where.push(eq(cases.kind, q.kind));
    if (q.state) where.push(eq(cases.state, q.state));
    if (q.assignee) where.push(eq(cases.assignee, q.assignee));
    const [r] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(cases)
      .where(where.length > 0 ? and(...where) : undefined);
    return r?.n ?? 0;
  }

  async get(id: string, principal: Principal): Promise<CaseView> {
    authorize(principal, "read", "case");
    const row = await this.row(this.db, id);
    const history = await this.db
      .select()
      .from(caseEvents)
      .where(eq(caseEvents.caseId, id))
      .orderBy(asc(caseEvents.id));
    return {
      ...this.view(row),
      history: history.map((e) => ({
        id: e.id,
        at: new Date(e.at).toISOString(),
        actor: e.actor,
        kind: e.kind,
        body: e.body as Record<string, unknown>,
      })),
    };
  }

  /** Assignment, escalation, notes, closing and reopening. */
  async transition(id: string, t: CaseTransition, principal: Principal): Promise<CaseView> {
    authorize(principal, "decide", "case");
    const actor = actorOf(principal);
    await this.db.transaction(async (tx) => {
      const row = await this.row(tx, id, true);
      const at = this.now().toISOString();
      const set: Partial<typeof cases.$inferInsert> = { updatedAt: at };
      switch (t.op) {
        case "assign":
          set.assignee = t.assignee;
          break;
        case "note":
          break;
        case "escalate":
          if (row.state !== "open")
            throw new ConflictError(`case ${id} is ${row.state}: only an open case can be escalated`);
          set.state = "escalated";
          break;
        case "close":
          if (row.state === "closed") throw new ConflictError(`case ${id} is already closed`);
          Object.assign(set, { state: "closed", closedAt: at, resolution: t.resolution, openKey: null });
          break;
        case "reopen": {
          if (row.state !== "closed")
            throw new ConflictError(`case ${id} is ${row.state}: only a closed case can be reopened`);
          const key = row.key;
          if (key) {
            const [other] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.openKey, key));
            if (other)
              throw new ConflictError(
                `case ${other.id} is already open for the same thing; add to it instead`,
                {
                  case: other.id,
                },
              );
          }
          Object.assign(set, { state: "open", closedAt: null, resolution: null, openKey: key });
          break;
        }
      }
      await tx.update(cases).set(set).where(eq(cases.id, id));
      const { op, ...body } = t;
      await tx.insert(caseEvents).values({ caseId: id, at, actor, kind: op, body });
    });
    return this.get(id, principal);
  }

  /** Appends an event (used by bulk actions and detectors). */
  async record(
    db: Db,
    id: string,
    actor: string,
    kind: string,
    body: Record<string, unknown>,
  ): Promise<void> {
    await db.insert(caseEvents).values({ caseId: id, at: this.now().toISOString(), actor, kind, body });
    await db.update(cases).set({ updatedAt: this.now().toISOString() }).where(eq(cases.id, id));
  }

  async row(db: Db, id: string, lock = false): Promise<typeof cases.$inferSelect> {
    const q = db.select().from(cases).where(eq(cases.id, id));
    const [row] = lock ? await q.for("update") : await q;
    if (!row) throw new NotFoundError(`no case '${id}'`);
    return row;
  }

  view(r: typeof cases.$inferSelect): CaseView {
    return {
      id: r.id,
      kind: r.kind as CaseKind,
      state: r.state as CaseState,
      title: r.title,
      subjects: r.subjects as CaseSubject[],
      evidence: r.evidence as Record<string, unknown>,
      priority: r.priority,
      assignee: r.assignee,
      createdAt: new Date(r.createdAt).toISOString(),
      updatedAt: new Date(r.updatedAt).toISOString(),
      closedAt: iso(r.closedAt),
      resolution: r.resolution,
    };
  }
}
