/**
 * Which spellings a hashtag rule would catch, in the posts Vigil has stored: every distinct hashtag
 * of the window, compared under the server's own match key (NFKC, case fold, invisibles and
 * separators removed, UTS #39 skeleton) in the rule's mode (`Tag` exact, `Tag*` prefix, `*Tag*`
 * contains). Shown to a moderator before a restriction is committed.
 */
import { sql } from "drizzle-orm";
import { type Db, query } from "../db/store.ts";
import { hashtagPattern } from "../visibility/resolver.ts";
import { displayKey, matchKey } from "./normalize.ts";

export interface VariantPreview {
  rule: string;
  mode: "exact" | "prefix" | "contains";
  matchKey: string;
  window: { from: string; to: string };
  distinctTagsChecked: number;
  variants: { spelling: string; displayKey: string; matchKey: string; posts: number; accounts: number }[];
}

export async function previewVariants(db: Db, rule: string, days = 7, at?: Date): Promise<VariantPreview> {
  const { pattern, mode } = hashtagPattern(rule.replace(/^[#＃]+/u, ""));
  const key = matchKey(pattern);
  const [latest] = await query<{ t: string | null }>(db, sql`select max(created_at) as t from posts`);
  const to = at ?? (latest?.t ? new Date(latest.t) : new Date());
  const from = new Date(to.getTime() - days * 86_400_000);
  const rows = await query<{ tag: string; posts: number; accounts: number }>(
    db,
    sql`select h as tag, count(*)::int as posts, count(distinct author_id)::int as accounts
        from posts, unnest(hashtags) as h
        where created_at > ${from.toISOString()} and created_at <= ${to.toISOString()} and deleted_at is null
        group by h`,
  );
  const caught = (mk: string) =>
    mode === "exact" ? mk === key : mode === "prefix" ? mk.startsWith(key) : mk.includes(key);
  const variants = rows
    .map((r) => ({
      spelling: r.tag,
      displayKey: displayKey(r.tag),
      matchKey: matchKey(r.tag),
      posts: r.posts,
      accounts: r.accounts,
    }))
    .filter((v) => key !== "" && caught(v.matchKey))
    .sort((a, b) => b.posts - a.posts || a.spelling.localeCompare(b.spelling));
  return {
    rule,
    mode,
    matchKey: key,
    window: { from: from.toISOString(), to: to.toISOString() },
    distinctTagsChecked: rows.length,
    variants,
  };
}
