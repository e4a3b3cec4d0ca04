import assert from "node:assert/strict";
import { test } from "node:test";
import { BlockedBloom, hashId } from "./bloom.ts";

test("the Bloom filter never forgets an id and rarely claims a stranger", () => {
  const n = 50_000;
  const b = new BlockedBloom(Math.ceil(n * 1.25));
  for (let i = 0; i < n; i++) b.add(`p${i}`);
  for (let i = 0; i < n; i++) assert.equal(b.mightContain(`p${i}`), true);
  let fp = 0;
  for (let i = 0; i < 100_000; i++) if (b.mightContain(`q${i}`)) fp++;
  assert.ok(fp / 100_000 < 0.005, `false positive rate ${fp / 100_000}`);
});

test("the id hash spreads short, similar ids and handles odd lengths and non-ASCII", () => {
  const seen = new Set<number>();
  for (let i = 0; i < 10_000; i++) seen.add(hashId(`a${i}`) & 1023);
  assert.ok(seen.size > 1000, `low bits cover ${seen.size} of 1024 words`);
  assert.notEqual(hashId("ab"), hashId("ba"));
  assert.notEqual(hashId("किसान"), hashId("किसाऩ"));
  assert.equal(hashId(""), hashId(""));
});
