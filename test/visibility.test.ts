/** The read path over HTTP (contract §4) and through the SDK, on PGlite. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../src/http/server.ts";
import { createResolver, type VigilResolver } from "../src/sdk/index.ts";
import { ADMIN_KEY, openTestContext, type TestContext } from "./helpers.ts";

let t: TestContext;
let app: FastifyInstance;
let url: string;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };

const act = async (payload: Record<string, unknown>) => {
  const res = await app.inject({
    method: "POST",
    url: "/v1/actions",
    headers: admin,
    payload: { reason: "test", ...payload },
  });
  assert.equal(res.statusCode, 201, res.body);
  const seq = res.json().entry.seq as number;
  await t.ctx.visibility.waitFor(seq);
  return seq;
};
const resolve = async (body: Record<string, unknown>, query = "") => {
  const res = await app.inject({
    method: "POST",
    url: `/v1/visibility/resolve${query}`,
    headers: admin,
    payload: body,
  });
  return res;
};

before(async () => {
  t = await openTestContext("pglite");
  app = await buildServer(t.ctx);
  url = await app.listen({ port: 0, host: "127.0.0.1" });
  const events = [
    '{"type":"account","id":"a1","handle":"kisan_voice","createdAt":"2021-01-20T10:00:00Z","country":"IN"}',
    '{"type":"account","id":"a2","handle":"reader","createdAt":"2020-01-20T10:00:00Z","country":"DE"}',
    '{"type":"post","id":"p1","authorId":"a1","createdAt":"2021-02-01T09:15:00Z","text":"#FarmersProtest"}',
    '{"type":"post","id":"p2","authorId":"a2","createdAt":"2021-02-01T09:16:00Z","text":"look","quoteOf":"p1"}',
  ];
  const res = await app.inject({
    method: "POST",
    url: "/v1/ingest",
    headers: { ...admin, "content-type": "application/x-ndjson" },
    payload: events.join("\n"),
  });
  assert.equal(res.statusCode, 200, res.body);
});
after(async () => {
  await app?.close();
  await t?.cleanup();
});

describe("POST /v1/visibility/resolve", () => {
  test("answers the contract example: tombstone with notice, allow, and a suppressed hashtag dropped", async () => {
    const seq1 = await act({
      subject: { type: "post", id: "p1" },
      action: "withhold",
      countries: ["IN"],
      basis: "legal_demand",
    });
    const seq2 = await act({
      subject: { type: "hashtag", id: "ModiPlanningFarmerGenocide" },
      action: "suppress",
      surfaces: ["trends", "search_suggestions"],
    });
    const res = await resolve({
      viewer: { country: "IN", accountId: null, ip: null },
      surface: "trends",
      items: [
        { postId: "p1" },
        { accountId: "a2" },
        { hashtag: "ModiPlanningFarmerGenocide" },
        { hashtag: "ᎷodiPlanningFarmer_Genocide" },
      ],
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.ok(body.asOf >= Math.max(seq1, seq2));
    assert.equal(body.decisions[0].action, "drop", "withheld posts are never listed on trends");
    assert.deepEqual(body.decisions[1], { action: "allow" });
    assert.deepEqual(body.decisions[2], { action: "drop", rule: "hashtag_suppressed_on_surface" });
    assert.equal(body.decisions[3].action, "drop", "an evasion spelling is caught too");

    const timeline = await resolve({
      viewer: { country: "IN" },
      surface: "home_timeline",
      items: [{ postId: "p1" }],
    });
    assert.deepEqual(timeline.json().decisions[0], {
      action: "tombstone",
      rule: "withheld_in_viewer_country",
      notice: {
        kind: "withheld",
        countries: ["IN"],
        basis: "legal_demand",
        text: "This post from @kisan_voice has been withheld in India in response to a legal demand.",
      },
    });
  });

  test("looks up the author and the quoted post of ingested posts, and derives the country from the IP", async () => {
    await act({ subject: { type: "account", id: "a1" }, action: "suspend" });
    const res = await resolve({
      viewer: { country: null, ip: "8.8.8.8" },
      surface: "home_timeline",
      items: [{ postId: "p1" }, { postId: "p2" }],
    });
    const body = res.json();
    assert.equal(body.viewerCountry, "US");
    assert.equal(body.decisions[0].rule, "author_suspended");
    assert.equal(body.decisions[1].action, "allow");
    assert.equal(body.decisions[1].embedded.quote.rule, "author_suspended");
    await act({ subject: { type: "account", id: "a1" }, action: "unsuspend" });
  });

  test("a repost of a withheld post, named by its own id alone, is tombstoned where the original is", async () => {
    const ingest = await app.inject({
      method: "POST",
      url: "/v1/ingest",
      headers: { ...admin, "content-type": "application/x-ndjson" },
      payload: [
        '{"type":"post","id":"w1","authorId":"a1","createdAt":"2021-02-02T09:15:00Z","text":"the original"}',
        '{"type":"post","id":"w2","authorId":"a2","createdAt":"2021-02-02T09:16:00Z","text":"","repostOf":"w1"}',
      ].join("\n"),
    });
    assert.equal(ingest.statusCode, 200, ingest.body);
    const before = await resolve({
      viewer: { country: "IN" },
      surface: "home_timeline",
      items: [{ postId: "w2" }],
    });
    assert.deepEqual(before.json().decisions[0], { action: "allow" });
    await act({
      subject: { type: "post", id: "w1" },
      action: "withhold",
      countries: ["IN"],
      basis: "legal_demand",
    });
    const res = await resolve({
      viewer: { country: "IN" },
      surface: "home_timeline",
      items: [{ postId: "w2" }, { postId: "w2", authorId: "a2" }],
    });
    assert.equal(res.statusCode, 200, res.body);
    const [looked, named] = res.json().decisions;
    assert.equal(looked.action, "tombstone", "the repost's original was looked up from ingested posts");
    assert.match(looked.notice.text, /This post from @kisan_voice has been withheld in India/);
    assert.equal(looked.embedded.repostOf.rule, "withheld_in_viewer_country");
    assert.deepEqual(named, { action: "allow" }, "a caller that names the author must name repostOf too");
    const explicit = await resolve({
      viewer: { country: "IN" },
      surface: "home_timeline",
      items: [{ postId: "w2", authorId: "a2", repostOf: { postId: "w1", authorId: "a1" } }],
    });
    assert.equal(explicit.json().decisions[0].action, "tombstone");
    const germany = await resolve({
      viewer: { country: "DE" },
      surface: "home_timeline",
      items: [{ postId: "w2" }],
    });
    assert.deepEqual(germany.json().decisions[0], { action: "allow" });
    await act({ subject: { type: "post", id: "w1" }, action: "restore", countries: ["IN"] });
  });

  test("a body read straight from its text is decided as the same body parsed by JSON.parse", async () => {
    await act({ subject: { type: "account", id: "a2" }, action: "withhold", countries: ["IN"] });
    const body = {
      viewer: { country: "IN", accountId: null, ip: null },
      surface: "home_timeline",
      items: [
        { postId: "p1", authorId: "a1" },
        { postId: "p2", authorId: "a2" },
        { postId: "p9", authorId: null },
        { postId: "p2" },
        { accountId: "a2" },
        { accountId: "a1" },
      ],
    };
    const send = async (payload: string) =>
      app.inject({
        method: "POST",
        url: "/v1/visibility/resolve",
        headers: { ...admin, "content-type": "application/json" },
        payload,
      });
    const compact = await send(JSON.stringify(body)); // as JSON.stringify writes it: read from the text
    const spaced = await send(JSON.stringify(body, null, 2)); // whitespace: through JSON.parse
    assert.equal(compact.statusCode, 200, compact.body);
    assert.equal(compact.body, spaced.body);
    const decisions = compact.json().decisions as Array<{ action: string }>;
    assert.deepEqual(
      decisions.map((d) => d.action),
      ["tombstone", "tombstone", "allow", "tombstone", "tombstone", "allow"],
    );
    // A damaged text is refused as JSON.parse refuses it, with nothing decided.
    const cut = await send(JSON.stringify(body).slice(0, -2));
    assert.equal(cut.statusCode, 400);
    assert.match(cut.json().error.message, /JSON/);
    await act({ subject: { type: "account", id: "a2" }, action: "restore", countries: ["IN"] });
  });

  test("?explain=1 lists every rule with why it matched or not", async () => {
    const res = await resolve(
      { viewer: { country: "IN" }, surface: "post_detail", items: [{ postId: "p1" }] },
      "?explain=1",
    );
    const d = res.json().decisions[0];
    assert.equal(d.action, "tombstone");
    assert.ok(d.explain.length >= 5);
    assert.ok(
      d.explain.some(
        (e: { rule: string; matched: boolean }) => e.rule === "withheld_in_viewer_country" && e.matched,
      ),
    );
    assert.ok(
      d.explain.some((e: { matched: boolean; why: string }) => !e.matched && /not in force/.test(e.why)),
    );
  });

  test("rejects bad input precisely", async () => {
    for (const [body, message] of [
      [{ viewer: { country: "XX" }, surface: "trends", items: [{ postId: "p1" }] }, /XX/],
      [{ viewer: { country: "IN" }, surface: "timeline", items: [{ postId: "p1" }] }, /surface/],
      [{ viewer: { country: "IN" }, surface: "trends", items: [] }, /items/],
      [{ viewer: { country: "IN" }, surface: "trends", items: [{ postId: "p1", extra: 1 }] }, /items/],
      [{ viewer: { country: null, ip: "999.1.1.1" }, surface: "trends", items: [{ postId: "p1" }] }, /ip/],
    ] as const) {
      const res = await resolve(body as unknown as Record<string, unknown>);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.match(res.json().error.message, message);
    }
  });

  test("/healthz reports the resolver's position", async () => {
    const res = await app.inject({ method: "GET", url: "/healthz" });
    const { resolver, ledgerSeq } = res.json();
    assert.equal(resolver.asOf, ledgerSeq);
    assert.equal(resolver.behind, 0);
  });
});

describe("the Node SDK", () => {
  let sdk: VigilResolver;
  before(async () => {
    sdk = await createResolver({ url, apiKey: ADMIN_KEY, pollWaitSeconds: 5 });
  });
  after(async () => {
    await sdk?.close();
  });

  test("starts from the snapshot and decides locally like the server", async () => {
    assert.equal(sdk.asOf, await t.ctx.ledger.headSeq());
    const items = [
      { postId: "p1", authorId: "a1" },
      { postId: "p2", authorId: "a2" },
      { hashtag: "modiplanningfarmergenocide" },
    ];
    for (const surface of ["home_timeline", "trends", "search_suggestions"] as const) {
      const local = sdk.resolve({ country: "IN" }, surface, items);
      const remote = t.ctx.visibility.resolver.resolve({ country: "IN" }, surface, items);
      assert.deepEqual(local, remote, surface);
    }
  });

  test("follows the change feed: a new withhold reaches it", async () => {
    const seq = await act({ subject: { type: "account", id: "a2" }, action: "withhold", countries: ["DE"] });
    const deadline = Date.now() + 5000;
    while (sdk.asOf < seq && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(sdk.asOf, seq);
    const [d] = sdk.resolve({ country: "DE" }, "profile", [{ accountId: "a2" }]);
    assert.equal(d!.action, "tombstone");
    assert.match(d!.notice!.text, /^@reader has been withheld in Germany/);
    assert.equal(sdk.health().connected, true);
  });
});

describe("an SDK that loses the feed", () => {
  test("keeps serving its last state and reports that it is disconnected", async () => {
    const second = await buildServer(t.ctx);
    const url2 = await second.listen({ port: 0, host: "127.0.0.1" });
    const sdk = await createResolver({ url: url2, apiKey: ADMIN_KEY, pollWaitSeconds: 1 });
    const item = [{ postId: "p1", authorId: "a1" }];
    const before = sdk.resolve({ country: "IN" }, "home_timeline", item);
    assert.equal(before[0]!.action, "tombstone");
    await second.close();
    const deadline = Date.now() + 10_000;
    while (sdk.health().connected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const h = sdk.health();
    assert.equal(h.connected, false);
    assert.notEqual(h.lastError, null);
    assert.deepEqual(sdk.resolve({ country: "IN" }, "home_timeline", item), before);
    assert.equal(sdk.asOf, h.asOf);
    await sdk.close();
  });
});
