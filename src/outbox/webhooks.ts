/**
 * Webhook subscriptions and their dispatcher. Each delivery is a POST of
 * `{"id", "topic", "createdAt", "payload"}` signed with HMAC-SHA256 over `"<t>.<body>"`, sent as
 * `Vigil-Signature: t=<unix seconds>,v1=<hex>` (the receiver checks it with `verifySignature`).
 * A delivery that fails (network error, timeout, non-2xx) is retried with exponential backoff, and
 * after `maxAttempts` it is marked dead; its last status and error stay on record.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { z } from "zod";
import type { Principal } from "../auth/policy.ts";
import { authorize } from "../auth/policy.ts";
import { webhookDeliveries, webhooks } from "../db/schema.ts";
import { type Db, query } from "../db/store.ts";
import { NotFoundError } from "../errors.ts";
import { TOPICS } from "./outbox.ts";

export const WebhookRequest = z.strictObject({
  url: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
    .max(2048)
    .describe("where events are POSTed"),
  topics: z
    .array(z.enum([...TOPICS, "*"]))
    .min(1, "subscribe to at least one topic, or '*'")
    .max(TOPICS.length + 1),
  secret: z
    .string()
    .min(24, "a signing secret needs at least 24 characters")
    .max(200)
    .optional()
    .describe("the HMAC key; generated when omitted (returned once)"),
});
export type WebhookRequest = z.output<typeof WebhookRequest>;

export interface WebhookView {
  id: string;
  url: string;
  topics: string[];
  createdBy: string;
  createdAt: string;
  disabledAt: string | null;
}

export const SIGNATURE_HEADER = "vigil-signature";

export function sign(secret: string, body: string, t: number): string {
  const mac = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${mac}`;
}

/** For receivers: true when `header` signs `body` with `secret`, within `toleranceS` of `nowS`. */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowS = Math.floor(Date.now() / 1000),
  toleranceS = 300,
): boolean {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowS - t) > toleranceS) return false;
  const expected = Buffer.from(sign(secret, body, t).split("v1=")[1]!, "hex");
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const iso = (t: string | null) => (t ? new Date(t).toISOString() : null);

export class WebhookService {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(req: WebhookRequest, principal: Principal): Promise<WebhookView & { secret: string }> {
    authorize(principal, "create", "webhook");
    const row = {
      id: randomUUID(),
      url: req.url,
      secret: req.secret ?? `whsec_${randomBytes(24).toString("base64url")}`,
      topics: [...new Set(req.topics)],
      createdBy: principal.keyId,
      createdAt: this.now().toISOString(),
      disabledAt: null,
    };
    await this.db.insert(webhooks).values(row);
    return { ...this.view(row), secret: row.secret };
  }

  async list(principal: Principal): Promise<WebhookView[]> {
    authorize(principal, "read", "webhook");
    const rows = await this.db.select().from(webhooks).orderBy(asc(webhooks.createdAt));
    return rows.map((r) => this.view(r));
  }

  async disable(id: string, principal: Principal): Promise<WebhookView> {
    authorize(principal, "create", "webhook");
    const [row] = await this.db
      .update(webhooks)
      .set({ disabledAt: this.now().toISOString() })
      .where(and(eq(webhooks.id, id), isNull(webhooks.disabledAt)))
      .returning();
    if (!row) throw new NotFoundError(`no active webhook '${id}'`);
    // Nothing more leaves for it.
    await this.db
      .update(webhookDeliveries)
      .set({ status: "dead", lastError: "webhook disabled" })
      .where(and(eq(webhookDeliveries.webhookId, id), eq(webhookDeliveries.status, "pending")));
    return this.view(row);
  }

  async deliveries(id: string, principal: Principal, limit = 100) {
    authorize(principal, "read", "webhook");
    const rows = await query<{
      outbox_id: number;
      topic: string;
      status: string;
      attempts: number;
      next_attempt_at: string;
      last_status: number | null;
      last_error: string | null;
      delivered_at: string | null;
    }>(
      this.db,
      sql`select d.outbox_id::int as outbox_id, o.topic, d.status, d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.delivered_at
          from webhook_deliveries d join outbox o on o.id = d.outbox_id
          where d.webhook_id = ${id} order by d.outbox_id desc limit ${limit}`,
    );
    return rows.map((r) => ({
      event: Number(r.outbox_id),
      topic: r.topic,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt: iso(r.next_attempt_at),
      lastStatus: r.last_status,
      lastError: r.last_error,
      deliveredAt: iso(r.delivered_at),
    }));
  }

  private view(r: typeof webhooks.$inferSelect): WebhookView {
    return {
      id: r.id,
      url: r.url,
      topics: r.topics,
      createdBy: r.createdBy,
      createdAt: new Date(r.createdAt).toISOString(),
      disabledAt: iso(r.disabledAt),
    };
  }
}

export interface DispatcherOptions {
  /** First retry after this; doubled per attempt, capped at `maxBackoffMs`. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  maxAttempts?: number;
  timeoutMs?: number;
  batch?: number;
  /** A claimed delivery is retried by another dispatcher after this, should this one die. */
  leaseMs?: number;
}

interface Claimed {
  outbox_id: number;
  webhook_id: string;
  attempts: number;
  url: string;
  secret: string;
  topic: string;
  payload: unknown;
  created_at: string;
}

export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly opts: Required<DispatcherOptions>;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    opts: DispatcherOptions = {},
  ) {
    this.opts = {
      baseBackoffMs: 10_000,
      maxBackoffMs: 3_600_000,
      maxAttempts: 12,
      timeoutMs: 10_000,
      batch: 50,
      leaseMs: 60_000,
      ...opts,
    };
  }

  /** Delivers what is due now; returns how many deliveries were attempted. */
  async runOnce(): Promise<number> {
    if (this.running) return this.running;
    this.running = this.sweep().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async sweep(): Promise<number> {
    const now = this.now();
    // Claim due deliveries by moving their next attempt past a lease: another dispatcher skips them.
    const claimed = await query<Claimed>(
      this.db,
      sql`with due as (
            select outbox_id, webhook_id from webhook_deliveries
            where status = 'pending' and next_attempt_at <= ${now.toISOString()}
            order by next_attempt_at, outbox_id limit ${this.opts.batch}
            for update skip locked
          )
          update webhook_deliveries d set next_attempt_at = ${new Date(now.getTime() + this.opts.leaseMs).toISOString()}
          from due, webhooks w, outbox o
          where d.outbox_id = due.outbox_id and d.webhook_id = due.webhook_id and w.id = d.webhook_id and o.id = d.outbox_id
          returning d.outbox_id::int as outbox_id, d.webhook_id, d.attempts, w.url, w.secret, o.topic, o.payload, o.created_at`,
    );
    await Promise.all(claimed.map((c) => this.deliver(c)));
    return claimed.length;
  }

  private async deliver(c: Claimed): Promise<void> {
    const body = JSON.stringify({
      id: Number(c.outbox_id),
      topic: c.topic,
      createdAt: new Date(c.created_at).toISOString(),
      payload: typeof c.payload === "string" ? JSON.parse(c.payload) : c.payload,
    });
    const t = Math.floor(this.now().getTime() / 1000);
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(c.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [SIGNATURE_HEADER]: sign(c.secret, body, t),
          "vigil-event-id": String(c.outbox_id),
          "vigil-topic": c.topic,
        },
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        redirect: "manual",
      });
      status = res.status;
      await res.body?.cancel();
      if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    const attempts = c.attempts + 1;
    const key = and(
      eq(webhookDeliveries.outboxId, c.outbox_id),
      eq(webhookDeliveries.webhookId, c.webhook_id),
    );
    if (error === null) {
      await this.db
        .update(webhookDeliveries)
        .set({
          status: "delivered",
          attempts,
          lastStatus: status,
          lastError: null,
          deliveredAt: this.now().toISOString(),
        })
        .where(key);
      return;
    }
    const dead = attempts >= this.opts.maxAttempts;
    const backoff = Math.min(this.opts.baseBackoffMs * 2 ** (attempts - 1), this.opts.maxBackoffMs);
    await this.db
      .update(webhookDeliveries)
      .set({
        status: dead ? "dead" : "pending",
        attempts,
        lastStatus: status,
        lastError: error.slice(0, 500),
        nextAttemptAt: new Date(this.now().getTime() + backoff).toISOString(),
      })
      .where(key);
    this.logger.warn(
      { event: c.outbox_id, webhook: c.webhook_id, attempts, error, dead },
      "webhook delivery failed",
    );
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    const tick = () => {
      this.runOnce()
        .catch((err) => this.logger.error({ err }, "webhook dispatch failed"))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
