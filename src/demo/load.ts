/**
 * Loads the demo scenario into a store: writes the generated files under DATA/demo (or `outDir`),
 * ingests the events, and records the platform's own actions through the ledger.
 */
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { sql } from "drizzle-orm";
import type { AppContext } from "../context.ts";
import { meta } from "../db/schema.ts";
import { query } from "../db/store.ts";
import { ActionRequest, ActionService } from "../ledger/actions.ts";
import type { ProtectedCategory } from "../legal/protected.ts";
import { type GroundTruth, generateScenario, writeScenario } from "./generate.ts";
import { HISTORY, type HistorySummary, replayHistory } from "./history.ts";

export interface DemoSummary {
  dir: string;
  seed: string;
  scale: number;
  events: { accepted: number; duplicates: number; rejected: number };
  actions: { appended: number; duplicates: number };
  protectedAccounts: number;
  /** With `history`: the orders replayed and appeals filed. */
  history?: HistorySummary;
}

/** True when the store holds no events and no ledger entries: the state `serve --demo` loads into. */
export async function isEmpty(ctx: AppContext): Promise<boolean> {
  const [row] = await query<{ n: number }>(
    ctx.store.db,
    sql`select ((select count(*) from (select 1 from accounts limit 1) a) + (select count(*) from (select 1 from posts limit 1) p)
                + (select seq from ledger_head where id = 1))::int as n`,
  );
  return (row?.n ?? 0) === 0;
}

export async function loadDemo(
  ctx: AppContext,
  opts: { scale?: number; seed?: string | number; outDir?: string; load?: boolean; history?: boolean } = {},
): Promise<DemoSummary> {
  const scale = opts.scale ?? 1;
  const seed = String(opts.seed ?? "2021");
  const dir = path.resolve(opts.outDir ?? path.join(ctx.config.dataDir, "demo"));
  const scenario = generateScenario({ seed, scale });
  const files = await writeScenario(dir, scenario);
  const summary: DemoSummary = {
    dir,
    seed,
    scale,
    events: { accepted: 0, duplicates: 0, rejected: 0 },
    actions: { appended: 0, duplicates: 0 },
    protectedAccounts: 0,
  };
  if (opts.load === false) return summary;

  const lines = readline.createInterface({
    input: fs.createReadStream(files.events),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const report = await ctx.ingest.ingestLines(lines);
  if (report.rejectedCount > 0)
    throw new Error(
      `the demo generator wrote ${report.rejectedCount} invalid events; first: ${JSON.stringify(report.rejected[0])}`,
    );
  summary.events = {
    accepted: report.accepted,
    duplicates: report.duplicates,
    rejected: report.rejectedCount,
  };

  // The platform's protected-category registry, as its policy team would have verified it.
  const truth = JSON.parse(fs.readFileSync(files.groundTruth, "utf8")) as GroundTruth;
  summary.protectedAccounts = await ctx.protectedRegistry.upsert(
    Object.entries(truth.accounts)
      .filter(([, a]) => a.isProtected)
      .map(([accountId, a]) => ({
        accountId,
        category: a.category as ProtectedCategory,
        note: "demo scenario",
      })),
    "system:demo",
  );

  // The platform's own actions, recorded at their moment in the scenario (10 Feb 2021).
  const recordActions = async (clock: () => Date) => {
    const actions = new ActionService(ctx.ledger, clock);
    const bodies = fs
      .readFileSync(files.actions, "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l, i) => {
        const parsed = ActionRequest.safeParse(JSON.parse(l));
        if (!parsed.success) throw new Error(`demo actions line ${i + 1}: ${parsed.error.message}`);
        return actions.toBody(parsed.data, { id: "system:demo" });
      });
    for (const r of await ctx.ledger.appendBatch(bodies)) {
      if (r.status === "appended") summary.actions.appended += 1;
      else summary.actions.duplicates += 1;
    }
  };
  if (opts.history) summary.history = await replayHistory(ctx, dir, truth, recordActions);
  else await recordActions(() => new Date(HISTORY.platformActions));
  await ctx.store.db
    .insert(meta)
    .values({ key: "demo", value: { seed, scale, loadedAt: ctx.now().toISOString() } })
    .onConflictDoUpdate({
      target: meta.key,
      set: { value: { seed, scale, loadedAt: ctx.now().toISOString() } },
    });
  return summary;
}
