/**
 * Detectors → review cases. The DetectionService feeds every stored event (HTTP NDJSON, `vigil
 * ingest` files, the NATS consumer: all go through IngestService) to the coordination engine and the
 * text signals, and turns what they find into cases:
 * - a flagged campaign becomes (or updates) a `campaign` case, with its evidence and its members'
 *   scores and bot signals;
 * - a post whose text signals pass the threshold becomes a `violent_speech` case for the post and its
 *   author, with the matched spans.
 * Detectors never act alone. Only when an admin has set a per-detector threshold (recorded, with who
 * and why, in detector_settings, and logged) are campaign members at or above it suspended, through
 * the same bulk path as a reviewer, excluding protected accounts (listed in the case, never silent).
 * Trends use the engine's coordination scores to discount coordinated accounts.
 */
import { randomUUID } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { z } from "zod";
import type { Principal } from "../auth/policy.ts";
import { authorize } from "../auth/policy.ts";
import { detectorSettings } from "../db/schema.ts";
import { type Db, query } from "../db/store.ts";
import { DetectionEngine } from "../detect/engine.ts";
import { raisesCase, scoreText } from "../detect/text/scorer.ts";
import type { Campaign, CampaignLink } from "../detect/types.ts";
import { InvalidRequestError } from "../errors.ts";
import type { IngestService, StoredBatch } from "../ingest/ingest.ts";
import { Text } from "../ledger/actions.ts";
import type { ProtectedRegistry } from "../legal/protected.ts";
import type { CaseService, CaseSubject } from "./cases.ts";
import type { CaseEnforcer } from "./enforce.ts";

export const DETECTORS = ["coordination", "violent_speech"] as const;
export type Detector = (typeof DETECTORS)[number];

export const DetectorSettingRequest = z.strictObject({
  threshold: z
    .number()
    .min(0.5, "an automatic threshold below 0.5 would act on weak evidence")
    .max(1)
    .nullable()
    .describe("members scoring at or above it are acted on automatically; null: cases only"),
  action: z.enum(["suspend"]).default("suspend"),
  rule: Text(128).default("platform_manipulation"),
  reason: Text(2000).min(10, "say why automatic action is justified"),
});

export interface DetectionOptions {
  /** How often (wall clock) campaigns are re-clustered while serving. */
  scanIntervalMs: number;
  /** When replaying stored posts at start: re-cluster every this much event time. */
  replayScanMs: number;
}

const MAX_POST_IDS = 5000;

export class DetectionService {
  readonly engine = new DetectionEngine({ seed: "vigil" });
  private started = false;
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<number> | null = null;
  /** Latest event time seen (the engine's clock). */
  private eventTime = 0;
  /** Engine campaign id → case id. */
  private readonly caseOf = new Map<string, string>();
  /** Account → the campaign case it was flagged in (kept after the engine's windows move on). */
  private readonly memberOf = new Map<string, string>();
  private readonly onStored = (b: StoredBatch) => {
    void this.consume(b).catch((err) => this.logger.error({ err }, "detection failed on a batch"));
  };

  constructor(
    private readonly db: Db,
    private readonly ingest: IngestService,
    private readonly cases: CaseService,
    private readonly enforcer: CaseEnforcer,
    private readonly registry: ProtectedRegistry,
    private readonly logger: Logger,
    private readonly opts: DetectionOptions,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Replays stored accounts and posts in time order (scanning as it goes), then follows ingest. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.ingest.events.on("stored", this.onStored);
    for (const r of await query<{ id: string; account: string }>(
      this.db,
      sql`select c.id, s->>'id' as account from cases c, jsonb_array_elements(c.subjects) s
          where c.kind = 'campaign' and s->>'type' = 'account' order by c.created_at`,
    ))
      this.memberOf.set(r.account, r.id);
    for (const a of await query<{
      id: string;
      handle: string;
      created_at: string;
      bio: string;
      has_avatar: boolean;
      followers: number;
      following: number;
      verified: boolean;
    }>(
      this.db,
      sql`select id, handle, created_at, bio, has_avatar, followers, following, verified from accounts`,
    ))
      this.engine.observeAccount({
        id: a.id,
        handle: a.handle,
        createdAt: Date.parse(new Date(a.created_at).toISOString()),
        bio: a.bio,
        hasAvatar: a.has_avatar,
        followers: a.followers,
        following: a.following,
        verified: a.verified,
      });
    let nextScan = 0;
    const texts: { id: string; authorId: string; text: string; lang: string | null }[] = [];
    for (let after: [string, string] | null = null; ; ) {
      const rows: {
        id: string;
        author_id: string;
        created_at: string;
        text: string;
        reply_to: string | null;
        quote_of: string | null;
        repost_of: string | null;
        urls: string[];
        hashtags: string[];
        deleted_at: string | null;
        lang: string | null;
      }[] = await query(
        this.db,
        sql`select id, author_id, created_at, text, reply_to, quote_of, repost_of, urls, hashtags, deleted_at, lang from posts
            ${after ? sql`where (created_at, id) > (${after[0]}::timestamptz, ${after[1]})` : sql``}
            order by created_at, id limit 10000`,
      );
      for (const p of rows) {
        const t = Date.parse(new Date(p.created_at).toISOString());
        if (nextScan === 0) nextScan = t + this.opts.replayScanMs;
        while (t >= nextScan) {
          await this.scan(nextScan);
          nextScan += this.opts.replayScanMs;
        }
        this.observe(p.id, p.author_id, t, p);
        if (p.deleted_at) this.engine.deletePost(p.id, Date.parse(new Date(p.deleted_at).toISOString()));
        else if (p.text) texts.push({ id: p.id, authorId: p.author_id, text: p.text, lang: p.lang });
      }
      await this.textCases(texts.splice(0));
      if (rows.length < 10000) break;
      const last = rows[rows.length - 1]!;
      after = [new Date(last.created_at).toISOString(), last.id];
    }
    if (this.eventTime > 0) await this.scan(this.eventTime);
  }

  /** Re-clusters every `scanIntervalMs` while serving. */
  startScanning(): void {
    if (this.timer) return;
    const tick = () => {
      this.scan()
        .catch((err) => this.logger.error({ err }, "campaign scan failed"))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, this.opts.scanIntervalMs);
        });
    };
    this.timer = setTimeout(tick, this.opts.scanIntervalMs);
  }

  async stop(): Promise<void> {
    this.ingest.events.off("stored", this.onStored);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.scanning;
  }

  /**
   * How coordinated an account is (0..1), for trends: 1 for a member of a campaign the detectors
   * flagged (the whole campaign weighs as coordinated), else the engine's current score.
   */
  coordinationOf(accountId: string): number {
    return this.memberOf.has(accountId) ? 1 : this.engine.coordinationOf(accountId);
  }

  /** Bot likelihood with the signals that moved it, and campaign membership, for triage. */
  accountReport(accountId: string) {
    return this.engine.accountScore(accountId, this.eventTime || undefined);
  }

  /**
   * The campaign case of an account: the case of the campaign it is in now, else the case it was
   * flagged in earlier (membership outlives the engine's windows).
   */
  campaignCaseOf(accountId: string, campaignId: string | null = null): string | null {
    return (campaignId ? this.caseOf.get(campaignId) : undefined) ?? this.memberOf.get(accountId) ?? null;
  }

  private observe(
    id: string,
    authorId: string,
    t: number,
    p: {
      text: string;
      reply_to: string | null;
      quote_of: string | null;
      repost_of: string | null;
      urls: string[];
      hashtags: string[];
    },
  ) {
    if (t > this.eventTime) this.eventTime = t;
    this.engine.observePost({
      id,
      authorId,
      createdAt: t,
      text: p.text,
      replyTo: p.reply_to,
      quoteOf: p.quote_of,
      repostOf: p.repost_of,
      urls: p.urls,
      hashtags: p.hashtags,
    });
  }

  private async consume(b: StoredBatch): Promise<void> {
    for (const a of b.accounts)
      this.engine.observeAccount({
        id: a.id,
        handle: a.handle,
        createdAt: Date.parse(a.createdAt),
        bio: a.bio,
        hasAvatar: a.hasAvatar,
        followers: a.followers,
        following: a.following,
        verified: a.verified,
      });
    const violent: { id: string; authorId: string; text: string; lang: string | null }[] = [];
    for (const p of b.posts) {
      this.observe(p.id, p.authorId, Date.parse(p.createdAt), {
        text: p.text,
        reply_to: p.replyTo,
        quote_of: p.quoteOf,
        repost_of: p.repostOf,
        urls: p.urls,
        hashtags: p.hashtags,
      });
      if (p.text) violent.push({ id: p.id, authorId: p.authorId, text: p.text, lang: p.lang });
    }
    for (const d of b.deletes) this.engine.deletePost(d.id, Date.parse(d.at));
    await this.textCases(violent);
  }

  /** Violent-speech cases for posts whose text signals pass the threshold. */
  async textCases(
    posts: { id: string; authorId: string; text: string; lang: string | null }[],
  ): Promise<number> {
    const hits = posts.flatMap((p) => {
      const score = scoreText(p.text, p.lang ?? undefined);
      const categories = raisesCase(score);
      return categories.length > 0 ? [{ ...p, score, categories }] : [];
    });
    if (hits.length === 0) return 0;
    // A post already made a case (open or closed) is not raised again (replays after a restart).
    const seen = new Set(
      (
        await query<{ key: string }>(
          this.db,
          sql`select key from cases where key = any(${sql.param(hits.map((h) => `violent_speech:post:${h.id}`))}::text[])`,
        )
      ).map((r) => r.key),
    );
    let raised = 0;
    for (const p of hits) {
      if (seen.has(`violent_speech:post:${p.id}`)) continue;
      const { score, categories } = p;
      const top = score.signals[0]!;
      await this.db.transaction((tx) =>
        this.cases.raise(
          tx,
          {
            kind: "violent_speech",
            title: `post ${p.id}: ${categories.join(", ").replaceAll("_", " ")}`,
            subjects: [
              { type: "post", id: p.id, score: top.score, why: categories },
              { type: "account", id: p.authorId, score: null },
            ],
            evidence: {
              detector: "violent_speech",
              text: p.text,
              language: score.language,
              signals: score.signals.map((s) => ({
                category: s.category,
                score: Math.round(s.score * 1000) / 1000,
                matches: s.matches.map((m) => ({
                  pattern: m.patternId,
                  term: m.term,
                  start: m.start,
                  end: m.end,
                })),
              })),
              counters: score.counters,
              negated: score.negated.map((m) => ({ pattern: m.patternId, term: m.term })),
            },
            priority: Math.round(top.score * 10),
            openKey: `violent_speech:post:${p.id}`,
          },
          "detector:violent_speech",
        ),
      );
      raised++;
    }
    return raised;
  }

  /** Clusters now (or at event time `at`), raises or updates campaign cases, and applies any threshold. */
  async scan(at?: number): Promise<number> {
    if (this.scanning) return this.scanning;
    this.scanning = this.doScan(at ?? (this.eventTime || this.now().getTime())).finally(() => {
      this.scanning = null;
    });
    return this.scanning;
  }

  private async doScan(at: number): Promise<number> {
    const flagged = this.engine.campaigns(at).filter((c) => c.flagged);
    for (const c of flagged) await this.raiseCampaign(c);
    const setting = await this.setting("coordination");
    if (setting?.threshold != null) {
      const open = await query<{ id: string }>(
        this.db,
        sql`select id from cases where kind = 'campaign' and state <> 'closed' order by created_at`,
      );
      for (const { id } of open) await this.autoAct(id, setting);
    }
    return flagged.length;
  }

  private async raiseCampaign(c: Campaign): Promise<string> {
    const members = c.members.filter((m) => m.flagged);
    const subjects: CaseSubject[] = members.map((m) => {
      const r = this.engine.accountScore(m.accountId, this.eventTime || undefined);
      return {
        type: "account",
        id: m.accountId,
        score: Math.round(m.score * 1000) / 1000,
        why: [
          `coordination ${m.score.toFixed(2)} with ${m.partners} partner(s)`,
          `bot likelihood ${m.botScore.toFixed(2)}`,
          ...(r?.signals ?? [])
            .filter((s) => Math.abs(s.effect) >= 0.05)
            .map((s) => `${s.signal} ${s.effect > 0 ? "+" : ""}${s.effect.toFixed(2)}`),
        ],
      };
    });
    const postIds = await query<{ id: string }>(
      this.db,
      sql`select id from posts where author_id = any(${sql.param(members.map((m) => m.accountId))}::text[])
            and created_at >= ${new Date(c.timeProfile.firstAt).toISOString()} and created_at <= ${new Date(c.timeProfile.lastAt).toISOString()}
          order by created_at limit ${MAX_POST_IDS}`,
    );
    const { members: _m, ...rest } = c;
    const evidence = { detector: "coordination", ...rest, postIds: postIds.map((p) => p.id) };
    const title = `coordinated campaign: ${
      c.hashtagSequences[0]?.label ??
      c.templates[0]?.label.slice(0, 60) ??
      c.urls[0]?.label ??
      "coordinated activity"
    }`;
    let caseId =
      this.caseOf.get(c.id) ??
      (await this.matchOpenCase(
        c,
        members.map((m) => m.accountId),
      ));
    const prior = caseId ? await this.cases.row(this.db, caseId) : null;
    const key = prior ? (prior.openKey ?? `campaign:${randomUUID()}`) : `campaign:${randomUUID()}`;
    // The case keeps every member it ever had, so its graph keeps their edges too: the earlier
    // evidence's links, updated by this campaign's, strongest first.
    if (prior)
      evidence.links = mergeLinks((prior.evidence as { links?: CampaignLink[] }).links ?? [], c.links);
    const raised = await this.db.transaction((tx) =>
      this.cases.raise(
        tx,
        {
          kind: "campaign",
          title,
          subjects,
          evidence,
          priority: Math.min(100, 10 + members.length),
          openKey: key,
        },
        "detector:coordination",
      ),
    );
    caseId = raised.id;
    this.caseOf.set(c.id, caseId);
    for (const m of members) this.memberOf.set(m.accountId, caseId);
    return caseId;
  }

  /**
   * The open campaign case this campaign continues (engine ids change as windows slide, and after a
   * restart): one that shares a template or hashtag-sequence key with it, or holds a third of its
   * accounts.
   */
  private async matchOpenCase(c: Campaign, accounts: string[]): Promise<string | undefined> {
    const keys = [...c.templates, ...c.hashtagSequences].map((o) => o.key);
    const rows = await query<{ id: string; overlap: number; shared: number }>(
      this.db,
      sql`select c.id,
                 (select count(*)::int from jsonb_array_elements(c.subjects) s
                   where s->>'type' = 'account' and s->>'id' = any(${sql.param(accounts)}::text[])) as overlap,
                 (select count(*)::int from jsonb_array_elements(coalesce(c.evidence->'templates', '[]'::jsonb) || coalesce(c.evidence->'hashtagSequences', '[]'::jsonb)) o
                   where o->>'key' = any(${sql.param(keys)}::text[])) as shared
          from cases c
          where c.kind = 'campaign' and c.state <> 'closed'
          order by shared desc, overlap desc limit 1`,
    );
    const r = rows[0];
    return r && (r.shared > 0 || r.overlap * 3 >= accounts.length) ? r.id : undefined;
  }

  /**
   * Under an admin-set threshold: suspends the case's accounts whose coordination score (recorded on
   * the case) is at or above it, through the reviewers' bulk path, citing the detector. Accounts
   * already suspended are skipped; protected accounts are never acted on automatically and are named
   * in the case's history instead.
   */
  private async autoAct(
    caseId: string,
    s: { threshold: number | null; rule: string | null; id: number },
  ): Promise<void> {
    const row = await this.cases.row(this.db, caseId);
    const subjects = (row.subjects as CaseSubject[]).filter((x) => x.type === "account");
    const qualifying = subjects.filter((x) => (x.score ?? 0) >= s.threshold!).map((x) => x.id);
    if (qualifying.length === 0) return;
    const already = new Set(
      (
        await query<{ id: string }>(
          this.db,
          sql`select subject_id as id from enforcement_state where subject_type = 'account' and key = 'suspend'
              and subject_id = any(${sql.param(qualifying)}::text[])`,
        )
      ).map((r) => r.id),
    );
    const registered = await this.registry.lookup(qualifying);
    const act = qualifying.filter((id) => !already.has(id) && !registered.has(id));
    if (act.length === 0) return;
    const keep = new Set(act);
    const result = await this.enforcer.apply(
      caseId,
      {
        action: "suspend",
        target: "accounts",
        rule: s.rule ?? "platform_manipulation",
        reason: `automatic: coordination score at or above the admin-set threshold ${s.threshold} (setting ${s.id})${
          registered.size > 0
            ? `; protected accounts left for review: ${[...registered.keys()].join(", ")}`
            : ""
        }`,
        exclude: subjects.map((x) => x.id).filter((id) => !keep.has(id)),
        includeProtected: [],
        dryRun: false,
        close: false,
      },
      "detector:coordination",
      { kind: "detector", id: `coordination:${caseId}` },
    );
    this.logger.warn(
      { case: caseId, suspended: result.applied.length, threshold: s.threshold, setting: s.id },
      "detector acted automatically under an admin-set threshold",
    );
  }

  async setting(detector: Detector) {
    const [row] = await this.db
      .select()
      .from(detectorSettings)
      .where(eq(detectorSettings.detector, detector))
      .orderBy(desc(detectorSettings.id))
      .limit(1);
    return row ?? null;
  }

  /** Sets (or clears) a detector's automatic-action threshold. Admins only; every change is kept. */
  async configure(detector: string, req: z.output<typeof DetectorSettingRequest>, principal: Principal) {
    authorize(principal, "configure", "detector");
    if (!(DETECTORS as readonly string[]).includes(detector))
      throw new InvalidRequestError(`unknown detector '${detector}'; detectors: ${DETECTORS.join(", ")}`);
    if (detector !== "coordination" && req.threshold !== null)
      throw new InvalidRequestError(`the ${detector} detector only raises cases: it has no automatic action`);
    const [row] = await this.db
      .insert(detectorSettings)
      .values({
        detector,
        threshold: req.threshold,
        action: req.threshold === null ? null : req.action,
        rule: req.rule,
        reason: req.reason,
        setBy: principal.keyId,
        setAt: this.now().toISOString(),
      })
      .returning();
    this.logger.warn(
      { detector, threshold: req.threshold, by: principal.keyId, reason: req.reason },
      "detector threshold changed",
    );
    return row!;
  }

  async history(detector: string) {
    return this.db
      .select()
      .from(detectorSettings)
      .where(eq(detectorSettings.detector, detector))
      .orderBy(desc(detectorSettings.id));
  }
}

/** Links from earlier evidence and from a campaign's, one per pair (the newer wins), strongest first. */
export function mergeLinks(earlier: CampaignLink[], newer: CampaignLink[], max = 1_000): CampaignLink[] {
  const pair = (l: CampaignLink) =>
    l.source < l.target ? `${l.source}\u0000${l.target}` : `${l.target}\u0000${l.source}`;
  const byPair = new Map<string, CampaignLink>();
  for (const l of earlier) byPair.set(pair(l), l);
  for (const l of newer) byPair.set(pair(l), l);
  return [...byPair.values()]
    .sort((a, b) => b.weight - a.weight || pair(a).localeCompare(pair(b)))
    .slice(0, max);
}
