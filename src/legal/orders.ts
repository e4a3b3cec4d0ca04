/**
 * Legal demands (contract §2): intake, target resolution, a first recommendation per item, and reads.
 * An order is validated whole against its jurisdiction's profile first; a bad order writes nothing.
 * Re-submitting the same authority and reference returns the order already received.
 */
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, lte, sql } from "drizzle-orm";
import type { Principal } from "../auth/policy.ts";
import { authorize } from "../auth/policy.ts";
import { auditReads, orderItems, orders } from "../db/schema.ts";
import { type Db, query } from "../db/store.ts";
import { ConflictError, InvalidRequestError, NotFoundError } from "../errors.ts";
import { canonicalJson } from "../ledger/canonical.ts";
import { enqueue } from "../outbox/outbox.ts";
import type { ResolverService } from "../visibility/service.ts";
import { recordOrderRead } from "./audit-reads.ts";
import { type LatestDecision, type OrderDecider, type Outcome, orderStatus } from "./decisions.ts";
import { type OrderRequest as OrderInput, parseTarget, validateOrder } from "./order-input.ts";
import { matchLegalBases } from "./profiles.ts";
import type { ProtectedEntry, ProtectedRegistry } from "./protected.ts";

export interface Recommendation {
  outcome: "withhold" | "temporary_withhold" | "global_action" | "no_action";
  countries?: string[];
  reasons: string[];
  relisted: boolean;
  /** Set when the subject (or the post's author) is in the protected-category registry. */
  protectedCategory?: string;
  /** The platform rule a global action would cite. */
  rule?: string;
  /** The detectors' bot likelihood of the account (or the post's author), 0..1. */
  botLikelihood?: number;
  /** The signals that moved it most. */
  botSignals?: string[];
  /** The open campaign case the account belongs to. */
  campaignCase?: string;
}

/** What the detectors know of an account, for triage. */
export interface Triage {
  botLikelihood: number;
  signals: { signal: string; effect: number }[];
  campaignCase: string | null;
  coordination: number;
}

/** Bot likelihood from which an order item is recommended for platform-manipulation action. */
export const BOT_LIKELY = 0.8;

export interface OrderItemView {
  id: string;
  position: number;
  target: string;
  reason: string | null;
  resolution: "resolved" | "unresolvable" | "deleted";
  subject: { type: "account" | "post" | "hashtag"; id: string } | null;
  resolutionNote: string | null;
  recommendation: Recommendation;
  /** The latest decision, if any (with the decision it revised, when it did). */
  decision?: LatestDecision | null;
}

export interface OrderView {
  id: string;
  reference: string;
  authority: OrderInput["authority"];
  legalBasis: string;
  receivedAt: string;
  deadline: string;
  reviewDeadline: string | null;
  emergency: boolean;
  confidential: boolean;
  status: ReturnType<typeof orderStatus>;
  /** Items in the whole order (a page of `items` may hold fewer). */
  itemCount: number;
  items: OrderItemView[];
}

const HOUR = 3_600_000;
/** Reads of a confidential order by one key within this long of a recorded read count as that read. */
const READ_DEDUP_MS = 60_000;

/** A slice of an order's items, by position order. */
export interface ItemPage {
  offset: number;
  limit?: number;
}

interface Resolved {
  resolution: OrderItemView["resolution"];
  subject: OrderItemView["subject"];
  note: string | null;
  /** For posts: the author, whose protected category counts too. */
  author?: string;
}
const iso = (t: string | Date) => new Date(t).toISOString();

export class OrderService {
  constructor(
    private readonly db: Db,
    private readonly visibility: ResolverService,
    private readonly decisions: OrderDecider,
    private readonly protectedRegistry: ProtectedRegistry,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private triage: ((accountId: string) => Triage | null) | null = null;

  /** Lets recommendations use the detectors (bot likelihood, campaign membership). */
  setTriage(fn: (accountId: string) => Triage | null): void {
    this.triage = fn;
  }

  /** Validates, resolves and stores an order; returns it with its items and recommendations. */
  async submit(input: unknown, principal: Principal): Promise<{ order: OrderView; duplicate: boolean }> {
    const v = validateOrder(input, { now: this.now() });
    if (!v.ok)
      throw new InvalidRequestError(
        `the order was rejected and nothing was stored: ${v.problems.length} problem(s); first: ${v.problems[0]!.path}: ${v.problems[0]!.message}`,
        { problems: v.problems },
        "invalid_order",
      );
    const { order, profile } = v;
    authorize(principal, "create", "order", order.authority.name);

    const [prior] = await this.db
      .select()
      .from(orders)
      .where(and(eq(orders.authorityName, order.authority.name), eq(orders.reference, order.reference)));
    if (prior) {
      if (canonicalJson(prior.body) !== canonicalJson(order))
        throw new ConflictError(
          `reference '${order.reference}' from ${order.authority.name} was already received as order ${prior.id} with different contents`,
          { orderId: prior.id },
        );
      return { order: await this.view(prior.id), duplicate: true };
    }

    const resolved = await this.resolveTargets(order.items.map((i) => i.target));
    const relisted = await this.priorOrdersBySubject(
      resolved.filter((r) => r.subject).map((r) => r.subject!),
    );
    const registry = await this.protectedRegistry.lookup(
      resolved.flatMap((r) => (r.subject?.type === "account" ? [r.subject.id] : r.author ? [r.author] : [])),
    );
    const received = Date.parse(order.receivedAt);
    const deadline = order.deadline ?? new Date(received + profile.defaultDeadlineHours * HOUR).toISOString();
    const reviewDeadline = order.emergency
      ? new Date(received + profile.emergencyReviewHours * HOUR).toISOString()
      : null;
    const id = randomUUID();
    const rows = order.items.map((item, position) => {
      const r = resolved[position]!;
      return {
        id: `${id}:${position + 1}`,
        orderId: id,
        position: position + 1,
        target: item.target,
        reason: item.reason ?? null,
        resolution: r.resolution,
        subjectType: r.subject?.type ?? null,
        subjectId: r.subject?.id ?? null,
        resolutionNote: r.note,
        recommendation: this.recommend(
          order,
          r,
          registry.get(r.subject?.type === "account" ? r.subject.id : (r.author ?? "")),
          r.subject ? relisted.get(`${r.subject.type}:${r.subject.id}`) : undefined,
        ),
      };
    });
    const orderRow: typeof orders.$inferSelect = {
      id,
      authorityName: order.authority.name,
      authorityCountry: order.authority.country,
      authorityType: order.authority.type,
      reference: order.reference,
      body: order,
      receivedAt: iso(order.receivedAt),
      deadline: iso(deadline),
      reviewDeadline,
      emergency: order.emergency,
      confidential: order.confidential,
      legalBasisId: matchLegalBases(profile, order.legalBasis)[0]?.id ?? null,
      createdAt: this.now().toISOString(),
      createdBy: principal.keyId,
      confirmedAt: null,
      confirmation: null,
    };
    await this.db.transaction(async (tx) => {
      await tx.insert(orders).values(orderRow);
      // One statement for all items (a JSON array parsed in the database), not 10,000 bound parameters.
      await tx.execute(sql`
        insert into order_items (id, order_id, position, target, reason, resolution, subject_type, subject_id, resolution_note, recommendation)
        select r.id, r.order_id, r.position, r.target, r.reason, r.resolution, r.subject_type, r.subject_id, r.resolution_note, r.recommendation
        from json_to_recordset(${JSON.stringify(
          rows.map((r) => ({
            id: r.id,
            order_id: r.orderId,
            position: r.position,
            target: r.target,
            reason: r.reason,
            resolution: r.resolution,
            subject_type: r.subjectType,
            subject_id: r.subjectId,
            resolution_note: r.resolutionNote,
            recommendation: r.recommendation,
          })),
        )}::json) as r(id text, order_id text, position int, target text, reason text, resolution text, subject_type text,
                       subject_id text, resolution_note text, recommendation jsonb)`);
      await enqueue(
        tx,
        [
          {
            topic: "order.received",
            ref: `order:${id}`,
            payload: {
              orderId: id,
              reference: order.reference,
              authority: {
                name: order.authority.name,
                country: order.authority.country,
                type: order.authority.type,
              },
              items: rows.length,
              deadline: iso(deadline),
              reviewDeadline,
              emergency: order.emergency,
              confidential: order.confidential,
            },
          },
        ],
        this.now(),
      );
    });
    // The view is built from what was just written (no read-back of 10,000 rows).
    const header = this.header(orderRow);
    return {
      order: {
        ...header,
        itemCount: rows.length,
        items: rows.map((i) => ({
          id: i.id,
          position: i.position,
          target: i.target,
          reason: i.reason,
          resolution: i.resolution,
          subject: i.subjectType ? { type: i.subjectType, id: i.subjectId! } : null,
          resolutionNote: i.resolutionNote,
          recommendation: i.recommendation,
          decision: null,
        })),
      },
      duplicate: false,
    };
  }

  /**
   * One order with its items. Requesters see only their own authority's orders, without the internal
   * notes (recommendations, decision reasons). A confidential order's contents are shown only to legal
   * and admin keys, and every such read is recorded in the audit log; other roles see its header.
   */
  async get(id: string, principal: Principal, page?: ItemPage): Promise<OrderView & { redacted?: boolean }> {
    const row = await this.open(id, principal);
    const all = await this.view(id, row);
    const full = page
      ? { ...all, items: all.items.slice(page.offset, page.offset + (page.limit ?? all.items.length)) }
      : all;
    if (principal.role === "legal" || principal.role === "admin") return full;
    if (principal.role === "requester")
      return {
        ...full,
        items: full.items.map(({ recommendation: _r, decision, ...item }) => ({
          ...item,
          decision: decision ? { outcome: decision.outcome, decidedAt: decision.decidedAt } : null,
        })) as OrderItemView[],
        redacted: true,
      };
    return row.confidential ? { ...full, items: [], redacted: true } : full;
  }

  /**
   * `get`, serialized: the same document as `JSON.stringify(await get(...))` (key order aside). For the
   * roles that see every item, PostgreSQL builds the items' JSON in one query, which for a 10,000-item
   * order is several times faster than reading the rows into objects and serializing them again.
   */
  async getJson(id: string, principal: Principal, page?: ItemPage): Promise<string> {
    if (principal.role !== "legal" && principal.role !== "admin")
      return JSON.stringify(await this.get(id, principal, page));
    const row = await this.open(id, principal);
    const [r] = await query<{ items: string; n: number; outcomes: string }>(
      this.db,
      sql`with latest as (
            select distinct on (item_id) item_id, outcome, reason, decided_at, ledger_seq, params->'revises' as revises
            from order_decisions where order_id = ${id} order by item_id, decided_at desc)
          select
            (select coalesce(json_agg(x order by x.position)::text, '[]') from (
              select i.id, i.position, i.target, i.reason, i.resolution,
                case when i.subject_type is null then null
                     else json_build_object('type', i.subject_type, 'id', i.subject_id) end as subject,
                i.resolution_note as "resolutionNote", i.recommendation,
                case when d.item_id is null then null
                     when d.revises is null then json_build_object('outcome', d.outcome, 'reason', d.reason,
                       'decidedAt', to_char(d.decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'seq', d.ledger_seq)
                     else json_build_object('outcome', d.outcome, 'reason', d.reason,
                       'decidedAt', to_char(d.decided_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
                       'seq', d.ledger_seq, 'revises', d.revises) end as decision
              from order_items i left join latest d on d.item_id = i.id
              where i.order_id = ${id}
              order by i.position
              offset ${page?.offset ?? 0} ${page?.limit === undefined ? sql`` : sql`limit ${page.limit}`}) x) as items,
            (select count(*)::int from order_items where order_id = ${id}) as n,
            (select coalesce(json_agg(outcome), '[]')::text from latest) as outcomes`,
    );
    const head = {
      ...this.header(row),
      status: orderStatus(r!.n, JSON.parse(r!.outcomes) as Outcome[]),
      itemCount: r!.n,
    };
    return `${JSON.stringify(head).slice(0, -1)},"items":${r!.items}}`;
  }

  /** The order's row, once the principal may read it; reads of confidential orders by legal or admin are recorded. */
  private async open(id: string, principal: Principal): Promise<typeof orders.$inferSelect> {
    const [row] = await this.db.select().from(orders).where(eq(orders.id, id));
    if (!row) throw new NotFoundError(`no order '${id}'`);
    authorize(principal, "read", "order", row.authorityName);
    // One read is one record: the pages of one reading (the console fetches a long order in pages)
    // within a minute of a recorded read by the same key are not recorded again.
    if ((principal.role === "legal" || principal.role === "admin") && row.confidential)
      await recordOrderRead(this.db, principal, id, this.now(), READ_DEDUP_MS);
    return row;
  }

  /** Reads of confidential orders: who and when (newest first). */
  async confidentialReads(
    orderId?: string,
  ): Promise<{ keyId: string; role: string; orderId: string; at: string }[]> {
    const rows = await this.db
      .select()
      .from(auditReads)
      .where(
        orderId
          ? and(eq(auditReads.resource, "order"), eq(auditReads.resourceId, orderId))
          : eq(auditReads.resource, "order"),
      )
      .orderBy(desc(auditReads.at));
    return rows.map((r) => ({
      keyId: r.keyId,
      role: r.role,
      orderId: r.resourceId,
      at: new Date(r.at).toISOString(),
    }));
  }

  /** Orders, soonest deadline first; `dueWithinMs` keeps those due before now + that. */
  async list(principal: Principal, opts: { dueWithinMs?: number } = {}): Promise<Omit<OrderView, "items">[]> {
    authorize(principal, "read", "order");
    const where = [];
    if (opts.dueWithinMs !== undefined)
      where.push(lte(orders.deadline, new Date(this.now().getTime() + opts.dueWithinMs).toISOString()));
    if (principal.role === "requester") where.push(eq(orders.authorityName, principal.authority ?? ""));
    const rows = await this.db
      .select()
      .from(orders)
      .where(where.length > 0 ? and(...where) : undefined)
      .orderBy(asc(orders.deadline));
    const out = [];
    for (const r of rows) {
      const latest = await this.decisions.latest(r.id);
      const [{ n } = { n: 0 }] = await query<{ n: number }>(
        this.db,
        sql`select count(*)::int as n from order_items where order_id = ${r.id}`,
      );
      out.push({
        ...this.header(r),
        status: orderStatus(
          n,
          [...latest.values()].map((d) => d.outcome),
        ),
        itemCount: n,
      });
    }
    return out;
  }

  private header(r: typeof orders.$inferSelect): Omit<OrderView, "items" | "itemCount"> {
    const body = r.body as OrderInput;
    return {
      id: r.id,
      reference: r.reference,
      authority: body.authority,
      legalBasis: body.legalBasis,
      receivedAt: iso(r.receivedAt),
      deadline: iso(r.deadline),
      reviewDeadline: r.reviewDeadline ? iso(r.reviewDeadline) : null,
      emergency: r.emergency,
      confidential: r.confidential,
      status: "received" as ReturnType<typeof orderStatus>,
    };
  }

  /** The full view with no authorization or audit, for Vigil's own exports (Lumen) and reports. */
  async internalView(id: string): Promise<OrderView> {
    return this.view(id);
  }

  /** The full view; `known` is the order's row when the caller has just read it. */
  private async view(id: string, known?: typeof orders.$inferSelect): Promise<OrderView> {
    const [row] = known ? [known] : await this.db.select().from(orders).where(eq(orders.id, id));
    if (!row) throw new NotFoundError(`no order '${id}'`);
    const items = await this.db
      .select()
      .from(orderItems)
      .where(eq(orderItems.orderId, id))
      .orderBy(asc(orderItems.position));
    const latest = await this.decisions.latest(id);
    return {
      ...this.header(row),
      status: orderStatus(
        items.length,
        [...latest.values()].map((d) => d.outcome),
      ),
      itemCount: items.length,
      items: items.map((i) => ({
        id: i.id,
        position: i.position,
        target: i.target,
        reason: i.reason,
        resolution: i.resolution as OrderItemView["resolution"],
        subject: i.subjectType
          ? { type: i.subjectType as "account" | "post" | "hashtag", id: i.subjectId! }
          : null,
        resolutionNote: i.resolutionNote,
        recommendation: i.recommendation as Recommendation,
        decision: latest.get(i.id) ?? null,
      })),
    };
  }

  /** Resolves every target with one query per kind. */
  private async resolveTargets(targets: string[]): Promise<Resolved[]> {
    const parsed = targets.map((t) => parseTarget(t));
    const handles = new Set<string>();
    const accountIds = new Set<string>();
    const postIds = new Set<string>();
    for (const p of parsed) {
      if ("error" in p) continue;
      if (p.handle && (p.kind === "handle" || p.kind === "account_url")) handles.add(p.handle.toLowerCase());
      if (p.kind === "account" && p.id) accountIds.add(p.id);
      if ((p.kind === "post" || p.kind === "post_url") && p.id) postIds.add(p.id);
    }
    const byHandle = new Map<string, string>();
    if (handles.size > 0)
      for (const r of await query<{ id: string; h: string }>(
        this.db,
        sql`select id, lower(handle) as h from accounts where lower(handle) = any(${sql.param([...handles])}::text[])`,
      ))
        byHandle.set(r.h, r.id);
    const knownAccounts = new Set<string>();
    if (accountIds.size > 0)
      for (const r of await query<{ id: string }>(
        this.db,
        sql`select id from accounts where id = any(${sql.param([...accountIds])}::text[])`,
      ))
        knownAccounts.add(r.id);
    const posts = new Map<string, { deleted: string | null; author: string }>();
    if (postIds.size > 0)
      for (const r of await query<{ id: string; author_id: string; deleted_at: string | null }>(
        this.db,
        sql`select id, author_id, deleted_at from posts where id = any(${sql.param([...postIds])}::text[])`,
      ))
        posts.set(r.id, { deleted: r.deleted_at, author: r.author_id });
    return parsed.map((p) => {
      if ("error" in p) return { resolution: "unresolvable", subject: null, note: p.error };
      switch (p.kind) {
        case "handle":
        case "account_url": {
          const id = byHandle.get(p.handle!.toLowerCase());
          return id
            ? { resolution: "resolved", subject: { type: "account", id }, note: null }
            : { resolution: "unresolvable", subject: null, note: `no account with the handle @${p.handle}` };
        }
        case "account":
          return knownAccounts.has(p.id!)
            ? { resolution: "resolved", subject: { type: "account", id: p.id! }, note: null }
            : { resolution: "unresolvable", subject: null, note: `no account with the id ${p.id}` };
        case "post":
        case "post_url": {
          const post = posts.get(p.id!);
          if (!post)
            return { resolution: "unresolvable", subject: null, note: `no post with the id ${p.id}` };
          if (post.deleted)
            return {
              resolution: "deleted",
              subject: { type: "post", id: p.id! },
              note: `the post was deleted at ${iso(post.deleted)}`,
              author: post.author,
            };
          return {
            resolution: "resolved",
            subject: { type: "post", id: p.id! },
            note: null,
            author: post.author,
          };
        }
        case "hashtag":
          return { resolution: "resolved", subject: { type: "hashtag", id: p.tag! }, note: null };
        default:
          return { resolution: "unresolvable", subject: null, note: `unsupported target kind ${p.kind}` };
      }
    });
  }

  /** Earlier orders naming the same subjects: subject key → references. */
  private async priorOrdersBySubject(
    subjects: { type: string; id: string }[],
  ): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (subjects.length === 0) return out;
    const keys = [...new Set(subjects.map((s) => `${s.type}:${s.id}`))];
    const rows = await query<{ k: string; reference: string }>(
      this.db,
      sql`select i.subject_type || ':' || i.subject_id as k, o.reference
          from order_items i join orders o on o.id = i.order_id
          where i.subject_type || ':' || i.subject_id = any(${sql.param(keys)}::text[])`,
    );
    for (const r of rows) out.set(r.k, [...(out.get(r.k) ?? []), r.reference]);
    return out;
  }

  /**
   * A first recommendation from what Vigil knows now: unresolvable targets need no action, subjects
   * already suspended under the platform's rules get global action, re-listed subjects are flagged,
   * and otherwise the least restriction the law requires: withhold in the requesting country only.
   */
  private recommend(
    order: OrderInput,
    r: Resolved,
    registered: ProtectedEntry | undefined,
    earlier: string[] | undefined,
  ): Recommendation {
    const relisted = earlier !== undefined && earlier.length > 0;
    const reasons = relisted ? [`re-listed: also named in ${[...new Set(earlier)].join(", ")}`] : [];
    if (r.resolution !== "resolved" || !r.subject)
      return { outcome: "no_action", reasons: [...reasons, `nothing to act on: ${r.note}`], relisted };
    if (registered)
      return {
        outcome: "no_action",
        reasons: [
          ...reasons,
          `protected speech: ${r.subject.type === "account" ? "the account" : "the post's author"} is registered as ${registered.category.replace("_", " ")} (verified by ${registered.verifiedBy} on ${registered.verifiedAt.slice(0, 10)}); acting needs a written justification`,
        ],
        relisted,
        protectedCategory: registered.category,
      };
    const owner = r.subject.type === "account" ? r.subject.id : r.author;
    const t = owner ? this.triage?.(owner) : null;
    const triage: Pick<Recommendation, "botLikelihood" | "botSignals" | "campaignCase"> = t
      ? {
          botLikelihood: Math.round(t.botLikelihood * 1000) / 1000,
          botSignals: [...t.signals]
            .sort((a, b) => Math.abs(b.effect) - Math.abs(a.effect))
            .slice(0, 4)
            .map((s) => `${s.signal} ${s.effect > 0 ? "+" : ""}${s.effect.toFixed(2)}`),
          ...(t.campaignCase ? { campaignCase: t.campaignCase } : {}),
        }
      : {};
    if (t && r.subject.type === "account" && (t.campaignCase || t.botLikelihood >= BOT_LIKELY))
      return {
        outcome: "global_action",
        rule: "platform_manipulation",
        reasons: [
          ...reasons,
          t.campaignCase
            ? `platform manipulation: a member of coordinated campaign case ${t.campaignCase}`
            : `platform manipulation: bot likelihood ${t.botLikelihood.toFixed(2)} (${triage.botSignals?.join(", ")})`,
        ],
        relisted,
        ...triage,
      };
    const resolver = this.visibility.resolver;
    if (r.subject.type === "account") {
      const d = resolver.decideOne({ country: order.authority.country }, "profile", {
        accountId: r.subject.id,
      });
      if (d.rule === "subject_suspended")
        return {
          outcome: "global_action",
          reasons: [...reasons, "already suspended globally under the platform's rules"],
          relisted,
        };
    }
    const outcome = order.emergency ? "temporary_withhold" : "withhold";
    return {
      outcome,
      countries: [order.authority.country],
      reasons: [
        ...reasons,
        `no platform-rule violation on record: withhold in ${order.authority.country} only, as the law requires`,
      ],
      relisted,
      ...triage,
    };
  }
}
