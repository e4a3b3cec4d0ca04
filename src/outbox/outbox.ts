/**
 * The outbox. A side effect (a webhook call, an author notice, an overdue alert) is recorded here in
 * the same transaction as the change it announces, with one pending delivery per subscribed webhook,
 * and leaves only after that transaction commits (the dispatcher reads committed rows). A rolled-back
 * change therefore never announces anything, and a committed one is announced at least once.
 */
import { asc, eq, sql } from "drizzle-orm";
import { outbox } from "../db/schema.ts";
import { type Db, query } from "../db/store.ts";

/** Every topic Vigil publishes. Subscriptions name topics, or `*` for all. */
export const TOPICS = [
  "order.received",
  "order.decided",
  "order.due_soon",
  "order.overdue",
  "order.emergency_review_due",
  "order.confirmed",
  "order.restored",
  "order.response_sent",
  "notice.author",
  "appeal.received",
  "appeal.decided",
  "case.opened",
  "case.action",
] as const;
export type Topic = (typeof TOPICS)[number];

export interface OutboxEvent {
  topic: Topic;
  /** A repeated event with the same key is dropped (e.g. `overdue:<order id>`). */
  dedupeKey?: string | null;
  /** What it is about, e.g. `order:<id>`, so timelines can list it. */
  ref?: string | null;
  payload: Record<string, unknown>;
}

export interface StoredEvent {
  id: number;
  topic: string;
  ref: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
}

/**
 * Records events in `db` (pass the transaction of the change they announce). Returns the ids of the
 * events recorded; deduplicated ones are left out.
 */
export async function enqueue(db: Db, events: OutboxEvent[], at: Date): Promise<number[]> {
  if (events.length === 0) return [];
  const rows = events.map((e) => ({
    topic: e.topic,
    dedupe_key: e.dedupeKey ?? null,
    ref: e.ref ?? null,
    payload: e.payload,
  }));
  // One statement: insert the events, then one pending delivery per active subscription.
  const ids = await query<{ id: number }>(
    db,
    sql`with ev as (
          insert into outbox (topic, dedupe_key, ref, payload, created_at)
          select r.topic, r.dedupe_key, r.ref, r.payload, ${at.toISOString()}
          from json_to_recordset(${JSON.stringify(rows)}::json) as r(topic text, dedupe_key text, ref text, payload jsonb)
          on conflict (dedupe_key) do nothing
          returning id, topic
        ), d as (
          insert into webhook_deliveries (outbox_id, webhook_id, status, attempts, next_attempt_at)
          select ev.id, w.id, 'pending', 0, ${at.toISOString()}
          from ev join webhooks w on w.disabled_at is null and (ev.topic = any(w.topics) or '*' = any(w.topics))
          returning 1
        )
        select id::int as id from ev order by id`,
  );
  return ids.map((r) => Number(r.id));
}

/** Events about one thing (e.g. `order:<id>`), oldest first. */
export async function eventsFor(db: Db, ref: string): Promise<StoredEvent[]> {
  const rows = await db.select().from(outbox).where(eq(outbox.ref, ref)).orderBy(asc(outbox.id));
  return rows.map((r) => ({
    id: r.id,
    topic: r.topic,
    ref: r.ref,
    payload: r.payload as Record<string, unknown>,
    createdAt: new Date(r.createdAt).toISOString(),
  }));
}
