/**
 * Platform event ingest (contract §1): NDJSON lines in, accounts/posts/deletes stored, idempotent by
 * (type, id). A bad line is rejected with its line number, a code and a precise message, and never
 * stops the valid lines around it. Valid lines are written in chunked transactions.
 */
import { EventEmitter } from "node:events";
import { sql } from "drizzle-orm";
import type { z } from "zod";
import { type Db, query } from "../db/store.ts";
import { isCountryCode } from "../domain/countries.ts";
import { type AccountEvent, type DeleteEvent, PlatformEvent, type PostEvent } from "./events.ts";
import { extractEntities } from "./extract.ts";

export interface Rejection {
  line: number;
  code: "invalid_json" | "unknown_field" | "invalid_event" | "invalid_country";
  message: string;
}

export interface IngestReport {
  /** Lines that were new events, or updated an account. */
  accepted: number;
  /** Of the accepted, account events that changed an existing account. */
  updated: number;
  /** Lines that repeated an event already stored: they changed nothing. */
  duplicates: number;
  rejected: Rejection[];
  /** How many rejections there were in all (the list keeps the first MAX_REJECTIONS_LISTED). */
  rejectedCount: number;
}

export const MAX_REJECTIONS_LISTED = 1000;
const CHUNK = 1000;

export function emptyReport(): IngestReport {
  return { accepted: 0, updated: 0, duplicates: 0, rejected: [], rejectedCount: 0 };
}

const describe = (issues: z.core.$ZodIssue[]): { code: Rejection["code"]; message: string } => {
  const unknown = issues.find((i) => i.code === "unrecognized_keys");
  const parts = issues.map((i) => {
    const where = i.path.length > 0 ? `${i.path.join(".")}: ` : "";
    if (i.code === "unrecognized_keys") return `unknown field(s) ${i.keys.map((k) => `'${k}'`).join(", ")}`;
    if (i.code === "invalid_union" && i.path.length === 0)
      return "type: must be one of 'account', 'post', 'delete'";
    return `${where}${i.message}`;
  });
  const country = issues.some((i) => i.path[0] === "country");
  return {
    code: unknown ? "unknown_field" : country ? "invalid_country" : "invalid_event",
    message: parts.join("; "),
  };
};

/** Parses and checks one NDJSON line. Pure: no I/O. */
export function parseEventLine(
  text: string,
  line: number,
): { event: PlatformEvent } | { rejection: Rejection } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { rejection: { line, code: "invalid_json", message: `not valid JSON: ${(e as Error).message}` } };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return { rejection: { line, code: "invalid_event", message: "each line must be one JSON object" } };
  const t = (raw as { type?: unknown }).type;
  if (t !== "account" && t !== "post" && t !== "delete")
    return {
      rejection: {
        line,
        code: "invalid_event",
        message: `type: must be one of 'account', 'post', 'delete', got ${JSON.stringify(t ?? null)}`,
      },
    };
  const parsed = PlatformEvent.safeParse(raw);
  if (!parsed.success) return { rejection: { line, ...describe(parsed.error.issues) } };
  const event = parsed.data;
  if (event.type === "account" && event.country !== null && !isCountryCode(event.country))
    return {
      rejection: {
        line,
        code: "invalid_country",
        message: `country: '${event.country}' is not an ISO 3166-1 alpha-2 code`,
      },
    };
  if (event.type === "post" && event.text.includes("\u0000"))
    return { rejection: { line, code: "invalid_event", message: "text: must not contain NUL characters" } };
  return { event };
}

const iso = (t: string) => new Date(t).toISOString();

/** What one committed ingest batch changed, for in-process consumers (trends, suggestions). */
export interface StoredBatch {
  accounts: AccountEvent[];
  posts: (PostEvent & { hashtags: string[] })[];
  deletes: DeleteEvent[];
}

export class IngestService {
  /** Emits `stored` with a StoredBatch after each batch commits (new or changed events only). */
  readonly events = new EventEmitter();

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Ingests NDJSON lines. Blank lines are skipped; line numbers count every line from `firstLine`.
   * `onProgress` is called after each chunk with the number of lines handled so far.
   */
  async ingestLines(
    lines: Iterable<string> | AsyncIterable<string>,
    opts: { firstLine?: number; onProgress?: (lines: number, report: IngestReport) => void } = {},
  ): Promise<IngestReport> {
    const report = emptyReport();
    let lineNo = (opts.firstLine ?? 1) - 1;
    let batch: PlatformEvent[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const r = await this.ingestEvents(batch);
      report.accepted += r.accepted;
      report.updated += r.updated;
      report.duplicates += r.duplicates;
      batch = [];
      opts.onProgress?.(lineNo, report);
    };
    let first = lineNo === 0;
    for await (const raw of lines) {
      lineNo += 1;
      // A byte order mark some editors write at the start of a UTF-8 file is not part of line 1 (from
      // line 1 only: a later `firstLine` continues a body that has already begun).
      const text = first && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      first = false;
      if (text.trim() === "") continue;
      const r = parseEventLine(text, lineNo);
      if ("rejection" in r) {
        report.rejectedCount += 1;
        if (report.rejected.length < MAX_REJECTIONS_LISTED) report.rejected.push(r.rejection);
        continue;
      }
      batch.push(r.event);
      if (batch.length >= CHUNK) await flush();
    }
    await flush();
    opts.onProgress?.(lineNo, report);
    return report;
  }

  /** Stores already-validated events in one transaction. */
  async ingestEvents(events: PlatformEvent[]): Promise<Omit<IngestReport, "rejected" | "rejectedCount">> {
    const now = this.now().toISOString();
    let duplicates = 0;
    // Collapse repeats inside the batch: the last account event wins, the first post/delete wins.
    const accounts = new Map<string, AccountEvent>();
    const posts = new Map<string, PostEvent>();
    const deletes = new Map<string, DeleteEvent>();
    let inBatchUpdates = 0;
    for (const e of events) {
      if (e.type === "account") {
        const prev = accounts.get(e.id);
        if (prev) {
          if (JSON.stringify(prev) === JSON.stringify(e)) duplicates += 1;
          else inBatchUpdates += 1;
        }
        accounts.set(e.id, e);
      } else if (e.type === "post") {
        if (posts.has(e.id)) duplicates += 1;
        else posts.set(e.id, e);
      } else if (deletes.has(e.id)) duplicates += 1;
      else deletes.set(e.id, e);
    }
    const stored: StoredBatch = { accounts: [], posts: [], deletes: [] };
    const counts = await this.db.transaction(async (tx) => {
      let accepted = inBatchUpdates;
      let updated = inBatchUpdates;
      if (accounts.size > 0) {
        const rows = [...accounts.values()].map((a) => ({
          id: a.id,
          handle: a.handle,
          display_name: a.displayName,
          created_at: iso(a.createdAt),
          country: a.country,
          lang: a.lang,
          bio: a.bio,
          has_avatar: a.hasAvatar,
          followers: a.followers,
          following: a.following,
          verified: a.verified,
        }));
        const res = await query<{ inserted: boolean }>(
          tx,
          sql`
          insert into accounts (id, handle, display_name, created_at, country, lang, bio, has_avatar, followers,
                                following, verified, ingested_at)
          select r.id, r.handle, r.display_name, r.created_at, r.country, r.lang, r.bio, r.has_avatar, r.followers,
                 r.following, r.verified, ${now}::timestamptz
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id text, handle text, display_name text,
               created_at timestamptz, country text, lang text, bio text, has_avatar boolean, followers int,
               following int, verified boolean)
          on conflict (id) do update set handle = excluded.handle, display_name = excluded.display_name,
               created_at = excluded.created_at, country = excluded.country, lang = excluded.lang, bio = excluded.bio,
               has_avatar = excluded.has_avatar, followers = excluded.followers, following = excluded.following,
               verified = excluded.verified, ingested_at = excluded.ingested_at
          where (accounts.handle, accounts.display_name, accounts.created_at, accounts.country, accounts.lang,
                 accounts.bio, accounts.has_avatar, accounts.followers, accounts.following, accounts.verified)
             is distinct from
                (excluded.handle, excluded.display_name, excluded.created_at, excluded.country, excluded.lang,
                 excluded.bio, excluded.has_avatar, excluded.followers, excluded.following, excluded.verified)
          returning (xmax = 0) as inserted`,
        );
        accepted += res.length;
        updated += res.filter((r) => !r.inserted).length;
        duplicates += accounts.size - res.length;
      }
      const hashtagsOf = new Map<string, string[]>();
      if (posts.size > 0) {
        const rows = [...posts.values()].map((p) => {
          const x = extractEntities(p.text);
          hashtagsOf.set(p.id, x.hashtags);
          return {
            id: p.id,
            author_id: p.authorId,
            created_at: iso(p.createdAt),
            text: p.text,
            lang: p.lang,
            reply_to: p.replyTo,
            quote_of: p.quoteOf,
            repost_of: p.repostOf,
            urls: [...new Set([...p.urls, ...x.urls])],
            media: p.media,
            hashtags: x.hashtags,
            mentions: x.mentions,
          };
        });
        const res = await query(
          tx,
          sql`
          insert into posts (id, author_id, created_at, text, lang, reply_to, quote_of, repost_of, urls, media,
                             hashtags, mentions, deleted_at, ingested_at)
          select r.id, r.author_id, r.created_at, r.text, r.lang, r.reply_to, r.quote_of, r.repost_of, r.urls, r.media,
                 array(select jsonb_array_elements_text(r.hashtags)), array(select jsonb_array_elements_text(r.mentions)),
                 (select d.at from deletions d where d.post_id = r.id), ${now}::timestamptz
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id text, author_id text, created_at timestamptz,
               text text, lang text, reply_to text, quote_of text, repost_of text, urls jsonb, media jsonb,
               hashtags jsonb, mentions jsonb)
          on conflict (id) do nothing
          returning id`,
        );
        accepted += res.length;
        duplicates += posts.size - res.length;
      }
      if (deletes.size > 0) {
        const rows = [...deletes.values()].map((d) => ({ post_id: d.id, at: iso(d.at) }));
        const res = await query(
          tx,
          sql`
          with ins as (
            insert into deletions (post_id, at)
            select r.post_id, r.at from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(post_id text, at timestamptz)
            on conflict (post_id) do nothing
            returning post_id, at),
          upd as (update posts set deleted_at = ins.at from ins where posts.id = ins.post_id and posts.deleted_at is null)
          select post_id from ins`,
        );
        accepted += res.length;
        duplicates += deletes.size - res.length;
      }
      return { accepted, updated, duplicates };
    });
    if (stored.accounts.length + stored.posts.length + stored.deletes.length > 0)
      this.events.emit("stored", stored);
    return counts;
  }
}
