/**
 * Trends and search suggestions over HTTP on the demo scenario: the suppressed "genocide" hashtag never
 * surfaces in India in any spelling, and does once the suppression is lifted (so the restriction is what
 * hides it).
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { loadDemo } from "../src/demo/load.ts";
import { matchKey } from "../src/hashtags/normalize.ts";
import { buildServer } from "../src/http/server.ts";
import { ADMIN_KEY, openTestContext, type TestContext } from "./helpers.ts";

let t: TestContext;
let app: FastifyInstance;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const GENOCIDE = matchKey("ModiPlanningFarmerGenocide");
const INSTANTS = [
  "2021-01-30T18:00:00Z",
  "2021-01-31T12:00:00Z",
  "2021-02-01T09:00:00Z",
  "2021-02-02T12:00:00Z",
  "2021-02-03T12:00:00Z",
];

async function trendKeys(country: string, at: string): Promise<string[]> {
  const res = await app.inject({
    method: "GET",
    url: `/v1/trends?country=${country}&limit=50&at=${at}`,
    headers: admin,
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().trends.map((x: { tag: string }) => matchKey(x.tag));
}

before(async () => {
  t = await openTestContext("pglite");
  await loadDemo(t.ctx, {
    scale: 0.3,
    outDir: `${process.env.TMPDIR ?? "/tmp"}/vigil-trends-demo-${process.pid}`,
  });
  app = await buildServer(t.ctx);
});
after(async () => {
  await app?.close();
  await t?.cleanup();
});

test("trends answer per country as of an instant in 2021", async () => {
  const inIndia = await trendKeys("IN", "2021-02-04T12:00:00Z");
  assert.ok(inIndia.length > 0, "something trends in India on 4 February");
  const res = await app.inject({ method: "GET", url: "/v1/trends?country=XX", headers: admin });
  assert.equal(res.statusCode, 400);
});

test("the suppressed hashtag never trends or is suggested in India, in any spelling; lifting it lets it back", async () => {
  for (const at of INSTANTS) assert.ok(!(await trendKeys("IN", at)).includes(GENOCIDE), `hidden at ${at}`);
  const sugg = await app.inject({
    method: "GET",
    url: "/v1/search/suggestions?country=IN&q=modiplan",
    headers: admin,
  });
  assert.deepEqual(sugg.json().suggestions, []);

  const lift = await app.inject({
    method: "POST",
    url: "/v1/actions",
    headers: admin,
    payload: {
      subject: { type: "hashtag", id: "ModiPlanningFarmerGenocide" },
      action: "unsuppress",
      surfaces: null,
      reason: "test: lift",
    },
  });
  assert.equal(lift.statusCode, 201, lift.body);
  await t.ctx.visibility.waitFor(lift.json().entry.seq);
  let seen = false;
  for (const at of INSTANTS)
    seen ||= (await trendKeys("IN", at)).includes(GENOCIDE) || (await trendKeys("ZZ", at)).includes(GENOCIDE);
  assert.ok(seen, "without the suppression the campaign's tag trends at some instant");
  const back = await app.inject({
    method: "GET",
    url: "/v1/search/suggestions?country=IN&q=modiplan",
    headers: admin,
  });
  assert.ok(back.json().suggestions.some((s: { text: string }) => matchKey(s.text) === GENOCIDE));
});

test("before restricting a tag, the variants its match key catches in stored posts are listed (look-alikes included)", async () => {
  const truth = JSON.parse(
    fs.readFileSync(
      `${process.env.TMPDIR ?? "/tmp"}/vigil-trends-demo-${process.pid}/ground-truth.json`,
      "utf8",
    ),
  ) as { hashtagVariants: { canonical: string; variants: string[] } };
  const { canonical, variants } = truth.hashtagVariants;
  const res = await app.inject({
    method: "GET",
    url: `/v1/hashtags/variants?tag=${encodeURIComponent(canonical)}&days=30`,
    headers: admin,
  });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.mode, "exact");
  const found = new Set(body.variants.map((v: { spelling: string }) => v.spelling));
  const expected = variants.filter((v) => matchKey(v) === matchKey(canonical));
  assert.ok(
    expected.some((v) => /[\u0400-\u04ff]/.test(v)),
    "the scenario has Cyrillic look-alikes",
  );
  for (const v of expected) assert.ok(found.has(v), `caught: ${JSON.stringify(v)}`);
  for (const v of body.variants) assert.equal(v.matchKey, matchKey(canonical));
  const prefix = (
    await app.inject({
      method: "GET",
      url: "/v1/hashtags/variants?tag=ModiPlanning*&days=30",
      headers: admin,
    })
  ).json();
  assert.equal(prefix.mode, "prefix");
  assert.ok(prefix.variants.length >= body.variants.length);
});

test("trends at an instant in the future are a 400; a few minutes of clock skew are allowed", async () => {
  const ask = (at: string) =>
    app.inject({ method: "GET", url: `/v1/trends?country=IN&at=${encodeURIComponent(at)}`, headers: admin });
  for (const at of [
    "2030-01-01T00:00:00Z",
    "2030-01-01T05:30:00+05:30",
    new Date(Date.now() + 10 * 60_000).toISOString(),
  ]) {
    const res = await ask(at);
    assert.equal(res.statusCode, 400, `${at}: ${res.body}`);
    const { error } = res.json();
    assert.equal(error.code, "invalid_request");
    assert.match(error.message, /is in the future/);
    assert.equal(error.details.issues[0].path, "querystring.at");
  }
  const skewed = await ask(new Date(Date.now() + 60_000).toISOString());
  assert.equal(skewed.statusCode, 200, skewed.body);
  assert.ok(Math.abs(Date.parse(skewed.json().at) - Date.now()) < 2 * 60_000);
});
