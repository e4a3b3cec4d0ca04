/** Legal demands over HTTP (contract §2) on the demo scenario: intake, resolution against the ground truth, idempotency, bad orders, CSV, and who may see what. */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { query } from "../src/db/store.ts";
import { loadDemo } from "../src/demo/load.ts";
import { buildServer } from "../src/http/server.ts";
import { ADMIN_KEY, openTestContext, type TestContext } from "./helpers.ts";

let t: TestContext;
let app: FastifyInstance;
let demoDir: string;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
interface Truth {
  orders: {
    file: string;
    reference: string;
    items: { target: string; expected: { kind: string; id: string | null; category: string | null } }[];
  }[];
}
let truth: Truth;
const orderBody = (i: number) =>
  JSON.parse(fs.readFileSync(path.join(demoDir, `orders/order-${i}.json`), "utf8"));
const count = async () =>
  (await app.inject({ method: "GET", url: "/v1/orders", headers: admin })).json().orders.length as number;

before(async () => {
  demoDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-orders-demo-"));
  t = await openTestContext("pglite");
  await loadDemo(t.ctx, { scale: 0.3, outDir: demoDir });
  truth = JSON.parse(fs.readFileSync(path.join(demoDir, "ground-truth.json"), "utf8"));
  app = await buildServer(t.ctx);
});
after(async () => {
  await app?.close();
  await t?.cleanup();
  fs.rmSync(demoDir, { recursive: true, force: true });
});

test("an order is stored with every item resolved as the ground truth says, a deadline and a recommendation", async () => {
  const res = await app.inject({ method: "POST", url: "/v1/orders", headers: admin, payload: orderBody(1) });
  assert.equal(res.statusCode, 201, res.body);
  const { order } = res.json();
  const expected = truth.orders[0]!.items;
  assert.equal(order.items.length, expected.length);
  for (const [i, item] of order.items.entries()) {
    const e = expected[i]!.expected;
    const want = e.kind === "unresolvable" ? "unresolvable" : e.kind === "deleted" ? "deleted" : "resolved";
    assert.equal(item.resolution, want, `${item.target}: ${item.resolutionNote}`);
    if (e.id) assert.equal(item.subject.id, e.kind === "hashtag" ? item.subject.id : e.id, item.target);
    assert.ok(item.recommendation.reasons.length > 0);
    if (want !== "resolved") assert.equal(item.recommendation.outcome, "no_action");
  }
  // The demo's protected-category registry (news media, journalists, activists, politicians) drives triage.
  const protectedCats = new Set(["news_media", "journalist", "activist", "politician"]);
  let protectedSeen = 0;
  for (const [i, item] of order.items.entries()) {
    const e = expected[i]!.expected;
    if (e.kind === "account" && e.category && protectedCats.has(e.category)) {
      protectedSeen++;
      assert.equal(item.recommendation.outcome, "no_action", item.target);
      assert.equal(item.recommendation.protectedCategory, e.category);
    }
    if (e.kind === "account" && e.category === "bot")
      assert.notEqual(item.recommendation.outcome, "no_action", item.target);
  }
  assert.ok(protectedSeen > 0, "the order names protected accounts");
  assert.equal(order.emergency, true);
  assert.ok(order.reviewDeadline, "an emergency order has a review deadline");
  assert.ok(
    order.items.some(
      (i: { recommendation: { outcome: string } }) => i.recommendation.outcome === "temporary_withhold",
    ),
  );
  const got = await app.inject({ method: "GET", url: `/v1/orders/${order.id}`, headers: admin });
  assert.deepEqual(got.json(), order);
});

test("re-submitting the same reference returns the same order; different contents under it are a conflict", async () => {
  const before = await count();
  const again = await app.inject({
    method: "POST",
    url: "/v1/orders",
    headers: admin,
    payload: orderBody(1),
  });
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().duplicate, true);
  const changed = orderBody(1);
  changed.items[0].reason = "something else";
  const conflict = await app.inject({ method: "POST", url: "/v1/orders", headers: admin, payload: changed });
  assert.equal(conflict.statusCode, 409);
  assert.equal(await count(), before);
});

test("a bad order is rejected whole, with every problem, and nothing is stored", async () => {
  const before = await count();
  const bad = orderBody(2);
  bad.reference = "MeitY/bad/1";
  bad.authority.rank = "Under Secretary";
  bad.items[3].target = "ftp://elsewhere.example/x";
  const res = await app.inject({ method: "POST", url: "/v1/orders", headers: admin, payload: bad });
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(res.json().error.code, "invalid_order");
  const paths = res.json().error.details.problems.map((p: { path: string }) => p.path);
  assert.ok(paths.includes("authority.rank"), JSON.stringify(paths));
  assert.ok(paths.includes("items.3.target"), JSON.stringify(paths));
  const schema = await app.inject({
    method: "POST",
    url: "/v1/orders",
    headers: admin,
    payload: { ...orderBody(2), colour: "red" },
  });
  assert.equal(schema.statusCode, 400);
  assert.equal(await count(), before);
});

test("the CSV form imports the 1,178-item order, which re-lists subjects of the first", async () => {
  const body = orderBody(2);
  const q = new URLSearchParams({
    authorityName: body.authority.name,
    authorityCountry: body.authority.country,
    authorityType: body.authority.type,
    officer: body.authority.officer,
    rank: body.authority.rank,
    legalBasis: body.legalBasis,
    reference: body.reference,
    receivedAt: body.receivedAt,
    emergency: String(body.emergency),
    confidential: String(body.confidential),
  });
  const csv = fs.readFileSync(path.join(demoDir, "orders/order-2.csv"), "utf8");
  const res = await app.inject({
    method: "POST",
    url: `/v1/orders/import?${q}`,
    headers: { ...admin, "content-type": "text/csv" },
    payload: csv,
  });
  assert.equal(res.statusCode, 201, res.body.slice(0, 500));
  const { order } = res.json();
  assert.equal(order.items.length, truth.orders[1]!.items.length);
  assert.ok(
    order.items.some((i: { recommendation: { relisted: boolean } }) => i.recommendation.relisted),
    "re-listed items are flagged",
  );
  const badCsv = await app.inject({
    method: "POST",
    url: `/v1/orders/import?${q.toString().replace("reference=", "reference=x")}`,
    headers: { ...admin, "content-type": "text/csv" },
    payload: "target,reason\n@ok_handle,fine\nnot a target,bad\n,empty\n",
  });
  assert.equal(badCsv.statusCode, 400);
  assert.deepEqual(
    badCsv.json().error.details.rows.map((r: { row: number }) => r.row),
    [3, 4],
  );
});

test("a requester sees its own authority's orders only; lists can be cut by deadline", async () => {
  const mine = (
    await t.ctx.keys.create("requester", { authority: "Ministry of Electronics and Information Technology" })
  ).key;
  const other = (await t.ctx.keys.create("requester", { authority: "Some Other Ministry" })).key;
  const list = await app.inject({
    method: "GET",
    url: "/v1/orders",
    headers: { authorization: `Bearer ${mine}` },
  });
  assert.equal(list.statusCode, 200);
  assert.equal(list.json().orders.length, 2);
  const id = list.json().orders[0].id;
  const own = (
    await app.inject({ method: "GET", url: `/v1/orders/${id}`, headers: { authorization: `Bearer ${mine}` } })
  ).json();
  assert.equal(own.redacted, true);
  assert.ok(own.items.length > 0, "the authority sees its own items");
  assert.ok(
    own.items.every((i: { recommendation?: unknown }) => i.recommendation === undefined),
    "but not the internal notes",
  );
  const theirs = await app.inject({
    method: "GET",
    url: "/v1/orders",
    headers: { authorization: `Bearer ${other}` },
  });
  assert.equal(theirs.json().orders.length, 0);
  const denied = await app.inject({
    method: "GET",
    url: `/v1/orders/${id}`,
    headers: { authorization: `Bearer ${other}` },
  });
  assert.equal(denied.statusCode, 403);
  const submitForOthers = await app.inject({
    method: "POST",
    url: "/v1/orders",
    headers: { authorization: `Bearer ${other}` },
    payload: orderBody(1),
  });
  assert.equal(submitForOthers.statusCode, 403);
  const due = await app.inject({ method: "GET", url: "/v1/orders?due_within=1h", headers: admin });
  assert.equal(due.statusCode, 200);
  assert.equal(
    due.json().orders.length,
    2,
    "the 2021 orders are long overdue, so they are due within the hour",
  );
  const bad = await app.inject({ method: "GET", url: "/v1/orders?due_within=soon", headers: admin });
  assert.equal(bad.statusCode, 400);
});

test("decisions: bad ones are rejected whole; bulk by recommendation with an override reaches the ledger and the resolver", async () => {
  const list = (await app.inject({ method: "GET", url: "/v1/orders", headers: admin })).json().orders;
  const first = list.find((o: { reference: string }) => o.reference === truth.orders[0]!.reference);
  const order = (await app.inject({ method: "GET", url: `/v1/orders/${first.id}`, headers: admin })).json();
  const resolvedAccounts = order.items.filter(
    (i: { resolution: string; subject: { type: string } | null }) =>
      i.resolution === "resolved" && i.subject?.type === "account",
  );
  const unresolved = order.items.find((i: { resolution: string }) => i.resolution !== "resolved");
  // Triage may recommend platform action for bots and campaign members: pick an account recommended
  // for withholding, and another resolved account to override.
  const withheld = resolvedAccounts.find(
    (i: { recommendation: { outcome: string } }) => i.recommendation.outcome === "temporary_withhold",
  );
  const keep = resolvedAccounts.find((i: { id: string }) => i.id !== withheld.id);
  const url = `/v1/orders/${order.id}/decisions`;
  const head = await t.ctx.ledger.headSeq();
  for (const [payload, code] of [
    [{ decisions: [{ item: "nope", outcome: "no_action", reason: "x" }] }, "invalid_request"],
    [{ decisions: [{ item: keep.id, outcome: "global_action", reason: "x" }] }, "invalid_decisions"],
    [{ decisions: [{ item: unresolved.id, outcome: "withhold", reason: "x" }] }, "invalid_decisions"],
    [{ decisions: [{ item: keep.id, outcome: "withhold" }] }, "invalid_request"],
    [{}, "invalid_request"],
    [
      {
        decisions: [
          {
            item: order.items.find(
              (i: { recommendation: { protectedCategory?: string } }) => i.recommendation.protectedCategory,
            ).id,
            outcome: "withhold",
            reason: "listed",
          },
        ],
      },
      "invalid_decisions",
    ],
  ] as const) {
    const res = await app.inject({ method: "POST", url, headers: admin, payload });
    assert.equal(res.statusCode, 400, JSON.stringify(payload));
    assert.equal(res.json().error.code, code);
  }
  assert.equal(await t.ctx.ledger.headSeq(), head, "nothing reached the ledger");

  const res = await app.inject({
    method: "POST",
    url,
    headers: admin,
    payload: {
      decisions: [{ item: keep.id, outcome: "no_action", reason: "protected: journalist" }],
      bulk: { select: "recommended", reason: "reviewed by the legal team" },
    },
  });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.decided, order.items.length);
  const acted = order.items.filter(
    (i: { recommendation: { outcome: string }; id: string }) =>
      i.id !== keep.id && i.recommendation.outcome !== "no_action",
  ).length;
  assert.equal(body.ledgerEntries, acted);
  assert.equal(body.status, "partially_complied");

  const after = (await app.inject({ method: "GET", url: `/v1/orders/${order.id}`, headers: admin })).json();
  // The endpoint's JSON is built by PostgreSQL: it must say exactly what the service's object view says.
  const view = await t.ctx.orders.get(order.id, { keyId: "t", role: "admin", authority: null });
  assert.deepEqual(after, JSON.parse(JSON.stringify(view)));
  assert.equal(after.status, "partially_complied");
  assert.equal(after.itemCount, after.items.length);
  // Read in pages, the order is the same items in the same order; a bad page is refused.
  const paged: unknown[] = [];
  for (let offset = 0; offset < after.itemCount; offset += 100) {
    const p = (
      await app.inject({
        method: "GET",
        url: `/v1/orders/${order.id}?offset=${offset}&limit=100`,
        headers: admin,
      })
    ).json();
    assert.equal(p.itemCount, after.itemCount);
    assert.ok(p.items.length <= 100);
    paged.push(...p.items);
  }
  assert.deepEqual(paged, after.items);
  const tail = (
    await app.inject({
      method: "GET",
      url: `/v1/orders/${order.id}?offset=${after.itemCount - 3}`,
      headers: admin,
    })
  ).json();
  assert.deepEqual(tail.items, after.items.slice(-3));
  for (const q of ["offset=-1", "limit=0", "limit=x", "page=2"])
    assert.equal(
      (await app.inject({ method: "GET", url: `/v1/orders/${order.id}?${q}`, headers: admin })).statusCode,
      400,
      q,
    );
  assert.ok(after.items.every((i: { decision: unknown }) => i.decision !== null));
  assert.equal(
    after.items.find((i: { id: string }) => i.id === keep.id).decision.reason,
    "protected: journalist",
  );
  const entry = await t.ctx.ledger.entry(
    after.items.find((i: { id: string }) => i.id === withheld.id).decision.seq,
  );
  assert.equal(entry?.source.kind, "legal_demand_item");
  assert.equal(entry?.source.id, withheld.id);
  assert.equal(entry?.legalBasis, order.legalBasis);
  const resolve = (country: string) =>
    app.inject({
      method: "POST",
      url: "/v1/visibility/resolve",
      headers: admin,
      payload: {
        viewer: { country },
        surface: "profile",
        items: [{ accountId: withheld.subject.id }, { accountId: keep.subject.id }],
      },
    });
  const inIndia = (await resolve("IN")).json().decisions;
  assert.equal(inIndia[0].action, "tombstone", "withheld in India");
  assert.equal(inIndia[1].action, "allow", "the protected account is untouched");
  assert.equal((await resolve("US")).json().decisions[0].action, "allow", "visible outside India");

  // The order was an emergency order: its temporary withholdings end at the review deadline (in 2021).
  const reversed = await t.ctx.expiry.runOnce();
  const temporary = order.items.filter(
    (i: { recommendation: { outcome: string }; id: string }) =>
      i.id !== keep.id && i.recommendation.outcome === "temporary_withhold",
  ).length;
  assert.equal(reversed, temporary, "every temporary withholding lapses; platform actions do not");
  await t.ctx.visibility.waitFor(await t.ctx.ledger.headSeq());
  assert.equal((await resolve("IN")).json().decisions[0].action, "allow", "restored at the deadline");
  // An item is decided once: deciding it again is refused, and changes nothing.
  const headBefore = await t.ctx.ledger.headSeq();
  const twice = await app.inject({
    method: "POST",
    url,
    headers: admin,
    payload: { decisions: [{ item: keep.id, outcome: "withhold", reason: "second look: not a journalist" }] },
  });
  assert.equal(twice.statusCode, 409, twice.body);
  assert.equal(twice.json().error.code, "item_already_decided");
  assert.match(twice.json().error.message, new RegExp(`item ${keep.id} .*already decided \\(no_action`));
  assert.match(twice.json().error.message, /"revise": true/, "the message says how to change course");
  assert.equal(await t.ctx.ledger.headSeq(), headBefore);
  // A revision supersedes the earlier decision, in both views, and keeps it on record.
  const again = await app.inject({
    method: "POST",
    url,
    headers: admin,
    payload: {
      decisions: [
        { item: keep.id, outcome: "withhold", reason: "second look: not a journalist", revise: true },
      ],
    },
  });
  assert.equal(again.statusCode, 200, again.body);
  const later = (await app.inject({ method: "GET", url: `/v1/orders/${order.id}`, headers: admin })).json();
  const revised = later.items.find((i: { id: string }) => i.id === keep.id).decision;
  assert.equal(revised.reason, "second look: not a journalist");
  assert.equal(revised.outcome, "withhold");
  assert.equal(revised.revises.outcome, "no_action");
  assert.equal(revised.revises.reason, "protected: journalist");
  assert.equal(revised.revises.reversal, null, "no_action held nothing in force to reverse");
  assert.deepEqual(
    later,
    JSON.parse(
      JSON.stringify(await t.ctx.orders.get(order.id, { keyId: "t", role: "admin", authority: null })),
    ),
  );
});

test("the protected-category registry records who verified each entry; only legal and admin may change it", async () => {
  const legal = (await t.ctx.keys.create("legal")).key;
  const integration = (await t.ctx.keys.create("integration")).key;
  const add = await app.inject({
    method: "POST",
    url: "/v1/protected",
    headers: { authorization: `Bearer ${legal}` },
    payload: {
      entries: [
        { accountId: "a-new-journalist", category: "journalist", note: "staff writer, verified by phone" },
      ],
    },
  });
  assert.equal(add.statusCode, 200, add.body);
  const entries = (await app.inject({ method: "GET", url: "/v1/protected", headers: admin })).json().entries;
  const mine = entries.find((e: { accountId: string }) => e.accountId === "a-new-journalist");
  assert.equal(mine.category, "journalist");
  assert.match(mine.verifiedBy, /^key:/);
  assert.ok(entries.some((e: { verifiedBy: string }) => e.verifiedBy === "system:demo"));
  const denied = await app.inject({
    method: "POST",
    url: "/v1/protected",
    headers: { authorization: `Bearer ${integration}` },
    payload: { entries: [{ accountId: "x", category: "journalist" }] },
  });
  assert.equal(denied.statusCode, 403);
  const bad = await app.inject({
    method: "POST",
    url: "/v1/protected",
    headers: admin,
    payload: { entries: [{ accountId: "x", category: "celebrity" }] },
  });
  assert.equal(bad.statusCode, 400);
});

test("a confidential order's contents are shown only to legal and admin, and every such read is audited", async () => {
  const legal = (await t.ctx.keys.create("legal")).key;
  const auditor = (await t.ctx.keys.create("auditor")).key;
  const moderator = (await t.ctx.keys.create("moderator")).key;
  const [first] = (await app.inject({ method: "GET", url: "/v1/orders", headers: admin })).json().orders;
  assert.equal(first.confidential, true);
  const before = (
    await app.inject({
      method: "GET",
      url: `/v1/audit/confidential-reads?order=${first.id}`,
      headers: { authorization: `Bearer ${auditor}` },
    })
  ).json().reads.length;
  const full = (
    await app.inject({
      method: "GET",
      url: `/v1/orders/${first.id}`,
      headers: { authorization: `Bearer ${legal}` },
    })
  ).json();
  assert.ok(full.items.length > 0);
  assert.equal(full.redacted, undefined);
  const audited = (
    await app.inject({
      method: "GET",
      url: `/v1/orders/${first.id}`,
      headers: { authorization: `Bearer ${auditor}` },
    })
  ).json();
  assert.deepEqual(audited.items, []);
  assert.equal(audited.redacted, true);
  const reads = (
    await app.inject({
      method: "GET",
      url: `/v1/audit/confidential-reads?order=${first.id}`,
      headers: { authorization: `Bearer ${auditor}` },
    })
  ).json().reads;
  assert.equal(
    reads.length,
    before + 1,
    "the legal read was recorded, the auditor's header-only read was not",
  );
  assert.equal(reads[0].role, "legal");
  // The pages of one reading are one read: the same key reading again within a minute adds no record.
  await app.inject({
    method: "GET",
    url: `/v1/orders/${first.id}?offset=1&limit=5`,
    headers: { authorization: `Bearer ${legal}` },
  });
  const again = (
    await app.inject({
      method: "GET",
      url: `/v1/audit/confidential-reads?order=${first.id}`,
      headers: { authorization: `Bearer ${auditor}` },
    })
  ).json().reads;
  assert.equal(again.length, reads.length);
  const denied = await app.inject({
    method: "GET",
    url: "/v1/audit/confidential-reads",
    headers: { authorization: `Bearer ${moderator}` },
  });
  assert.equal(denied.statusCode, 403);
});

test("correspondence is recorded against an order, and the timeline shows everything in order", async () => {
  const [first] = (await app.inject({ method: "GET", url: "/v1/orders", headers: admin })).json().orders;
  const notice = await app.inject({
    method: "POST",
    url: `/v1/orders/${first.id}/correspondence`,
    headers: admin,
    payload: {
      kind: "non_compliance_notice",
      direction: "incoming",
      at: "2021-02-02T10:00:00Z",
      deadline: "2021-02-03T10:00:00Z",
      summary: "MeitY notice of non-compliance after restoration",
    },
  });
  assert.equal(notice.statusCode, 201, notice.body);
  const bad = await app.inject({
    method: "POST",
    url: `/v1/orders/${first.id}/correspondence`,
    headers: admin,
    payload: { kind: "fax", direction: "incoming", at: "2021-02-02T10:00:00Z", summary: "x" },
  });
  assert.equal(bad.statusCode, 400);
  const blank = await app.inject({
    method: "POST",
    url: `/v1/orders/${first.id}/correspondence`,
    headers: admin,
    payload: { kind: "letter", direction: "outgoing", at: "2021-02-02T11:00:00Z", summary: "   " },
  });
  assert.equal(blank.statusCode, 400, "a blank summary says nothing");
  assert.match(blank.body, /a summary is required/);
  const { events } = (
    await app.inject({ method: "GET", url: `/v1/orders/${first.id}/timeline`, headers: admin })
  ).json();
  const kinds = events.map((e: { kind: string }) => e.kind);
  for (const k of [
    "received",
    "decided",
    "enforced",
    "reversed",
    "non_compliance_notice",
    "deadline",
    "review_deadline",
  ])
    assert.ok(kinds.includes(k), `${k} in ${kinds}`);
  const times = events.map((e: { at: string }) => e.at);
  assert.deepEqual(times, [...times].sort(), "in time order");
  assert.ok(kinds.indexOf("received") < kinds.indexOf("non_compliance_notice"));
});

// ---- decisions: once per item, revisions, fields that apply, and orders from the future ----------

interface ItemOut {
  id: string;
  subject: { type: string; id: string } | null;
  decision: {
    outcome: string;
    reason: string;
    seq: number | null;
    revises?: { outcome: string; seq: number | null; reversal: number | null; revises?: { outcome: string } };
  } | null;
}
const inject = (method: "GET" | "POST", url: string, payload?: unknown) =>
  app.inject({
    method,
    url,
    headers: admin,
    ...(payload === undefined ? {} : { payload: payload as never }),
  });
const getOrder = async (id: string) =>
  (await inject("GET", `/v1/orders/${id}`)).json() as { items: ItemOut[] };
/** Ledger entries citing an order item. */
const entriesOf = async (itemId: string) =>
  (
    await query<{ n: number }>(
      t.ctx.store.db,
      sql`select count(*)::int as n from ledger where body->'source'->>'id' = ${itemId}`,
    )
  )[0]!.n;
const decisionRows = async (orderId: string) =>
  (
    await query<{ n: number }>(
      t.ctx.store.db,
      sql`select count(*)::int as n from order_decisions where order_id = ${orderId}`,
    )
  )[0]!.n;
const shownIn = async (country: string, accountId: string) => {
  await t.ctx.visibility.waitFor(await t.ctx.ledger.headSeq());
  const r = await inject("POST", "/v1/visibility/resolve", {
    viewer: { country },
    surface: "profile",
    items: [{ accountId }],
  });
  return r.json().decisions[0].action as string;
};
let freshOrders = 0;
/** A new, non-emergency order on unprotected accounts, received now. */
const freshOrder = async (items = 6) => {
  freshOrders += 1;
  const accounts = await query<{ id: string }>(
    t.ctx.store.db,
    sql`select id from accounts where id not in (select account_id from protected_accounts)
        order by id offset ${freshOrders * items} limit ${items}`,
  );
  const res = await inject("POST", "/v1/orders", {
    authority: {
      name: "Ministry of Electronics and Information Technology",
      country: "IN",
      type: "government_agency",
      officer: "Designated Officer",
      rank: "Joint Secretary",
    },
    legalBasis: "Information Technology Act, 2000, s.69A; Blocking Rules 2009, r.8",
    reference: `MeitY/69A/test/${freshOrders}`,
    receivedAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    deadline: null,
    emergency: false,
    confidential: true,
    items: accounts.map((a) => ({ target: `account:${a.id}` })),
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().order as { id: string; items: ItemOut[] };
};

test("an item is decided once: again, twice in one request, or concurrently is refused and writes nothing", async () => {
  const order = await freshOrder();
  const [a, b, c, d] = order.items;
  const url = `/v1/orders/${order.id}/decisions`;
  const first = await inject("POST", url, {
    decisions: [{ item: a!.id, outcome: "withhold", countries: ["IN"], reason: "first" }],
  });
  assert.equal(first.statusCode, 200, first.body);
  assert.equal(first.json().ledgerEntries, 1);
  const seq = first.json().items[0].seq as number;
  const head = await t.ctx.ledger.headSeq();
  const rows = await decisionRows(order.id);

  // The same item again, with another outcome (and alongside an undecided item): 409, nothing written.
  const again = await inject("POST", url, {
    decisions: [
      { item: b!.id, outcome: "withhold", reason: "new" },
      { item: a!.id, outcome: "no_action", reason: "changed my mind" },
    ],
  });
  assert.equal(again.statusCode, 409, again.body);
  const err = again.json().error;
  assert.equal(err.code, "item_already_decided");
  assert.ok(err.message.includes(a!.id), err.message);
  assert.match(err.message, /already decided \(withhold/);
  assert.match(err.message, /restore/, "it says how to change course");
  assert.deepEqual(
    err.details.items.map((i: { item: string; outcome: string; seq: number }) => [i.item, i.outcome, i.seq]),
    [[a!.id, "withhold", seq]],
  );
  assert.equal(await t.ctx.ledger.headSeq(), head, "nothing reached the ledger");
  assert.equal(await decisionRows(order.id), rows, "no decision was recorded, not even the undecided item's");
  const view = await getOrder(order.id);
  assert.equal(view.items[0]!.decision!.outcome, "withhold");
  assert.equal(view.items[1]!.decision, null);
  assert.equal(await shownIn("IN", a!.subject!.id), "tombstone", "the withholding is still in force");

  // The same item twice in one request: 400 naming it, nothing written.
  const dup = await inject("POST", url, {
    decisions: [
      { item: b!.id, outcome: "withhold", reason: "x" },
      { item: b!.id, outcome: "no_action", reason: "y" },
    ],
  });
  assert.equal(dup.statusCode, 400, dup.body);
  assert.equal(dup.json().error.code, "duplicate_item");
  assert.ok(dup.json().error.message.includes(b!.id));
  assert.deepEqual(dup.json().error.details.items, [b!.id]);
  assert.equal(await t.ctx.ledger.headSeq(), head);
  assert.equal(await decisionRows(order.id), rows);

  // Two requests at once on one item: one decides it, the other is refused; one ledger entry.
  const both = await Promise.all(
    [c, c].map(() =>
      inject("POST", url, { decisions: [{ item: c!.id, outcome: "withhold", reason: "at once" }] }),
    ),
  );
  assert.deepEqual(both.map((r) => r.statusCode).sort(), [200, 409], both.map((r) => r.body).join("\n"));
  assert.equal(await entriesOf(c!.id), 1);
  assert.equal(await decisionRows(order.id), rows + 1);

  // Bulk selections still skip what is decided.
  const bulk = await inject("POST", url, {
    decisions: [{ item: d!.id, outcome: "no_action", reason: "not unlawful" }],
    bulk: { select: "all_remaining", decision: { outcome: "no_action", reason: "rest: nothing unlawful" } },
  });
  assert.equal(bulk.statusCode, 200, bulk.body);
  assert.equal(bulk.json().decided, order.items.length - 2);
  assert.equal((await getOrder(order.id)).items[0]!.decision!.outcome, "withhold");
});

test("a revision reverses the measure in force in the same transaction, and both decisions stay on record", async () => {
  const order = await freshOrder();
  const [a, b] = order.items;
  const acct = a!.subject!.id;
  const url = `/v1/orders/${order.id}/decisions`;
  const first = await inject("POST", url, {
    decisions: [{ item: a!.id, outcome: "withhold", countries: ["IN"], reason: "first" }],
  });
  assert.equal(first.statusCode, 200, first.body);
  const seq = first.json().items[0].seq as number;
  assert.equal(await shownIn("IN", acct), "tombstone");

  // `revise` on an item that has no decision is refused.
  const nothing = await inject("POST", url, {
    decisions: [{ item: b!.id, outcome: "no_action", reason: "x", revise: true }],
  });
  assert.equal(nothing.statusCode, 400, nothing.body);
  assert.equal(nothing.json().error.code, "invalid_decisions");
  assert.match(nothing.json().error.message, /has none yet/);

  // The review committee revokes the block (Blocking Rules r.14).
  const head = await t.ctx.ledger.headSeq();
  const revoke = await inject("POST", url, {
    decisions: [
      {
        item: a!.id,
        outcome: "no_action",
        reason: "review committee revoked the block (r.14)",
        revise: true,
      },
    ],
  });
  assert.equal(revoke.statusCode, 200, revoke.body);
  assert.equal(revoke.json().ledgerEntries, 1, "the recorded reversal");
  assert.equal(revoke.json().items[0].seq, null);
  assert.equal(revoke.json().revised, 1);
  assert.equal(revoke.json().items[0].reversed, head + 1, "the response names the reversal it wrote");
  assert.equal(await t.ctx.ledger.headSeq(), head + 1);
  const reversal = await t.ctx.ledger.entry(head + 1);
  assert.equal(reversal?.action, "restore");
  assert.equal(reversal?.reverses, seq);
  assert.equal(reversal?.source.id, a!.id);
  assert.match(reversal!.reason, /review committee revoked the block/);
  assert.equal(await shownIn("IN", acct), "allow", "the withholding is lifted");
  let d = (await getOrder(order.id)).items[0]!.decision!;
  assert.equal(d.outcome, "no_action");
  assert.deepEqual(
    [d.revises?.outcome, d.revises?.seq, d.revises?.reversal],
    ["withhold", seq, head + 1],
    JSON.stringify(d),
  );
  assert.equal(await decisionRows(order.id), 2, "the first decision is kept");

  // Revised again: withheld in India and Pakistan. Nothing was in force, so nothing is reversed.
  const back = await inject("POST", url, {
    decisions: [
      {
        item: a!.id,
        outcome: "withhold",
        countries: ["IN", "PK"],
        reason: "the committee's decision was set aside",
        revise: true,
      },
    ],
  });
  assert.equal(back.statusCode, 200, back.body);
  assert.equal(back.json().ledgerEntries, 1);
  assert.equal(await shownIn("PK", acct), "tombstone");
  d = (await getOrder(order.id)).items[0]!.decision!;
  assert.equal(d.revises?.outcome, "no_action");
  assert.equal(d.revises?.reversal, null);
  assert.equal(d.revises?.revises?.outcome, "withhold", "the whole history is shown");

  // Narrowed to India: the reversal of the two-country entry, then the new entry, in one write.
  const narrow = await inject("POST", url, {
    decisions: [{ item: a!.id, outcome: "withhold", countries: ["IN"], reason: "India only", revise: true }],
  });
  assert.equal(narrow.statusCode, 200, narrow.body);
  assert.equal(narrow.json().ledgerEntries, 2);
  assert.equal(await shownIn("PK", acct), "allow");
  assert.equal(await shownIn("IN", acct), "tombstone");

  const timeline = (await inject("GET", `/v1/orders/${order.id}/timeline`)).json().events;
  assert.equal(timeline.filter((e: { kind: string }) => e.kind === "revised").length, 3);
  const verify = (await inject("GET", "/v1/ledger/verify")).json();
  assert.equal(verify.ok, true);
  // The service view and the endpoint's SQL-built JSON agree on revisions too.
  assert.deepEqual(
    await getOrder(order.id),
    JSON.parse(
      JSON.stringify(await t.ctx.orders.get(order.id, { keyId: "t", role: "admin", authority: null })),
    ),
  );
});

test("temporary_withhold needs an `until` in the future; fields that do not apply to an outcome are refused", async () => {
  const order = await freshOrder();
  const [a] = order.items;
  const url = `/v1/orders/${order.id}/decisions`;
  const head = await t.ctx.ledger.headSeq();
  const refused: [unknown, RegExp][] = [
    [
      {
        item: a!.id,
        outcome: "temporary_withhold",
        countries: ["IN"],
        until: "2020-01-01T00:00:00Z",
        reason: "x",
      },
      /`until` \(2020-01-01T00:00:00Z\) must be in the future/,
    ],
    [
      {
        item: a!.id,
        outcome: "global_action",
        action: "suspend",
        rule: "spam",
        countries: ["IN"],
        reason: "x",
      },
      /`countries` does not apply to global_action/,
    ],
    [
      { item: a!.id, outcome: "no_action", countries: ["IN"], reason: "x" },
      /`countries` does not apply to no_action/,
    ],
    [
      { item: a!.id, outcome: "no_action", action: "suspend", reason: "x" },
      /`action` does not apply to no_action/,
    ],
    [
      { item: a!.id, outcome: "withhold", label: "manipulated_media", reason: "x" },
      /`label` does not apply to withhold/,
    ],
    [
      { item: a!.id, outcome: "withhold", until: "2099-01-01T00:00:00Z", reason: "x" },
      /`until` does not apply to withhold/,
    ],
    [
      { item: a!.id, outcome: "global_action", action: "suspend", rule: "spam", label: "x", reason: "x" },
      /`label` does not apply to global_action: .*action label only/,
    ],
  ];
  for (const [decision, message] of refused) {
    const res = await inject("POST", url, { decisions: [decision] });
    assert.equal(res.statusCode, 400, `${JSON.stringify(decision)}: ${res.body}`);
    assert.equal(res.json().error.code, "invalid_decisions");
    assert.match(res.json().error.message, message);
    assert.ok(res.json().error.details.problems[0].item.startsWith(`${a!.id} `));
  }
  const bulk = await inject("POST", url, {
    bulk: {
      select: "all_remaining",
      decision: { outcome: "temporary_withhold", until: "2020-01-01T00:00:00Z", reason: "x" },
    },
  });
  assert.equal(bulk.statusCode, 400, bulk.body);
  assert.match(bulk.json().error.message, /item bulk\.decision: `until`/);
  assert.equal(await t.ctx.ledger.headSeq(), head, "nothing reached the ledger");
  assert.equal(await decisionRows(order.id), 0);

  const until = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const ok = await inject("POST", url, {
    decisions: [
      { item: a!.id, outcome: "temporary_withhold", countries: ["IN"], until, reason: "for a day" },
    ],
  });
  assert.equal(ok.statusCode, 200, ok.body);
  const entry = await t.ctx.ledger.entry(ok.json().items[0].seq);
  assert.equal(entry?.expiresAt, new Date(until).toISOString());
});

test("an order received in the future is rejected and nothing is stored; a few minutes of clock skew are allowed", async () => {
  const before = await count();
  const body = orderBody(2);
  body.reference = "MeitY/future/1";
  body.receivedAt = "2099-02-04T12:00:00Z";
  body.items = body.items.slice(0, 3);
  const res = await inject("POST", "/v1/orders", body);
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(res.json().error.code, "invalid_order");
  const problem = res.json().error.details.problems.find((p: { path: string }) => p.path === "receivedAt");
  assert.match(problem.message, /^2099-02-04T12:00:00Z is in the future/);
  assert.equal(await count(), before);
  const skewed = orderBody(2);
  skewed.reference = "MeitY/skewed/1";
  skewed.items = skewed.items.slice(0, 3);
  skewed.receivedAt = new Date(Date.now() + 2 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const accepted = await inject("POST", "/v1/orders", skewed);
  assert.equal(accepted.statusCode, 201, accepted.body.slice(0, 500));
  assert.equal(await count(), before + 1);
});
