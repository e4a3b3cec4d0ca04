/**
 * Trend defence (issue 5 §8): a coordinated campaign and an organic surge of the same size, in the
 * same hours, over an organic background; where each tag ranks in India's top 10 with and without the
 * detectors' coordination weighting (campaign accounts weigh 0.05). The campaign posts in three waves,
 * then (second table) in a single wave: one post per account.
 *   node --import tsx bench/trend-defence.bench.ts
 */
import { runDefence } from "../src/trends/defence.ts";

const rank = (r: number | null) => (r === null ? "not in top 10" : String(r));
for (const waves of [3, 1]) {
  console.log(`\nThe campaign in ${waves === 1 ? "one wave" : `${waves} waves`}:\n`);
  console.log(
    "| surge (accounts each) | campaign rank, no defence | campaign rank, defence | organic rank, no defence | organic rank, defence | campaign accounts found coordinated | organic accounts found coordinated |",
  );
  console.log("|---:|---:|---:|---:|---:|---:|---:|");
  for (const surge of [50, 100, 150, 250, 400]) {
    for (const seed of ["a", "b"]) {
      const r = runDefence({ surge, seed: `defence-${seed}`, waves });
      console.log(
        `| ${surge} (seed ${seed}) | ${rank(r.campaignRankWithout)} | ${rank(r.campaignRankWith)} | ${rank(r.organicRankWithout)} | ${rank(r.organicRankWith)} | ${(100 * r.campaignCoordinated).toFixed(0)}% | ${(100 * r.organicCoordinated).toFixed(0)}% |`,
      );
    }
  }
}
