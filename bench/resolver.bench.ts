/**
 * The resolver alone, in process: 1M restricted subjects loaded into the index, a pool of 1M items
 * (2% restricted) decided in batches of 1,000, four passes. `node --import tsx bench/resolver.bench.ts`
 */

import { Resolver } from "../src/visibility/resolver.ts";
import { RestrictionIndex, type SnapshotRow } from "../src/visibility/restriction-index.ts";

const N = 1_000_000;
function* rows(): Generator<SnapshotRow> {
  for (let i = 0; i < N; i++) {
    const r = i % 10;
    if (r < 6)
      yield {
        subjectType: "post",
        subjectId: `rp${i}`,
        key: "withhold:IN",
        seq: i + 1,
        basis: "legal_demand",
      };
    else if (r < 8) {
      yield {
        subjectType: "account",
        subjectId: `ra${i}`,
        key: "withhold:IN",
        seq: i + 1,
        basis: "legal_demand",
      };
      yield {
        subjectType: "account",
        subjectId: `ra${i}`,
        key: "withhold:PK",
        seq: i + 1,
        basis: "legal_demand",
      };
    } else if (r < 9)
      yield { subjectType: "account", subjectId: `ra${i}`, key: "suspend", seq: i + 1, basis: null };
    else
      yield {
        subjectType: "post",
        subjectId: `rp${i}`,
        key: "label:manipulated_media:*",
        seq: i + 1,
        basis: null,
      };
  }
}
const index = new RestrictionIndex();
index.load(rows(), N);
const r = new Resolver(index);
const restrictedItem = (i: number) =>
  i % 10 < 6 || i % 10 === 9
    ? { postId: `rp${i}`, authorId: `u${i % 50_000}` }
    : { postId: `x${i}`, authorId: `ra${i}` };
const POOL = 1_000_000;
const pool = Array.from({ length: POOL }, (_, k) =>
  k % 50 === 0 ? restrictedItem((k * 7919) % N) : { postId: `n${k}`, authorId: `m${k % 200_000}` },
);
const viewer = { country: "IN", accountId: null };
for (let rep = 0; rep < 4; rep++) {
  let blocked = 0;
  const t = performance.now();
  for (let k = 0; k < POOL; k += 1000) {
    const ds = r.resolve(viewer, "home_timeline", pool.slice(k, k + 1000));
    for (const d of ds) if (d.action !== "allow") blocked++;
  }
  console.log("items/s", Math.round(POOL / ((performance.now() - t) / 1000)), blocked);
}
