/**
 * Legal demand intake (contract §2): the order schema, target parsing, the CSV form of an order, and
 * the checks against the requesting country's jurisdiction profile. Pure: no database, no I/O.
 *
 * Everything here reports every problem it finds at once (an order is rejected whole, never stored
 * in part), as `{ path, message }` with paths like `items.3.target` or `authority.rank`.
 */
import { parse as parseCsv } from "csv-parse/sync";
import { z } from "zod";
import { isCountryCode } from "../domain/countries.ts";
import { displayKey } from "../hashtags/normalize.ts";
import {
  AUTHORITY_TYPES,
  type JurisdictionProfile,
  matchLegalBases,
  normalizeRank,
  profileFor,
  rankRuleFor,
} from "./profiles.ts";

export const MAX_ORDER_ITEMS = 100_000;
export const DEFAULT_HOSTS: readonly string[] = ["platform.example"];

export interface Problem {
  path: string;
  message: string;
}

// ---- schema -----------------------------------------------------------------------------------

/** Free text that PostgreSQL can store (no NUL). */
const Text = (max: number) =>
  z
    .string({ error: "must be a string" })
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

const Required = (max: number) => Text(max).refine((s) => s.trim().length > 0, "must not be blank");

const Timestamp = z.iso.datetime({ offset: false, message: "must be an RFC 3339 timestamp in UTC" });

export const Authority = z.strictObject({
  name: Required(300),
  country: z.string({ error: "must be a string" }).refine(isCountryCode, {
    error: (iss) => `'${String(iss.input)}' is not an ISO 3166-1 alpha-2 country code (upper case)`,
  }),
  type: z.enum(AUTHORITY_TYPES, { error: `must be one of ${AUTHORITY_TYPES.join(", ")}` }),
  officer: Required(200).nullish(),
  rank: Required(100).nullish(),
});

export const OrderItem = z.strictObject({
  target: Text(2048).min(1, "must not be empty"),
  reason: Text(2000).optional(),
});

export const Attachment = z.strictObject({
  filename: Required(255),
  contentType: Text(127).regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a MIME type, e.g. application/pdf"),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lower-case hex digits"),
});

/** Every order field except `items`: what `vigil orders import --authority ...` gives a CSV. */
export const OrderHeader = z.strictObject({
  authority: Authority,
  legalBasis: Required(1000),
  reference: Required(200),
  receivedAt: Timestamp,
  deadline: Timestamp.nullable().default(null),
  emergency: z.boolean({ error: "must be true or false" }).default(false),
  confidential: z.boolean({ error: "must be true or false" }).default(false),
  attachments: z.array(Attachment).max(100, "must list at most 100 attachments").optional(),
});

/** The header without the unknown-field rule: what validateOrder still checks when the schema fails. */
const LooseHeader = z.object({ ...OrderHeader.shape, authority: z.object(Authority.shape) });

export const OrderRequest = OrderHeader.extend({
  items: z
    .array(OrderItem, { error: "must be an array of {target, reason?}" })
    .min(1, "must list at least one item")
    .max(MAX_ORDER_ITEMS, `must list at most ${MAX_ORDER_ITEMS} items (split the order)`),
});

export type OrderRequest = z.output<typeof OrderRequest>;
export type OrderHeader = z.output<typeof OrderHeader>;
export type OrderHeaderInput = z.input<typeof OrderHeader>;
export type OrderItem = z.output<typeof OrderItem>;

const toProblems = (issues: z.core.$ZodIssue[], prefix: (string | number)[] = []): Problem[] =>
  issues.flatMap((i) => {
    const path = [...prefix, ...i.path].map(String).join(".");
    if (i.code === "unrecognized_keys")
      return i.keys.map((k) => ({ path: path === "" ? k : `${path}.${k}`, message: "unknown field" }));
    if (i.code === "invalid_type" && i.input === undefined) return [{ path, message: "is required" }];
    return [{ path, message: i.message }];
  });

// ---- targets ----------------------------------------------------------------------------------

export type TargetKind = "account_url" | "post_url" | "handle" | "account" | "post" | "hashtag";

export interface ParsedTarget {
  kind: TargetKind;
  /** For account_url, post_url and handle: the handle as written (compare case-insensitively). */
  handle?: string;
  /** For account and post: the platform id; for post_url: the post id. */
  id?: string;
  /** For hashtag: the tag without '#'. */
  tag?: string;
}

const HANDLE = /^[A-Za-z0-9_]{1,15}$/;
/** Ids are opaque platform strings: 1–256 characters, no whitespace or control characters. */
const OPAQUE_ID = /^[^\s\p{Cc}]{1,256}$/u;
/** Post ids inside a URL path: URL-safe characters only. */
const URL_ID = /^[A-Za-z0-9_-]{1,256}$/;
const TAG = /^[^\s\p{Cc}#]{1,139}$/u;
/** First path segments that are platform pages, not profiles. */
const RESERVED_PATHS = new Set([
  "home",
  "explore",
  "search",
  "settings",
  "notifications",
  "messages",
  "i",
  "intent",
  "login",
  "logout",
  "signup",
  "tos",
  "privacy",
  "hashtag",
]);

const checkHandle = (h: string, where: string): string | null => {
  if (h.length === 0) return `${where}: the handle is empty`;
  if (h.length > 15) return `${where}: handle '${h}' is ${h.length} characters long, at most 15 are allowed`;
  if (!HANDLE.test(h)) return `${where}: handle '${h}' may only hold letters A–Z, digits and _`;
  return null;
};

/**
 * Parses one order target (contract §2). Accepted forms: `https://HOST/<handle>`,
 * `https://HOST/<handle>/status/<postId>` (also http, www., a trailing slash, ?query or #fragment),
 * `https://HOST/hashtag/<tag>`, `@handle`, `account:ID`, `post:ID`, `hashtag:TAG` and `#TAG`.
 * Leading and trailing whitespace is ignored; prefixes and hosts are case-insensitive.
 */
export function parseTarget(
  target: string,
  hosts: readonly string[] = DEFAULT_HOSTS,
): ParsedTarget | { error: string } {
  const t = target.trim();
  const generic = `'${t.length > 80 ? `${t.slice(0, 77)}...` : t}' is not a profile or post URL of ${hosts.join(" or ")}, an @handle, or account:/post:/hashtag: id`;
  if (t === "") return { error: "the target is empty" };

  if (/^https?:\/\//i.test(t)) {
    let url: URL;
    try {
      url = new URL(t);
    } catch {
      return { error: `'${t}' is not a valid URL` };
    }
    const host = url.hostname.toLowerCase().replace(/^www\./, "");
    if (!hosts.some((h) => h.toLowerCase() === host))
      return { error: `URL host '${url.hostname}' is not ${hosts.join(" or ")}: ${generic}` };
    if (url.username !== "" || url.password !== "" || url.port !== "")
      return { error: `URL '${t}' must not carry a user name, password or port` };
    const parts = url.pathname.split("/").filter((p) => p !== "");
    const decoded = parts.map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
    const [first, second, third] = decoded;
    if (first === undefined) return { error: `URL '${t}' has no path: it must name a profile or a post` };
    if (first.toLowerCase() === "hashtag" && second !== undefined && decoded.length === 2) {
      if (!TAG.test(second)) return { error: `URL '${t}': '${second}' is not a hashtag` };
      return { kind: "hashtag", tag: second };
    }
    if (RESERVED_PATHS.has(first.toLowerCase()))
      return { error: `URL '${t}': /${first} is a platform page, not a profile or post` };
    const bad = checkHandle(first, `URL '${t}'`);
    if (bad !== null) return { error: bad };
    if (decoded.length === 1) return { kind: "account_url", handle: first };
    if (decoded.length === 3 && second?.toLowerCase() === "status" && third !== undefined) {
      if (!URL_ID.test(third))
        return { error: `URL '${t}': post id '${third}' may only hold letters, digits, _ and -` };
      return { kind: "post_url", handle: first, id: third };
    }
    return {
      error: `URL '${t}': path ${url.pathname} is neither /<handle> nor /<handle>/status/<postId>`,
    };
  }

  if (t.startsWith("@")) {
    const bad = checkHandle(t.slice(1), `'${t}'`);
    return bad === null ? { kind: "handle", handle: t.slice(1) } : { error: bad };
  }
  if (t.startsWith("#")) {
    const tag = t.slice(1);
    if (!TAG.test(tag))
      return { error: `'${t}': a hashtag is 1–139 characters without spaces, control characters or '#'` };
    return { kind: "hashtag", tag };
  }

  const m = /^(account|post|hashtag):(.*)$/is.exec(t);
  if (m) {
    const kind = (m[1] as string).toLowerCase() as "account" | "post" | "hashtag";
    const value = m[2] as string;
    if (kind === "hashtag") {
      const tag = value.startsWith("#") ? value.slice(1) : value;
      if (!TAG.test(tag))
        return {
          error: `'${t}': a hashtag is 1–139 characters without spaces, control characters or '#'`,
        };
      return { kind, tag };
    }
    if (!OPAQUE_ID.test(value))
      return {
        error:
          value === ""
            ? `'${t}': the ${kind} id is empty`
            : `'${t}': a ${kind} id is 1–256 characters without spaces or control characters`,
      };
    return { kind, id: value };
  }
  return { error: generic };
}

/** What makes two targets the same subject, so that an order listing both is flagged. */
function targetKey(p: ParsedTarget): string {
  switch (p.kind) {
    case "account_url":
    case "handle":
      return `handle:${(p.handle as string).toLowerCase()}`;
    case "account":
      return `account:${p.id}`;
    case "post":
    case "post_url":
      return `post:${p.id}`;
    case "hashtag":
      return `hashtag:${displayKey(p.tag as string)}`;
  }
}

const describeKey = (key: string): string =>
  key.startsWith("handle:") ? "account" : key.startsWith("post:") ? "post" : (key.split(":")[0] as string);

// ---- profile checks ---------------------------------------------------------------------------

export interface CheckOptions {
  hosts?: readonly string[];
}

const HEADER_FIELD_VALUE: Record<
  JurisdictionProfile["requiredFields"][number],
  (o: Pick<OrderRequest, "authority" | "legalBasis" | "reference" | "deadline">) => unknown
> = {
  "authority.officer": (o) => o.authority.officer,
  "authority.rank": (o) => o.authority.rank,
  legalBasis: (o) => o.legalBasis,
  reference: (o) => o.reference,
  deadline: (o) => o.deadline,
};

function checkHeader(order: OrderHeader, profile: JurisdictionProfile): Problem[] {
  const problems: Problem[] = [];
  const where = profile.country === "*" ? "the default profile" : profile.name;
  for (const f of profile.requiredFields) {
    const v = HEADER_FIELD_VALUE[f](order);
    if (v === undefined || v === null || (typeof v === "string" && v.trim() === ""))
      problems.push({ path: f, message: `is required for orders from ${where}` });
  }

  const bases = matchLegalBases(profile, order.legalBasis);
  if (bases.length === 0)
    problems.push({
      path: "legalBasis",
      message: `'${order.legalBasis}' cites no legal basis recognised for ${where}; expected one of: ${profile.legalBases.map((b) => b.label).join("; ")}`,
    });
  else if (order.emergency && !bases.some((b) => b.emergency)) {
    const emergencyBases = profile.legalBases.filter((b) => b.emergency).map((b) => b.label);
    problems.push({
      path: "emergency",
      message:
        emergencyBases.length === 0
          ? `${where} recognises no emergency procedure, so an order cannot be an emergency order`
          : `an emergency order must cite an emergency basis (${emergencyBases.join("; ")}); '${order.legalBasis}' cites ${bases.map((b) => b.label).join("; ")}`,
    });
  }

  const rule = rankRuleFor(profile, order.authority.type);
  if (rule) {
    const rank = order.authority.rank;
    const who = `${order.authority.type} orders in ${where} must come from an officer of ${rule.minimumRank} rank or above`;
    if (rank === undefined || rank === null || rank.trim() === "")
      problems.push({ path: "authority.rank", message: `is required: ${who}` });
    else if (!rule.accepted.includes(normalizeRank(rank)))
      problems.push({
        path: "authority.rank",
        message: `'${rank}' is not ${rule.minimumRank} rank or above: ${who} (accepted: ${rule.accepted.join(", ")})`,
      });
  }

  if (order.deadline !== null && Date.parse(order.deadline) < Date.parse(order.receivedAt))
    problems.push({
      path: "deadline",
      message: `${order.deadline} is before the order was received (${order.receivedAt})`,
    });
  return problems;
}

/**
 * Per-item checks, parsing each target once: targets listed twice (always) and, with
 * `reportUnparseable`, targets that `parseTarget` rejects. Items that are not `{target: string}`
 * within the length limit are left to the schema.
 */
function itemProblems(
  items: readonly unknown[],
  hosts: readonly string[],
  reportUnparseable: boolean,
): Problem[] {
  const problems: Problem[] = [];
  const first = new Map<string, number>();
  const targets: (string | undefined)[] = [];
  for (let i = 0; i < items.length; i++) {
    const target = (items[i] as { target?: unknown } | null | undefined)?.target;
    if (typeof target !== "string" || target.length === 0 || target.length > 2048) continue;
    targets[i] = target;
    const p = parseTarget(target, hosts);
    if ("error" in p) {
      if (reportUnparseable) problems.push({ path: `items.${i}.target`, message: p.error });
      continue;
    }
    const key = targetKey(p);
    const j = first.get(key);
    if (j === undefined) first.set(key, i);
    else
      problems.push({
        path: `items.${i}.target`,
        message: `duplicates items.${j}: '${target.trim()}' and '${(targets[j] ?? "").trim()}' name the same ${describeKey(key)} (items ${j} and ${i})`,
      });
  }
  return problems;
}

/**
 * Checks a schema-valid order against a jurisdiction profile: required fields, a recognised legal
 * basis (an emergency one for an emergency order), the issuing officer's rank, the deadline not
 * before receipt, and no target listed twice (handles and hashtags compared case-insensitively,
 * a post URL and `post:ID` of the same post are the same). Unparseable targets are left to
 * `parseTarget` (see `validateOrder`).
 */
export function checkAgainstProfile(
  order: OrderRequest,
  profile: JurisdictionProfile,
  opts: CheckOptions = {},
): Problem[] {
  return [...checkHeader(order, profile), ...itemProblems(order.items, opts.hosts ?? DEFAULT_HOSTS, false)];
}

// ---- whole order ------------------------------------------------------------------------------

/** How far ahead of Vigil's clock an order's `receivedAt` may be (the sender's clock may run fast). */
export const RECEIVED_AT_SKEW_MS = 5 * 60_000;

/** An order cannot have been received in the future: `receivedAt` later than `now` plus the skew allowance. */
function receivedProblems(order: { receivedAt: string }, now: Date | undefined): Problem[] {
  if (!now) return [];
  const received = Date.parse(order.receivedAt);
  const latest = now.getTime() + RECEIVED_AT_SKEW_MS;
  return received > latest
    ? [
        {
          path: "receivedAt",
          message: `${order.receivedAt} is in the future: an order cannot be received later than now (${now.toISOString()}) plus ${RECEIVED_AT_SKEW_MS / 60_000} minutes for clock skew; the deadline is counted from it`,
        },
      ]
    : [];
}

export interface ValidateOptions extends CheckOptions {
  /** Vigil's clock: `receivedAt` may not be later than this (plus `RECEIVED_AT_SKEW_MS`). Not checked without it. */
  now?: Date;
  /** Use this profile instead of the authority country's. */
  profile?: JurisdictionProfile;
  /** Look profiles up here instead of `profileFor` (falls back to its "*" entry). */
  profiles?: ReadonlyMap<string, JurisdictionProfile>;
}

export type ValidationResult =
  | { ok: true; order: OrderRequest; profile: JurisdictionProfile }
  | { ok: false; problems: Problem[] };

const pickProfile = (country: string, opts: ValidateOptions): JurisdictionProfile => {
  if (opts.profile) return opts.profile;
  if (opts.profiles) {
    const p = opts.profiles.get(country) ?? opts.profiles.get("*");
    if (p) return p;
  }
  return profileFor(country);
};

/**
 * Validates an order body (contract §2) completely: the schema, every target, and the profile of
 * the authority's country. All problems are reported at once; when the schema fails, the parts that
 * did parse (the header, the items one by one) are still checked.
 */
export function validateOrder(input: unknown, opts: ValidateOptions = {}): ValidationResult {
  const hosts = opts.hosts ?? DEFAULT_HOSTS;
  const full = OrderRequest.safeParse(input);
  if (full.success) {
    const order = full.data;
    const profile = pickProfile(order.authority.country, opts);
    const problems = [
      ...checkHeader(order, profile),
      ...receivedProblems(order, opts.now),
      ...itemProblems(order.items, hosts, true),
    ];
    return problems.length === 0 ? { ok: true, order, profile } : { ok: false, problems };
  }

  // The schema failed: report its issues, and check what parsed anyway.
  const problems = toProblems(full.error.issues);
  if (typeof input === "object" && input !== null && !Array.isArray(input)) {
    const { items, ...rest } = input as Record<string, unknown>;
    const header = LooseHeader.safeParse(rest);
    if (header.success)
      problems.push(
        ...checkHeader(header.data, pickProfile(header.data.authority.country, opts)),
        ...receivedProblems(header.data, opts.now),
      );
    if (Array.isArray(items) && items.length <= MAX_ORDER_ITEMS)
      problems.push(...itemProblems(items, hosts, true));
  }
  return { ok: false, problems };
}

// ---- CSV --------------------------------------------------------------------------------------

export interface CsvRowProblem {
  /** 1-based line of the file where the row starts; the header is row 1. */
  row: number;
  message: string;
}

export interface CsvOptions {
  hosts?: readonly string[];
}

const CSV_COLUMNS = ["target", "reason"] as const;

/** Decodes a CSV upload: UTF-8 (BOM optional), or UTF-16 with a BOM (Excel's "Unicode text"). */
function decode(input: string | Buffer): { text: string } | { rows: CsvRowProblem[] } {
  if (typeof input === "string") return { text: input };
  if (input[0] === 0xff && input[1] === 0xfe) return { text: new TextDecoder("utf-16le").decode(input) };
  if (input[0] === 0xfe && input[1] === 0xff) return { text: new TextDecoder("utf-16be").decode(input) };
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(input) };
  } catch {
    const lines = new TextDecoder("utf-8").decode(input).split("\n");
    const rows: CsvRowProblem[] = [];
    lines.forEach((l, i) => {
      if (l.includes("\uFFFD"))
        rows.push({ row: i + 1, message: "is not valid UTF-8: save the file as CSV UTF-8" });
    });
    return { rows };
  }
}

/**
 * Reads the CSV form of an order (columns `target,reason`; header row required, any case; RFC 4180
 * quoting; CRLF or LF; UTF-8 BOM) and joins it to `header`. Every malformed row is reported, with
 * rows counted as lines of the file (the header is row 1); if any row is bad, no order is returned.
 * The header fields are not checked here: pass the order to `validateOrder`.
 */
export function parseOrderCsv(
  input: string | Buffer,
  header: OrderHeaderInput,
  opts: CsvOptions = {},
): { order: OrderHeaderInput & { items: OrderItem[] } } | { rows: CsvRowProblem[] } {
  const hosts = opts.hosts ?? DEFAULT_HOSTS;
  const decoded = decode(input);
  if ("rows" in decoded) return decoded;
  const text = decoded.text.startsWith("\uFEFF") ? decoded.text.slice(1) : decoded.text;

  const rows: CsvRowProblem[] = [];
  // Records and CSV errors, in file order, with the offset just past each. csv-parse's own line
  // counts drift after a CRLF inside a quoted field, so rows are counted here from offsets.
  type Event = { record: string[]; end: number } | { error: string; at: number };
  const events: Event[] = [];
  try {
    parseCsv(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_record: (record: string[], ctx: { bytes: number }) => {
        events.push({ record, end: ctx.bytes });
        return null;
      },
      on_skip: (err: { message: string; bytes?: number } | undefined) => {
        if (!err) return;
        const why = err.message.replace(/ at line \d+/, "").replace(/, value is .*$/, "");
        events.push({ error: why, at: err.bytes ?? text.length });
      },
    });
  } catch (e) {
    return { rows: [{ row: 1, message: `is not valid CSV: ${(e as Error).message}` }] };
  }

  let line = 1;
  let lineAt = 0;
  const lineOf = (offset: number): number => {
    for (let i = text.indexOf("\n", lineAt); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
      line++;
      lineAt = i + 1;
    }
    return line;
  };
  const records: { record: string[]; row: number }[] = [];
  let pos = 0;
  for (const ev of events) {
    while (pos < text.length && (text[pos] === "\r" || text[pos] === "\n")) pos++;
    const row = lineOf(pos);
    if ("record" in ev) {
      records.push({ record: ev.record, row });
      pos = Math.max(pos, ev.end);
    } else {
      rows.push({ row, message: `is not valid CSV: ${ev.error}` });
      const nl = text.indexOf("\n", Math.max(pos, ev.at));
      pos = nl === -1 ? text.length : nl + 1;
    }
  }
  const head = records[0];
  if (head === undefined)
    return {
      rows: [...rows, { row: 1, message: "the file is empty: it needs a header row 'target,reason'" }],
    };
  const names = head.record.map((c) => c.trim().toLowerCase());
  const headRow = head.row;
  const headerProblems: string[] = [];
  names.forEach((n, i) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(n))
      headerProblems.push(
        n === "" ? `column ${i + 1} has no name` : `unknown column '${head.record[i]?.trim()}'`,
      );
    else if (names.indexOf(n) !== i) headerProblems.push(`column '${n}' appears twice`);
  });
  const targetCol = names.indexOf("target");
  const reasonCol = names.indexOf("reason");
  if (targetCol === -1) headerProblems.push("no 'target' column");
  if (headerProblems.length > 0) {
    rows.unshift({
      row: headRow,
      message: `the header row must be 'target,reason' (any case): ${headerProblems.join("; ")}`,
    });
    return { rows };
  }

  const items: OrderItem[] = [];
  // Lines of only commas count as blank lines.
  const data = records.slice(1).filter((r) => r.record.some((c) => c.trim() !== ""));
  for (const r of data) {
    const row = r.row;
    const f = r.record;
    if (f.length !== names.length) {
      rows.push({
        row,
        message: `has ${f.length} field${f.length === 1 ? "" : "s"}, the header has ${names.length} (quote a value that holds a comma)`,
      });
      continue;
    }
    const target = (f[targetCol] as string).trim();
    const reason = reasonCol === -1 ? "" : (f[reasonCol] as string).trim();
    const msgs: string[] = [];
    if (target === "") msgs.push("target is empty");
    else if (target.length > 2048) msgs.push(`target is ${target.length} characters long, at most 2048`);
    else {
      const p = parseTarget(target, hosts);
      if ("error" in p) msgs.push(`target: ${p.error}`);
    }
    if (reason.length > 2000) msgs.push(`reason is ${reason.length} characters long, at most 2000`);
    if (target.includes("\u0000") || reason.includes("\u0000")) msgs.push("must not contain NUL characters");
    if (msgs.length > 0) rows.push({ row, message: msgs.join("; ") });
    else items.push(reason === "" ? { target } : { target, reason });
  }
  if (data.length === 0 && rows.length === 0)
    rows.push({ row: headRow, message: "the file has a header but no data rows" });
  else if (data.length > MAX_ORDER_ITEMS)
    rows.push({
      row: headRow,
      message: `the file has ${data.length} data rows, at most ${MAX_ORDER_ITEMS} are allowed (split the order)`,
    });
  if (rows.length > 0) return { rows: rows.sort((a, b) => a.row - b.row) };
  return { order: { ...header, items } };
}
