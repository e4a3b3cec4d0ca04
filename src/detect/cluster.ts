/**
 * Campaign clustering over the strong edges of the fused account graph (detection.md §5.3–5.4):
 * connected components, each split with graphology's Louvain (seeded, so the split is deterministic),
 * and the time-shift null model that gives each community its significance figure.
 */
import { createRequire } from "node:module";
import { UndirectedGraph } from "graphology";
import type { LouvainOptions } from "graphology-communities-louvain";
import { Rng } from "../demo/random.ts";

/** The package is CommonJS (`module.exports = louvain`); its typings describe an ES default export. */
const louvain = createRequire(import.meta.url)("graphology-communities-louvain") as (
  graph: UndirectedGraph,
  options?: LouvainOptions,
) => Record<string, number>;

export interface WeightedEdge {
  a: number;
  b: number;
  weight: number;
}

/** Communities smaller than this are not reported. */
export const MIN_COMMUNITY = 5;

/** Components of an undirected edge list (union-find with path halving), as lists of nodes. */
export function components(edges: readonly WeightedEdge[]): number[][] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let p = parent.get(x) ?? x;
    if (p === x) return x;
    for (;;) {
      const gp = parent.get(p) ?? p;
      if (gp === p) break;
      parent.set(x, gp);
      x = gp;
      p = parent.get(x) ?? x;
    }
    return p;
  };
  for (const { a, b } of edges) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  const groups = new Map<number, number[]>();
  for (const node of parent.keys()) {
    const root = find(node);
    const group = groups.get(root);
    if (group) group.push(node);
    else groups.set(root, [node]);
  }
  return [...groups.values()].map((g) => g.sort((x, y) => x - y));
}

/**
 * Louvain communities of one component (edges among `nodes` only). Deterministic: nodes and edges
 * are added in sorted order and the RNG is seeded from `seed` and the component's smallest node.
 */
export function louvainCommunities(
  nodes: readonly number[],
  edges: readonly WeightedEdge[],
  seed: string,
): number[][] {
  if (nodes.length <= MIN_COMMUNITY) return [nodes.slice()];
  const graph = new UndirectedGraph({ multi: false, allowSelfLoops: false });
  for (const n of nodes) graph.addNode(String(n));
  const sorted = edges.slice().sort((p, q) => p.a - q.a || p.b - q.b);
  for (const e of sorted) graph.mergeEdge(String(e.a), String(e.b), { weight: e.weight });
  const rng = new Rng(`${seed}/louvain/${nodes[0]}`);
  const mapping = louvain(graph, { getEdgeWeight: "weight", rng: () => rng.next() });
  const byCommunity = new Map<number, number[]>();
  for (const n of nodes) {
    const c = mapping[String(n)]!;
    const list = byCommunity.get(c);
    if (list) list.push(n);
    else byCommunity.set(c, [n]);
  }
  return [...byCommunity.values()];
}

export interface Significance {
  /** Cross-member post pairs within `windowMs` of each other. */
  observed: number;
  /** Mean and standard deviation of that count under the null. */
  nullMean: number;
  nullSd: number;
  /** (observed − mean) / sd (Infinity when the null never varies and observed exceeds it). */
  z: number;
  /** Empirical one-sided p-value, (1 + #{null ≥ observed}) / (1 + rounds). */
  p: number;
  rounds: number;
}

/** Cross-member pairs of posts at most `windowMs` apart, over posts sorted by time. */
function coincidences(times: Float64Array, members: Int32Array, windowMs: number): number {
  let count = 0;
  let start = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i]! - times[start]! > windowMs) start++;
    for (let j = start; j < i; j++) if (members[j] !== members[i]) count++;
  }
  return count;
}

function sortByTime(times: number[], members: number[]): [Float64Array, Int32Array] {
  const order = times.map((_, i) => i).sort((p, q) => times[p]! - times[q]!);
  return [Float64Array.from(order, (i) => times[i]!), Int32Array.from(order, (i) => members[i]!)];
}

/**
 * Time-shift null model: each member's posts keep their own rhythm but move by an independent random
 * circular offset within [spanStart, spanEnd) (the detection window). Coordination that exceeds what
 * members' individual activity explains survives; accounts that merely post a lot do not.
 */
export function timeShiftSignificance(
  postTimes: readonly (readonly number[])[],
  windowMs: number,
  spanStart: number,
  spanEnd: number,
  rng: Rng,
  rounds = 50,
): Significance {
  const span = Math.max(1, spanEnd - spanStart);
  const flatTimes: number[] = [];
  const flatMembers: number[] = [];
  postTimes.forEach((times, m) => {
    for (const t of times) {
      flatTimes.push(t);
      flatMembers.push(m);
    }
  });
  const [t0, m0] = sortByTime(flatTimes, flatMembers);
  const observed = coincidences(t0, m0, windowMs);
  let sum = 0;
  let sumSq = 0;
  let atLeast = 0;
  const shifted: number[] = new Array(flatTimes.length);
  for (let r = 0; r < rounds; r++) {
    let k = 0;
    for (const times of postTimes) {
      const offset = rng.next() * span;
      for (const t of times) shifted[k++] = spanStart + ((((t - spanStart + offset) % span) + span) % span);
    }
    const [t1, m1] = sortByTime(shifted, flatMembers);
    const c = coincidences(t1, m1, windowMs);
    sum += c;
    sumSq += c * c;
    if (c >= observed) atLeast++;
  }
  const nullMean = sum / rounds;
  const nullSd = Math.sqrt(Math.max(0, sumSq / rounds - nullMean ** 2));
  const z = nullSd > 0 ? (observed - nullMean) / nullSd : observed > nullMean ? Infinity : 0;
  return { observed, nullMean, nullSd, z, p: (1 + atLeast) / (1 + rounds), rounds };
}
