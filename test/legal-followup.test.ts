/**
 * The legal team's follow-through on the demo scenario, on a controlled clock: deadlines raise events
 * once; bulk decisions reach the ledger, the resolver and the author-notice record; an emergency
 * order is confirmed by its final order (and an unconfirmed one lapses); measures are restored by hand
 * and on appeal; the compliance response is built from the record; documents are stored with their
 * digest; and every side effect leaves through the outbox to a signed webhook, with retries.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { query } from "../src/db/store.ts";
import { loadDemo } from "../src/demo/load.ts";
import { buildServer } from "../src/http/server.ts";
import { verifySignature } from "../src/outbox/webhooks.ts";
import { ADMIN_KEY, openTestContext, type TestContext } from "./helpers.ts";

const HOUR = 3_600_000;
let clock = new Date("2021-01-31T17:00:00Z");
let t: TestContext;
let app: FastifyInstance;
let demoDir: string;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };

interface Received {
  topic: string;
  body: string;
  signature: string;
  payload: Record<string, unknown>;
}
const received: Received[] = [];
let failNext = 0;
let receiver: http.Server;
let receiverUrl: string;
let secret: string;

const api = async (method: "GET" | "POST", url: string, payload?: unknown, headers = admin) => {
  const res = await app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as never }),
  });
  return res;
};
const ok = async (method: "GET" | "POST", url: string, payload?: unknown, status = 200) => {
  const res = await api(method, url, payload);
  assert.equal(res.statusCode, status, `${method} ${url}: ${res.body.slice(0, 500)}`);
  return res.json();
};
const resolve = async (country: string, item: Record<string, string>) =>
  (
    await ok("POST", "/v1/visibility/resolve", {
      viewer: { country, accountId: null, ip: null },
      surface: "profile",
      items: [item],
    })
  ).decisions[0].action as string;
const itemRef = (s: { type: string; id: string }): Record<string, string> =>
  s.type === "account" ? { accountId: s.id } : s.type === "post" ? { postId: s.id } : { hashtag: s.id };
const topics = async () =>
  (
    await query<{ topic: string; n: number }>(
      t.ctx.store.db,
      sql`select topic, count(*)::int as n from outbox group by topic`,
    )
  ).reduce((m, r) => m.set(r.topic, r.n), new Map<string, number>());

before(async () => {
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      if (failNext > 0) {
        failNext -= 1;
        res.writeHead(503).end();
        return;
      }
      received.push({
        topic: String(req.headers["vigil-topic"]),
        body,
        signature: String(req.headers["vigil-signature"]),
        payload: JSON.parse(body).payload,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  demoDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-followup-demo-"));
  t = await openTestContext("pglite", { now: () => clock });
  await loadDemo(t.ctx, { scale: 0.3, outDir: demoDir });
  app = await buildServer(t.ctx);
  await t.ctx.visibility.start();
  const hook = await ok("POST", "/v1/webhooks", { url: receiverUrl, topics: ["*"] }, 201);
  secret = hook.secret;
});
after(async () => {
  await app?.close();
  await t?.cleanup();
  receiver?.close();
  fs.rmSync(demoDir, { recursive: true, force: true });
});

const orderBody = (i: number) =>
  JSON.parse(fs.readFileSync(path.join(demoDir, `orders/order-${i}.json`), "utf8"));
let emergency: {
  id: string;
  deadline: string;
  reviewDeadline: string;
  items: {
    id: string;
    subject: { type: string; id: string } | null;
    recommendation: { outcome: string; protectedCategory?: string };
  }[];
};

test("webhook deliveries are signed, retried with backoff after a failure, and recorded", async () => {
  clock = new Date("2021-01-31T17:00:00Z");
  const r = await ok("POST", "/v1/orders", orderBody(1), 201);
  emergency = r.order;
  failNext = 1;
  assert.equal(await t.ctx.dispatcher.runOnce(), 1);
  assert.equal(received.length, 0, "the first attempt failed");
  assert.equal(await t.ctx.dispatcher.runOnce(), 0, "not retried before its backoff");
  clock = new Date(clock.getTime() + 11_000);
  assert.equal(await t.ctx.dispatcher.runOnce(), 1);
  assert.equal(received.length, 1);
  const got = received[0]!;
  assert.equal(got.topic, "order.received");
  assert.equal(got.payload.orderId, emergency.id);
  const ts = Math.floor(clock.getTime() / 1000);
  assert.ok(verifySignature(secret, got.signature, got.body, ts), "the signature verifies with the secret");
  assert.ok(!verifySignature(secret, got.signature, got.body.replace("order.received", "order.decided"), ts));
  assert.ok(!verifySignature("another-secret-of-enough-length", got.signature, got.body, ts));
  const hooks = await ok("GET", "/v1/webhooks");
  const deliveries = (await ok("GET", `/v1/webhooks/${hooks.webhooks[0].id}/deliveries`)).deliveries;
  assert.equal(deliveries[0].status, "delivered");
  assert.equal(deliveries[0].attempts, 2);
});

test("deadline events are raised once each: due soon, then the emergency review", async () => {
  assert.equal(await t.ctx.deadlines.runOnce(), 0, "nothing is due yet");
  clock = new Date(Date.parse(emergency.deadline) - 2 * HOUR);
  assert.equal(await t.ctx.deadlines.runOnce(), 1);
  assert.equal(await t.ctx.deadlines.runOnce(), 0, "a second check raises nothing new");
  assert.equal((await topics()).get("order.due_soon"), 1);
});

test("bulk decisions write ledger entries, withhold in India only, and record withheld notices for a confidential order", async () => {
  const d = await ok("POST", `/v1/orders/${emergency.id}/decisions`, {
    bulk: { select: "recommended", reason: "reviewed" },
  });
  assert.equal(d.decided, emergency.items.length);
  const temp = emergency.items.filter((i) => i.recommendation.outcome === "temporary_withhold");
  assert.ok(temp.length > 10);
  const account = temp.find((i) => i.subject?.type === "account")!;
  assert.equal(await resolve("IN", itemRef(account.subject!)), "tombstone");
  assert.equal(await resolve("US", itemRef(account.subject!)), "allow");
  const [n] = await query<{ queued: number; withheld: number }>(
    t.ctx.store.db,
    sql`select count(*) filter (where status = 'queued')::int as queued, count(*) filter (where status = 'withheld')::int as withheld
        from author_notices where order_id = ${emergency.id}`,
  );
  const actedOnAuthored = d.items.filter(
    (x: { seq: number | null; item: string }) =>
      x.seq !== null && emergency.items.find((i) => i.id === x.item)!.subject!.type !== "hashtag",
  ).length;
  assert.equal(n!.queued, 0, "a confidential order notifies nobody");
  assert.equal(n!.withheld, actedOnAuthored);
  const timeline = (await ok("GET", `/v1/orders/${emergency.id}/timeline`)).events;
  assert.ok(timeline.some((e: { kind: string }) => e.kind === "notices_withheld"));
  assert.ok(timeline.some((e: { kind: string }) => e.kind === "due_soon"));
});

test("the emergency review alert, then confirmation by the final order makes the withholdings outlast the review deadline", async () => {
  clock = new Date(Date.parse(emergency.reviewDeadline) - 3 * HOUR);
  assert.equal(await t.ctx.deadlines.runOnce(), 1);
  assert.equal((await topics()).get("order.emergency_review_due"), 1);
  const bad = await api("POST", `/v1/orders/${emergency.id}/confirm`, {
    reference: "",
    receivedAt: clock.toISOString(),
    reason: "x",
  });
  assert.equal(bad.statusCode, 400);
  const c = await ok("POST", `/v1/orders/${emergency.id}/confirm`, {
    reference: "MeitY/69A/2021/0202-F",
    receivedAt: clock.toISOString(),
    reason: "the review committee approved the interim direction",
  });
  const temp = emergency.items.filter((i) => i.recommendation.outcome === "temporary_withhold");
  assert.equal(c.items.length, temp.length);
  const again = await api("POST", `/v1/orders/${emergency.id}/confirm`, {
    reference: "MeitY/69A/2021/0202-F",
    receivedAt: clock.toISOString(),
    reason: "twice",
  });
  assert.equal(again.statusCode, 409);
  clock = new Date(Date.parse(emergency.reviewDeadline) + HOUR);
  assert.equal(await t.ctx.expiry.runOnce(), 0, "nothing lapses: the measures were confirmed");
  const account = temp.find((i) => i.subject?.type === "account")!;
  assert.equal(await resolve("IN", itemRef(account.subject!)), "tombstone");
  const order = await ok("GET", `/v1/orders/${emergency.id}`);
  const item = order.items.find((i: { id: string }) => i.id === account.id);
  assert.equal(item.decision.outcome, "withhold");
  assert.match(item.decision.reason, /confirmed by final order MeitY\/69A\/2021\/0202-F/);
});

test("restoring items by hand lifts exactly their measures; a bad item list restores nothing", async () => {
  const withheld = emergency.items.filter(
    (i) => i.recommendation.outcome === "temporary_withhold" && i.subject?.type === "account",
  );
  const [a, b, c] = withheld;
  const before = await query<{ n: number }>(t.ctx.store.db, sql`select count(*)::int as n from ledger`);
  const bad = await api("POST", `/v1/orders/${emergency.id}/restore`, {
    items: [a!.id, "nope"],
    reason: "withdrawn",
  });
  assert.equal(bad.statusCode, 400);
  const mid = await query<{ n: number }>(t.ctx.store.db, sql`select count(*)::int as n from ledger`);
  assert.equal(mid[0]!.n, before[0]!.n, "nothing was written");
  const r = await ok("POST", `/v1/orders/${emergency.id}/restore`, {
    items: [a!.id, b!.id],
    reason: "the authority withdrew these items by letter of 3 Feb 2021",
  });
  assert.equal(r.items.length, 2);
  assert.equal(r.status, "partially_complied");
  assert.equal(await resolve("IN", itemRef(a!.subject!)), "allow");
  assert.equal(await resolve("IN", itemRef(b!.subject!)), "allow");
  assert.equal(await resolve("IN", itemRef(c!.subject!)), "tombstone", "other items stay withheld");
  const twice = await api("POST", `/v1/orders/${emergency.id}/restore`, { items: [a!.id], reason: "again" });
  assert.equal(twice.statusCode, 400, "nothing left to restore on that item");
});

test("appeals: granted lifts the measure and records a restoration on the order; denied leaves it; a second open appeal is refused", async () => {
  const withheld = emergency.items.filter(
    (i) => i.recommendation.outcome === "temporary_withhold" && i.subject?.type === "account",
  );
  const [, , c, d] = withheld;
  const appeal = await ok(
    "POST",
    "/v1/appeals",
    {
      subject: c!.subject,
      appellant: { accountId: c!.subject!.id },
      text: "I reported facts about the protest.",
    },
    201,
  );
  assert.equal(appeal.state, "open");
  assert.equal(appeal.orderId, emergency.id);
  assert.equal(appeal.itemId, c!.id);
  const dup = await api("POST", "/v1/appeals", {
    subject: c!.subject,
    appellant: { accountId: c!.subject!.id },
    text: "again",
  });
  assert.equal(dup.statusCode, 409);
  const other = await ok(
    "POST",
    "/v1/appeals",
    { subject: d!.subject, appellant: { accountId: d!.subject!.id }, text: "please" },
    201,
  );
  assert.equal((await ok("GET", "/v1/appeals?state=open")).appeals.length, 2);
  const granted = await ok("POST", `/v1/appeals/${appeal.id}/decision`, {
    outcome: "granted",
    reason: "news reporting",
  });
  assert.equal(granted.state, "granted");
  assert.ok(granted.restoreSeq > appeal.entry);
  assert.equal(await resolve("IN", itemRef(c!.subject!)), "allow");
  const denied = await ok("POST", `/v1/appeals/${other.id}/decision`, {
    outcome: "denied",
    reason: "the post repeats the blocked claim",
  });
  assert.equal(denied.restoreSeq, null);
  assert.equal(await resolve("IN", itemRef(d!.subject!)), "tombstone");
  const redecide = await api("POST", `/v1/appeals/${other.id}/decision`, { outcome: "granted", reason: "x" });
  assert.equal(redecide.statusCode, 409);
  const order = await ok("GET", `/v1/orders/${emergency.id}`);
  assert.equal(order.items.find((i: { id: string }) => i.id === c!.id).decision.outcome, "restored");
});

test("the compliance response states each item's outcome from the record, without internal notes, and sending it is recorded", async () => {
  const order = await ok("GET", `/v1/orders/${emergency.id}`);
  const preview = await ok("GET", `/v1/orders/${emergency.id}/response`);
  assert.equal(preview.items.length, order.items.length);
  const counts: Record<string, number> = {};
  for (const i of order.items) counts[i.decision.outcome] = (counts[i.decision.outcome] ?? 0) + 1;
  assert.deepEqual(preview.summary, counts);
  for (const [n, item] of preview.items.entries()) {
    const decided = order.items[n];
    assert.equal(item.outcome, decided.decision.outcome);
    if (item.outcome === "withhold") assert.match(item.statement, /^Withheld in India on 2021-/);
    if (item.outcome === "restored") assert.match(item.statement, /^Restored on/);
    assert.ok(!item.statement.includes("reviewed"), "reviewers' reasons stay internal");
  }
  // The authority's own portal key reads the same response, with nothing internal in it.
  const requester = (
    await ok(
      "POST",
      "/v1/keys",
      { role: "requester", authority: "Ministry of Electronics and Information Technology" },
      201,
    )
  ).key;
  const portal = await app.inject({
    method: "GET",
    url: `/v1/orders/${emergency.id}/response`,
    headers: { authorization: `Bearer ${requester}` },
  });
  assert.equal(portal.statusCode, 200, portal.body);
  assert.deepEqual(portal.json().items, preview.items);
  const other = (await ok("POST", "/v1/keys", { role: "requester", authority: "Delhi Police" }, 201)).key;
  const foreign = await app.inject({
    method: "GET",
    url: `/v1/orders/${emergency.id}/response`,
    headers: { authorization: `Bearer ${other}` },
  });
  assert.equal(foreign.statusCode, 403, "another authority sees nothing");
  const sent = await ok(
    "POST",
    `/v1/orders/${emergency.id}/response`,
    { note: "Please find our response." },
    201,
  );
  assert.match(sent.response.text, /^To: Ministry/);
  const timeline = (await ok("GET", `/v1/orders/${emergency.id}/timeline`)).events;
  assert.ok(
    timeline.some(
      (e: { kind: string; summary: string }) =>
        e.kind === "response" && e.summary.includes("compliance response"),
    ),
  );
  assert.ok(timeline.some((e: { kind: string }) => e.kind === "confirmed"));
  assert.ok(timeline.some((e: { kind: string }) => e.kind === "restored"));
});

test("documents are stored with their SHA-256; content that is not what it claims is rejected and nothing is stored", async () => {
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
  const sha = createHash("sha256").update(pdf).digest("hex");
  const up = await app.inject({
    method: "POST",
    url: `/v1/orders/${emergency.id}/attachments?filename=order.pdf`,
    headers: { ...admin, "content-type": "application/pdf" },
    payload: pdf,
  });
  assert.equal(up.statusCode, 201, up.body);
  assert.equal(up.json().attachment.sha256, sha);
  const again = await app.inject({
    method: "POST",
    url: `/v1/orders/${emergency.id}/attachments?filename=copy.pdf`,
    headers: { ...admin, "content-type": "application/pdf" },
    payload: pdf,
  });
  assert.equal(again.statusCode, 200, "the same document is stored once");
  const fake = await app.inject({
    method: "POST",
    url: `/v1/orders/${emergency.id}/attachments?filename=x.pdf`,
    headers: { ...admin, "content-type": "application/pdf" },
    payload: Buffer.from("<html>not a pdf</html>"),
  });
  assert.equal(fake.statusCode, 400);
  const list = (await ok("GET", `/v1/orders/${emergency.id}/attachments`)).attachments;
  assert.equal(list.length, 1);
  const dl = await app.inject({
    method: "GET",
    url: `/v1/orders/${emergency.id}/attachments/${list[0].id}`,
    headers: admin,
  });
  assert.equal(dl.statusCode, 200);
  assert.equal(createHash("sha256").update(dl.rawPayload).digest("hex"), sha);
});

test("an order that is not confidential notifies authors through the outbox; an overdue one raises one alert", async () => {
  const accounts = await query<{ id: string; handle: string }>(
    t.ctx.store.db,
    sql`select id, handle from accounts where id not in (select account_id from protected_accounts) order by id limit 3`,
  );
  const body = {
    authority: { name: "Delhi Police", country: "IN", type: "police", officer: "Cyber Cell", rank: "DIG" },
    legalBasis: "Information Technology Act, 2000, s.69A; Blocking Rules 2009, r.8",
    reference: "DP/2021/77",
    receivedAt: clock.toISOString(),
    deadline: new Date(clock.getTime() + 2 * HOUR).toISOString(),
    emergency: false,
    confidential: false,
    items: accounts.map((a) => ({ target: `@${a.handle}` })),
  };
  const { order } = await ok("POST", "/v1/orders", body, 201);
  clock = new Date(clock.getTime() + 3 * HOUR);
  const raised = await t.ctx.deadlines.runOnce();
  assert.ok(raised >= 1);
  assert.equal((await topics()).get("order.overdue"), 1);
  assert.equal(await t.ctx.deadlines.runOnce(), 0);
  await ok("POST", `/v1/orders/${order.id}/decisions`, {
    bulk: { select: "recommended", reason: "reviewed late" },
  });
  received.length = 0;
  while ((await t.ctx.dispatcher.runOnce()) > 0);
  const notices = received.filter((r) => r.topic === "notice.author");
  assert.equal(notices.length, accounts.length);
  for (const n of notices) {
    assert.match(
      String(n.payload.text),
      /withheld in India in response to a legal demand from Delhi Police \(reference DP\/2021\/77\)/,
    );
    assert.ok(accounts.some((a) => a.id === n.payload.accountId));
  }
  assert.ok(received.some((r) => r.topic === "order.decided" && r.payload.orderId === order.id));
});

test("an emergency order left unconfirmed lapses at its review deadline, and the ledger still verifies", async () => {
  const accounts = await query<{ handle: string }>(
    t.ctx.store.db,
    sql`select handle from accounts where id not in (select account_id from protected_accounts) order by id desc limit 2`,
  );
  const { order } = await ok(
    "POST",
    "/v1/orders",
    {
      authority: {
        name: "Ministry of Electronics and Information Technology",
        country: "IN",
        type: "government_agency",
        officer: "Designated Officer",
        rank: "Joint Secretary",
      },
      legalBasis: "Information Technology Act, 2000, s.69A; Blocking Rules 2009, r.9",
      reference: "MeitY/69A/2021/0206-E",
      receivedAt: clock.toISOString(),
      deadline: null,
      emergency: true,
      confidential: true,
      items: accounts.map((a) => ({ target: `@${a.handle}` })),
    },
    201,
  );
  await ok("POST", `/v1/orders/${order.id}/decisions`, {
    bulk: { select: "recommended", reason: "interim" },
  });
  const subject = order.items[0].subject;
  assert.equal(await resolve("IN", itemRef(subject)), "tombstone");
  clock = new Date(Date.parse(order.reviewDeadline) + 1000);
  assert.equal(await t.ctx.expiry.runOnce(), accounts.length);
  await t.ctx.visibility.waitFor(await t.ctx.ledger.headSeq(), 2000);
  assert.equal(await resolve("IN", itemRef(subject)), "allow");
  const v = await ok("GET", "/v1/ledger/verify");
  assert.equal(v.ok, true);
});

test("revisions on a controlled clock: a restored item withheld again, then lifted; a lapsed measure is not reversed twice", async () => {
  const withheld = emergency.items.filter(
    (i) => i.recommendation.outcome === "temporary_withhold" && i.subject?.type === "account",
  );
  const e = withheld[4]!;
  const url = `/v1/orders/${emergency.id}/decisions`;
  const decisionOf = async (orderId: string, itemId: string) =>
    (await ok("GET", `/v1/orders/${orderId}`)).items.find((i: { id: string }) => i.id === itemId).decision;
  await ok("POST", `/v1/orders/${emergency.id}/restore`, { items: [e.id], reason: "withdrawn by letter" });
  assert.equal(await resolve("IN", itemRef(e.subject!)), "allow");
  // Deciding it again is refused; a revision at the same clock reading is recorded after the restoration.
  const plain = await api("POST", url, { decisions: [{ item: e.id, outcome: "withhold", reason: "again" }] });
  assert.equal(plain.statusCode, 409, plain.body);
  assert.match(plain.json().error.message, /already decided \(restored/);
  const head = await t.ctx.ledger.headSeq();
  const again = await ok("POST", url, {
    decisions: [
      { item: e.id, outcome: "withhold", reason: "the letter was withdrawn in turn", revise: true },
    ],
  });
  assert.equal(again.ledgerEntries, 1, "the restoration left nothing to reverse");
  assert.equal(await t.ctx.ledger.headSeq(), head + 1);
  let d = await decisionOf(emergency.id, e.id);
  assert.equal(d.outcome, "withhold");
  assert.equal(d.revises.outcome, "restored");
  assert.ok(d.decidedAt > d.revises.decidedAt, "the revision is the latest decision");
  assert.equal(await resolve("IN", itemRef(e.subject!)), "tombstone");
  const preview = await ok("GET", `/v1/orders/${emergency.id}/response`);
  const stated = preview.items.find((i: { item: string }) => i.item === e.id);
  assert.equal(stated.outcome, "withhold", "the compliance response states the revision");
  // Lifted by a revision on the same clock reading: the recorded reversal of that entry.
  const lift = await ok("POST", url, {
    decisions: [{ item: e.id, outcome: "no_action", reason: "the committee did not approve", revise: true }],
  });
  assert.equal(lift.ledgerEntries, 1);
  const reversal = await t.ctx.ledger.entry(head + 2);
  assert.equal(reversal?.reverses, head + 1);
  d = await decisionOf(emergency.id, e.id);
  assert.equal(d.outcome, "no_action");
  assert.equal(d.revises.reversal, head + 2);
  assert.equal(d.revises.revises.outcome, "restored");
  await t.ctx.visibility.waitFor(head + 2, 2000);
  assert.equal(await resolve("IN", itemRef(e.subject!)), "allow");

  // The last order's temporary withholdings lapsed at its review deadline: revising one reverses nothing.
  const [lapsed] = (await ok("GET", "/v1/orders")).orders.filter(
    (o: { reference: string }) => o.reference === "MeitY/69A/2021/0206-E",
  );
  const item = (await ok("GET", `/v1/orders/${lapsed.id}`)).items[0];
  const before = await t.ctx.ledger.headSeq();
  const r = await ok("POST", `/v1/orders/${lapsed.id}/decisions`, {
    decisions: [
      {
        item: item.id,
        outcome: "withhold",
        countries: ["IN"],
        reason: "confirmed late by the committee",
        revise: true,
      },
    ],
  });
  assert.equal(r.ledgerEntries, 1, "only the new withholding");
  assert.equal((await t.ctx.ledger.entry(before + 1))?.action, "withhold");
  const revised = await decisionOf(lapsed.id, item.id);
  assert.equal(revised.revises.outcome, "temporary_withhold");
  assert.equal(revised.revises.reversal, null);
  assert.equal((await ok("GET", "/v1/ledger/verify")).ok, true);
});
