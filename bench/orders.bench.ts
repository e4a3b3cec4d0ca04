/**
 * Order intake at scale: a 10,000-item CSV (handles, profile and post URLs, ids, hashtags, a few
 * unresolvable) from parse to recommendations stored, then 10,000 bulk decisions with their ledger
 * entries, on PGlite with the demo scenario loaded, or on PostgreSQL (a fresh schema, dropped after)
 * when DATABASE_URL is set.
 *   node --import tsx bench/orders.bench.ts
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node --import tsx bench/orders.bench.ts
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { envToConfig } from "../src/config/config.ts";
import { createContext } from "../src/context.ts";
import { loadDemo } from "../src/demo/load.ts";
import { parseOrderCsv } from "../src/legal/order-input.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-obench-"));
const databaseUrl = process.env.DATABASE_URL || null;
const schemaName = `vigil_bench_${process.pid}`;
const ctx = await createContext(
  envToConfig({ dataDir: dir, logLevel: "warn" }, { databaseUrl }),
  databaseUrl ? { storeOptions: { schemaName } } : {},
);
try {
  await loadDemo(ctx, { scale: 2 });
  await ctx.visibility.start();
  const { rows: accounts } = (await ctx.store.db.execute(
    "select id, handle from accounts order by id limit 6000" as never,
  )) as unknown as {
    rows: { id: string; handle: string }[];
  };
  const { rows: posts } = (await ctx.store.db.execute(
    "select p.id, a.handle from posts p join accounts a on a.id = p.author_id order by p.id limit 6000" as never,
  )) as unknown as {
    rows: { id: string; handle: string }[];
  };
  const lines = ["target,reason"];
  for (let i = 0; i < 10_000; i++) {
    if (i % 500 === 0) lines.push(`@nobody_${i},unknown account`);
    else if (i % 2 === 0) {
      const a = accounts[(i / 2) % accounts.length]!;
      lines.push(
        i % 4 === 0
          ? `@${a.handle},"spreading misinformation, per the order"`
          : `https://platform.example/${a.handle},misinformation`,
      );
    } else {
      const p = posts[((i - 1) / 2) % posts.length]!;
      lines.push(
        i % 3 === 0 ? `post:${p.id},post` : `https://platform.example/${p.handle}/status/${p.id},post`,
      );
    }
  }
  const unique = [...new Set(lines)];
  const csv = `${unique.join("\n")}\n`;
  const header = {
    authority: {
      name: "Ministry of Electronics and Information Technology",
      country: "IN",
      type: "government_agency",
      officer: "Designated Officer",
      rank: "Joint Secretary",
    },
    legalBasis: "Information Technology Act, 2000, s.69A; Blocking Rules 2009, r.8",
    reference: "BENCH/10k",
    receivedAt: "2021-02-04T12:00:00Z",
    deadline: null,
    emergency: false,
    confidential: true,
  } as const;
  const t0 = performance.now();
  const parsed = parseOrderCsv(csv, header as never);
  if ("rows" in parsed) throw new Error(`bad CSV: ${JSON.stringify(parsed.rows.slice(0, 3))}`);
  const t1 = performance.now();
  const { order } = await ctx.orders.submit(parsed.order, { keyId: "bench", role: "admin", authority: null });
  const t2 = performance.now();
  console.log(
    `order of ${order.items.length} items: CSV parse ${(t1 - t0).toFixed(0)} ms, validate + resolve + recommend + store ${(t2 - t1).toFixed(0)} ms; total ${(t2 - t0).toFixed(0)} ms (${ctx.store.kind})`,
  );
  console.log(
    `  resolved ${order.items.filter((i) => i.resolution === "resolved").length}, unresolvable ${order.items.filter((i) => i.resolution === "unresolvable").length}`,
  );
  const t3 = performance.now();
  const decided = await ctx.decisions.decide(
    order.id,
    { decisions: [], bulk: { select: "recommended", reason: "bulk review" } },
    { keyId: "bench", role: "admin", authority: null },
  );
  const t4 = performance.now();
  console.log(
    `bulk decisions: ${decided.decided} items, ${decided.ledgerEntries} ledger entries with their projection, in ${(t4 - t3).toFixed(0)} ms (${ctx.store.kind})`,
  );
} finally {
  await ctx.close();
  fs.rmSync(dir, { recursive: true, force: true });
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`drop schema if exists ${schemaName} cascade`);
    await client.end();
  }
}
