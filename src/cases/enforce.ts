/**
 * Bulk enforcement from a case (contract §6, `POST /v1/cases/{id}/actions`): one reviewer action on
 * the case's accounts (suspend, withhold, limit engagement, label) or on its posts (label, withhold),
 * with exclusions. Accounts in the protected-category registry are never included silently: each must
 * be excluded or included with a written justification, or nothing is written. Every entry cites the
 * case (source `review_case`), and the action is recorded in the case's history, in one transaction.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Principal } from "../auth/policy.ts";
import { actorOf, authorize } from "../auth/policy.ts";
import { type Db, query } from "../db/store.ts";
import type { ActionBody, LedgerEntry } from "../domain/model.ts";
import { ConflictError, InvalidRequestError } from "../errors.ts";
import { CountryCode, Text } from "../ledger/actions.ts";
import { Ledger } from "../ledger/ledger.ts";
import { projectionOps } from "../ledger/projection.ts";
import type { ProtectedRegistry } from "../legal/protected.ts";
import { enqueue } from "../outbox/outbox.ts";
import type { CaseService, CaseSubject } from "./cases.ts";

export const CaseActionRequest = z
  .strictObject({
    action: z.enum(["suspend", "withhold", "limit_engagement", "label"]),
    target: z
      .enum(["accounts", "posts"])
      .default("accounts")
      .describe(
        "accounts: the case's accounts; posts: the case's posts (those in its evidence, or its post subjects)",
      ),
    rule: Text(128).min(1, "name the platform rule"),
    label: Text(64)
      .regex(/^[a-z][a-z0-9_]*$/, "must be snake_case, e.g. manipulated_media")
      .optional(),
    countries: z.array(CountryCode).min(1).max(250).optional().describe("withhold: where"),
    reason: Text(2000).min(1, "every action needs a reason"),
    exclude: z.array(Text(256)).max(100_000).default([]).describe("subject ids left out"),
    includeProtected: z
      .array(
        z.strictObject({
          id: Text(256),
          justification: Text(4000).min(20, "a justification must say why, in at least 20 characters"),
        }),
      )
      .max(10_000)
      .default([])
      .describe("protected-registry accounts deliberately included, each with a written justification"),
    dryRun: z.boolean().default(false).describe("report what would be done; write nothing"),
    close: z.boolean().default(false).describe("close the case as actioned in the same transaction"),
  })
  .superRefine((r, ctx) => {
    if (r.action === "label" && !r.label)
      ctx.addIssue({ code: "custom", path: ["label"], message: "a label action needs `label`" });
    if (r.action === "withhold" && !r.countries)
      ctx.addIssue({ code: "custom", path: ["countries"], message: "withhold needs `countries`" });
    if (r.target === "posts" && r.action === "suspend")
      ctx.addIssue({
        code: "custom",
        path: ["target"],
        message: "posts cannot be suspended; suspend accounts",
      });
  });
export type CaseActionRequest = z.output<typeof CaseActionRequest>;

export interface CaseActionResult {
  case: string;
  dryRun: boolean;
  applied: { subject: { type: string; id: string }; seq: number | null }[];
  excluded: string[];
  protectedIncluded: { id: string; category: string }[];
}

/**
 * The idempotency key of a case action on each subject, from its base key (case, action, subject).
 * A retry finds the entry its first try wrote, still in force, and appends nothing. Once that entry
 * no longer holds (a moderator, an appeal or an order decision lifted it), applying the action again
 * is a new decision, so it gets a new key: the base key followed by the seq of the entry that no
 * longer holds (and so on, after each lifting).
 */
export async function applicationKeys(db: Db, base: readonly string[]): Promise<string[]> {
  const keys = [...base];
  let pending = keys.map((_, i) => i);
  while (pending.length > 0) {
    const rows = await query<{ seq: number | string; k: string; body: ActionBody; held: string[] | null }>(
      db,
      sql`select l.seq, l.idempotency_key as k, l.body,
                 (select json_agg(e.key) from enforcement_state e
                   where e.subject_type = l.subject_type and e.subject_id = l.subject_id and e.seq = l.seq) as held
            from ledger l
           where l.idempotency_key = any(${sql.param(pending.map((i) => keys[i]!))}::text[])`,
    );
    const byKey = new Map(rows.map((r) => [r.k, r]));
    const next: number[] = [];
    for (const i of pending) {
      const prior = byKey.get(keys[i]!);
      if (prior === undefined) continue;
      const held = prior.held ?? [];
      const wanted = projectionOps(prior.body, Number(prior.seq)).upserts.map((u) => u.key);
      if (wanted.every((k) => held.includes(k))) continue;
      keys[i] = `${base[i]}:${prior.seq}`;
      next.push(i);
    }
    pending = next;
  }
  return keys;
}

export class CaseEnforcer {
  constructor(
    private readonly db: Db,
    private readonly ledger: Ledger,
    private readonly cases: CaseService,
    private readonly registry: ProtectedRegistry,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async act(caseId: string, req: CaseActionRequest, principal: Principal, actor = actorOf(principal)) {
    authorize(principal, "decide", "case");
    authorize(principal, "create", "enforcement");
    return this.apply(caseId, req, actor, { kind: "review_case", id: caseId });
  }

  /**
   * The common path, also used by a detector acting under an admin-set threshold (`source` then names
   * the detector). Throws before writing anything if a protected account would be included silently.
   */
  async apply(
    caseId: string,
    req: CaseActionRequest,
    actor: string,
    source: ActionBody["source"],
  ): Promise<CaseActionResult> {
    const row = await this.cases.row(this.db, caseId);
    if (row.state === "closed") throw new ConflictError(`case ${caseId} is closed; reopen it to act`);
    const subjects = await this.targets(
      row.subjects as CaseSubject[],
      row.evidence as Record<string, unknown>,
      req.target,
    );
    const exclude = new Set(req.exclude);
    const unknownExclusions = req.exclude.filter((id) => !subjects.some((s) => s.id === id));
    if (unknownExclusions.length > 0)
      throw new InvalidRequestError(
        `exclusions name subjects not in case ${caseId}: ${unknownExclusions.slice(0, 10).join(", ")}`,
        { unknownExclusions },
      );
    const chosen = subjects.filter((s) => !exclude.has(s.id));
    // Protected accounts: the accounts themselves, or the authors of chosen posts.
    const authorOf = new Map<string, string>();
    if (req.target === "posts" && chosen.length > 0)
      for (const r of await query<{ id: string; author_id: string }>(
        this.db,
        sql`select id, author_id from posts where id = any(${sql.param(chosen.map((s) => s.id))}::text[])`,
      ))
        authorOf.set(r.id, r.author_id);
    const accountOf = (s: { type: string; id: string }) => (s.type === "account" ? s.id : authorOf.get(s.id));
    const registered = await this.registry.lookup(chosen.flatMap((s) => accountOf(s) ?? []));
    const justified = new Map(req.includeProtected.map((p) => [p.id, p.justification]));
    const silent = chosen.filter((s) => {
      const a = accountOf(s);
      return a !== undefined && registered.has(a) && !justified.has(s.id) && !justified.has(a);
    });
    if (silent.length > 0)
      throw new InvalidRequestError(
        `${silent.length} subject(s) are in the protected-category registry: exclude each, or include it with a justification; nothing was written`,
        {
          protected: silent.map((s) => ({
            id: s.id,
            account: accountOf(s),
            category: registered.get(accountOf(s)!)!.category,
          })),
        },
        "protected_subjects",
      );
    const protectedIncluded = chosen.flatMap((s) => {
      const a = accountOf(s);
      return a && registered.has(a) ? [{ id: s.id, category: registered.get(a)!.category }] : [];
    });
    if (req.dryRun)
      return {
        case: caseId,
        dryRun: true,
        applied: chosen.map((s) => ({ subject: { type: s.type, id: s.id }, seq: null })),
        excluded: [...exclude],
        protectedIncluded,
      };
    if (chosen.length === 0) throw new InvalidRequestError("every subject is excluded: nothing to do");
    const at = this.now().toISOString();
    const bodies: ActionBody[] = chosen.map((s) => {
      const a = accountOf(s);
      const why =
        a && registered.has(a)
          ? ` (protected ${registered.get(a)!.category}, included: ${justified.get(s.id) ?? justified.get(a)})`
          : "";
      return {
        subject: { type: s.type, id: s.id },
        action: req.action,
        countries: req.action === "withhold" ? [...req.countries!].sort() : null,
        surfaces: null,
        label: req.action === "label" ? req.label! : null,
        basis: req.action === "withhold" ? "local_law" : null,
        expiresAt: null,
        source,
        actor,
        reason: `${req.reason}${why}`,
        rule: req.rule,
        legalBasis: null,
        reverses: null,
        idempotencyKey: `case:${caseId}:${req.action}:${req.label ?? ""}:${(req.countries ?? []).join(",")}:${s.type}:${s.id}`,
        recordedAt: at,
      };
    });
    let appended: LedgerEntry[] = [];
    const applied = await this.db.transaction(async (tx) => {
      const keys = await applicationKeys(
        tx,
        bodies.map((b) => b.idempotencyKey!),
      );
      bodies.forEach((b, i) => {
        b.idempotencyKey = keys[i]!;
      });
      const results = await new Ledger(tx).appendBatch(bodies);
      const conflict = results.find((r) => r.status === "conflict");
      if (conflict?.status === "conflict") throw new ConflictError(conflict.message);
      appended = results.filter((r) => r.status === "appended").map((r) => r.entry);
      const out = results.map((r, i) => ({
        subject: { type: chosen[i]!.type, id: chosen[i]!.id },
        seq: r.entry.seq,
      }));
      const summary = {
        action: req.action,
        target: req.target,
        rule: req.rule,
        label: req.label ?? null,
        countries: req.countries ?? null,
        reason: req.reason,
        applied: out.length,
        excluded: [...exclude],
        protectedIncluded,
        firstSeq: out[0]?.seq ?? null,
        lastSeq: out[out.length - 1]?.seq ?? null,
      };
      await this.cases.record(tx, caseId, actor, "action", summary);
      if (req.close) {
        await tx.execute(
          sql`update cases set state = 'closed', closed_at = ${at}, resolution = 'actioned', open_key = null where id = ${caseId}`,
        );
        await this.cases.record(tx, caseId, actor, "close", { resolution: "actioned", reason: req.reason });
      }
      await enqueue(
        tx,
        [{ topic: "case.action", ref: `case:${caseId}`, payload: { case: caseId, ...summary } }],
        new Date(at),
      );
      return out;
    });
    if (appended.length > 0) this.ledger.events.emit("commit", appended);
    return { case: caseId, dryRun: false, applied, excluded: [...exclude], protectedIncluded };
  }

  private async targets(
    subjects: CaseSubject[],
    evidence: Record<string, unknown>,
    target: "accounts" | "posts",
  ): Promise<{ type: "account" | "post"; id: string }[]> {
    if (target === "accounts") {
      const accounts = subjects
        .filter((s) => s.type === "account")
        .map((s) => ({ type: "account" as const, id: s.id }));
      // A case about posts acts on their authors.
      const posts = subjects.filter((s) => s.type === "post").map((s) => s.id);
      if (posts.length > 0)
        for (const r of await query<{ author_id: string }>(
          this.db,
          sql`select distinct author_id from posts where id = any(${sql.param(posts)}::text[])`,
        ))
          if (!accounts.some((a) => a.id === r.author_id))
            accounts.push({ type: "account", id: r.author_id });
      return accounts;
    }
    const ids = new Set(subjects.filter((s) => s.type === "post").map((s) => s.id));
    const listed = evidence.postIds;
    if (Array.isArray(listed)) for (const id of listed) if (typeof id === "string") ids.add(id);
    return [...ids].map((id) => ({ type: "post" as const, id }));
  }
}
