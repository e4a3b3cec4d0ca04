/**
 * Transparency (contract §7) on the demo scenario with the platform's 2021 history replayed:
 * India's row of the report for 26 January to 10 February 2021 equals what the scenario's ground
 * truth implies (recomputed here from the ground truth and the scenario's events, not from the
 * database), the report's other forms render, every DSA statement passes the validator and none is
 * produced for India-only withholdings, Lumen notices are redacted, the published checkpoint proves
 * the ledger, and the monthly compliance report counts complaints.
 */
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import type { GroundTruth } from "../src/demo/generate.ts";
import { loadDemo } from "../src/demo/load.ts";
import { buildServer } from "../src/http/server.ts";
import { validateStatement } from "../src/transparency/dsa-validate.ts";
import { DEFAULT_CHROMIUM_PATH } from "../src/transparency/render.ts";
import { ADMIN_KEY, openTestContext, type TestContext } from "./helpers.ts";

let t: TestContext;
let app: FastifyInstance;
let dir: string;
let truth: GroundTruth;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const get = async (url: string) => {
  const res = await app.inject({ method: "GET", url, headers: admin });
  assert.equal(res.statusCode, 200, `${url}: ${res.body.slice(0, 300)}`);
  return res;
};

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-transparency-"));
  t = await openTestContext("pglite", { now: () => new Date("2021-02-20T00:00:00Z") });
  await loadDemo(t.ctx, { scale: 0.3, outDir: dir, history: true });
  truth = JSON.parse(fs.readFileSync(path.join(dir, "ground-truth.json"), "utf8"));
  app = await buildServer(t.ctx);
});
after(async () => {
  await app?.close();
  await t?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** India's row as the ground truth and the replayed policy (src/demo/history.ts) imply it. */
function expectedIndiaRow() {
  const authorOf = new Map<string, string>();
  for (const line of fs.readFileSync(path.join(dir, "events.ndjson"), "utf8").split("\n")) {
    if (!line.includes('"type":"post"')) continue;
    const e = JSON.parse(line);
    authorOf.set(e.id, e.authorId);
  }
  const isProtected = (accountId: string | undefined) =>
    !!accountId && truth.accounts[accountId]?.isProtected === true;
  const [one, two] = truth.orders;
  const resolved = (k: string) => k === "account" || k === "post" || k === "hashtag";
  const accountsWithheld = new Set<string>();
  const postsWithheld = new Set<string>();
  const tos = new Set<string>();
  let noAction = 0;
  let restorations = 0;
  let accountsSpecified = 0;
  for (const o of [one!, two!])
    for (const i of o.items) {
      const { kind, id } = i.expected;
      if (
        kind === "account" ||
        (kind === "unresolvable" && !/^(post:|hashtag:|#)|\/status\//i.test(i.target))
      )
        accountsSpecified += 1;
      if (o === one) {
        // Order 1: every resolved item withheld temporarily, then restored within hours.
        if (!resolved(kind)) noAction += 1;
        else {
          restorations += 1;
          if (kind === "account") accountsWithheld.add(id!);
          if (kind === "post") postsWithheld.add(id!);
        }
        continue;
      }
      const owner = kind === "account" ? id! : kind === "post" ? authorOf.get(id!) : undefined;
      if (!resolved(kind) || kind === "hashtag" || isProtected(owner)) noAction += 1;
      else if (kind === "account" && truth.accounts[id!]!.category === "bot") tos.add(id!);
      else if (kind === "account") accountsWithheld.add(id!);
      else postsWithheld.add(id!);
    }
  return {
    legalDemands: 2,
    itemsSpecified: one!.items.length + two!.items.length,
    accountsSpecified,
    accountsWithheld: accountsWithheld.size,
    postsWithheld: postsWithheld.size,
    accountsTos: tos.size,
    itemsNoAction: noAction,
    emergencyOrders: 1,
    // Order 1's restorations, plus the one appeal granted on 10 February.
    restorations: restorations + 1,
    appealsReceived: 2,
    appealsGranted: 1,
    complianceRate: 100,
  };
}

test("India's row for 26 January - 10 February 2021 is what the ground truth implies", async () => {
  const report = (await get("/v1/transparency?from=2021-01-26&to=2021-02-10")).json();
  assert.equal(report.demands.length, 1, "one country and requester group: MeitY");
  const row = report.demands[0];
  assert.equal(row.country, "IN");
  assert.equal(row.requester, "government_agency_police_other");
  const expected = expectedIndiaRow();
  for (const [k, v] of Object.entries(expected)) assert.equal(row[k], v, k);
  assert.ok(
    row.accountsTos > 0 && row.accountsWithheld > 0 && row.itemsNoAction > 0,
    "the scenario exercises every outcome",
  );
  // Order 1 was decided 3.5 h after receipt, order 2 after six days: the median item is order 2's.
  assert.equal(row.medianHoursToDecision, 138);
  const groups = new Set(report.proactive.map((p: { group: string }) => p.group));
  assert.ok(groups.has("manipulated_media") && groups.has("violent_speech"));
  assert.ok(report.checkpoint.seq >= report.asOfSeq);
  const before = (await get("/v1/transparency?from=2021-01-26&to=2021-01-31")).json();
  assert.equal(before.demands[0].legalDemands, 1, "order 2 arrived after 31 January");
  const masked = (await get("/v1/transparency?from=2021-01-26&to=2021-02-10&mask=true")).json();
  assert.equal(masked.demands[0].emergencyOrders, "<10");
  assert.equal(masked.demands[0].itemsSpecified, expected.itemsSpecified);
  const bad = await app.inject({
    method: "GET",
    url: "/v1/transparency?from=2021-02-10&to=2021-01-26",
    headers: admin,
  });
  assert.equal(bad.statusCode, 400);
  const noSuchDay = await app.inject({
    method: "GET",
    url: "/v1/transparency?from=2021-02-30&to=2021-03-05",
    headers: admin,
  });
  assert.equal(noSuchDay.statusCode, 400);
  assert.match(noSuchDay.json().error.message, /2021-02-30 is not a date in the calendar/);
});

test("the report's checkpoint proves the ledger it came from", async () => {
  const report = (await get("/v1/transparency?from=2021-01-26&to=2021-02-10")).json();
  const res = await app.inject({
    method: "POST",
    url: "/v1/ledger/checkpoints/verify",
    headers: admin,
    payload: { checkpoint: report.checkpoint },
  });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().ok, true);
  const forged = { ...report.checkpoint, hash: "0".repeat(64) };
  const bad = await app.inject({
    method: "POST",
    url: "/v1/ledger/checkpoints/verify",
    headers: admin,
    payload: { checkpoint: forged },
  });
  assert.equal(bad.json().ok, false);
});

test("CSV and HTML forms carry the same figures", async () => {
  const json = (await get("/v1/transparency?from=2021-01-26&to=2021-02-10")).json();
  const csv = await get("/v1/transparency?from=2021-01-26&to=2021-02-10&format=csv");
  assert.match(String(csv.headers["content-type"]), /text\/csv/);
  assert.ok(
    csv.body.includes(`,${json.demands[0].accountsWithheld},`) ||
      csv.body.includes(String(json.demands[0].accountsWithheld)),
  );
  const html = await get("/v1/transparency?from=2021-01-26&to=2021-02-10&format=html");
  assert.match(html.body, /<svg/);
  assert.ok(html.body.includes(json.checkpoint.hash));
  assert.match(html.body, /db-ip\.com/);
});

test("DSA statements: each passes the validator; India-only withholdings produce none; suspensions cover the EEA", async () => {
  const body = (await get("/v1/exports/dsa?from=2021-01-26&to=2021-02-10")).json();
  assert.ok(body.statements.length > 0);
  assert.deepEqual(body.invalid, []);
  for (const s of body.statements) assert.deepEqual(validateStatement(s), [], s.puid);
  const puids = new Set(body.statements.map((s: { puid: string }) => s.puid));
  assert.equal(puids.size, body.statements.length, "PUIDs are unique");
  assert.ok(
    body.skipped.some((s: { reason: string }) => s.reason === "no_eea_effect"),
    "IN-only withholdings are skipped",
  );
  const expectedSuspensions = expectedIndiaRow().accountsTos;
  const suspensions = body.statements.filter(
    (s: { decision_account?: string }) => s.decision_account === "DECISION_ACCOUNT_SUSPENDED",
  );
  assert.equal(suspensions.length, expectedSuspensions);
  assert.equal(suspensions[0].territorial_scope.length, 30);
  const batches = (await get("/v1/exports/dsa?from=2021-01-26&to=2021-02-10&form=batches")).json().batches;
  assert.equal(
    batches.reduce((n: number, b: { statements: unknown[] }) => n + b.statements.length, 0),
    body.statements.length,
  );
  assert.ok(batches.every((b: { statements: unknown[] }) => b.statements.length <= 100));
});

test("Lumen notices: one per order, of the right type, redacted because the orders are confidential", async () => {
  const { notices } = (await get("/v1/exports/lumen?from=2021-01-26&to=2021-02-10")).json();
  assert.equal(notices.length, 2);
  for (const n of notices) {
    assert.equal(n.type, "GovernmentRequest");
    assert.equal(n.redacted, true);
    assert.ok(
      !JSON.stringify(n).includes("MeitY/69A"),
      "the reference of a confidential order is not published",
    );
  }
});

test("the monthly compliance report counts complaints about Indian accounts and what was done", async () => {
  const accounts = Object.entries(truth.accounts).filter(([, a]) => a.country === "IN" && !a.isProtected);
  for (const [id] of accounts.slice(0, 3))
    await app.inject({
      method: "POST",
      url: "/v1/reports",
      headers: admin,
      payload: {
        subject: { type: "account", id },
        reason: "abuse",
        reporter: { type: "user", id: `u-${id}` },
      },
    });
  const m = (await get("/v1/transparency/monthly?month=2021-02")).json();
  assert.equal(m.complaints.received, 3);
  assert.equal(m.complaints.pending, 3);
  assert.equal(m.legalDemands.orders, 1, "order 2 was received in February");
  const jan = (await get("/v1/transparency/monthly?month=2021-01")).json();
  assert.equal(jan.complaints.received, 0);
});

test("the consistency audit runs over the record and states its method", async () => {
  const r = (await get("/v1/audit/consistency")).json();
  assert.ok(r.cases > 0);
  assert.match(r.method, /Fisher/);
});

test("deciding an item shows the most similar earlier cases and what was decided", async () => {
  const { orders } = (await get("/v1/orders")).json();
  const order = (await get(`/v1/orders/${orders[0].id}`)).json();
  const item = order.items.find((i: { subject: { type: string } | null }) => i.subject?.type === "account");
  const { similar } = (await get(`/v1/orders/${order.id}/items/${item.id}/similar?k=5`)).json();
  assert.equal(similar.length, 5);
  for (let i = 1; i < similar.length; i++)
    assert.ok(similar[i].distance >= similar[i - 1].distance, "nearest first");
  assert.ok(
    similar.every((s: { case: { id: string } }) => s.case.id !== `item:${item.id}`),
    "never the item itself",
  );
  assert.ok(similar.every((s: { outcome: string }) => typeof s.outcome === "string" && s.outcome.length > 0));
});

test("periods are YYYY-MM-DD or RFC 3339 timestamps from 2000 to 9999: anything else is a 400 naming the parameter", async () => {
  const refused = async (url: string, param: string, message: RegExp) => {
    const res = await app.inject({ method: "GET", url, headers: admin });
    assert.equal(res.statusCode, 400, `${url}: ${res.body.slice(0, 300)}`);
    assert.equal(res.headers["content-disposition"], undefined);
    const { error } = res.json();
    assert.equal(error.code, "invalid_request", url);
    assert.match(error.message, message, url);
    assert.equal(error.details.issues[0].path, `querystring.${param}`, url);
  };
  const outside = /outside the supported range: dates from 2000-01-01 to 9999-12-30/;
  for (const path of ["/v1/transparency", "/v1/exports/dsa", "/v1/exports/lumen", "/v1/audit/consistency"]) {
    await refused(`${path}?from=2021-01-26&to=9999-12-31`, "to", outside);
    await refused(
      `${path}?from=2021-01-26&to=10000-01-01`,
      "to",
      /neither a date \(YYYY-MM-DD\) nor an RFC 3339/,
    );
    await refused(`${path}?from=2021-01-26&to=9999-12-31T12:00:00Z`, "to", outside);
    await refused(`${path}?from=1999-12-31&to=2021-02-10`, "from", outside);
    // Text JavaScript would read in the server's time zone is not a date here.
    await refused(`${path}?from=Tue%20Jan%2026%202021&to=2021-02-10`, "from", /'Tue Jan 26 2021' is neither/);
    await refused(`${path}?from=2021-01-26&to=March%201,%202021`, "to", /'March 1, 2021' is neither/);
    await refused(`${path}?from=2021-01-26&to=2021-02-10T12:00:00`, "to", /neither/);
    await refused(
      `${path}?from=2021-01-26&to=2021-02-30T00:00:00Z`,
      "to",
      /2021-02-30 is not a date in the calendar/,
    );
    await refused(
      `${path}?from=2021-13-01&to=2021-02-10`,
      "from",
      /2021-13-01 is not a date in the calendar/,
    );
  }
  await refused("/v1/transparency/monthly?month=9999-12", "month", /months from 2000-01 to 9999-11/);
  await refused("/v1/transparency/monthly?month=1999-12", "month", /months from 2000-01 to 9999-11/);
  // The last day of the range, RFC 3339 with an offset, a fraction, lowercase t and z: all taken.
  const last = (await get("/v1/transparency?from=2021-01-26&to=9999-12-30")).json();
  assert.equal(last.period.to.slice(0, 10), "9999-12-30");
  const offset = (
    await get("/v1/exports/dsa?from=2021-01-26T00:00:00%2B05:30&to=2021-02-10T23:59:59.999999Z")
  ).json();
  const utc = (await get("/v1/exports/dsa?from=2021-01-25T18:30:00Z&to=2021-02-11")).json();
  assert.ok(utc.statements.length > 0);
  assert.equal(offset.statements.length, utc.statements.length, "+05:30 is read as the same instant");
  const lumen = (await get("/v1/exports/lumen?from=2021-01-26t00:00:00z&to=9999-12-31T00:00:00Z")).json();
  assert.equal(lumen.notices.length, 2);
  const far = (await get("/v1/transparency/monthly?month=9999-11")).json();
  assert.equal(far.complaints.received, 0);
  const audit = (await get("/v1/audit/consistency?from=2000-01-01&to=2021-02-10")).json();
  assert.ok(audit.cases > 0);
});

test("a PDF that cannot be printed is a JSON error, not an attachment", async () => {
  const res = await app.inject({
    method: "GET",
    url: "/v1/transparency?from=2021-01-26&to=2021-02-10&format=pdf",
    headers: admin,
  });
  if (fs.existsSync(DEFAULT_CHROMIUM_PATH)) {
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-disposition"]), /attachment; filename=".*\.pdf"/);
    return;
  }
  assert.equal(res.statusCode, 503, res.body);
  assert.equal(res.json().error.code, "pdf_unavailable");
  assert.match(String(res.headers["content-type"]), /application\/json/);
  assert.equal(res.headers["content-disposition"], undefined);
});
