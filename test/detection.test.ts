/**
 * The detectors inside the server, on the demo scenario: campaigns and violent speech become review
 * cases with evidence (checked against the scenario's ground truth), order items are triaged by bot
 * likelihood and campaign membership, and a detector acts on its own only under an admin-set
 * threshold, never on protected accounts.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { query } from "../src/db/store.ts";
import type { GroundTruth } from "../src/demo/generate.ts";
import { loadDemo } from "../src/demo/load.ts";
import { buildServer } from "../src/http/server.ts";
import { ADMIN_KEY, openTestContext, type TestContext } from "./helpers.ts";

let t: TestContext;
let app: FastifyInstance;
let dir: string;
let truth: GroundTruth;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
let moderator: Record<string, string>;

const call = (
  method: "GET" | "POST" | "PUT",
  url: string,
  payload?: unknown,
  headers: Record<string, string> = admin,
) => app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as never }) });
const ok = async (
  method: "GET" | "POST" | "PUT",
  url: string,
  payload?: unknown,
  status = 200,
  headers: Record<string, string> = admin,
) => {
  const res = await call(method, url, payload, headers);
  assert.equal(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 300)}`);
  return res.json();
};

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-detection-"));
  t = await openTestContext("pglite");
  await loadDemo(t.ctx, { scale: 0.3, outDir: dir });
  truth = JSON.parse(fs.readFileSync(path.join(dir, "ground-truth.json"), "utf8"));
  app = await buildServer(t.ctx);
  moderator = { authorization: `Bearer ${(await ok("POST", "/v1/keys", { role: "moderator" }, 201)).key}` };
});
after(async () => {
  await app?.close();
  await t?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("planted campaigns become campaign cases whose members are campaign accounts, with evidence", async () => {
  const { cases } = await ok("GET", "/v1/cases?kind=campaign");
  assert.ok(cases.length >= 1);
  const planted = new Set(
    Object.entries(truth.accounts)
      .filter(([, a]) => a.campaign)
      .map(([id]) => id),
  );
  const found = new Set<string>();
  let wrong = 0;
  for (const c of cases)
    for (const s of c.subjects) {
      if (planted.has(s.id)) found.add(s.id);
      else wrong++;
    }
  const precision = found.size / (found.size + wrong);
  const recall = found.size / planted.size;
  assert.ok(precision >= 0.95, `precision ${precision}`);
  assert.ok(recall >= 0.6, `recall ${recall}`);
  const c = await ok("GET", `/v1/cases/${cases[0].id}`);
  const ev = c.evidence;
  for (const k of [
    "size",
    "density",
    "templates",
    "hashtagSequences",
    "timeProfile",
    "accountStats",
    "significance",
    "deletionRate",
  ])
    assert.ok(k in ev, `evidence has ${k}`);
  assert.ok(ev.significance.p <= 0.05);
  assert.ok(c.subjects.every((s: { why: string[] }) => s.why.some((w) => w.startsWith("bot likelihood"))));
  assert.ok(ev.postIds.length > 0, "the campaign's posts are listed, for labelling");
  const memberIds = new Set(c.subjects.map((s: { id: string }) => s.id));
  assert.ok(ev.links.length > 0, "the detector's member-to-member edges are stored for the graph");
  assert.ok(
    ev.links.every(
      (l: { source: string; target: string }) => memberIds.has(l.source) && memberIds.has(l.target),
    ),
  );
});

test("violent-speech cases name posts the ground truth calls inflammatory, with the matched spans", async () => {
  const { cases } = await ok("GET", "/v1/cases?kind=violent_speech");
  assert.ok(cases.length > 0);
  for (const c of cases) {
    const postId = c.subjects.find((s: { type: string }) => s.type === "post").id;
    assert.equal(truth.posts[postId]?.inflammatory, true, postId);
    const m = c.evidence.signals[0].matches[0];
    assert.equal(c.evidence.text.slice(m.start, m.end).length, m.end - m.start);
  }
});

test("order items are triaged by bot likelihood and campaign membership; protected accounts stay no_action", async () => {
  const body = JSON.parse(fs.readFileSync(path.join(dir, "orders/order-2.json"), "utf8"));
  const { order } = await ok("POST", "/v1/orders", body, 201);
  const inCampaign = order.items.filter(
    (i: { recommendation: { campaignCase?: string } }) => i.recommendation.campaignCase,
  );
  assert.ok(inCampaign.length > 0);
  for (const i of inCampaign) {
    // Posts by campaign members keep a per-post recommendation; accounts get platform action.
    if (i.recommendation.protectedCategory || i.subject.type !== "account") continue;
    assert.equal(i.recommendation.outcome, "global_action");
    assert.equal(i.recommendation.rule, "platform_manipulation");
    assert.ok(truth.accounts[i.subject.id]?.campaign, `${i.subject.id} is a planted campaign account`);
  }
  const scored = order.items.filter(
    (i: { recommendation: { botLikelihood?: number } }) => i.recommendation.botLikelihood !== undefined,
  );
  assert.ok(scored.length > order.items.length / 2, "most items carry a bot likelihood");
  const bots = scored.filter((i: { subject: { id: string } }) => truth.accounts[i.subject.id]?.isBot);
  const humans = scored.filter(
    (i: { subject: { id: string } }) => truth.accounts[i.subject.id] && !truth.accounts[i.subject.id]!.isBot,
  );
  const mean = (xs: { recommendation: { botLikelihood: number } }[]) =>
    xs.reduce((s, x) => s + x.recommendation.botLikelihood, 0) / Math.max(1, xs.length);
  assert.ok(mean(bots) > mean(humans) + 0.2, `bots ${mean(bots)} vs others ${mean(humans)}`);
  const signals = await ok("GET", `/v1/accounts/${inCampaign[0].subject.id}/signals`);
  assert.ok(signals.signals.length > 0 && signals.campaignCase);
});

test("a detector acts alone only under an admin-set threshold, recorded; protected accounts are left for review", async () => {
  const setting = {
    threshold: 0.5,
    reason: "campaign members seen acting together are suspended automatically",
  };
  const denied = await call("PUT", "/v1/detectors/coordination", setting, moderator);
  assert.equal(denied.statusCode, 403);
  const before = (
    await query<{ n: number }>(
      t.ctx.store.db,
      sql`select count(*)::int as n from ledger where body->'source'->>'kind' = 'detector'`,
    )
  )[0]!.n;
  assert.equal(before, 0, "no detector acted before the threshold was set");
  await ok("PUT", "/v1/detectors/coordination", setting);
  await ok("POST", "/v1/detectors/scan", undefined, 200, moderator);
  const acted = await query<{ subject_id: string }>(
    t.ctx.store.db,
    sql`select subject_id from ledger where body->'source'->>'kind' = 'detector' and body->>'action' = 'suspend'`,
  );
  assert.ok(acted.length > 0);
  const protectedIds = new Set(
    (await query<{ account_id: string }>(t.ctx.store.db, sql`select account_id from protected_accounts`)).map(
      (r) => r.account_id,
    ),
  );
  assert.ok(acted.every((a) => !protectedIds.has(a.subject_id)));
  const history = (await ok("GET", "/v1/detectors")).detectors.find(
    (d: { detector: string }) => d.detector === "coordination",
  );
  assert.equal(history.settings[0].threshold, 0.5);
  assert.equal(history.settings[0].setBy, "env:VIGIL_ADMIN_KEY");
  await ok("PUT", "/v1/detectors/coordination", {
    threshold: null,
    reason: "back to cases only after the review",
  });
  const bad = await call("PUT", "/v1/detectors/violent_speech", {
    threshold: 0.9,
    reason: "would act on words alone",
  });
  assert.equal(bad.statusCode, 400);
});
