import assert from "node:assert/strict";
import { test } from "node:test";
import { canonicalBody, canonicalJson, entryHash, entryHashOfCanonical } from "./canonical.ts";

test("canonicalJson sorts keys at every depth and drops undefined", () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } }),
    '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
  );
  assert.equal(canonicalJson({ é: 1, Z: 2, a: 3 }), '{"Z":2,"a":3,"é":1}');
  assert.throws(() => canonicalJson({ x: Number.NaN }), /non-finite/);
});

test("the fast canonical body is the same text as the generic canonical JSON", () => {
  const texts = ["", 'withheld "quoted" \\ back', "किसान आंदोलन ✊", "line\nbreak\u2028sep", "🚜"];
  for (let i = 0; i < 200; i++) {
    const body = {
      subject: { type: ["account", "post", "hashtag"][i % 3]!, id: `id-${i}-${texts[i % texts.length]}` },
      action: "withhold",
      countries: i % 2 ? ["IN", "PK"] : null,
      surfaces: i % 3 ? null : ["trends"],
      label: i % 5 ? null : "manipulated_media",
      basis: i % 2 ? "legal_demand" : null,
      expiresAt: i % 7 ? null : "2030-01-01T00:00:00.000Z",
      source: { kind: "legal_demand_item", id: i % 4 ? `item-${i}` : null },
      actor: `key:${i}`,
      reason: texts[(i + 1) % texts.length]!,
      rule: i % 2 ? "violent_speech" : null,
      legalBasis: i % 3 ? "IT Act s.69A" : null,
      reverses: i % 9 ? null : i,
      idempotencyKey: i % 2 ? `k-${i}` : null,
      recordedAt: new Date(1_600_000_000_000 + i * 1000).toISOString(),
    };
    assert.equal(canonicalBody(body), canonicalJson(body));
    assert.equal(entryHashOfCanonical(i + 1, "ab", canonicalBody(body)), entryHash(i + 1, "ab", body));
  }
});

test("the entry hash covers seq, the previous hash and every field", () => {
  const body = { reason: "a" };
  const h = entryHash(1, "0".repeat(64), body);
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.notEqual(entryHash(2, "0".repeat(64), body), h);
  assert.notEqual(entryHash(1, "1".repeat(64), body), h);
  assert.notEqual(entryHash(1, "0".repeat(64), { reason: "b" }), h);
});
