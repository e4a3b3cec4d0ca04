import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../demo/random.ts";
import { EdgeStore, TRACE_TEXT } from "./edges.ts";

describe("edge store", () => {
  it("finds, sweeps and reuses edges in its typed table, keeping strong adjacency in step", () => {
    const rng = new Rng("edges");
    const store = new EdgeStore(3, 1000, 1_000_000);
    const pairs = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const x = rng.int(0, 3000);
      const y = rng.int(0, 3000);
      if (x === y) continue;
      const time = i < 10_000 ? 0 : 5000;
      store.add(x, y, rng.int(0, 1 << 30), 1, TRACE_TEXT, 10, time);
      pairs.set(`${Math.min(x, y)}:${Math.max(x, y)}`, time);
    }
    for (let i = 0; i < 100; i++) {
      for (let k = 0; k < 3; k++) store.add(i, i + 1, k, 1, TRACE_TEXT, 10, 5000);
      pairs.set(`${i}:${i + 1}`, 5000);
    }
    assert.ok(store.strong.size >= 100);
    assert.equal(store.size, pairs.size);
    for (const [key] of pairs) {
      const [x, y] = key.split(":").map(Number) as [number, number];
      const slot = store.find(y, x);
      assert.ok(slot >= 0 && store.a[slot] === x && store.b[slot] === y, key);
    }
    const dirty = store.takeDirty();
    for (const slot of store.strong) {
      assert.ok(dirty.has(store.a[slot]!) && dirty.has(store.b[slot]!));
      assert.ok(store.strongEdgesOf(store.a[slot]!).includes(slot));
    }
    store.sweep(5500);
    const kept = [...pairs].filter(([, t]) => t === 5000);
    assert.equal(store.size, kept.length);
    for (const [key, time] of pairs) {
      const [x, y] = key.split(":").map(Number) as [number, number];
      assert.equal(store.find(x, y) >= 0, time === 5000, key);
    }
    for (const slot of store.strong) assert.ok(store.has(slot));
    let adjacent = 0;
    for (let n = 0; n <= 3000; n++) adjacent += store.strongEdgesOf(n).length;
    assert.equal(adjacent, 2 * store.strong.size, "each strong edge listed at both ends");
  });

  it("caps the number of edges, dropping the oldest weak ones first", () => {
    const store = new EdgeStore(3, 86_400_000, 1000);
    for (let i = 0; i < 5000; i++) store.add(i, i + 100_000, i, 1, TRACE_TEXT, 0, i * 1000);
    for (let k = 0; k < 3; k++) store.add(1, 2, k, 1, TRACE_TEXT, 0, 0);
    store.sweep(5_000_000);
    assert.ok(store.size <= 1000 && store.size >= 550, `size ${store.size}`);
    assert.ok(store.find(4999, 104_999) >= 0, "newest kept");
    assert.equal(store.find(0, 100_000), -1, "oldest dropped");
    assert.ok(store.find(1, 2) >= 0, "strong edge kept although old");
  });
});
