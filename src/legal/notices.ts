/**
 * Notices to affected authors. When an order's decision restricts (or restores) an account or a
 * post, its author is told what happened, where, and on what basis, unless the jurisdiction's profile
 * does not notify by default or the order is confidential. Either way a row records the notice (or
 * why none was sent); a sent notice leaves through the outbox as `notice.author`, for the platform to
 * deliver in-app or by e-mail.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { insertMany } from "../db/bulk.ts";
import { authorNotices } from "../db/schema.ts";
import { type Db, query } from "../db/store.ts";
import { countryName } from "../domain/countries.ts";
import type { LedgerEntry } from "../domain/model.ts";
import { enqueue, type OutboxEvent } from "../outbox/outbox.ts";
import { profileFor } from "./profiles.ts";

export interface NoticeOrder {
  id: string;
  reference: string;
  authorityName: string;
  authorityCountry: string;
  confidential: boolean;
}

export interface NoticeInput {
  entry: LedgerEntry;
  itemId: string | null;
}

const where = (countries: string[] | null) =>
  countries === null || countries.includes("*")
    ? "worldwide"
    : `in ${countries.map((c) => countryName(c)).join(", ")}`;

/** The text an author reads. Confidential orders are not named. */
export function noticeText(entry: LedgerEntry, order: NoticeOrder | null): string {
  const what = entry.subject.type === "post" ? `Your post ${entry.subject.id}` : "Your account";
  const demand =
    order && !order.confidential
      ? ` in response to a legal demand from ${order.authorityName} (reference ${order.reference})`
      : order
        ? " in response to a legal demand"
        : "";
  switch (entry.action) {
    case "withhold":
      return `${what} has been withheld ${where(entry.countries)}${demand}${
        entry.expiresAt ? `, until ${entry.expiresAt} unless the measure is confirmed` : ""
      }. People there cannot see it; it stays visible elsewhere. You may appeal this decision.`;
    case "restore":
      return `${what} is visible again ${where(entry.countries)}: the earlier withholding was lifted. ${entry.reason}`;
    case "suspend":
      return `Your account has been suspended for violating the platform's rules (${entry.rule ?? "platform rules"}). You may appeal this decision.`;
    case "unsuspend":
      return "Your account has been restored.";
    case "label":
      return `A label (${entry.label}) has been added to ${what.toLowerCase()}. You may appeal this decision.`;
    case "limit_engagement":
      return `Engagement with ${what.toLowerCase()} has been limited. You may appeal this decision.`;
    default:
      return `${what} is affected by a ${entry.action} action.`;
  }
}

/**
 * Writes the notices for `inputs` in `db` (the transaction that wrote the entries): one row each,
 * and a `notice.author` outbox event for each one actually sent. Hashtags have no author and get
 * none. Returns how many were queued and how many withheld.
 */
export async function recordAuthorNotices(
  db: Db,
  inputs: NoticeInput[],
  order: NoticeOrder | null,
  at: Date,
): Promise<{ queued: number; withheld: number }> {
  const relevant = inputs.filter((i) => i.entry.subject.type !== "hashtag");
  if (relevant.length === 0) return { queued: 0, withheld: 0 };
  const postIds = relevant.filter((i) => i.entry.subject.type === "post").map((i) => i.entry.subject.id);
  const authors = new Map<string, string>();
  if (postIds.length > 0)
    for (const r of await query<{ id: string; author_id: string }>(
      db,
      sql`select id, author_id from posts where id = any(${sql.param(postIds)}::text[])`,
    ))
      authors.set(r.id, r.author_id);
  let withheldReason: string | null = null;
  if (order?.confidential) withheldReason = "the order is marked confidential: the author is not told of it";
  else if (order && !profileFor(order.authorityCountry).authorNoticeByDefault)
    withheldReason = `the ${order.authorityCountry} jurisdiction profile does not notify authors by default`;
  const rows = relevant.map(({ entry, itemId }) => ({
    id: randomUUID(),
    accountId: entry.subject.type === "account" ? entry.subject.id : (authors.get(entry.subject.id) ?? null),
    subjectType: entry.subject.type,
    subjectId: entry.subject.id,
    orderId: order?.id ?? null,
    itemId,
    ledgerSeq: entry.seq,
    status: withheldReason ? "withheld" : "queued",
    withheldReason,
    text: noticeText(entry, order),
    createdAt: at.toISOString(),
  }));
  await insertMany(db, authorNotices, rows);
  if (!withheldReason) {
    const events: OutboxEvent[] = rows.map((r) => ({
      topic: "notice.author",
      ref: order ? `order:${order.id}` : `subject:${r.subjectType}:${r.subjectId}`,
      dedupeKey: `notice:${r.ledgerSeq}`,
      payload: {
        notice: r.id,
        accountId: r.accountId,
        subject: { type: r.subjectType, id: r.subjectId },
        ledgerSeq: r.ledgerSeq,
        text: r.text,
      },
    }));
    await enqueue(db, events, at);
  }
  return withheldReason ? { queued: 0, withheld: rows.length } : { queued: rows.length, withheld: 0 };
}
