/**
 * The enforcement ledger, Vigil's system of record: append-only, hash-chained, idempotent by key.
 * Every append updates the projection (`enforcement_state`) in the same transaction, then NOTIFYs
 * `vigil_ledger` so change-feed readers in any process wake up.
 *
 * Appends serialize on the `ledger_head` row lock, so `seq` and the chain stay intact across
 * connections and processes. Concurrent `append()` calls in one process are group-committed:
 * while one transaction is in flight, the next ones queue and go together in the following one.
 */
import { EventEmitter } from "node:events";
import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import { enforcementState, ledger, ledgerHead } from "../db/schema.ts";
import { type Db, query } from "../db/store.ts";
import { type ActionBody, isRestricting, type LedgerEntry, type SubjectRef } from "../domain/model.ts";
import { canonicalHashtag, hashtagSubjectKey, type KnownHashtag } from "../hashtags/subject.ts";
import { canonicalBody, canonicalJson, entryHashOfCanonical, GENESIS_HASH } from "./canonical.ts";
import { liftsNothing, notInForceMessage } from "./in-force.ts";
import {
  applyToState,
  projectionOps,
  restrictionDetail,
  type StateRow,
  type StateRowWithDetail,
  SubjectDelta,
} from "./projection.ts";

export type AppendResult =
  | { status: "appended"; entry: LedgerEntry }
  | { status: "duplicate"; entry: LedgerEntry }
  /** The key was used for another action; `fields` name what differs. Nothing was written. */
  | { status: "conflict"; message: string; entry: LedgerEntry; fields: string[] };

/** Only with `requireInForce`: a reversal that would lift nothing. Nothing was written. */
export interface NotInForce {
  status: "not_in_force";
  message: string;
  /** The subject as it would have been recorded. */
  subject: SubjectRef;
  /** Every restriction in force on it. */
  inForce: StateRow[];
}

/** The result of an append with options: `not_in_force` is possible with `requireInForce`. */
export type CheckedAppendResult = AppendResult | NotInForce;

/** How an append treats replays and reversals. Internal callers use the defaults. */
export interface AppendOptions {
  /**
   * A replay of the idempotency key must repeat the whole action (reason, rule, basis, legal basis,
   * source as well as its effect) to be a duplicate; otherwise it is a conflict. Without it, only the
   * effect is compared (internal callers whose keys name an effect, e.g. `reverse:<seq>`, rely on that).
   */
  strictReplay?: boolean;
  /** A reversal that would lift nothing in force is refused (`not_in_force`) instead of recorded. */
  requireInForce?: boolean;
}

export const LEDGER_CHANNEL = "vigil_ledger";

const MAX_BATCH = 1000;

interface Pending {
  body: ActionBody;
  options: AppendOptions;
  resolve: (r: CheckedAppendResult) => void;
  reject: (e: unknown) => void;
}

type LedgerRow = typeof ledger.$inferSelect;

export function rowToEntry(row: LedgerRow): LedgerEntry {
  const body = row.body as ActionBody;
  return { seq: row.seq, prevHash: row.prevHash, hash: row.hash, ...body };
}

/** Fields that make two appends "the same action" for idempotency: its effect. */
const EFFECT_FIELDS = ["subject", "action", "countries", "surfaces", "label", "expiresAt"] as const;
/** With `strictReplay`: everything the request said, except when and by whom it was sent. */
const REQUEST_FIELDS = [
  ...EFFECT_FIELDS,
  "basis",
  "reason",
  "rule",
  "legalBasis",
  "source",
  "reverses",
] as const satisfies readonly (keyof ActionBody)[];

/** A hashtag subject is compared by its identity (mode and match key), any other subject by its id. */
const subjectIdentity = (s: SubjectRef): string =>
  s.type === "hashtag" ? `hashtag\u0000${hashtagSubjectKey(s.id) ?? `=${s.id}`}` : `${s.type}\u0000${s.id}`;

/** The fields in which `b` differs from the earlier `a` with the same idempotency key. */
export function differingFields(a: ActionBody, b: ActionBody, strict: boolean): string[] {
  return (strict ? REQUEST_FIELDS : EFFECT_FIELDS).filter((f) =>
    f === "subject"
      ? subjectIdentity(a.subject) !== subjectIdentity(b.subject)
      : canonicalJson(a[f] ?? null) !== canonicalJson(b[f] ?? null),
  );
}

export interface LedgerSearch {
  action?: string;
  source?: string;
  q?: string;
  order?: "asc" | "desc";
  offset: number;
  limit: number;
  /** false: skip counting (total is -1), for the pages after the first. */
  count?: boolean;
}

export class Ledger {
  /** Emits `commit` with the entries appended by this process, after their transaction committed. */
  readonly events = new EventEmitter();
  private queue: Pending[] = [];
  private flushing = false;

  constructor(private readonly db: Db) {
    this.events.setMaxListeners(0);
  }

  /** Appends one entry; concurrent calls share transactions (group commit). */
  append(body: ActionBody): Promise<AppendResult>;
  append(body: ActionBody, options: AppendOptions): Promise<CheckedAppendResult>;
  append(body: ActionBody, options: AppendOptions = {}): Promise<CheckedAppendResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ body, options, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const results = await this.appendEach(
            batch.map((p) => p.body),
            batch.map((p) => p.options),
          );
          for (const [i, p] of batch.entries()) p.resolve(results[i]!);
        } catch (e) {
          if (batch.length === 1) batch[0]!.reject(e);
          // One bad entry must not fail the others: retry them one by one.
          else
            for (const p of batch)
              await this.appendEach([p.body], [p.options]).then((r) => p.resolve(r[0]!), p.reject);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  /**
   * Appends all bodies in one transaction, in order. Either all are recorded or none. An action on a
   * hashtag whose identity (mode and match key) is that of a hashtag subject the ledger already holds is
   * recorded on that subject's spelling (see `canonicalHashtag`).
   */
  appendBatch(bodies: ActionBody[]): Promise<AppendResult[]>;
  appendBatch(bodies: ActionBody[], options: AppendOptions): Promise<CheckedAppendResult[]>;
  appendBatch(bodies: ActionBody[], options: AppendOptions = {}): Promise<CheckedAppendResult[]> {
    return this.appendEach(
      bodies,
      bodies.map(() => options),
    );
  }

  private async appendEach(bodies: ActionBody[], options: AppendOptions[]): Promise<CheckedAppendResult[]> {
    if (bodies.length === 0) return [];
    // Everything that does not depend on the chain's head is done before taking the lock.
    const cleanBodies = bodies.map(bodyOf);
    const canonicals = cleanBodies.map(canonicalBody);
    // Optimistically assume the idempotency keys are new (the common case) and let the unique index
    // say otherwise; only then look the keys up and write again. A reversal that may be refused is
    // looked up at once: a replay of it is a duplicate, not a reversal of nothing.
    const lookupNow = cleanBodies.some(
      (b, i) => options[i]!.requireInForce === true && !isRestricting(b.action) && b.idempotencyKey !== null,
    );
    try {
      return await this.writeBatch(cleanBodies, canonicals, options, lookupNow);
    } catch (e) {
      if (!isIdempotencyConflict(e)) throw e;
      return this.writeBatch(cleanBodies, canonicals, options, true);
    }
  }

  /** One transaction. With `lookup`, prior uses of the idempotency keys are fetched under the lock. */
  private async writeBatch(
    givenBodies: ActionBody[],
    givenCanonicals: string[],
    options: AppendOptions[],
    lookup: boolean,
  ): Promise<CheckedAppendResult[]> {
    const { results, appended } = await this.db.transaction(async (tx) => {
      const keys = lookup
        ? [...new Set(givenBodies.map((b) => b.idempotencyKey).filter((k): k is string => k !== null))]
        : [];
      // One round trip: lock the head (serializing appends across connections) and fetch prior uses of the keys.
      type Prior = { seq: number; prevHash: string; hash: string; body: ActionBody };
      const [headRow] = await query<{ seq: string | number; hash: string; existing: Prior[] | null }>(
        tx,
        sql`select h.seq, h.hash,
              (select json_agg(json_build_object('seq', l.seq, 'prevHash', l.prev_hash, 'hash', l.hash, 'body', l.body))
                 from ledger l where ${keys.length > 0} and l.idempotency_key = any(${sql.param(keys)}::text[])) as existing
            from ${ledgerHead} h where h.id = 1 for update`,
      );
      if (!headRow) throw new Error("ledger_head row is missing: the migrations did not run");
      const { bodies, canonicals } = await canonicalHashtags(tx, givenBodies, givenCanonicals);
      const inForce = await stateBefore(tx, bodies, options);
      let seq = Number(headRow.seq);
      let prevHash = headRow.hash;
      const existing = new Map<string, LedgerEntry>();
      for (const r of headRow.existing ?? [])
        existing.set(r.body.idempotencyKey!, {
          seq: Number(r.seq),
          prevHash: r.prevHash,
          hash: r.hash,
          ...r.body,
        });

      const results: CheckedAppendResult[] = [];
      const appended: LedgerEntry[] = [];
      const canonicalOf = new Map<LedgerEntry, string>();
      const deltas = new Map<string, { subject: SubjectRef; delta: SubjectDelta }>();
      for (let i = 0; i < bodies.length; i++) {
        const body = bodies[i]!;
        const prior = body.idempotencyKey === null ? undefined : existing.get(body.idempotencyKey);
        if (prior) {
          const fields = differingFields(prior, body, options[i]!.strictReplay === true);
          results.push(
            fields.length === 0
              ? { status: "duplicate", entry: prior }
              : {
                  status: "conflict",
                  message: `idempotency key '${body.idempotencyKey}' was already used for a different action (seq ${prior.seq}): ${fields.join(", ")} ${fields.length === 1 ? "differs" : "differ"}; nothing was written`,
                  entry: prior,
                  fields,
                },
          );
          continue;
        }
        const sk = `${body.subject.type}\u0000${body.subject.id}`;
        const state = inForce.get(sk);
        if (state && options[i]!.requireInForce && liftsNothing(body, state.values())) {
          const rows = [...state.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
          results.push({
            status: "not_in_force",
            message: notInForceMessage(body, rows),
            subject: body.subject,
            inForce: rows,
          });
          continue;
        }
        seq += 1;
        const canonical = canonicals[i]!;
        const hash = entryHashOfCanonical(seq, prevHash, canonical);
        const entry: LedgerEntry = { seq, prevHash, hash, ...body };
        canonicalOf.set(entry, canonical);
        prevHash = hash;
        appended.push(entry);
        results.push({ status: "appended", entry });
        if (body.idempotencyKey !== null) existing.set(body.idempotencyKey, entry);
        let d = deltas.get(sk);
        if (!d) {
          d = { subject: body.subject, delta: new SubjectDelta() };
          deltas.set(sk, d);
        }
        const ops = projectionOps(body, seq);
        d.delta.apply(ops);
        if (state) applyToState(state, ops);
      }
      if (appended.length === 0) return { results, appended };

      const deletes: object[] = [];
      const upserts: object[] = [];
      for (const { subject, delta } of deltas.values()) {
        for (const op of delta.deletes)
          deletes.push({ t: subject.type, i: subject.id, k: op.key, exact: op.exact, only_seq: op.onlySeq });
        for (const row of delta.upserts.values())
          upserts.push({
            t: subject.type,
            i: subject.id,
            k: row.key,
            seq: row.seq,
            expires_at: row.expiresAt,
          });
      }
      // The body goes over as its canonical text, spliced in rather than serialized a second time.
      const entriesJson = `[${appended
        .map(
          (e) =>
            `{"seq":${e.seq},"prev_hash":"${e.prevHash}","hash":"${e.hash}","body":${canonicalOf.get(e)},"subject_type":${JSON.stringify(
              e.subject.type,
            )},"subject_id":${JSON.stringify(e.subject.id)},"idempotency_key":${JSON.stringify(e.idempotencyKey)},"recorded_at":${JSON.stringify(e.recordedAt)}}`,
        )
        .join(",")}]`;
      // One statement writes the entries, the projection and the head. Deletes skip the rows that the
      // upserts write (an upsert after a delete wins), so no row is touched twice.
      await tx.execute(sql`
        with ins as (
          insert into ledger (seq, prev_hash, hash, body, subject_type, subject_id, idempotency_key, recorded_at)
          select r.seq, r.prev_hash, r.hash, r.body, r.subject_type, r.subject_id, r.idempotency_key, r.recorded_at
          from json_to_recordset(${entriesJson}::json) as r(seq bigint, prev_hash text, hash text,
               body jsonb, subject_type text, subject_id text, idempotency_key text, recorded_at timestamptz)),
        ups_in as (
          select * from json_to_recordset(${JSON.stringify(upserts)}::json)
            as u(t text, i text, k text, seq bigint, expires_at timestamptz)),
        del as (
          delete from enforcement_state s
          using json_to_recordset(${JSON.stringify(deletes)}::json) as d(t text, i text, k text, exact boolean, only_seq bigint)
          where s.subject_type = d.t and s.subject_id = d.i
            and (case when d.exact then s.key = d.k else left(s.key, length(d.k)) = d.k end)
            and (d.only_seq is null or s.seq = d.only_seq)
            and not exists (select 1 from ups_in u where u.t = s.subject_type and u.i = s.subject_id and u.k = s.key)),
        ups as (
          insert into enforcement_state (subject_type, subject_id, key, seq, expires_at)
          select u.t, u.i, u.k, u.seq, u.expires_at from ups_in u
          on conflict (subject_type, subject_id, key)
          do update set seq = excluded.seq, expires_at = excluded.expires_at),
        hd as (update ledger_head set seq = ${seq}, hash = ${prevHash} where id = 1)
        select pg_notify(${LEDGER_CHANNEL}, ${String(seq)})`);
      return { results, appended };
    });
    if (appended.length > 0) this.events.emit("commit", appended);
    return results;
  }

  /** The sequence number of the last committed entry (0 when empty). */
  async headSeq(): Promise<number> {
    const [row] = await this.db.select({ seq: ledgerHead.seq }).from(ledgerHead).where(eq(ledgerHead.id, 1));
    return row?.seq ?? 0;
  }

  /** The last committed entry's seq and hash (seq 0 and the genesis hash when empty). */
  async head(): Promise<{ seq: number; hash: string }> {
    const [row] = await this.db
      .select({ seq: ledgerHead.seq, hash: ledgerHead.hash })
      .from(ledgerHead)
      .where(eq(ledgerHead.id, 1));
    return row ?? { seq: 0, hash: "0".repeat(64) };
  }

  /** Entries with seq > after, in order (at most `limit`). Seqs are contiguous, so this is a bounded range. */
  async entriesAfter(after: number, limit: number): Promise<LedgerEntry[]> {
    const rows = await this.db
      .select()
      .from(ledger)
      .where(and(gt(ledger.seq, after), lte(ledger.seq, after + limit)))
      .orderBy(asc(ledger.seq));
    return rows.map(rowToEntry);
  }

  /**
   * One page of the ledger for people reading it (the audit log): filtered by action, source kind and
   * search terms, newest first unless `order` is asc, with the number of entries that match. Every term
   * must occur (case-insensitively) in the entry's seq, subject, reason, actor, source id, rule, legal
   * basis or countries.
   */
  async search(filter: LedgerSearch): Promise<{ entries: LedgerEntry[]; total: number }> {
    const conds = [sql`true`];
    if (filter.action) conds.push(sql`body->>'action' = ${filter.action}`);
    if (filter.source) conds.push(sql`body->'source'->>'kind' = ${filter.source}`);
    const haystack = sql`concat_ws(' ', seq::text, subject_type, subject_id, body->>'reason', body->>'actor',
      body->'source'->>'id', body->>'rule', body->>'legalBasis', body->>'countries')`;
    for (const term of (filter.q ?? "").split(/\s+/).filter((t) => t.length > 0))
      conds.push(sql`${haystack} ilike ${`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
    const where = sql.join(conds, sql` and `);
    const order = filter.order === "asc" ? sql`seq asc` : sql`seq desc`;
    // One scan: the window count is taken over every matching row before the page is cut.
    const counting = filter.count !== false;
    const rows = await query<{
      seq: number | string;
      prev_hash: string;
      hash: string;
      body: ActionBody;
      n: number;
    }>(
      this.db,
      sql`select seq, prev_hash, hash, body${counting ? sql`, (count(*) over ())::int as n` : sql``}
          from ledger where ${where} order by ${order} limit ${filter.limit} offset ${filter.offset}`,
    );
    let n = -1;
    if (counting)
      n =
        rows.length > 0
          ? rows[0]!.n
          : ((
              await query<{ n: number }>(this.db, sql`select count(*)::int as n from ledger where ${where}`)
            )[0]?.n ?? 0);
    return {
      entries: rows.map((r) => ({ seq: Number(r.seq), prevHash: r.prev_hash, hash: r.hash, ...r.body })),
      total: n,
    };
  }

  async entry(seq: number): Promise<LedgerEntry | null> {
    const [row] = await this.db.select().from(ledger).where(eq(ledger.seq, seq));
    return row ? rowToEntry(row) : null;
  }

  /** Every entry about one subject, oldest first. */
  async history(subject: SubjectRef): Promise<LedgerEntry[]> {
    const rows = await this.db
      .select()
      .from(ledger)
      .where(and(eq(ledger.subjectType, subject.type), eq(ledger.subjectId, subject.id)))
      .orderBy(asc(ledger.seq));
    return rows.map(rowToEntry);
  }

  /** What is in force for one subject now (the projection), with what each restriction's entry said. */
  async state(subject: SubjectRef): Promise<StateRowWithDetail[]> {
    const rows = await this.db
      .select({
        key: enforcementState.key,
        seq: enforcementState.seq,
        expiresAt: enforcementState.expiresAt,
        body: ledger.body,
      })
      .from(enforcementState)
      .innerJoin(ledger, eq(ledger.seq, enforcementState.seq))
      .where(and(eq(enforcementState.subjectType, subject.type), eq(enforcementState.subjectId, subject.id)))
      .orderBy(asc(enforcementState.key));
    return rows.map((r) => ({
      key: r.key,
      seq: r.seq,
      expiresAt: r.expiresAt === null ? null : new Date(r.expiresAt).toISOString(),
      detail: restrictionDetail(r.body as ActionBody),
    }));
  }
}

/** Every hashtag subject id the ledger holds, with its first seq and whether something is in force on it. */
export async function knownHashtags(db: Db): Promise<KnownHashtag[]> {
  const rows = await query<{ id: string; first: string | number; in_force: boolean }>(
    db,
    sql`select l.subject_id as id, min(l.seq) as first,
          exists (select 1 from enforcement_state s
                   where s.subject_type = 'hashtag' and s.subject_id = l.subject_id) as in_force
        from ledger l where l.subject_type = 'hashtag' group by l.subject_id`,
  );
  return rows.map((r) => ({ id: r.id, first: Number(r.first), inForce: r.in_force }));
}

/**
 * Records each action on a hashtag under the spelling of the existing subject with the same identity
 * (in the order of the batch, so two new spellings in one batch become one subject too). Only the
 * bodies about to be written change; entries already in the ledger are never rewritten.
 */
async function canonicalHashtags(
  tx: Db,
  bodies: ActionBody[],
  canonicals: string[],
): Promise<{ bodies: ActionBody[]; canonicals: string[] }> {
  if (!bodies.some((b) => b.subject.type === "hashtag" && b.reverses === null)) return { bodies, canonicals };
  const known = await knownHashtags(tx);
  const outBodies = [...bodies];
  const outCanonicals = [...canonicals];
  for (const [i, b] of bodies.entries()) {
    // A recorded reversal of one entry (expiry, appeal, restoration) stays on that entry's subject.
    if (b.subject.type !== "hashtag" || b.reverses !== null) continue;
    const id = canonicalHashtag(b.subject.id, known);
    if (!known.some((k) => k.id === id)) known.push({ id, first: Number.MAX_SAFE_INTEGER, inForce: false });
    if (id === b.subject.id) continue;
    const body = { ...b, subject: { type: "hashtag" as const, id } };
    outBodies[i] = body;
    outCanonicals[i] = canonicalBody(body);
  }
  return { bodies: outBodies, canonicals: outCanonicals };
}

/**
 * The restrictions in force (under the head lock) on each subject that has a reversal to check, keyed
 * by `type\0id`; the batch's own entries are applied to these maps as they are written.
 */
async function stateBefore(
  tx: Db,
  bodies: ActionBody[],
  options: AppendOptions[],
): Promise<Map<string, Map<string, StateRow>>> {
  const out = new Map<string, Map<string, StateRow>>();
  const subjects: { t: string; i: string }[] = [];
  for (const [n, b] of bodies.entries()) {
    if (!options[n]!.requireInForce || isRestricting(b.action)) continue;
    const sk = `${b.subject.type}\u0000${b.subject.id}`;
    if (out.has(sk)) continue;
    out.set(sk, new Map());
    subjects.push({ t: b.subject.type, i: b.subject.id });
  }
  if (subjects.length === 0) return out;
  const rows = await query<{
    t: string;
    i: string;
    key: string;
    seq: string | number;
    expires_at: string | null;
  }>(
    tx,
    sql`select s.subject_type as t, s.subject_id as i, s.key, s.seq, s.expires_at
        from enforcement_state s
        join json_to_recordset(${JSON.stringify(subjects)}::json) as x(t text, i text)
          on s.subject_type = x.t and s.subject_id = x.i`,
  );
  for (const r of rows)
    out.get(`${r.t}\u0000${r.i}`)?.set(r.key, {
      key: r.key,
      seq: Number(r.seq),
      expiresAt: r.expires_at === null ? null : new Date(r.expires_at).toISOString(),
    });
  return out;
}

/** A unique violation on the idempotency key index, however the driver wraps it. */
function isIdempotencyConflict(e: unknown): boolean {
  for (
    let err = e as { code?: string; constraint?: string; message?: string; cause?: unknown } | undefined;
    err;
    err = err.cause as typeof err
  ) {
    if (
      err.code === "23505" &&
      (err.constraint === "ledger_idempotency_key_idx" ||
        /ledger_idempotency_key_idx/.test(err.message ?? ""))
    )
      return true;
  }
  return false;
}

/** The part of an entry that is stored as `body` and hashed. */
export function bodyOf(e: LedgerEntry | ActionBody): ActionBody {
  return {
    subject: e.subject,
    action: e.action,
    countries: e.countries,
    surfaces: e.surfaces,
    label: e.label,
    basis: e.basis,
    expiresAt: e.expiresAt,
    source: e.source,
    actor: e.actor,
    reason: e.reason,
    rule: e.rule,
    legalBasis: e.legalBasis,
    reverses: e.reverses,
    idempotencyKey: e.idempotencyKey,
    recordedAt: e.recordedAt,
  };
}

export { GENESIS_HASH };
