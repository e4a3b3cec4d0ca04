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
  const mapping = boundedLouvain(graph, `${seed}/louvain/${nodes[0]}`);
  if (!mapping) return [nodes.slice()];
  const byCommunity = new Map<number, number[]>();
  for (const n of nodes) {
    const c = mapping[String(n)]!;
    const list = byCommunity.get(c);
    if (list) list.push(n);
    else byCommunity.set(c, [n]);
  }
  return [...byCommunity.values()];
}

/** Local-move sweeps one Louvain run may make (over all levels) before it is abandoned. */
const MAX_LOUVAIN_SWEEPS = 1_000;

class SweepLimit extends Error {}

/**
 * graphology's Louvain with its default fast local moves can cycle for ever on some weighted graphs
 * (floating-point ties: a node moves back and forth between two communities; a 42-node component of
 * the bench does it, see cluster.test.ts). The classic sweep mode draws from the RNG once per sweep,
 * so the RNG bounds it. Null when a run passes MAX_LOUVAIN_SWEEPS (the caller keeps the component
 * whole); no bench run has come near it.
 */
function boundedLouvain(graph: UndirectedGraph, seed: string): Record<string, number> | null {
  const rng = new Rng(seed);
  let sweeps = 0;
  const next = (): number => {
    if (++sweeps > MAX_LOUVAIN_SWEEPS) throw new SweepLimit();
    return rng.next();
  };
  try {
    return louvain(graph, { getEdgeWeight: "weight", fastLocalMoves: false, rng: next });
  } catch (error) {
    if (error instanceof SweepLimit) return null;
    throw error;
  }
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

/**
 * Cross-member pairs of posts at most `windowMs` apart. `packed` holds each post as
 * floor(time) · `stride` + member, sorted ascending (so by time): one native numeric sort, no comparator.
 */
function coincidences(packed: Float64Array, stride: number, windowMs: number): number {
  let count = 0;
  let start = 0;
  for (let i = 0; i < packed.length; i++) {
    const ti = Math.floor(packed[i]! / stride);
    const mi = packed[i]! - ti * stride;
    while (ti - Math.floor(packed[start]! / stride) > windowMs) start++;
    for (let j = start; j < i; j++) {
      const tj = Math.floor(packed[j]! / stride);
      if (packed[j]! - tj * stride !== mi) count++;
    }
  }
  return count;
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
  // Times are packed with the member index into one exact double: floor(t − origin) · stride + member.
  let stride = 1;
  while (stride < postTimes.length) stride *= 2;
  let total = 0;
  for (const times of postTimes) total += times.length;
  const origin = Math.floor(spanStart) - 1;
  const packed = new Float64Array(total);
  let k = 0;
  postTimes.forEach((times, m) => {
    for (const t of times) packed[k++] = Math.floor(t - origin) * stride + m;
  });
  packed.sort();
  const observed = coincidences(packed, stride, windowMs);
  let sum = 0;
  let sumSq = 0;
  let atLeast = 0;
  for (let r = 0; r < rounds; r++) {
    k = 0;
    postTimes.forEach((times, m) => {
      const offset = rng.next() * span;
      for (const t of times) {
        const shifted = spanStart + ((((t - spanStart + offset) % span) + span) % span);
        packed[k++] = Math.floor(shifted - origin) * stride + m;
      }
    });
    packed.sort();
    const c = coincidences(packed, stride, windowMs);
    sum += c;
    sumSq += c * c;
    if (c >= observed) atLeast++;
  }
  const nullMean = sum / rounds;
  const nullSd = Math.sqrt(Math.max(0, sumSq / rounds - nullMean ** 2));
  const z = nullSd > 0 ? (observed - nullMean) / nullSd : observed > nullMean ? Infinity : 0;
  return { observed, nullMean, nullSd, z, p: (1 + atLeast) / (1 + rounds), rounds };
}

/**
 * Attaches Louvain fragments smaller than `min` to the community of at least `min` members they share
 * the most edge weight with (Louvain's resolution can cut a near-clique of a component in two, leaving
 * a remainder too small to report although every account in it is strongly tied to the rest).
 * Fragments with no such neighbour stay as they are. Deterministic: communities keep their order and
 * ties go to the earlier community.
 */
export function absorbFragments(
  communities: readonly number[][],
  edges: readonly WeightedEdge[],
  min = MIN_COMMUNITY,
): number[][] {
  if (communities.every((c) => c.length >= min) || communities.every((c) => c.length < min))
    return communities.map((c) => c.slice());
  const communityOf = new Map<number, number>();
  communities.forEach((c, i) => {
    for (const n of c) communityOf.set(n, i);
  });
  const links = new Map<number, Map<number, number>>();
  for (const e of edges) {
    const ca = communityOf.get(e.a);
    const cb = communityOf.get(e.b);
    if (ca === undefined || cb === undefined || ca === cb) continue;
    for (const [from, to] of [
      [ca, cb],
      [cb, ca],
    ] as const) {
      if (communities[from]!.length >= min || communities[to]!.length < min) continue;
      const byTarget = links.get(from) ?? new Map<number, number>();
      byTarget.set(to, (byTarget.get(to) ?? 0) + e.weight);
      links.set(from, byTarget);
    }
  }
  const out = communities.map((c) => c.slice());
  const absorbed = new Set<number>();
  for (const [from, byTarget] of [...links].sort((x, y) => x[0] - y[0])) {
    let best = -1;
    let bestWeight = 0;
    for (const [to, w] of byTarget)
      if (w > bestWeight || (w === bestWeight && to < best)) [best, bestWeight] = [to, w];
    if (best < 0) continue;
    out[best]!.push(...communities[from]!);
    absorbed.add(from);
  }
  return out.filter((_, i) => !absorbed.has(i)).map((c) => c.sort((x, y) => x - y));
}
