/**
 * Reports and review cases over HTTP (contract §6): reports join one open case per subject, muted
 * reporters raise none, the state machine refuses impossible moves, and bulk enforcement from a case
 * honours exclusions, never includes a protected account silently, cites the case in the ledger and
 * reaches the resolver.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { query } from "../src/db/store.ts";
import { loadDemo } from "../src/demo/load.ts";
import { buildServer } from "../src/http/server.ts";
import { ADMIN_KEY, openTestContext, type TestContext } from "./helpers.ts";

let t: TestContext;
let app: FastifyInstance;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
let moderator: Record<string, string>;
let auditor: Record<string, string>;
/** The campaign case the bulk-action test raises (the detectors may raise others on the demo). */
let campaignCase: string;

const call = async (
  method: "GET" | "POST",
  url: string,
  payload?: unknown,
  headers: Record<string, string> = admin,
) => app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as never }) });
const ok = async (
  method: "GET" | "POST",
  url: string,
  payload?: unknown,
  status = 200,
  headers: Record<string, string> = admin,
) => {
  const res = await call(method, url, payload, headers);
  assert.equal(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 400)}`);
  return res.statusCode === 204 ? null : res.json();
};
const ledgerCount = async () =>
  (await query<{ n: number }>(t.ctx.store.db, sql`select count(*)::int as n from ledger`))[0]!.n;

before(async () => {
  t = await openTestContext("pglite");
  await loadDemo(t.ctx, { scale: 0.2 });
  app = await buildServer(t.ctx);
  await t.ctx.visibility.start();
  const key = async (role: string) =>
    ({ authorization: `Bearer ${(await ok("POST", "/v1/keys", { role }, 201)).key}` }) as Record<
      string,
      string
    >;
  moderator = await key("moderator");
  auditor = await key("auditor");
});
after(async () => {
  await app?.close();
  await t?.cleanup();
});

test("reports on one subject join one open case, weighted by trusted flaggers; a muted reporter raises none", async () => {
  const [post] = await query<{ id: string }>(t.ctx.store.db, sql`select id from posts order by id limit 1`);
  const subject = { type: "post", id: post!.id };
  const a = await ok(
    "POST",
    "/v1/reports",
    { subject, reason: "violent_speech", reporter: { type: "user", id: "u1" }, text: "calls for attacks" },
    201,
  );
  const b = await ok(
    "POST",
    "/v1/reports",
    { subject, reason: "threat", reporter: { type: "trusted_flagger", id: "tf-1" } },
    201,
  );
  assert.ok(a.case);
  assert.equal(b.case, a.case, "the second report joins the open case");
  const c = await ok("GET", `/v1/cases/${a.case}`);
  assert.equal(c.kind, "report");
  assert.equal(c.evidence.reports, 2);
  assert.deepEqual(c.evidence.byReason, { violent_speech: 1, threat: 1 });
  assert.equal(c.priority, 1 + 5, "a trusted flagger weighs five");
  assert.deepEqual(
    c.history.map((h: { kind: string }) => h.kind),
    ["opened", "evidence_updated"],
  );
  const bad = await call("POST", "/v1/reports", {
    subject,
    reason: "nonsense",
    reporter: { type: "user", id: "u1" },
  });
  assert.equal(bad.statusCode, 400);
  await ok(
    "POST",
    "/v1/reporters/mute",
    { reporter: { type: "user", id: "u2" }, reason: "files dozens of reports a day" },
    204,
    moderator,
  );
  const muted = await ok(
    "POST",
    "/v1/reports",
    { subject, reason: "spam", reporter: { type: "user", id: "u2" } },
    201,
  );
  assert.equal(muted.muted, true);
  assert.equal(muted.case, null);
  assert.equal((await ok("GET", `/v1/cases/${a.case}`)).evidence.reports, 2, "a muted report does not count");
  const stored = await query<{ n: number }>(t.ctx.store.db, sql`select count(*)::int as n from reports`);
  assert.equal(stored[0]!.n, 3, "the muted report is still stored");
});

test("the case state machine: assign, note, escalate, close, reopen; impossible moves are refused", async () => {
  const { cases, total } = await ok("GET", "/v1/cases?kind=report&state=open");
  assert.equal(total, cases.length, "the count covers the whole queue");
  const firstOnly = await ok("GET", "/v1/cases?kind=report&state=open&limit=1");
  assert.equal(firstOnly.cases.length, 1);
  assert.equal(firstOnly.total, total, "a page is counted against the whole queue");
  const id = cases[0].id;
  const tr = (body: unknown, status = 200, headers = moderator) =>
    ok("POST", `/v1/cases/${id}/transitions`, body, status, headers);
  await tr({ op: "assign", assignee: "mod-anita" });
  await tr({ op: "note", text: "Looks like a quote of a news report; checking context." });
  await tr({ op: "reopen", reason: "x" }, 409);
  await tr({ op: "escalate", reason: "needs legal review" });
  await tr({ op: "escalate", reason: "again" }, 409);
  assert.equal((await ok("GET", "/v1/cases?state=escalated")).cases.length, 1);
  await tr({ op: "close", resolution: "no_violation", reason: "news reporting" });
  await tr({ op: "close", resolution: "no_violation", reason: "again" }, 409);
  await tr({ op: "note", text: "x" }, 403, auditor);
  const reopened = await tr({ op: "reopen", reason: "new reports show a pattern" });
  assert.equal(reopened.state, "open");
  assert.equal(reopened.assignee, "mod-anita");
  assert.deepEqual(
    reopened.history.map((h: { kind: string }) => h.kind),
    ["opened", "evidence_updated", "assign", "note", "escalate", "close", "reopen"],
  );
});

test("bulk suspension from a campaign case: exclusions, protected accounts never silently, ledger cites the case", async () => {
  const accounts = await query<{ id: string }>(
    t.ctx.store.db,
    sql`select id from accounts where id not in (select account_id from protected_accounts) order by id limit 6`,
  );
  const [prot] = await query<{ account_id: string; category: string }>(
    t.ctx.store.db,
    sql`select account_id, category from protected_accounts order by account_id limit 1`,
  );
  const members = [...accounts.map((a) => a.id), prot!.account_id];
  const raised = await t.ctx.store.db.transaction((tx) =>
    t.ctx.cases.raise(
      tx,
      {
        kind: "campaign",
        title: "test campaign",
        subjects: members.map((id) => ({ type: "account", id, score: 0.9 })),
        evidence: { size: members.length },
        priority: 10,
        openKey: "campaign:test",
      },
      "detector:test",
    ),
  );
  campaignCase = raised.id;
  const url = `/v1/cases/${raised.id}/actions`;
  const base = {
    action: "suspend",
    rule: "platform_manipulation",
    reason: "coordinated inauthentic amplification",
  };
  const before = await ledgerCount();
  const silent = await call("POST", url, { ...base, exclude: [accounts[0]!.id] }, moderator);
  assert.equal(silent.statusCode, 400);
  assert.equal(silent.json().error.code, "protected_subjects");
  assert.equal(silent.json().error.details.protected[0].account, prot!.account_id);
  const unknown = await call("POST", url, { ...base, exclude: ["not-a-member"] }, moderator);
  assert.equal(unknown.statusCode, 400);
  assert.equal(await ledgerCount(), before, "nothing was written");
  const dry = await ok(
    "POST",
    url,
    { ...base, exclude: [accounts[0]!.id, prot!.account_id], dryRun: true },
    200,
    moderator,
  );
  assert.equal(dry.applied.length, members.length - 2);
  assert.equal(await ledgerCount(), before, "a dry run writes nothing");
  const done = await ok(
    "POST",
    url,
    { ...base, exclude: [accounts[0]!.id, prot!.account_id] },
    200,
    moderator,
  );
  assert.equal(done.applied.length, members.length - 2);
  assert.equal(await ledgerCount(), before + members.length - 2);
  const entry = await t.ctx.ledger.entry(done.applied[0].seq);
  assert.deepEqual(entry!.source, { kind: "review_case", id: raised.id });
  assert.equal(entry!.rule, "platform_manipulation");
  const resolve = async (accountId: string) =>
    (
      await ok("POST", "/v1/visibility/resolve", {
        viewer: { country: "IN" },
        surface: "profile",
        items: [{ accountId }],
      })
    ).decisions[0].action;
  assert.equal(await resolve(accounts[1]!.id), "tombstone");
  assert.equal(await resolve(accounts[0]!.id), "allow", "the excluded account is untouched");
  assert.equal(await resolve(prot!.account_id), "allow", "the protected account is untouched");
  const justified = await ok(
    "POST",
    url,
    {
      ...base,
      exclude: accounts.slice(1).map((a) => a.id),
      includeProtected: [
        {
          id: prot!.account_id,
          justification: "the account was taken over and posts the campaign's templates",
        },
      ],
      close: true,
    },
    200,
    moderator,
  );
  assert.deepEqual(justified.protectedIncluded, [{ id: prot!.account_id, category: prot!.category }]);
  const c = await ok("GET", `/v1/cases/${raised.id}`);
  assert.equal(c.state, "closed");
  assert.equal(c.resolution, "actioned");
  assert.equal(c.history.filter((h: { kind: string }) => h.kind === "action").length, 2);
  const afterClose = await call("POST", url, { ...base, exclude: [] }, moderator);
  assert.equal(afterClose.statusCode, 409, "a closed case cannot act");
});

test("a case's posts can be labelled in bulk (manipulated media), citing the case", async () => {
  const posts = await query<{ id: string }>(t.ctx.store.db, sql`select id from posts order by id limit 4`);
  const raised = await t.ctx.store.db.transaction((tx) =>
    t.ctx.cases.raise(
      tx,
      {
        kind: "campaign",
        title: "label test",
        subjects: [],
        evidence: { postIds: posts.map((p) => p.id) },
        priority: 1,
        openKey: "campaign:label-test",
      },
      "detector:test",
    ),
  );
  const r = await call(
    "POST",
    `/v1/cases/${raised.id}/actions`,
    {
      action: "label",
      target: "posts",
      label: "manipulated_media",
      rule: "synthetic_manipulated_media",
      reason: "the campaign's shared video is altered",
      exclude: [posts[0]!.id],
      includeProtected: posts.map((p) => ({
        id: p.id,
        justification: "the label informs; it does not remove the post",
      })),
    },
    moderator,
  );
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().applied.length, posts.length - 1);
  const entry = await t.ctx.ledger.entry(r.json().applied[0].seq);
  assert.equal(entry!.action, "label");
  assert.equal(entry!.label, "manipulated_media");
  assert.deepEqual(entry!.source, { kind: "review_case", id: raised.id });
  const bad = await call(
    "POST",
    `/v1/cases/${raised.id}/actions`,
    { action: "suspend", target: "posts", rule: "x", reason: "y" },
    moderator,
  );
  assert.equal(bad.statusCode, 400, "posts cannot be suspended");
});

test("a case action applied again after it was lifted writes a new entry; a retry while it holds writes none", async () => {
  const posts = await query<{ id: string }>(
    t.ctx.store.db,
    sql`select id from posts order by id desc limit 2`,
  );
  const raised = await t.ctx.store.db.transaction((tx) =>
    t.ctx.cases.raise(
      tx,
      {
        kind: "violent_speech",
        title: "reapply test",
        subjects: posts.map((p) => ({ type: "post" as const, id: p.id, score: 0.9 })),
        evidence: {},
        priority: 1,
        openKey: "violent_speech:reapply-test",
      },
      "detector:test",
    ),
  );
  const request = {
    action: "limit_engagement",
    target: "posts",
    rule: "violent_speech",
    reason: "threats in replies",
    includeProtected: posts.map((p) => ({
      id: p.id,
      justification: "limiting replies does not remove the post",
    })),
  };
  const url = `/v1/cases/${raised.id}/actions`;
  const first = await ok("POST", url, request, 200, moderator);
  const [a, b] = first.applied as { subject: { id: string }; seq: number }[];
  const retry = await ok("POST", url, request, 200, moderator);
  assert.deepEqual(retry.applied, first.applied, "a retry while the action holds appends nothing");
  const lifted = await ok(
    "POST",
    "/v1/actions",
    { subject: { type: "post", id: a!.subject.id }, action: "unlimit_engagement", reason: "reviewed: fine" },
    201,
  );
  const count = await ledgerCount();
  const again = await ok("POST", url, request, 200, moderator);
  const [a2, b2] = again.applied as { subject: { id: string }; seq: number }[];
  assert.ok(a2!.seq > lifted.entry.seq, "the lifted post gets a new entry");
  assert.equal(b2!.seq, b!.seq, "the post still limited is a duplicate");
  assert.equal(await ledgerCount(), count + 1);
  const entry = await t.ctx.ledger.entry(a2!.seq);
  assert.deepEqual(entry!.source, { kind: "review_case", id: raised.id });
  const state = await ok("GET", `/v1/subjects/post/${encodeURIComponent(a!.subject.id)}`);
  assert.ok(
    JSON.stringify(state).includes(`"seq":${a2!.seq}`),
    "the new entry is what holds the restriction now",
  );
  const retryAgain = await ok("POST", url, request, 200, moderator);
  assert.deepEqual(retryAgain.applied, again.applied);
  assert.equal(await ledgerCount(), count + 1);
});

test("an appeal opens a case in the appeals queue, and deciding the appeal closes it", async () => {
  const seq = (await ok("GET", `/v1/cases/${campaignCase}`)).history.find(
    (h: { kind: string }) => h.kind === "action",
  ).body.firstSeq;
  const entry = await t.ctx.ledger.entry(seq);
  const appeal = await ok(
    "POST",
    "/v1/appeals",
    {
      subject: entry!.subject,
      entry: seq,
      appellant: { accountId: entry!.subject.id },
      text: "I am a real farmer.",
    },
    201,
  );
  const queue = (await ok("GET", "/v1/cases?kind=appeal&state=open")).cases;
  assert.equal(queue.length, 1);
  assert.equal(queue[0].evidence.appeal, appeal.id);
  await ok(
    "POST",
    `/v1/appeals/${appeal.id}/decision`,
    { outcome: "denied", reason: "posts match the campaign templates" },
    200,
    moderator,
  );
  assert.equal((await ok("GET", "/v1/cases?kind=appeal&state=open")).cases.length, 0);
  assert.equal((await ok("GET", `/v1/cases/${queue[0].id}`)).resolution, "no_violation");
});
