/**
 * The read path at scale: 1 million restricted subjects and a stream of 10 million items.
 *   - the in-process SDK deciding on one core, inside a process of its own (a platform service);
 *   - the batch HTTP endpoint (server in its own process), batches of 1,000;
 *   - the same decisions by one SQL query per item against the same store, and the ratio;
 *   - propagation from a committed action to another process's resolver (p50/p99);
 *   - resolver memory per restricted subject.
 *
 *   npm run bench:visibility                        # PGlite
 *   DATABASE_URL=postgres://… npm run bench:visibility
 *   BENCH_SCALE=0.1 …                               # a tenth of the subjects and items
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import { openStore, query, type Store } from "../src/db/store.ts";
import type { ActionBody } from "../src/domain/model.ts";
import { Ledger } from "../src/ledger/ledger.ts";

const scale = Number(process.env.BENCH_SCALE ?? 1);
const SUBJECTS = Math.round(1_000_000 * scale);
const STREAM = Math.round(10_000_000 * scale);
// Other load (a resolver in another process, the server) competes for the 2 cores: the SDK figure is
// measured before the propagation watcher starts, with the server idle.
const HTTP_ITEMS = Math.round(3_000_000 * Math.min(1, scale * 3));
const SQL_ITEMS = 20_000;
const KEY = `bench-admin-key-${randomBytes(8).toString("hex")}`;
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const results: Record<string, unknown> = { subjects: SUBJECTS, stream: STREAM };

// ---- the store: 1M restricted subjects, written through the ledger ------------------------------
const base = process.env.DATABASE_URL ?? null;
let storeUrl: string | null = null;
let dataDir: string | null = null;
let dropDb: (() => Promise<void>) | null = null;
if (base) {
  const name = `vigil_bench_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  storeUrl = u.toString();
  dropDb = async () => {
    const c = new pg.Client({ connectionString: base });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  };
} else dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-vbench-"));

const open = (): Promise<Store> =>
  storeUrl
    ? openStore({ kind: "postgres", url: storeUrl })
    : openStore({ kind: "pglite", dataDir: path.join(dataDir!, "pglite") });

/** Restricted subject i: posts withheld in IN (60%), accounts withheld in IN and PK (20%), accounts suspended (10%), posts labelled (10%). */
function subjectBody(i: number): ActionBody {
  const r = i % 10;
  const common = {
    surfaces: null,
    expiresAt: null,
    actor: "bench",
    rule: null,
    legalBasis: null,
    reverses: null,
    idempotencyKey: null,
    recordedAt: new Date().toISOString(),
    source: { kind: "legal_demand_item" as const, id: `o/${i}` },
    reason: "bench",
  };
  if (r < 6)
    return {
      ...common,
      subject: { type: "post", id: `rp${i}` },
      action: "withhold",
      countries: ["IN"],
      label: null,
      basis: "legal_demand",
    };
  if (r < 8)
    return {
      ...common,
      subject: { type: "account", id: `ra${i}` },
      action: "withhold",
      countries: ["IN", "PK"],
      label: null,
      basis: "legal_demand",
    };
  if (r < 9)
    return {
      ...common,
      subject: { type: "account", id: `ra${i}` },
      action: "suspend",
      countries: null,
      label: null,
      basis: null,
    };
  return {
    ...common,
    subject: { type: "post", id: `rp${i}` },
    action: "label",
    countries: null,
    label: "manipulated_media",
    basis: null,
  };
}
const restrictedItem = (i: number) =>
  i % 10 < 6 || i % 10 === 9
    ? { postId: `rp${i}`, authorId: `u${i % 50_000}` }
    : { postId: `x${i}`, authorId: `ra${i}` };

{
  const store = await open();
  const ledger = new Ledger(store.db);
  const t0 = performance.now();
  for (let i = 0; i < SUBJECTS; i += 2000)
    await ledger.appendBatch(
      Array.from({ length: Math.min(2000, SUBJECTS - i) }, (_, j) => subjectBody(i + j)),
    );
  console.log(
    `store (${store.kind}): ${fmt(SUBJECTS)} restricted subjects appended in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  // As an operator would after a bulk import: vacuum and analyze now, so that autovacuum does not
  // compete with the measurements for the two cores, and the planner knows the tables' sizes.
  const tv = performance.now();
  await store.db.execute(sql`vacuum analyze`);
  console.log(`store: vacuum analyze in ${((performance.now() - tv) / 1000).toFixed(1)} s`);

  // ---- one SQL query per item, the way most moderation tools check ------------------------------
  const sample = Array.from({ length: SQL_ITEMS }, (_, k) =>
    k % 50 === 0 ? restrictedItem((k * 7919) % SUBJECTS) : { postId: `n${k}`, authorId: `m${k}` },
  );
  let hits = 0;
  const t1 = performance.now();
  for (const it of sample) {
    const rows = await query(
      store.db,
      sql`select key from enforcement_state
          where (subject_type = 'post' and subject_id = ${it.postId}) or (subject_type = 'account' and subject_id = ${it.authorId})`,
    );
    if (rows.length > 0) hits++;
  }
  const sqlRate = SQL_ITEMS / ((performance.now() - t1) / 1000);
  results.sqlPerItem = Math.round(sqlRate);
  console.log(`SQL, one query per item: ${fmt(sqlRate)} items/s (${hits} of ${SQL_ITEMS} restricted)`);
  await store.close();
}

// ---- the server, in its own process -------------------------------------------------------------
const port = 18000 + Math.floor(Math.random() * 1000);
const server: ChildProcess = spawn(
  process.execPath,
  ["bin/vigil.js", "serve", "--port", String(port), ...(dataDir ? ["--data", dataDir] : [])],
  {
    env: {
      ...process.env,
      DATABASE_URL: storeUrl ?? "",
      NATS_URL: "",
      VIGIL_ADMIN_KEY: KEY,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  },
);
const url = `http://127.0.0.1:${port}`;
for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${url}/healthz`)).ok) break;
  } catch {}
  if (i > 600) throw new Error("the server did not start");
  await new Promise((r) => setTimeout(r, 500));
}

const children: ChildProcess[] = [server];
try {
  // ---- the SDK: snapshot, memory, decisions on one core, in its own process -----------------------
  // The SDK runs inside a platform's service; here that service is a process of its own, so the bench's
  // own work (a million ledger appends, the SQL loop) does not weigh on its heap.
  const sdkProc = spawn(
    process.execPath,
    [
      "--expose-gc",
      "--max-old-space-size=8192",
      "--import",
      "tsx",
      "bench/fixtures/sdk-decide.ts",
      url,
      KEY,
      String(SUBJECTS),
      String(STREAM),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  children.push(sdkProc);
  let sdkOut = "";
  sdkProc.stdout!.on("data", (d) => (sdkOut += d));
  await new Promise((r) => sdkProc.once("exit", r));
  const sdkLine = sdkOut.split("\n").find((l) => l.startsWith("result "));
  if (!sdkLine) throw new Error(`the SDK process gave no result: ${sdkOut}`);
  const sdkResult = JSON.parse(sdkLine.slice(7)) as {
    snapshotSeconds: number;
    bytesPerSubject: number;
    exactMemory: boolean;
    fresh: number;
    freshBlocked: number;
    pool: number;
    poolBlocked: number;
    freshOtherCores: number | null;
    poolOtherCores: number | null;
  };
  const others = (cores: number | null): string =>
    cores === null ? "" : `; other processes used ${cores.toFixed(2)} cores meanwhile`;
  results.sdkSnapshotSeconds = sdkResult.snapshotSeconds;
  results.bytesPerSubject = Math.round(sdkResult.bytesPerSubject);
  console.log(
    `SDK (own process): snapshot of ${fmt(SUBJECTS)} subjects loaded in ${sdkResult.snapshotSeconds.toFixed(1)} s; memory ${sdkResult.bytesPerSubject.toFixed(0)} bytes per restricted subject${sdkResult.exactMemory ? "" : " (run with --expose-gc for an exact figure)"}`,
  );
  const freshRate = sdkResult.fresh;
  results.sdkFreshItemsPerSecond = Math.round(freshRate);
  console.log(
    `SDK, fresh batches: ${fmt(STREAM)} items decided at ${fmt(freshRate)} items/s on one core (${fmt(sdkResult.freshBlocked)} not allowed${others(sdkResult.freshOtherCores)})`,
  );
  const sdkRate = sdkResult.pool;
  results.sdkItemsPerSecond = Math.round(sdkRate);
  results.sdkVsSql = Math.round(freshRate / (results.sqlPerItem as number));
  console.log(
    `SDK, a cold pool of 1M items: ${fmt(STREAM)} items decided at ${fmt(sdkRate)} items/s on one core (${fmt(sdkResult.poolBlocked)} not allowed${others(sdkResult.poolOtherCores)})`,
  );
  console.log(
    `SDK vs one SQL query per item: ${fmt(freshRate / (results.sqlPerItem as number))}× (fresh), ${fmt(sdkRate / (results.sqlPerItem as number))}× (cold pool)`,
  );

  // ---- the batch HTTP endpoint, loaded from a separate process -----------------------------------
  const requests = Math.ceil(HTTP_ITEMS / 1000);
  const load = spawn(
    process.execPath,
    ["--import", "tsx", "bench/fixtures/http-load.ts", url, KEY, String(requests), "16", String(SUBJECTS)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let loadOut = "";
  load.stdout!.on("data", (d) => (loadOut += d));
  await new Promise((r) => load.once("exit", r));
  const httpRate = Number(/items\/s (\d+)/.exec(loadOut)?.[1] ?? Number.NaN);
  results.httpItemsPerSecond = httpRate;
  console.log(
    `HTTP batch endpoint: ${fmt(requests * 1000)} items in batches of 1,000 at ${fmt(httpRate)} items/s (16 connections, load from another process)`,
  );

  // ---- propagation to another process's resolver -----------------------------------------------
  const watcher = spawn(process.execPath, ["--import", "tsx", "bench/fixtures/applied-watch.ts", url, KEY], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(watcher);
  const applied = new Map<number, number>();
  let ready: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  let buf = "";
  watcher.stdout!.on("data", (d) => {
    buf += d;
    let nl = buf.indexOf("\n");
    while (nl >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.startsWith("ready")) ready();
      const m = /^applied (\d+) (\d+(?:\.\d+)?)$/.exec(line);
      if (m) applied.set(Number(m[1]), Number(m[2]));
      nl = buf.indexOf("\n");
    }
  });
  await isReady;
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const sent = performance.timeOrigin + performance.now();
    const res = await fetch(`${url}/v1/actions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${KEY}` },
      body: JSON.stringify({
        subject: { type: "account", id: `prop-${i}` },
        action: "withhold",
        countries: ["IN"],
        reason: "propagation",
      }),
    });
    const seq = ((await res.json()) as { entry: { seq: number } }).entry.seq;
    const deadline = Date.now() + 5000;
    while (![...applied.keys()].some((s) => s >= seq) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 1));
    const at = [...applied.entries()].find(([s]) => s >= seq)?.[1];
    if (at === undefined) throw new Error(`seq ${seq} never reached the other process`);
    samples.push(at - sent);
    await new Promise((r) => setTimeout(r, 10));
  }
  samples.sort((a, b) => a - b);
  const pct = (p: number) => samples[Math.min(samples.length - 1, Math.floor((p / 100) * samples.length))]!;
  results.propagationMs = { p50: pct(50), p99: pct(99), max: samples[samples.length - 1] };
  console.log(
    `propagation, committed action → another process's SDK resolver: p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${samples[samples.length - 1]!.toFixed(1)} ms (${samples.length} actions)`,
  );
} finally {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null) return resolve();
          const force = setTimeout(() => c.kill("SIGKILL"), 5000);
          c.once("exit", () => {
            clearTimeout(force);
            resolve();
          });
          c.kill("SIGTERM");
        }),
    ),
  );
  await dropDb?.();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}
console.log(`\nnode ${process.version}, ${os.cpus().length} cores`);
if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
