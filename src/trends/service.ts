/**
 * Wires the trends engine and the search-suggestion index to the store (a replay of stored accounts
 * and posts at start), to ingest (each committed batch), and to the resolver's restrictions.
 */
import { sql } from "drizzle-orm";
import type { Logger } from "pino";
import { type Db, query } from "../db/store.ts";
import type { IngestService, StoredBatch } from "../ingest/ingest.ts";
import type { ResolverService } from "../visibility/service.ts";
import { type Trend, type TrendFilter, TrendsEngine, type TrendsOptions } from "./engine.ts";
import { type Suggestion, SuggestionIndex } from "./suggest.ts";

const BLOCKING = new Set(["tombstone", "drop"]);

/** Accounts whose coordination score reaches this count as coordinated in trends. */
export const COORDINATED_AT = 0.5;

export class TrendsService {
  readonly engine: TrendsEngine;
  readonly suggestions = new SuggestionIndex();
  private started = false;
  private readonly onStored = (b: StoredBatch) => this.observe(b);
  /** Posts' hashtags by id, for reposts (which carry the original's tags). Bounded. */
  private readonly tagsOf = new Map<string, string[]>();

  constructor(
    private readonly db: Db,
    private readonly ingest: IngestService,
    private readonly visibility: ResolverService,
    private readonly logger: Logger,
    options: TrendsOptions = {},
  ) {
    this.engine = new TrendsEngine(options);
  }

  /** What the trends and suggestions must not show, from the resolver's index (no I/O). */
  readonly filter: TrendFilter = {
    tagRestricted: (matchKey, country) =>
      BLOCKING.has(this.visibility.resolver.decideOne({ country }, "trends", { hashtag: matchKey }).action),
    accountRestricted: (accountId, country) =>
      BLOCKING.has(this.visibility.resolver.decideOne({ country }, "profile", { accountId }).action),
    coordinated: (accountId) => (this.coordination?.(accountId) ?? 0) >= COORDINATED_AT,
  };

  /** Trend defence: the detectors' coordination score of an account (0..1), once they run. */
  private coordination: ((accountId: string) => number) | null = null;

  /** Weighs accounts the detectors find coordinated at 0.05 in trend scores (see TrendsEngine). */
  setCoordination(score: (accountId: string) => number): void {
    this.coordination = score;
  }

  private readonly suggestFilter = {
    tagRestricted: (matchKey: string, country: string) =>
      BLOCKING.has(
        this.visibility.resolver.decideOne({ country }, "search_suggestions", { hashtag: matchKey }).action,
      ),
    accountRestricted: (accountId: string, country: string) =>
      BLOCKING.has(
        this.visibility.resolver.decideOne({ country }, "search_suggestions", { accountId }).action,
      ),
  };

  /** Replays stored accounts and posts (in time order), then follows ingest. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.ingest.events.on("stored", this.onStored);
    const t0 = Date.now();
    const accounts = await query<{
      id: string;
      handle: string;
      country: string | null;
      created_at: string;
      has_avatar: boolean;
      bio: string;
      followers: number;
    }>(this.db, sql`select id, handle, country, created_at, has_avatar, bio, followers from accounts`);
    for (const a of accounts) {
      this.engine.observeAccount({
        id: a.id,
        country: a.country,
        createdAt: new Date(a.created_at).toISOString(),
        hasAvatar: a.has_avatar,
        bio: a.bio,
      });
      this.suggestions.addHandle(a.id, a.handle, 1 + Math.log10(1 + a.followers));
    }
    let posts = 0;
    for (let after = ""; ; ) {
      const rows = await query<{
        id: string;
        author_id: string;
        created_at: string;
        hashtags: string[];
        repost_of: string | null;
        deleted_at: string | null;
        country: string | null;
      }>(
        this.db,
        sql`select p.id, p.author_id, p.created_at, p.hashtags, p.repost_of, p.deleted_at, a.country
            from posts p left join accounts a on a.id = p.author_id
            where (p.created_at, p.id) > (coalesce(${after.split("|")[0] || null}::timestamptz, '-infinity'), ${after.split("|")[1] ?? ""})
            order by p.created_at, p.id limit 10000`,
      );
      for (const p of rows) {
        const createdAt = new Date(p.created_at).toISOString();
        this.observePost(
          { id: p.id, authorId: p.author_id, createdAt, hashtags: p.hashtags, repostOf: p.repost_of },
          p.country,
        );
        if (p.deleted_at) this.engine.observeDelete(p.id, new Date(p.deleted_at).toISOString());
      }
      posts += rows.length;
      if (rows.length < 10000) break;
      const last = rows[rows.length - 1]!;
      after = `${new Date(last.created_at).toISOString()}|${last.id}`;
    }
    this.logger.info(
      { accounts: accounts.length, posts, ms: Date.now() - t0, ...this.engine.stats() },
      "trends built from the store",
    );
  }

  private observePost(
    p: { id: string; authorId: string; createdAt: string; hashtags: string[]; repostOf: string | null },
    country: string | null,
  ): void {
    const tags = p.repostOf ? (this.tagsOf.get(p.repostOf) ?? []) : p.hashtags;
    if (!p.repostOf && tags.length > 0) {
      if (this.tagsOf.size > 500_000) this.tagsOf.clear();
      this.tagsOf.set(p.id, tags);
    }
    this.engine.observePost({
      id: p.id,
      authorId: p.authorId,
      createdAt: p.createdAt,
      hashtags: tags,
      repostOf: p.repostOf,
    });
    if (!p.repostOf) for (const t of tags) this.suggestions.addHashtag(t, country ?? "ZZ");
  }

  private observe(b: StoredBatch): void {
    const countryOf = new Map<string, string | null>();
    for (const a of b.accounts) {
      this.engine.observeAccount({
        id: a.id,
        country: a.country,
        createdAt: a.createdAt,
        hasAvatar: a.hasAvatar,
        bio: a.bio,
      });
      this.suggestions.addHandle(a.id, a.handle, 1 + Math.log10(1 + a.followers));
      countryOf.set(a.id, a.country);
    }
    for (const p of b.posts)
      this.observePost(
        {
          id: p.id,
          authorId: p.authorId,
          createdAt: p.createdAt,
          hashtags: p.hashtags,
          repostOf: p.repostOf,
        },
        countryOf.get(p.authorId) ?? null,
      );
    for (const d of b.deletes) this.engine.observeDelete(d.id, d.at);
  }

  top(country: string, at: Date, limit: number): { trends: Trend[]; held: Trend[] } {
    return this.engine.top(country, at, limit, this.filter);
  }

  suggest(q: string, country: string, limit: number): Suggestion[] {
    return this.suggestions.suggest(q, country, limit, this.suggestFilter);
  }

  stop(): void {
    this.ingest.events.off("stored", this.onStored);
  }
}
