import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { SURFACES } from "../domain/model.ts";
import { fastResolveRequest, fastResolveText } from "./fast-resolve.ts";
import { ResolveRequest } from "./routes/visibility.ts";

// Ids: mostly valid, sometimes empty, with a space, too long, non-ASCII or not a string.
const id = fc.oneof(
  { weight: 40, arbitrary: fc.stringMatching(/^[a-z0-9_:-]{1,12}$/) },
  { weight: 1, arbitrary: fc.constantFrom("", "a b", "x".repeat(129), "x".repeat(128), "é", "tab\t", "~!") },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.constant(true)) },
);
const tag = fc.oneof(
  { weight: 30, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom("", "t".repeat(280), "t".repeat(281), "👍".repeat(140), "👍".repeat(141)),
  },
  { weight: 1, arbitrary: fc.integer() },
);
const embedded = fc.oneof(
  fc.constant(null),
  fc.record({ postId: id }),
  fc.record({ postId: id, authorId: fc.oneof(id, fc.constant(null)) }),
  fc.record({ postId: id, extra: fc.constant(1) }),
  fc.constant("p1"),
);
const postItem = fc.record(
  {
    postId: id,
    authorId: fc.oneof(id, fc.constant(null)),
    quoteOf: embedded,
    replyTo: embedded,
    hashtags: fc.oneof(
      fc.constant(null),
      fc.array(tag, { maxLength: 6 }),
      fc.array(tag, { minLength: 49, maxLength: 52 }),
    ),
  },
  { requiredKeys: ["postId"] },
);
const item = fc.oneof(
  { weight: 30, arbitrary: postItem },
  { weight: 10, arbitrary: fc.record({ accountId: id }) },
  { weight: 10, arbitrary: fc.record({ hashtag: tag }) },
  { weight: 1, arbitrary: fc.record({ accountId: id, hashtag: tag }) },
  { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.constant([]), fc.string()) },
);
const viewer = fc.record(
  {
    country: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom("IN", "US", "PK", "DE") },
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom("in", "XX", "IND", "") },
    ),
    accountId: fc.oneof(id, fc.constant(null)),
    ip: fc.oneof(
      { weight: 4, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.constantFrom("1.2.3.4", "::1", "999.1.1.1") },
    ),
  },
  { requiredKeys: [] },
);
const cleanBody = fc.record(
  {
    viewer: fc.oneof({ weight: 9, arbitrary: viewer }, { weight: 1, arbitrary: fc.constant("IN") }),
    surface: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...SURFACES) },
      { weight: 1, arbitrary: fc.constant("feed") },
    ),
    items: fc.oneof(
      { weight: 18, arbitrary: fc.array(item, { minLength: 1, maxLength: 8 }) },
      { weight: 1, arbitrary: fc.constant([]) },
      { weight: 1, arbitrary: fc.constant({}) },
    ),
  },
  { requiredKeys: ["viewer", "surface", "items"] },
);
// Now and then a key no schema names, at the top, in the viewer or in an item; or a key left out.
const body = fc.tuple(cleanBody, fc.integer({ min: 0, max: 11 })).map(([b, m]) => {
  const out = b as Record<string, unknown> & { viewer: unknown; items: unknown };
  if (m === 0) out.extra = 1;
  if (m === 1 && typeof out.viewer === "object" && out.viewer)
    (out.viewer as Record<string, unknown>).device = "x";
  if (m === 2 && Array.isArray(out.items) && typeof out.items[0] === "object" && out.items[0])
    (out.items[0] as Record<string, unknown>).stray = "x";
  if (m === 3) delete (out as Record<string, unknown>).surface;
  return out;
});

test("the fast path accepts only what zod accepts, and returns what zod returns", () => {
  let fast = 0;
  fc.assert(
    fc.property(body, (b) => {
      // Bodies arrive through JSON.parse: no undefined values, plain objects.
      const data = JSON.parse(JSON.stringify(b)) as unknown;
      const got = fastResolveRequest(data);
      const zod = ResolveRequest.safeParse(data);
      if (got === undefined) return;
      fast++;
      assert.ok(zod.success, `zod refuses what the fast path took: ${JSON.stringify(data)}`);
      assert.deepStrictEqual(got, zod.data);
    }),
    { numRuns: 5_000, seed: 20261202 },
  );
  assert.ok(fast > 150, `the fast path took ${fast} of 5,000 generated bodies`);
});

test("typical read traffic takes the fast path; what needs zod's words goes to zod", () => {
  const items = Array.from({ length: 1000 }, (_, k) => ({ postId: `n${k}`, authorId: `m${k}` }));
  const ok = { viewer: { country: "IN", accountId: null, ip: null }, surface: "home_timeline", items };
  assert.deepStrictEqual(fastResolveRequest(ok), ResolveRequest.parse(ok));
  assert.deepStrictEqual(
    fastResolveRequest({ viewer: {}, surface: "trends", items: [{ hashtag: "Farmers" }] }),
    {
      viewer: { country: null, accountId: null, ip: null },
      surface: "trends",
      items: [{ hashtag: "Farmers" }],
    },
  );
  for (const bad of [
    { ...ok, viewer: { country: null, accountId: null, ip: "1.2.3.4" } }, // valid, but zod checks addresses
    { ...ok, items: [] },
    { ...ok, items: Array.from({ length: 10_001 }, () => ({ accountId: "a" })) },
    { ...ok, viewer: { country: "in" } },
    { ...ok, items: [{ postId: "p 1" }] },
    JSON.parse('{"viewer":{},"surface":"trends","items":[{"hashtag":"x"}],"__proto__":{"polluted":1}}'),
    JSON.parse('{"viewer":{},"surface":"trends","items":[{"hashtag":"x","__proto__":{}}]}'),
  ])
    assert.equal(fastResolveRequest(bad), undefined, JSON.stringify(bad).slice(0, 80));
});

// The text path. Texts are generated bodies as JSON.stringify writes them, some of them then damaged:
// a character inserted (whitespace, an escape, a quote, a bracket, a control or non-ASCII character),
// one removed, or the text cut short.
const damage = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  {
    weight: 3,
    arbitrary: fc.record({
      insert: fc.constantFrom(
        " ",
        "\n",
        "\\",
        "\\u0041",
        '"',
        ",",
        "}",
        "]",
        ":",
        "\u0000",
        "é",
        "null",
        "1",
      ),
      at: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ remove: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ cut: fc.nat() }) },
);
const damaged = (text: string, d: { insert?: string; at?: number; remove?: number; cut?: number } | null) => {
  if (d === null) return text;
  if (d.insert !== undefined) {
    const at = (d.at ?? 0) % (text.length + 1);
    return text.slice(0, at) + d.insert + text.slice(at);
  }
  if (d.remove !== undefined) {
    const at = d.remove % text.length;
    return text.slice(0, at) + text.slice(at + 1);
  }
  return text.slice(0, (d.cut ?? 0) % text.length);
};
// Bodies whose items are all of the kinds the text path reads, so that it has work to do.
const simpleBody = fc.record({
  viewer,
  surface: fc.constantFrom(...SURFACES),
  items: fc.array(
    fc.oneof(
      fc.record({ postId: id, authorId: fc.oneof(id, fc.constant(null)) }, { requiredKeys: ["postId"] }),
      fc.record({ accountId: id }),
    ),
    { minLength: 1, maxLength: 8 },
  ),
});

test("the text path returns what JSON.parse and zod return, or leaves the body to them", () => {
  let fast = 0;
  fc.assert(
    fc.property(fc.oneof(body, simpleBody), damage, (b, d) => {
      const text = damaged(JSON.stringify(b), d);
      const got = fastResolveText(text);
      if (got === undefined) return;
      fast++;
      let data: unknown;
      assert.doesNotThrow(() => {
        data = JSON.parse(text);
      }, `the text path read what JSON.parse refuses: ${text}`);
      const zod = ResolveRequest.safeParse(data);
      assert.ok(zod.success, `zod refuses what the text path took: ${text}`);
      assert.deepStrictEqual(got, zod.data);
      assert.deepStrictEqual(got, fastResolveRequest(data));
    }),
    { numRuns: 10_000, seed: 20261202 },
  );
  assert.ok(fast > 1_000, `the text path took ${fast} of 10,000 generated texts`);
});

test("bodies as JSON.stringify writes them take the text path when they need no escape", () => {
  let taken = 0;
  fc.assert(
    fc.property(fc.oneof(body, simpleBody), (b) => {
      const text = JSON.stringify(b);
      const expected = fastResolveRequest(JSON.parse(text));
      // Whatever the object path accepts, the text path accepts too, with the same value, unless
      // JSON.stringify had to escape a character (a quote, a backslash or a control character).
      if (expected !== undefined && !text.includes("\\")) {
        assert.deepStrictEqual(fastResolveText(text), expected);
        taken++;
      }
    }),
    { numRuns: 4_000, seed: 7 },
  );
  assert.ok(taken > 1_000, `the text path took ${taken} of 4,000 bodies`);
  const items = Array.from({ length: 1000 }, (_, k) => ({ postId: `n${k}`, authorId: `m${k}` }));
  const ok = { viewer: { country: "IN", accountId: null, ip: null }, surface: "home_timeline", items };
  assert.deepStrictEqual(fastResolveText(JSON.stringify(ok)), ResolveRequest.parse(ok));
  const text = JSON.stringify(ok);
  const rich = text.replace(
    '"authorId":"m1"',
    '"authorId":"m1","quoteOf":{"postId":"q1","authorId":null},"replyTo":null,"hashtags":["किसान","Ｆａｒｍｅｒｓ"]',
  );
  assert.deepStrictEqual(fastResolveText(rich), ResolveRequest.parse(JSON.parse(rich)));
  for (const bad of [
    JSON.stringify(ok, null, 1), // whitespace: JSON.parse's
    text.replace('"n1"', '"n\\u0031"'), // an escape: JSON.parse's
    text.replace('"n1"', '"n\\\\1"'), // an escaped backslash in an id: JSON.parse's
    text.replace('"IN"', '"in"'), // zod words the error
    text.replace('"ip":null', '"ip":"1.2.3.4"'), // zod checks addresses
    text.replace('"authorId":"m1"', `"authorId":"m1","hashtags":[${'"x",'.repeat(50)}"y"]`), // 51 tags
    text.replace('"authorId":"m1"', '"authorId":"m1","hashtags":["a\\tb"]'), // an escape in a tag
    text.replace('"authorId":"m1"', '"authorId":"m1","hashtags":["a\tb"]'), // a raw tab: JSON.parse refuses it
    text.replace('"authorId":"m1"', '"authorId":"m1","hashtags":["a\u0001b"]'), // a raw control character
    text.replace('"authorId":"m1"', '"authorId":"m1","quoteOf":{"authorId":"m2"}'), // no postId
    text.replace('{"postId":"n1","authorId":"m1"}', '{"accountId":"a1","hashtag":"x"}'), // two kinds
    text.replace('{"viewer":', '{"viewer":{},"viewer":'), // a repeated key
    text.replace('"surface"', '"__proto__":{},"surface"'),
    `${text} `,
    `${text}x`,
    text.slice(0, -1),
    JSON.stringify({ ...ok, items: [] }),
    JSON.stringify({ ...ok, items: Array.from({ length: 10_001 }, () => ({ accountId: "a" })) }),
  ])
    assert.equal(fastResolveText(bad), undefined, bad.slice(0, 80));
});
