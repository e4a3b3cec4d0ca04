/**
 * Ledger append throughput on PGlite and PostgreSQL (DATABASE_URL): single appends one at a time,
 * single appends from many concurrent callers (group commit), and batches of 1,000 in one transaction.
 * Each store starts empty (a temp folder, or a fresh schema that is dropped afterwards).
 *
 *   npm run bench                      # PGlite, and PostgreSQL when DATABASE_URL is set
 *   BENCH_SCALE=0.2 npm run bench      # shorter runs
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { openStore, type Store } from "../src/db/store.ts";
import type { ActionBody } from "../src/domain/model.ts";
import { Ledger } from "../src/ledger/ledger.ts";
import { verifyLedger } from "../src/ledger/verify.ts";

const scale = Number(process.env.BENCH_SCALE ?? 1);
const n = (x: number) => Math.max(10, Math.round(x * scale));

let counter = 0;
function body(): ActionBody {
  counter += 1;
  const kinds = ["withhold", "suspend", "label", "suppress"] as const;
  const action = kinds[counter % kinds.length]!;
  return {
    subject: { type: action === "suppress" ? "hashtag" : "account", id: `bench-${counter}` },
    action,
    countries: action === "withhold" ? ["IN"] : null,
    surfaces: action === "suppress" ? ["search_suggestions", "trends"] : null,
    label: action === "label" ? "manipulated_media" : null,
    basis: action === "withhold" ? "legal_demand" : null,
    expiresAt: null,
    source: { kind: "legal_demand_item", id: `order-1/item-${counter}` },
    actor: "bench",
    reason: "Withheld in response to a legal demand under s.69A",
    rule: null,
    legalBasis: "Information Technology Act, 2000, s.69A",
    reverses: null,
    idempotencyKey: `bench-${counter}`,
    recordedAt: new Date().toISOString(),
  };
}

interface Row {
  store: string;
  mode: string;
  appends: number;
  seconds: number;
  perSecond: number;
}

async function measure(store: string, mode: string, appends: number, run: () => Promise<void>): Promise<Row> {
  const t0 = process.hrtime.bigint();
  await run();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const row = { store, mode, appends, seconds, perSecond: Math.round(appends / seconds) };
  console.log(
    `${store.padEnd(10)} ${mode.padEnd(42)} ${String(appends).padStart(7)} appends ${seconds.toFixed(2).padStart(7)} s ${String(row.perSecond).padStart(8)} /s`,
  );
  return row;
}

async function benchStore(name: string, store: Store): Promise<Row[]> {
  const ledger = new Ledger(store.db);
  const rows: Row[] = [];
  // Warm up (connections, prepared plans).
  for (let i = 0; i < 20; i++) await ledger.append(body());

  const single = n(name === "pglite" ? 1000 : 3000);
  rows.push(
    await measure(name, "single appends, one at a time (awaited)", single, async () => {
      for (let i = 0; i < single; i++) await ledger.append(body());
    }),
  );
  const concurrent = n(30_000);
  const inFlight = 64;
  rows.push(
    await measure(name, `single appends, ${inFlight} callers (group commit)`, concurrent, async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < concurrent) {
            next += 1;
            await ledger.append(body());
          }
        }),
      );
    }),
  );
  const batches = n(100);
  rows.push(
    await measure(name, "batches of 1,000 in one transaction", batches * 1000, async () => {
      for (let b = 0; b < batches; b++) await ledger.appendBatch(Array.from({ length: 1000 }, body));
    }),
  );
  const t0 = Date.now();
  const report = await verifyLedger(store.db);
  if (!report.ok) throw new Error(`chain broken after the benchmark: ${report.firstBroken?.problem}`);
  console.log(
    `${name.padEnd(10)} verify: ${report.checked} entries re-hashed in ${((Date.now() - t0) / 1000).toFixed(2)} s`,
  );
  return rows;
}

const results: Row[] = [];
{
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-bench-"));
  const store = await openStore({ kind: "pglite", dataDir: dir });
  try {
    results.push(...(await benchStore("pglite", store)));
  } finally {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const url = process.env.DATABASE_URL;
if (url) {
  const schemaName = `vigil_bench_${randomBytes(3).toString("hex")}`;
  const store = await openStore({ kind: "postgres", url }, { schemaName });
  try {
    results.push(...(await benchStore("postgres", store)));
  } finally {
    await store.close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop schema if exists "${schemaName}" cascade`);
    await c.end();
  }
} else console.warn("DATABASE_URL is not set: PostgreSQL SKIPPED");

console.log(`\nnode ${process.version}, ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? "?"}`);
if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
