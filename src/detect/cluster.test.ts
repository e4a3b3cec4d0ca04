import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Rng } from "../demo/random.ts";
import {
  absorbFragments,
  components,
  louvainCommunities,
  timeShiftSignificance,
  type WeightedEdge,
} from "./cluster.ts";
import cycle from "./fixtures/louvain-cycle.json" with { type: "json" };

describe("campaign clustering", () => {
  it("splits a planted graph of two dense groups joined by a bridge", () => {
    const rng = new Rng("planted");
    const edges: WeightedEdge[] = [];
    const groupA = Array.from({ length: 20 }, (_, i) => i);
    const groupB = Array.from({ length: 25 }, (_, i) => 100 + i);
    for (const g of [groupA, groupB]) {
      for (let i = 0; i < g.length; i++)
        for (let j = i + 1; j < g.length; j++)
          if (rng.chance(0.6)) edges.push({ a: g[i]!, b: g[j]!, weight: 3 + rng.int(0, 3) });
    }
    edges.push({ a: 5, b: 105, weight: 3 }, { a: 6, b: 110, weight: 3 });
    edges.push({ a: 500, b: 501, weight: 4 });
    const comps = components(edges);
    assert.equal(comps.length, 2);
    const big = comps.find((c) => c.length === 45)!;
    const split = louvainCommunities(
      big,
      edges.filter((e) => e.a < 500),
      "seed",
    );
    const asSets = split.map((c) => new Set(c));
    assert.equal(split.length, 2, `communities: ${split.map((c) => c.length)}`);
    for (const g of [groupA, groupB])
      assert.ok(asSets.some((s) => g.every((n) => s.has(n)) && s.size === g.length));
    assert.deepEqual(
      louvainCommunities(
        big,
        edges.filter((e) => e.a < 500),
        "seed",
      ),
      split,
      "deterministic",
    );
  });

  it("terminates on a component where graphology's fast local moves cycle for ever", () => {
    // With the library's default options this call never returned (the bench hung on it).
    const edges = cycle.edges.map(([a, b, weight]) => ({ a: a!, b: b!, weight: weight! }));
    const split = louvainCommunities(cycle.nodes, edges, cycle.seed);
    const members = split.flat().sort((x, y) => x - y);
    assert.deepEqual(
      members,
      cycle.nodes.slice().sort((x, y) => x - y),
      "a partition of the component",
    );
    assert.ok(
      split.length >= 2 && split.length < cycle.nodes.length,
      `communities: ${split.map((c) => c.length)}`,
    );
    let inside = 0;
    let total = 0;
    const communityOf = new Map(split.flatMap((c, i) => c.map((n) => [n, i] as const)));
    for (const e of edges) {
      total += e.weight;
      if (communityOf.get(e.a) === communityOf.get(e.b)) inside += e.weight;
    }
    assert.ok(inside / total > 0.5, `most edge weight stays inside communities (${inside}/${total})`);
  });

  it("finds coordinated timing significant and independent timing not", () => {
    const rng = new Rng("null");
    const start = 0;
    const end = 86_400_000;
    const waves = [3, 5, 8, 13].map((h) => h * 3_600_000);
    const coordinated = Array.from({ length: 20 }, () => waves.map((w) => w + rng.exponential(30_000)));
    const independent = Array.from({ length: 20 }, () => waves.map(() => rng.float(start, end)));
    const sig = timeShiftSignificance(coordinated, 60_000, start, end, new Rng("a"), 40);
    const none = timeShiftSignificance(independent, 60_000, start, end, new Rng("b"), 40);
    assert.ok(sig.p <= 0.05 && sig.z > 3, `coordinated p=${sig.p} z=${sig.z}`);
    assert.ok(none.p > 0.05, `independent p=${none.p}`);
  });

  it("attaches a Louvain fragment too small to report to the community it is most tied to", () => {
    const edges: WeightedEdge[] = [
      { a: 1, b: 2, weight: 3 },
      { a: 3, b: 10, weight: 3 },
      { a: 3, b: 11, weight: 4 },
      { a: 1, b: 20, weight: 3 },
    ];
    const big = [10, 11, 12, 13, 14];
    const other = [20, 21, 22, 23, 24];
    const merged = absorbFragments([big, [1, 2, 3], other, [50, 51]], edges);
    assert.deepEqual(merged, [[1, 2, 3, 10, 11, 12, 13, 14], other, [50, 51]]);
    assert.deepEqual(absorbFragments([big, other], edges), [big, other], "nothing to absorb");
  });
});
