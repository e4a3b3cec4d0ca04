/**
 * The server's resolver: builds the index from a consistent snapshot of the projection, then follows the
 * ledger (commits in this process, NOTIFY from others) by reading new entries in seq order. Decisions are
 * answered from memory; the index only ever moves forward, and `asOf` says exactly how far.
 */
import { sql } from "drizzle-orm";
import type { Logger } from "pino";
import { type Db, query } from "../db/store.ts";
import type { ActionBody, LedgerEntry } from "../domain/model.ts";
import { skeletonMap } from "../hashtags/normalize.ts";
import type { ChangeFeed } from "../ledger/feed.ts";
import { type ResolveItem, Resolver, type UnknownCountryPolicy } from "./resolver.ts";
import { RestrictionIndex, type SnapshotRow } from "./restriction-index.ts";

export interface ResolverHealth {
  asOf: number;
  /** Ledger entries committed but not yet applied (as last seen). */
  behind: number;
  lastSyncAt: string | null;
  /** Milliseconds since the index last caught up with the ledger head. */
  lagMs: number | null;
  lastError: string | null;
}

/** Entries after `after` with the display handle of their subject (the account, or the post's author). */
export async function entriesWithDisplay(
  db: Db,
  after: number,
  limit: number,
): Promise<(LedgerEntry & { display: { handle: string | null } })[]> {
  const rows = await query<{
    seq: string | number;
    prev_hash: string;
    hash: string;
    body: ActionBody;
    handle: string | null;
  }>(
    db,
    // Seqs are contiguous (the chain's own rule), so the page is the range (after, after + limit]:
    // a bounded range the planner estimates well even before statistics catch up with a bulk load
    // (an open `seq > after … limit` was planned as a parallel scan of the whole ledger).
    sql`select l.seq, l.prev_hash, l.hash, l.body,
               case l.subject_type when 'account' then a.handle when 'post' then pa.handle end as handle
        from ledger l
        left join accounts a on l.subject_type = 'account' and a.id = l.subject_id
        left join posts p on l.subject_type = 'post' and p.id = l.subject_id
        left join accounts pa on pa.id = p.author_id
        where l.seq > ${after} and l.seq <= ${after + limit} order by l.seq`,
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    prevHash: r.prev_hash,
    hash: r.hash,
    ...r.body,
    display: { handle: r.handle },
  }));
}

/** Every restriction in force with its basis and display handle, and the seq it reflects, read consistently. */
export async function projectionSnapshot(db: Db): Promise<{ asOf: number; rows: SnapshotRow[] }> {
  return db.transaction(
    async (tx) => {
      const [head] = await query<{ seq: string | number }>(tx, sql`select seq from ledger_head where id = 1`);
      const rows = await query<{
        t: string;
        i: string;
        k: string;
        seq: string | number;
        basis: string | null;
        handle: string | null;
      }>(
        tx,
        sql`select s.subject_type as t, s.subject_id as i, s.key as k, s.seq, l.body->>'basis' as basis,
                   case s.subject_type when 'account' then a.handle when 'post' then pa.handle end as handle
            from enforcement_state s
            join ledger l on l.seq = s.seq
            left join accounts a on s.subject_type = 'account' and a.id = s.subject_id
            left join posts p on s.subject_type = 'post' and p.id = s.subject_id
            left join accounts pa on pa.id = p.author_id`,
      );
      return {
        asOf: Number(head?.seq ?? 0),
        rows: rows.map((r) => ({
          subjectType: r.t as SnapshotRow["subjectType"],
          subjectId: r.i,
          key: r.k,
          seq: Number(r.seq),
          basis: r.basis as SnapshotRow["basis"],
          handle: r.handle,
        })),
      };
    },
    { isolationLevel: "repeatable read" },
  );
}

export class ResolverService {
  readonly index = new RestrictionIndex();
  readonly resolver: Resolver;
  private syncing: Promise<void> | null = null;
  private again = false;
  private lastSyncAt: Date | null = null;
  private caughtUpAt: Date | null = null;
  private lastError: string | null = null;
  private knownHead = 0;
  private unsubscribe: (() => void) | null = null;
  private readonly postCache = new Map<
    string,
    {
      a: string;
      q: string | null;
      qa: string | null;
      r: string | null;
      ra: string | null;
      o: string | null;
      oa: string | null;
    }
  >();

  constructor(
    private readonly db: Db,
    private readonly feed: ChangeFeed,
    private readonly logger: Logger,
    options: { unknownCountry: UnknownCountryPolicy },
    private readonly now: () => Date = () => new Date(),
  ) {
    this.resolver = new Resolver(this.index, options);
  }

  /** Builds the index from the projection, then follows the ledger. */
  async start(): Promise<void> {
    if (this.unsubscribe) return;
    skeletonMap(); // build the confusables table now, not on the first non-ASCII hashtag
    const snap = await projectionSnapshot(this.db);
    this.index.load(snap.rows, snap.asOf);
    this.knownHead = snap.asOf;
    this.lastSyncAt = this.caughtUpAt = this.now();
    this.unsubscribe = this.feed.onGrow((seq) => {
      if (seq > this.knownHead) this.knownHead = seq;
      void this.sync();
    });
    await this.sync();
    this.logger.info({ asOf: this.index.asOf, ...this.index.size }, "resolver index built");
  }

  /** Applies every entry committed after the index's `asOf`. Concurrent calls coalesce. */
  sync(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const entries = await entriesWithDisplay(this.db, this.index.asOf, 5000);
            for (const e of entries) this.index.apply(e, e.display);
            this.lastSyncAt = this.now();
            if (entries.length < 5000) break;
          }
          if (this.index.asOf >= this.knownHead) this.caughtUpAt = this.now();
        } while (this.again);
        this.lastError = null;
      } catch (err) {
        this.lastError = (err as Error).message;
        this.logger.warn({ err }, "resolver sync failed; serving the last state");
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  /** Waits until the index reflects at least `seq` (for read-your-writes in tests and tools). */
  async waitFor(seq: number, timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.index.asOf < seq && Date.now() < deadline) {
      this.knownHead = Math.max(this.knownHead, seq);
      await this.sync();
      if (this.index.asOf < seq) await new Promise((r) => setTimeout(r, 5));
    }
    return this.index.asOf >= seq;
  }

  /**
   * Fills in what a post item left out (its author, and what it quotes or replies to) from the ingested
   * posts, with one query per request and a bounded cache. Platforms that send `authorId` skip this.
   */
  async completeItems(items: ResolveItem[]): Promise<ResolveItem[]> {
    const missing: string[] = [];
    let incomplete = false;
    for (const it of items)
      if ("postId" in it && it.authorId == null) {
        incomplete = true;
        if (!this.postCache.has(it.postId)) missing.push(it.postId);
      }
    // The usual case on the hot path: every post names its author, nothing to look up or copy.
    if (!incomplete) return items;
    if (missing.length > 0) {
      const rows = await query<{
        id: string;
        a: string;
        q: string | null;
        qa: string | null;
        r: string | null;
        ra: string | null;
        o: string | null;
        oa: string | null;
      }>(
        this.db,
        sql`select p.id, p.author_id as a, p.quote_of as q, qp.author_id as qa, p.reply_to as r, rp.author_id as ra,
                   p.repost_of as o, op.author_id as oa
            from posts p left join posts qp on qp.id = p.quote_of left join posts rp on rp.id = p.reply_to
                 left join posts op on op.id = p.repost_of
            where p.id = any(${sql.param([...new Set(missing)])}::text[])`,
      );
      if (this.postCache.size + rows.length > 200_000) this.postCache.clear();
      for (const r of rows) this.postCache.set(r.id, r);
    }
    return items.map((it) => {
      if (!("postId" in it) || it.authorId != null) return it;
      const known = this.postCache.get(it.postId);
      if (!known) return it;
      return {
        ...it,
        authorId: known.a,
        quoteOf: it.quoteOf ?? (known.q ? { postId: known.q, authorId: known.qa } : null),
        replyTo: it.replyTo ?? (known.r ? { postId: known.r, authorId: known.ra } : null),
        repostOf: it.repostOf ?? (known.o ? { postId: known.o, authorId: known.oa } : null),
      };
    });
  }

  health(): ResolverHealth {
    const behind = Math.max(0, this.knownHead - this.index.asOf);
    return {
      asOf: this.index.asOf,
      behind,
      lastSyncAt: this.lastSyncAt?.toISOString() ?? null,
      lagMs: behind === 0 ? 0 : this.caughtUpAt ? this.now().getTime() - this.caughtUpAt.getTime() : null,
      lastError: this.lastError,
    };
  }

  /** Stops following the ledger and waits for a sync in flight. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.syncing?.catch(() => {});
  }
}
