import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { POST_DELETED, PostIndex } from "./posts.ts";

describe("post index", () => {
  it("finds retained posts, rejects redeliveries and evicts by time", () => {
    const index = new PostIndex(10_000);
    const seqs = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) {
      const seq = index.add(`post-${i}`, i % 97, i);
      assert.ok(seq > 0);
      seqs.set(`post-${i}`, seq);
      if (i % 7 === 0) assert.equal(index.add(`post-${i}`, 0, i), 0, "redelivery");
    }
    assert.ok(index.size <= 10_001, `retained ${index.size}`);
    for (const i of [0, 100, 39_998]) assert.equal(index.find(`post-${i}`), 0, `post-${i} evicted`);
    for (const i of [40_000, 45_123, 49_999]) {
      const seq = index.find(`post-${i}`);
      assert.equal(seq, seqs.get(`post-${i}`));
      assert.equal(index.author(seq), i % 97);
      assert.equal(index.time(seq), i);
    }
    const seq = index.find("post-49999");
    index.setFlag(seq, POST_DELETED);
    assert.equal(index.flags(seq) & POST_DELETED, POST_DELETED);
  });

  it("keeps memory bounded by the window, not by the stream", () => {
    const index = new PostIndex(1000);
    for (let i = 0; i < 20_000; i++) index.add(`a${i}`, 0, i);
    const bytes = index.bytes;
    for (let i = 20_000; i < 200_000; i++) index.add(`a${i}`, 0, i);
    assert.equal(index.bytes, bytes, "no growth after the window is full");
    assert.ok(index.size <= 1001);
  });
});
