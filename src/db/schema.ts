/**
 * The database schema, one table per export. Migrations in `drizzle/` are generated from this file
 * with `npm run db:generate`; the same migrations run on PGlite and on PostgreSQL 15+.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "string" });

/** The enforcement ledger: append-only, hash-chained. Never updated or deleted by Vigil. */
export const ledger = pgTable(
  "ledger",
  {
    seq: bigint("seq", { mode: "number" }).primaryKey(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
    /** The canonical entry body (see ledger/canonical.ts); the hash covers it. */
    body: jsonb("body").notNull(),
    /** Copies of body fields, for indexes only; `ledger verify` checks they match the body. */
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    idempotencyKey: text("idempotency_key"),
    recordedAt: ts("recorded_at").notNull(),
  },
  (t) => [
    index("ledger_subject_idx").on(t.subjectType, t.subjectId, t.seq),
    uniqueIndex("ledger_idempotency_key_idx").on(t.idempotencyKey),
  ],
);

/** A single row holding the chain's head, locked by every append so appends serialize. */
export const ledgerHead = pgTable(
  "ledger_head",
  {
    id: integer("id").primaryKey(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [check("ledger_head_single_row", sql`${t.id} = 1`)],
);

/**
 * The projection: what is in force for each subject, keyed by restriction
 * (`suspend`, `withhold:IN`, `label:manipulated_media:*`, `suppress:trends:*`, `limit_engagement:*`).
 * Updated in the same transaction as the ledger append. What each restriction says (reason, basis,
 * source...) is read from its ledger entry by `seq`: one source of truth.
 */
export const enforcementState = pgTable(
  "enforcement_state",
  {
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    key: text("key").notNull(),
    /** The ledger entry that put this restriction in force. */
    seq: bigint("seq", { mode: "number" }).notNull(),
    expiresAt: ts("expires_at"),
  },
  (t) => [
    primaryKey({ columns: [t.subjectType, t.subjectId, t.key] }),
    index("enforcement_state_expires_idx").on(t.expiresAt).where(sql`${t.expiresAt} is not null`),
  ],
);

/** Platform accounts, as last reported by ingest. */
export const accounts = pgTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    handle: text("handle").notNull(),
    displayName: text("display_name").notNull(),
    createdAt: ts("created_at").notNull(),
    country: text("country"),
    lang: text("lang"),
    bio: text("bio").notNull(),
    hasAvatar: boolean("has_avatar").notNull(),
    followers: integer("followers").notNull(),
    following: integer("following").notNull(),
    verified: boolean("verified").notNull(),
    ingestedAt: ts("ingested_at").notNull(),
  },
  (t) => [index("accounts_handle_lower_idx").on(sql`lower(${t.handle})`)],
);

/** Platform posts, with the entities Vigil extracted from their text. */
export const posts = pgTable(
  "posts",
  {
    id: text("id").primaryKey(),
    authorId: text("author_id").notNull(),
    createdAt: ts("created_at").notNull(),
    text: text("text").notNull(),
    lang: text("lang"),
    replyTo: text("reply_to"),
    quoteOf: text("quote_of"),
    repostOf: text("repost_of"),
    urls: jsonb("urls").$type<string[]>().notNull(),
    media: jsonb("media").$type<{ id: string; type: string; url?: string }[]>().notNull(),
    hashtags: text("hashtags").array().notNull(),
    mentions: text("mentions").array().notNull(),
    deletedAt: ts("deleted_at"),
    ingestedAt: ts("ingested_at").notNull(),
  },
  (t) => [index("posts_author_idx").on(t.authorId, t.createdAt), index("posts_created_idx").on(t.createdAt)],
);

/** Delete events, kept even when they arrive before their post. */
export const deletions = pgTable("deletions", {
  postId: text("post_id").primaryKey(),
  at: ts("at").notNull(),
});

/** API keys. Only a SHA-256 of the secret is stored. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    secretHash: text("secret_hash").notNull(),
    role: text("role").notNull(),
    authority: text("authority"),
    label: text("label"),
    createdAt: ts("created_at").notNull(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_secret_hash_idx").on(t.secretHash)],
);

/** Small facts about this installation (e.g. which demo was loaded). */
export const meta = pgTable("meta", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
});

/** Legal demands (contract §2). One row per order; re-submitting a reference returns the same order. */
export const orders = pgTable(
  "orders",
  {
    id: text("id").primaryKey(),
    authorityName: text("authority_name").notNull(),
    authorityCountry: text("authority_country").notNull(),
    authorityType: text("authority_type").notNull(),
    reference: text("reference").notNull(),
    /** The order as submitted (validated), for the record and for compliance responses. */
    body: jsonb("body").notNull(),
    receivedAt: ts("received_at").notNull(),
    deadline: ts("deadline").notNull(),
    /** For emergency orders: when temporary measures must be confirmed or lifted. */
    reviewDeadline: ts("review_deadline"),
    emergency: boolean("emergency").notNull(),
    confidential: boolean("confidential").notNull(),
    legalBasisId: text("legal_basis_id"),
    createdAt: ts("created_at").notNull(),
    createdBy: text("created_by").notNull(),
    /** Emergency orders: the final order (reference, date) that confirmed the interim measures. */
    confirmedAt: ts("confirmed_at"),
    confirmation: jsonb("confirmation"),
  },
  (t) => [
    uniqueIndex("orders_authority_reference_idx").on(t.authorityName, t.reference),
    index("orders_deadline_idx").on(t.deadline),
  ],
);

/** The items of an order, each resolved to a subject or marked unresolved with the reason. */
export const orderItems = pgTable(
  "order_items",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    position: integer("position").notNull(),
    target: text("target").notNull(),
    reason: text("reason"),
    /** resolved | unresolvable | deleted */
    resolution: text("resolution").notNull(),
    subjectType: text("subject_type"),
    subjectId: text("subject_id"),
    resolutionNote: text("resolution_note"),
    recommendation: jsonb("recommendation").notNull(),
  },
  (t) => [
    uniqueIndex("order_items_order_position_idx").on(t.orderId, t.position),
    index("order_items_subject_idx").on(t.subjectType, t.subjectId),
  ],
);

/** Decisions on order items. A later decision on an item supersedes an earlier one; all are kept. */
export const orderDecisions = pgTable(
  "order_decisions",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    itemId: text("item_id").notNull(),
    outcome: text("outcome").notNull(),
    /** countries, action, rule, until: as decided. */
    params: jsonb("params").notNull(),
    reason: text("reason").notNull(),
    decidedBy: text("decided_by").notNull(),
    decidedAt: ts("decided_at").notNull(),
    /** The ledger entry that carried it out (null for no_action). */
    ledgerSeq: bigint("ledger_seq", { mode: "number" }),
  },
  (t) => [index("order_decisions_order_idx").on(t.orderId, t.itemId, t.decidedAt)],
);

/** The protected-category registry: accounts of news media, journalists, activists and politicians. */
export const protectedAccounts = pgTable("protected_accounts", {
  accountId: text("account_id").primaryKey(),
  category: text("category").notNull(),
  verifiedBy: text("verified_by").notNull(),
  verifiedAt: ts("verified_at").notNull(),
  note: text("note"),
});

/** Who read confidential records, and when (append-only). */
export const auditReads = pgTable(
  "audit_reads",
  {
    id: text("id").primaryKey(),
    keyId: text("key_id").notNull(),
    role: text("role").notNull(),
    resource: text("resource").notNull(),
    resourceId: text("resource_id").notNull(),
    at: ts("at").notNull(),
  },
  (t) => [index("audit_reads_resource_idx").on(t.resource, t.resourceId, t.at)],
);

/** Correspondence recorded against an order: non-compliance notices, letters, responses. */
export const orderCorrespondence = pgTable(
  "order_correspondence",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    kind: text("kind").notNull(),
    direction: text("direction").notNull(),
    at: ts("at").notNull(),
    deadline: ts("deadline"),
    summary: text("summary").notNull(),
    body: text("body"),
    recordedBy: text("recorded_by").notNull(),
    recordedAt: ts("recorded_at").notNull(),
  },
  (t) => [index("order_correspondence_order_idx").on(t.orderId, t.at)],
);

/** Binary columns (attachments). */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** Documents attached to an order (the signed order PDF, annexures), stored with their SHA-256. */
export const orderAttachments = pgTable(
  "order_attachments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    sha256: text("sha256").notNull(),
    size: integer("size").notNull(),
    content: bytea("content").notNull(),
    uploadedBy: text("uploaded_by").notNull(),
    uploadedAt: ts("uploaded_at").notNull(),
  },
  (t) => [uniqueIndex("order_attachments_order_sha_idx").on(t.orderId, t.sha256)],
);

/**
 * The outbox: every side effect (webhook, author notice, overdue alert) is written here in the same
 * transaction as the change it announces, and leaves only after commit. `dedupe_key` makes a
 * repeated event (a second overdue check) a no-op.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    topic: text("topic").notNull(),
    dedupeKey: text("dedupe_key"),
    /** What the event is about, e.g. `order:<id>`, for timelines. */
    ref: text("ref"),
    payload: jsonb("payload").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [uniqueIndex("outbox_dedupe_key_idx").on(t.dedupeKey), index("outbox_ref_idx").on(t.ref, t.id)],
);

/** Webhook subscriptions: events of the listed topics are POSTed, signed with HMAC-SHA256. */
export const webhooks = pgTable("webhooks", {
  id: text("id").primaryKey(),
  url: text("url").notNull(),
  /** The signing secret (needed to sign; shown once when created). */
  secret: text("secret").notNull(),
  topics: text("topics").array().notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: ts("created_at").notNull(),
  disabledAt: ts("disabled_at"),
});

/** One row per (event, subscription): the delivery state, retried with backoff until delivered or dead. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    outboxId: bigint("outbox_id", { mode: "number" }).notNull(),
    webhookId: text("webhook_id").notNull(),
    /** pending | delivered | dead */
    status: text("status").notNull(),
    attempts: integer("attempts").notNull(),
    nextAttemptAt: ts("next_attempt_at").notNull(),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    deliveredAt: ts("delivered_at"),
  },
  (t) => [
    primaryKey({ columns: [t.outboxId, t.webhookId] }),
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** Notices to affected authors (or the reason none was sent: a confidential order). */
export const authorNotices = pgTable(
  "author_notices",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id"),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    orderId: text("order_id"),
    itemId: text("item_id"),
    ledgerSeq: bigint("ledger_seq", { mode: "number" }),
    /** queued (handed to the outbox) | withheld (not sent, see `withheldReason`) */
    status: text("status").notNull(),
    withheldReason: text("withheld_reason"),
    text: text("text").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    index("author_notices_order_idx").on(t.orderId),
    index("author_notices_subject_idx").on(t.subjectType, t.subjectId),
  ],
);

/** Appeals by affected users against an enforcement (a ledger entry). */
export const appeals = pgTable(
  "appeals",
  {
    id: text("id").primaryKey(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    /** The ledger entry appealed against. */
    ledgerSeq: bigint("ledger_seq", { mode: "number" }).notNull(),
    orderId: text("order_id"),
    itemId: text("item_id"),
    appellant: text("appellant").notNull(),
    text: text("text").notNull(),
    receivedAt: ts("received_at").notNull(),
    /** open | granted | denied */
    state: text("state").notNull(),
    decidedBy: text("decided_by"),
    decidedAt: ts("decided_at"),
    decisionReason: text("decision_reason"),
    /** The reversal written when the appeal was granted. */
    restoreSeq: bigint("restore_seq", { mode: "number" }),
  },
  (t) => [index("appeals_state_idx").on(t.state, t.receivedAt), index("appeals_seq_idx").on(t.ledgerSeq)],
);

/** User and trusted-flagger reports (contract §6). Each joins the open report case of its subject. */
export const reports = pgTable(
  "reports",
  {
    id: text("id").primaryKey(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    reason: text("reason").notNull(),
    reporterType: text("reporter_type").notNull(),
    reporterId: text("reporter_id").notNull(),
    text: text("text"),
    receivedAt: ts("received_at").notNull(),
    /** Null when the reporter is muted: the report is kept, but raises no case. */
    caseId: text("case_id"),
  },
  (t) => [
    index("reports_subject_idx").on(t.subjectType, t.subjectId),
    index("reports_reporter_idx").on(t.reporterType, t.reporterId),
  ],
);

/** Review cases in queues (campaign, violent_speech, report, appeal): open → escalated → closed. */
export const cases = pgTable(
  "cases",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    state: text("state").notNull(),
    title: text("title").notNull(),
    /** [{type, id, score}] */
    subjects: jsonb("subjects").notNull(),
    /** What the detector or the reporters saw, for a reviewer. */
    evidence: jsonb("evidence").notNull(),
    /** Higher first in the queue. */
    priority: integer("priority").notNull(),
    assignee: text("assignee"),
    /** What the case is about, e.g. `report:post:p1` or `campaign:<id>`. */
    key: text("key"),
    /** `key` while the case is not closed: one open case per key; closing releases it. */
    openKey: text("open_key"),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
    closedAt: ts("closed_at"),
    resolution: text("resolution"),
  },
  (t) => [
    index("cases_queue_idx").on(t.kind, t.state, t.priority),
    uniqueIndex("cases_open_key_idx").on(t.openKey),
  ],
);

/** Everything that happened to a case, append-only: opened, reports, assignment, notes, state, actions. */
export const caseEvents = pgTable(
  "case_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    caseId: text("case_id").notNull(),
    at: ts("at").notNull(),
    actor: text("actor").notNull(),
    kind: text("kind").notNull(),
    body: jsonb("body").notNull(),
  },
  (t) => [index("case_events_case_idx").on(t.caseId, t.id)],
);

/** Reporters whose reports raise no case (noisy or abusive reporters), until a time or for good. */
export const mutedReporters = pgTable(
  "muted_reporters",
  {
    reporterType: text("reporter_type").notNull(),
    reporterId: text("reporter_id").notNull(),
    until: ts("until"),
    reason: text("reason").notNull(),
    mutedBy: text("muted_by").notNull(),
    mutedAt: ts("muted_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.reporterType, t.reporterId] })],
);

/**
 * Per-detector automatic-action thresholds, set by an admin; every change is a new row (the history
 * is the log). No row, or a null threshold, means the detector only raises cases.
 */
export const detectorSettings = pgTable(
  "detector_settings",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    detector: text("detector").notNull(),
    /** Members scoring at or above it are acted on automatically; null disables. */
    threshold: doublePrecision("threshold"),
    action: text("action"),
    rule: text("rule"),
    reason: text("reason").notNull(),
    setBy: text("set_by").notNull(),
    setAt: ts("set_at").notNull(),
  },
  (t) => [index("detector_settings_detector_idx").on(t.detector, t.id)],
);

/** Signed checkpoints of the ledger: an Ed25519 signature over (seq, hash), every N entries or hourly. */
export const ledgerCheckpoints = pgTable("ledger_checkpoints", {
  seq: bigint("seq", { mode: "number" }).primaryKey(),
  hash: text("hash").notNull(),
  signedAt: ts("signed_at").notNull(),
  /** First 16 hex digits of the SHA-256 of the public key. */
  keyId: text("key_id").notNull(),
  /** The Ed25519 public key, SPKI DER in base64. */
  publicKey: text("public_key").notNull(),
  signature: text("signature").notNull(),
});

/** Console users (per-user logins); passwords are stored as scrypt hashes only. */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    username: text("username").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").notNull(),
    authority: text("authority"),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    disabledAt: ts("disabled_at"),
  },
  (t) => [uniqueIndex("users_username_idx").on(sql`lower(${t.username})`)],
);

/** Console sessions: the cookie holds a random token; only its SHA-256 is stored. */
export const sessions = pgTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id").notNull(),
    csrfToken: text("csrf_token").notNull(),
    createdAt: ts("created_at").notNull(),
    expiresAt: ts("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);
