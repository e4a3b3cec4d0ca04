/**
 * The reviewer console, end to end: a real server on the demo scenario, Chromium driven by
 * playwright-core, users created through the API, every flow walked through the UI.
 * Screenshots go to /tmp/console-shots/ (VIGIL_SHOTS overrides).
 */

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";
import { startVigil, type VigilServer } from "./fixtures/vigil-server.ts";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = path.resolve(import.meta.dirname, "..");
const SHOTS = process.env.VIGIL_SHOTS ?? "/tmp/console-shots";
const ADMIN_KEY = "e2e-admin-key-0123456789abcdef";
const PASSWORD = "correct-horse-battery-1";
const skip = fs.existsSync(CHROMIUM)
  ? false
  : `no browser at ${CHROMIUM}: the console e2e test needs Debian's chromium`;
if (skip) console.log(`# SKIP console e2e: ${skip}`);

let server: VigilServer | null = null;
let browser: Browser | null = null;
let base = "";
let dataDir = "";

async function admin<T>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(base + p, {
    method,
    headers: {
      authorization: `Bearer ${ADMIN_KEY}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function newPage(): Promise<Page> {
  const ctx = await browser!.newContext({ viewport: { width: 1440, height: 900 } });
  return ctx.newPage();
}

async function login(page: Page, username: string, to: string): Promise<void> {
  await page.goto(base + to);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", PASSWORD);
  await page.click("button[type=submit]");
  await page.waitForSelector(".who", { timeout: 15_000 });
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });

interface OrderOut {
  id: string;
  reference: string;
  status: string;
  confidential: boolean;
  items: Array<{
    id: string;
    position: number;
    subject: { type: string; id: string } | null;
    recommendation?: { outcome: string; protectedCategory?: string };
    decision?: { outcome: string } | null;
  }>;
}

describe("the reviewer console", { skip }, () => {
  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    if (!fs.existsSync(path.join(ROOT, "console/dist/index.html")))
      execFileSync("npx", ["vite", "build", "console"], { cwd: ROOT, stdio: "inherit" });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-console-e2e-"));
    server = await startVigil({ dataDir, adminKey: ADMIN_KEY, args: ["--demo", "--scale", "0.3"] });
    base = server.base;
    for (const role of ["legal", "moderator", "auditor", "admin"]) {
      const r = await admin("POST", "/v1/users", { username: `e2e-${role}`, password: PASSWORD, role });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  let order: OrderOut;
  let caseId = "";

  it("legal: bulk-decides the 1,178-item order by recommendation with two overrides", async () => {
    // The demo replays 2021, so order 2 is usually decided already: submit a fresh copy.
    const { body: list } = await admin<{ orders: Array<{ id: string; reference: string; status: string }> }>(
      "GET",
      "/v1/orders",
    );
    let open = list.orders.find(
      (o) => o.reference.startsWith("MeitY/69A/2021/0204-1") && o.status === "received",
    );
    if (!open) {
      const src = JSON.parse(fs.readFileSync(path.join(dataDir, "demo/orders/order-2.json"), "utf8"));
      src.reference = `MeitY/69A/2021/0204-1/e2e-${Date.now()}`;
      const r = await admin<{ order: OrderOut }>("POST", "/v1/orders", src);
      assert.equal(r.status, 201, JSON.stringify(r.body).slice(0, 500));
      open = r.body.order;
    }
    order = (await admin<OrderOut>("GET", `/v1/orders/${open.id}`)).body;

    const page = await newPage();
    await login(page, "e2e-legal", "/orders");
    await page.waitForSelector("[data-testid=orders-table] [role=row][aria-rowindex]");
    await shot(page, "01-orders-inbox");
    await page.goto(`${base}/orders/${order.id}`);
    await page.waitForSelector("[data-testid=items-table][data-ready]");
    await page.check("input[name=bulk-recommended]");
    await page.fill("input[name=bulk-reason]", "Reviewed against the order and the platform rules");

    // Two overrides: the first two undecided, unprotected items recommended for withholding → no action.
    const targets = order.items
      .filter(
        (i) => !i.decision && i.recommendation?.outcome === "withhold" && !i.recommendation.protectedCategory,
      )
      .slice(0, 2);
    assert.equal(targets.length, 2, "two items recommended for withholding");
    for (const t of targets) {
      await page.fill("input[placeholder='target, subject, reason']", t.subject!.id);
      await page.click("[data-testid=items-table] [role=row][aria-rowindex='1']");
      await page.keyboard.press("o");
      await page.waitForSelector("textarea[name=override-reason]");
      await page.selectOption("select[name=override-outcome]", "no_action");
      await page.fill(
        "textarea[name=override-reason]",
        `Override of #${t.position}: news reporting, protected speech`,
      );
      await page.keyboard.press("Escape");
    }
    await page.fill("input[placeholder='target, subject, reason']", "");
    await shot(page, "02-order-before-submit");
    await page.click("button:has-text('Submit decisions')");
    await page.waitForSelector(".success:has-text('Recorded')", { timeout: 60_000 });
    await shot(page, "03-order-decided");
    const decided = (await admin<OrderOut>("GET", `/v1/orders/${order.id}`)).body;
    for (const t of targets)
      assert.equal(decided.items.find((i) => i.id === t.id)?.decision?.outcome, "no_action");
    assert.ok(
      decided.items.every((i) => i.decision),
      "every item decided",
    );
    order = decided;

    for (const tab of ["timeline", "response", "attachments"]) {
      await page.goto(`${base}/orders/${order.id}?tab=${tab}`);
      await page.waitForTimeout(600);
      await shot(page, `04-order-${tab}`);
    }
    await page.context().close();
  });

  it("moderator: may not open the confidential order, sees the outcome as a viewer in IN and US", async () => {
    assert.ok(order.confidential);
    const page = await newPage();
    await login(page, "e2e-moderator", `/orders/${order.id}`);
    await page.waitForSelector(".error:has-text('Not allowed')");
    await shot(page, "05-moderator-confidential-403");

    // An item withheld in India by the bulk decision whose subject is otherwise unrestricted.
    const withheld = order.items.filter(
      (i) => i.decision?.outcome === "withhold" && i.subject?.type === "post",
    );
    let pick: string | null = null;
    for (const i of withheld.slice(0, 50)) {
      const r = await admin<{ decisions: Array<{ action: string }> }>("POST", "/v1/visibility/resolve", {
        viewer: { country: "US" },
        surface: "home_timeline",
        items: [{ postId: i.subject!.id }],
      });
      if (r.body.decisions[0]?.action === "allow") {
        pick = i.subject!.id;
        break;
      }
    }
    assert.ok(pick, "a withheld post visible outside India");
    await page.goto(`${base}/viewer?c=IN,US&ids=${pick}`);
    await page.waitForSelector(`[data-country=US] article[data-subject=${pick}]`);
    assert.equal(
      await page.getAttribute(`[data-country=IN] article[data-subject=${pick}]`, "data-action"),
      "tombstone",
    );
    assert.equal(
      await page.getAttribute(`[data-country=US] article[data-subject=${pick}]`, "data-action"),
      "allow",
    );
    assert.match((await page.textContent(`[data-country=IN] article[data-subject=${pick}]`)) ?? "", /India/);
    await shot(page, "06-viewer-IN-US");
    await page.goto(`${base}/viewer?c=IN,US`);
    await page.waitForSelector("[data-country=US] article", { timeout: 60_000 });
    await shot(page, "07-viewer-demo");
    await page.context().close();
  });

  it("moderator: bulk-suspends a campaign with one exclusion", async () => {
    const page = await newPage();
    await login(page, "e2e-moderator", "/cases?kind=campaign&state=open");
    await page.waitForSelector("[data-testid=cases-table] [role=row][aria-rowindex]");
    await shot(page, "08-cases");
    await page.click("[data-testid=cases-table] [role=row][aria-rowindex='1'] a");
    await page.waitForSelector("section.bulk-suspend");
    caseId = page.url().split("/cases/")[1]!.split("?")[0]!;
    await page.waitForSelector(".evidence canvas", { timeout: 60_000 });
    await page.waitForTimeout(1500);
    await shot(page, "09-campaign-evidence");

    await page.fill("input[name=suspend-reason]", "Coordinated inauthentic amplification (campaign case)");
    // One exclusion: the first member that is not protected.
    const excluded = await page.getAttribute(
      "section.bulk-suspend tr:not(.protected)[data-account]",
      "data-account",
    );
    assert.ok(excluded);
    await page.check(`section.bulk-suspend tr[data-account='${excluded}'] input[type=checkbox]`);
    // Protected members are not silently included: try once to see the server refuse, then justify them.
    const protectedRows = await page.$$eval("section.bulk-suspend tr.protected[data-account]", (rows) =>
      rows.map((r) => r.getAttribute("data-account")!),
    );
    if (protectedRows.length > 0) {
      await page.click("section.bulk-suspend button.danger");
      await page.waitForSelector("section.bulk-suspend .error:has-text('protected')");
      await shot(page, "10-bulk-suspend-protected-refused");
      for (const id of protectedRows)
        await page.fill(
          `input[aria-label='Justification for ${id}']`,
          "Posted the campaign template dozens of times within minutes",
        );
    }
    await page.click("section.bulk-suspend button.danger");
    await page.waitForSelector("section.bulk-suspend .success:has-text('Suspended')", { timeout: 60_000 });
    await shot(page, "11-bulk-suspended");
    const c = (
      await admin<{ history: Array<{ kind: string; body: Record<string, unknown> }> }>(
        "GET",
        `/v1/cases/${caseId}`,
      )
    ).body;
    assert.ok(JSON.stringify(c.history).includes(excluded!), "the exclusion is recorded in the case history");
    await page.context().close();
  });

  it("auditor: finds both in the audit log, and the confidential reads", async () => {
    const page = await newPage();
    await login(page, "e2e-auditor", `/audit?q=${order.id}`);
    await page.waitForSelector("[data-testid=audit-ledger] .vtable-row:not(.placeholder)", {
      timeout: 60_000,
    });
    const orderRows = Number(await page.getAttribute("[data-testid=audit-ledger]", "aria-rowcount"));
    assert.ok(orderRows > 100, `ledger entries for the order: ${orderRows}`);
    await shot(page, "12-audit-order");
    await page.goto(`${base}/audit?q=${caseId}`);
    await page.waitForSelector("[data-testid=audit-ledger] .vtable-row:not(.placeholder)", {
      timeout: 60_000,
    });
    const caseRows = Number(await page.getAttribute("[data-testid=audit-ledger]", "aria-rowcount"));
    assert.ok(caseRows > 0, `ledger entries for the case: ${caseRows}`);
    await shot(page, "13-audit-case");
    await page.goto(`${base}/audit?tab=reads&q=${order.id}`);
    await page.waitForSelector(`[data-testid=confidential-reads] td:has-text("${order.id}")`);
    assert.match((await page.textContent("[data-testid=confidential-reads]")) ?? "", /e2e-legal/);
    await shot(page, "14-audit-confidential-reads");
    await page.context().close();
  });

  it("admin: the other pages render (screenshots)", async () => {
    const page = await newPage();
    await login(page, "e2e-admin", "/transparency");
    await page.waitForSelector(".card canvas", { timeout: 60_000 });
    await page.waitForTimeout(800);
    await shot(page, "15-transparency");
    assert.ok(await page.isVisible("footer a[href='https://db-ip.com']"));
    await page.goto(`${base}/hashtags?tag=${encodeURIComponent("ModiPlanningFarmerGenocide")}`);
    await page.waitForSelector("[data-testid=variants]", { timeout: 60_000 });
    await page.waitForTimeout(1000);
    // The server's match key lists the evasion spellings, look-alike letters included.
    const variantsText = await page.textContent("[data-testid=variants]");
    assert.ok(/[\u0400-\u04ff]/.test(variantsText ?? ""), "a Cyrillic look-alike spelling is listed");
    assert.ok((await page.$$("[data-testid=variants] tbody tr")).length > 3);
    await shot(page, "16-hashtags");
    await page.goto(`${base}/appeals?state=any`);
    await page.waitForTimeout(1000);
    await shot(page, "17-appeals");
    const sub = order.items.find((i) => i.subject?.type === "account")!.subject!;
    await page.goto(`${base}/subjects/account/${sub.id}`);
    await page.waitForSelector("[data-testid=subject-history]");
    await shot(page, "18-subject");
    await page.context().close();
  });

  it("the order page shows a 10,000-item order: rows select and the table scrolls to the middle", async () => {
    const items: Array<{ target: string; reason: string }> = [];
    for (let i = 1; i <= 1500; i++)
      items.push({ target: `account:a${String(i).padStart(6, "0")}`, reason: "Performance check" });
    for (let i = 1; items.length < 10_000; i++)
      items.push({ target: `post:p${String(i).padStart(7, "0")}`, reason: "Performance check" });
    const r = await admin<{ order: { id: string } }>("POST", "/v1/orders", {
      authority: {
        name: "Ministry of Electronics and Information Technology",
        country: "IN",
        type: "government_agency",
        officer: "Designated Officer",
        rank: "Joint Secretary",
      },
      legalBasis: "Information Technology Act, 2000, s.69A; Blocking Rules 2009, r.8",
      reference: `PERF-10k-${Date.now()}`,
      receivedAt: "2021-02-05T12:00:00Z",
      items,
    });
    assert.equal(r.status, 201);
    const page = await newPage();
    await login(page, "e2e-legal", "/orders");
    const figures: number[] = [];
    for (let run = 0; run < 3; run++) {
      await page.goto(`${base}/orders/${r.body.order.id}`);
      await page.waitForSelector("[data-testid=items-table][data-ready]", { timeout: 30_000 });
      // Interactive: a row click moves the selection, and the table scrolls.
      await page.click("[data-testid=items-table] [role=row][aria-rowindex='3']");
      await page.waitForSelector("[data-testid=items-table] [role=row].active[aria-rowindex='3']");
      const t = await page.evaluate(() => {
        const mark = performance.getEntriesByName("vigil:order-table")[0];
        const data = performance.getEntriesByName("vigil:order-data")[0];
        const res = performance
          .getEntriesByType("resource")
          .map((e) => e as PerformanceResourceTiming)
          .filter((e) => /\/v1\/|\.js$/.test(e.name))
          .map(
            (e) =>
              `${e.name.replace(/^https?:\/\/[^/]+/, "").slice(0, 40)} ${e.startTime.toFixed(0)}+${(e.responseStart - e.startTime).toFixed(0)}+${(e.responseEnd - e.responseStart).toFixed(0)}`,
          );
        return { table: mark?.startTime ?? -1, data: data?.startTime ?? -1, clicked: performance.now(), res };
      });
      await page.$eval("[data-testid=items-table]", (el) => {
        el.scrollTop = 200_000;
      });
      await page.waitForSelector("[data-testid=items-table] [role=row][aria-rowindex='5000']", {
        timeout: 10_000,
      });
      console.log(
        `# 10k-item order: data at ${t.data.toFixed(0)} ms, table interactive at ${t.table.toFixed(0)} ms after navigation start (run ${run + 1})`,
      );
      // Where the time went: each request's start, time to first byte, and download (ms).
      console.log(`#   ${t.res.join(" · ")}`);
      figures.push(t.table);
    }
    await shot(page, "19-order-10k");
    // The speed target (interactive within 1.5 s) is a benchmark, not a test: `npm run bench:console`
    // sets VIGIL_E2E_INTERACTIVE_MS and only then is the figure checked.
    const best = Math.min(...figures);
    assert.ok(best > 0, "the page marked when its table became interactive");
    const limit = process.env.VIGIL_E2E_INTERACTIVE_MS;
    if (limit)
      assert.ok(
        best <= Number(limit),
        `10k-item order interactive after ${best.toFixed(0)} ms (limit ${limit} ms)`,
      );
    await page.context().close();
  });
});
