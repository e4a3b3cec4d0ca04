/// <reference lib="dom" />
/**
 * The console's longest list at 100,000 rows: the audit log over a ledger of 100,000 entries, in
 * Chromium (playwright-core driving /usr/bin/chromium) against a real server on the embedded store.
 *   node --import tsx bench/console-lists.bench.ts [ENTRIES=100000] [ORDER_ITEMS=100000]
 *
 * Reported: when the table first shows rows after navigation; how long a search takes to narrow the
 * list (keystroke to the new count on screen); a jump to the middle and to the end of the list; and
 * the longest main-thread task (PerformanceObserver "longtask") during each phase, which is what a
 * user feels as a freeze.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { envToConfig } from "../src/config/config.ts";
import { createContext } from "../src/context.ts";
import type { ActionBody } from "../src/domain/model.ts";
import { startVigil } from "../test/fixtures/vigil-server.ts";

const ENTRIES = Number(process.argv[2] ?? 100_000);
const ORDER_ITEMS = Number(process.argv[3] ?? 100_000);
const _ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN_KEY = "bench-admin-key-0123456789abcdef";
const PASSWORD = "correct-horse-battery-1";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-lists-bench-"));
const ACTIONS = ["withhold", "suspend", "label", "suppress"] as const;
{
  const ctx = await createContext(envToConfig({ dataDir, logLevel: "warn" }, { databaseUrl: null }), {});
  const t0 = performance.now();
  for (let start = 0; start < ENTRIES; start += 5_000) {
    const bodies: ActionBody[] = [];
    for (let i = start; i < Math.min(ENTRIES, start + 5_000); i++) {
      const action = ACTIONS[i % ACTIONS.length]!;
      bodies.push({
        subject:
          action === "suppress"
            ? { type: "hashtag", id: `tag${i}` }
            : { type: i % 3 === 0 ? "post" : "account", id: `s${i}` },
        action,
        countries: action === "withhold" ? ["IN"] : null,
        surfaces: action === "suppress" ? ["trends", "search_suggestions"] : null,
        label: action === "label" ? "manipulated_media" : null,
        basis: action === "withhold" ? "legal_demand" : null,
        expiresAt: null,
        source: { kind: i % 2 === 0 ? "legal_demand_item" : "manual", id: `order-${i % 97}:${i}` },
        actor: `user:reviewer${i % 13}`,
        reason: `bench entry ${i}: ${i % 7 === 0 ? "ਪੰਜਾਬੀ" : i % 5 === 0 ? "हिन्दी" : "english"} reason`,
        rule: action === "suspend" ? "platform_manipulation" : null,
        legalBasis: action === "withhold" ? "Information Technology Act, 2000, s.69A" : null,
        reverses: null,
        idempotencyKey: null,
        recordedAt: new Date(Date.UTC(2021, 1, 1) + i * 1000).toISOString(),
      } as ActionBody);
    }
    await ctx.ledger.appendBatch(bodies);
  }
  console.log(
    `ledger of ${ENTRIES.toLocaleString("en")} entries written in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  await ctx.close();
}

const server = await startVigil({ dataDir, adminKey: ADMIN_KEY, timeoutMs: 120_000 });
const base = server.base;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const created = await fetch(`${base}/v1/users`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ username: "bench-auditor", password: PASSWORD, role: "auditor" }),
  });
  if (created.status !== 201) throw new Error(`user: ${created.status} ${await created.text()}`);

  // The server's part: the console reads the ledger from the change feed in pages of 10,000.
  {
    const t0 = performance.now();
    let after = 0;
    let pages = 0;
    let bytes = 0;
    for (;;) {
      const r = await fetch(`${base}/v1/changes?after=${after}&limit=10000&wait=0`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      const text = await r.text();
      bytes += text.length;
      const body = JSON.parse(text) as { entries: unknown[]; next: number; head: number };
      pages++;
      after = body.next;
      if (body.entries.length === 0 || after >= body.head) break;
    }
    console.log(
      `change feed: ${pages} pages, ${(bytes / 1e6).toFixed(1)} MB, read in ${(performance.now() - t0).toFixed(0)} ms (from Node)`,
    );
  }
  const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  await page.goto(`${base}/`);
  await page.fill("input[name=username]", "bench-auditor");
  await page.fill("input[name=password]", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForSelector(".who");
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) w.longTasks.push(e.duration);
    }).observe({ type: "longtask", buffered: true });
  });
  const longest = async () =>
    page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      const m = Math.max(0, ...w.longTasks);
      w.longTasks = [];
      return m;
    });
  const rowSel = "[data-testid=audit-ledger] .vtable-row:not(.placeholder)";
  const counts = () => page.textContent(".toolbar .muted");

  for (let run = 1; run <= 2; run++) {
    const cdp = process.env.PROFILE ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send("Profiler.enable");
      await cdp.send("Profiler.start");
    }
    await page.goto(`${base}/audit`);
    await page.waitForSelector(rowSel, { timeout: 120_000 });
    if (cdp) {
      const { profile } = await cdp.send("Profiler.stop");
      fs.writeFileSync(`/tmp/audit-${run}.cpuprofile`, JSON.stringify(profile));
    }
    const shown = await page.evaluate(() => performance.now());
    console.log(`run ${run}: ${await counts()}`);
    console.log(
      `  rows on screen ${shown.toFixed(0)} ms after navigation; longest task ${(await longest()).toFixed(0)} ms`,
    );

    // Search: type a query that leaves ~1% of the rows, and wait for the count to change.
    const before = await counts();
    const t0 = await page.evaluate(() => performance.now());
    await page.fill("input[name=audit-search]", "reviewer7 हिन्दी");
    await page.waitForFunction((b) => {
      const t = document.querySelector(".toolbar .muted")?.textContent ?? "";
      return t !== b && !t.includes("counting");
    }, before);
    await page.waitForSelector(rowSel);
    const t1 = await page.evaluate(() => performance.now());
    console.log(
      `  search narrowed to "${await counts()}" in ${(t1 - t0).toFixed(0)} ms; longest task ${(await longest()).toFixed(0)} ms`,
    );
    await page.fill("input[name=audit-search]", "");
    await page.waitForFunction((b) => document.querySelector(".toolbar .muted")?.textContent === b, before);
    await longest();

    // Jump to the middle and to the end: the rows there render.
    for (const [where, idx] of [
      ["middle", Math.floor(ENTRIES / 2)],
      ["end", ENTRIES],
    ] as const) {
      const s0 = await page.evaluate(() => performance.now());
      await page.$eval(
        "[data-testid=audit-ledger]",
        (el, to) => {
          el.scrollTop = to === "end" ? el.scrollHeight : el.scrollHeight / 2;
        },
        where,
      );
      await page.waitForFunction(
        (i) =>
          [...document.querySelectorAll("[data-testid=audit-ledger] .vtable-row:not(.placeholder)")].some(
            (r) => Math.abs(Number(r.getAttribute("aria-rowindex")) - i) < 40,
          ),
        idx,
      );
      const s1 = await page.evaluate(() => performance.now());
      console.log(
        `  scrolled to the ${where} in ${(s1 - s0).toFixed(0)} ms; longest task ${(await longest()).toFixed(0)} ms`,
      );
    }
  }

  // ---- an order of 100,000 items (the most an order may list): the order page, as legal sees it ----
  if (ORDER_ITEMS > 0) {
    const h = { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" };
    const u = await fetch(`${base}/v1/users`, {
      method: "POST",
      headers: h,
      body: JSON.stringify({ username: "bench-legal", password: PASSWORD, role: "legal" }),
    });
    if (u.status !== 201) throw new Error(`user: ${u.status} ${await u.text()}`);
    const items = Array.from({ length: ORDER_ITEMS }, (_, i) => ({
      target: i % 5 === 0 ? `account:s${i}` : `post:p${i}`,
      reason: i % 7 === 0 ? "ਪੰਜਾਬੀ: threat to public order" : "public order",
    }));
    const t0 = performance.now();
    const created = await fetch(`${base}/v1/orders`, {
      method: "POST",
      headers: h,
      body: JSON.stringify({
        authority: {
          name: "Ministry of Electronics and Information Technology",
          country: "IN",
          type: "government_agency",
          officer: "Designated Officer",
          rank: "Joint Secretary",
        },
        legalBasis: "Information Technology Act, 2000, s.69A",
        reference: `BENCH/100k/${Date.now()}`,
        receivedAt: "2021-02-05T12:00:00Z",
        items,
      }),
    });
    if (created.status !== 201)
      throw new Error(`order: ${created.status} ${(await created.text()).slice(0, 300)}`);
    const orderId = ((await created.json()) as { order: { id: string } }).order.id;
    console.log(
      `order of ${ORDER_ITEMS.toLocaleString("en")} items taken in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const legal = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await legal.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: "longtask", buffered: true });
    });
    await legal.goto(`${base}/`);
    await legal.fill("input[name=username]", "bench-legal");
    await legal.fill("input[name=password]", PASSWORD);
    await legal.click("button[type=submit]");
    await legal.waitForSelector(".who");
    const longestHere = () =>
      legal.evaluate(() => {
        const w = window as unknown as { longTasks: number[] };
        const m = Math.max(0, ...w.longTasks);
        w.longTasks = [];
        return m;
      });
    for (let run = 1; run <= 2; run++) {
      const cdp = process.env.PROFILE ? await legal.context().newCDPSession(legal) : null;
      if (cdp) {
        await cdp.send("Profiler.enable");
        await cdp.send("Profiler.start");
      }
      await legal.goto(`${base}/orders/${orderId}`);
      await legal.waitForSelector("[data-testid=items-table][data-ready]", { timeout: 120_000 });
      if (cdp) {
        const { profile } = await cdp.send("Profiler.stop");
        fs.writeFileSync(`/tmp/order100k-${run}.cpuprofile`, JSON.stringify(profile));
      }
      await legal.click("[data-testid=items-table] [role=row][aria-rowindex='3']");
      await legal.waitForSelector("[data-testid=items-table] [role=row].active[aria-rowindex='3']");
      const ready = await legal.evaluate(
        () => performance.getEntriesByName("vigil:order-table")[0]?.startTime ?? -1,
      );
      console.log(
        `order page, run ${run}: interactive ${ready.toFixed(0)} ms after navigation; longest task ${(await longestHere()).toFixed(0)} ms`,
      );
      // The rest of the order arrives in pages in the background; deciding waits for all of it.
      await legal.waitForSelector("button.primary:has-text('Submit decisions')", { timeout: 120_000 });
      const all = await legal.evaluate(() => performance.now());
      console.log(
        `  all ${ORDER_ITEMS.toLocaleString("en")} items read ${all.toFixed(0)} ms after navigation; longest task ${(await longestHere()).toFixed(0)} ms`,
      );
      const f0 = await legal.evaluate(() => performance.now());
      await legal.fill("input[placeholder='target, subject, reason']", "ਪੰਜਾਬੀ");
      await legal.waitForFunction(
        (n) => Number(document.querySelector("[data-testid=items-table]")?.getAttribute("aria-rowcount")) < n,
        ORDER_ITEMS,
      );
      const f1 = await legal.evaluate(() => performance.now());
      console.log(
        `  filter to 1 in 7 items: ${(f1 - f0).toFixed(0)} ms; longest task ${(await longestHere()).toFixed(0)} ms`,
      );
      await legal.fill("input[placeholder='target, subject, reason']", "");
      // The list follows the box as a deferred render: wait for every item to be back before scrolling.
      await legal.waitForFunction(
        (n) =>
          Number(document.querySelector("[data-testid=items-table]")?.getAttribute("aria-rowcount")) === n,
        ORDER_ITEMS,
      );
      await legal.$eval("[data-testid=items-table]", (el) => {
        el.scrollTop = el.scrollHeight / 2;
      });
      await legal.waitForSelector(`[data-testid=items-table] [role=row][aria-rowindex='${ORDER_ITEMS / 2}']`);
      console.log(`  scrolled to the middle; longest task ${(await longestHere()).toFixed(0)} ms`);
    }
  }
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
