/** The `vigil` CLI as a user runs it: demo, keys, ingest, ledger verify (and tamper detection), --url. */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { PGlite } from "@electric-sql/pglite";

const BIN = new URL("../bin/vigil.js", import.meta.url).pathname;
let dir: string;
let data: string;

function vigil(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: "", NATS_URL: "", VIGIL_ADMIN_KEY: "", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-cli-"));
  data = path.join(dir, "data");
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test("vigil demo generates and loads the scenario", async () => {
  const r = await vigil(["demo", "--scale", "0.05", "--data", data]);
  assert.equal(r.code, 0, r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.ok(summary.events.accepted > 1000, `events loaded: ${summary.events.accepted}`);
  assert.equal(summary.events.rejected, 0);
  assert.ok(summary.actions.appended > 0);
  for (const f of [
    "events.ndjson",
    "actions.ndjson",
    "ground-truth.json",
    "orders/order-1.json",
    "orders/order-2.csv",
  ])
    assert.ok(fs.existsSync(path.join(data, "demo", f)), f);
});

test("vigil keys create prints a key once; a requester key needs an authority", async () => {
  const r = await vigil(["keys", "create", "--role", "auditor", "--data", data]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.trim(), /^vgl_[0-9a-f]{12}_[A-Za-z0-9_-]{32}$/);
  const bad = await vigil(["keys", "create", "--role", "requester", "--data", data]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^vigil: a requester key must be bound to an authority: pass --authority NAME\n$/);
  const unknown = await vigil(["keys", "create", "--role", "overlord", "--data", data]);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /overlord/);
});

test("vigil ingest reports accepted, duplicate and rejected lines with line numbers", async () => {
  const file = path.join(dir, "events.ndjson");
  fs.writeFileSync(
    file,
    [
      '{"type":"account","id":"cli-a","handle":"cli_a","createdAt":"2021-01-20T10:00:00Z","country":"IN"}',
      '{"type":"account","id":"cli-b","handle":"cli_b","createdAt":"2021-01-20T10:00:00Z","country":"India"}',
      '{"type":"account","id":"cli-a","handle":"cli_a","createdAt":"2021-01-20T10:00:00Z","country":"IN"}',
    ].join("\n"),
  );
  const r = await vigil(["ingest", file, "--data", data, "--no-progress"]);
  assert.equal(r.code, 1, "exit code 1 when a line was rejected");
  assert.match(r.stdout, /accepted 1 \(updated 0\), duplicates 1, rejected 1/);
  assert.match(r.stdout, /line 2: invalid_country/);
});

test("vigil ingest ignores a UTF-8 byte order mark at the start of the file", async () => {
  const file = path.join(dir, "bom.ndjson");
  fs.writeFileSync(
    file,
    Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(
        [
          '{"type":"account","id":"cli-bom-1","handle":"cli_bom_1","createdAt":"2021-01-20T10:00:00Z","country":"IN"}',
          '{"type":"account","id":"cli-bom-2","handle":"cli_bom_2","createdAt":"2021-01-20T10:00:00Z","country":"IN"}',
        ].join("\n"),
      ),
    ]),
  );
  const r = await vigil(["ingest", file, "--data", data, "--no-progress"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /accepted 2 \(updated 0\), duplicates 0, rejected 0/);
});

test("vigil report transparency publishes a checkpoint that vigil ledger verify --checkpoint proves; exports and the audit run", async () => {
  const reportFile = path.join(dir, "report.json");
  const r = await vigil([
    "report",
    "transparency",
    "--from",
    "2021-01-26",
    "--to",
    "2021-02-10",
    "--out",
    reportFile,
    "--data",
    data,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));
  assert.equal(report.demands[0].country, "IN");
  assert.ok(report.checkpoint.seq > 0);
  const proved = await vigil(["ledger", "verify", "--checkpoint", reportFile, "--data", data]);
  assert.equal(proved.code, 0, proved.stderr + proved.stdout);
  assert.match(proved.stdout, /checkpoint OK: entry \d+/);
  const csv = await vigil([
    "report",
    "transparency",
    "--from",
    "2021-01-26",
    "--to",
    "2021-02-10",
    "--format",
    "csv",
    "--data",
    data,
  ]);
  assert.equal(csv.code, 0, csv.stderr);
  assert.match(csv.stdout.split("\n")[0]!, /country/);
  const dsa = await vigil(["export", "dsa", "--from", "2021-01-26", "--to", "2021-02-10", "--data", data]);
  assert.equal(dsa.code, 0, dsa.stderr);
  assert.ok(JSON.parse(dsa.stdout).statements.length > 0);
  const lumen = await vigil([
    "export",
    "lumen",
    "--from",
    "2021-01-26",
    "--to",
    "2021-02-10",
    "--data",
    data,
  ]);
  assert.equal(JSON.parse(lumen.stdout).notices.length, 2);
  const audit = await vigil(["audit", "consistency", "--data", data]);
  assert.equal(audit.code, 0, audit.stderr);
  assert.match(audit.stdout, /comparable groups/);
  const bad = await vigil([
    "report",
    "transparency",
    "--from",
    "2021-02-10",
    "--to",
    "2021-01-01",
    "--data",
    data,
  ]);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /to must not be before from/);
  // A checkpoint file that was edited is refused, and the exit code says so.
  fs.writeFileSync(
    reportFile,
    JSON.stringify({ ...report, checkpoint: { ...report.checkpoint, seq: report.checkpoint.seq - 1 } }),
  );
  const forged = await vigil(["ledger", "verify", "--checkpoint", reportFile, "--data", data]);
  assert.equal(forged.code, 1);
  assert.match(forged.stdout, /does NOT match: the signature does not verify/);
});

test("vigil ledger verify passes, then names the entry altered directly in the database", async () => {
  const ok = await vigil(["ledger", "verify", "--data", data]);
  assert.equal(ok.code, 0, ok.stderr + ok.stdout);
  assert.match(ok.stdout, /ledger OK: \d+ entries/);

  const db = await PGlite.create(path.join(data, "pglite"));
  await db.transaction(async (tx) => {
    await tx.query("set local session_replication_role = replica");
    await tx.query(`update ledger set body = jsonb_set(body, '{reason}', '"nothing to see"') where seq = 3`);
  });
  await db.close();

  const broken = await vigil(["ledger", "verify", "--data", data]);
  assert.equal(broken.code, 1);
  assert.match(broken.stdout, /ledger BROKEN at entry 3: .*altered/);
});

test("a second process gets a clear error on a data folder in use; --url talks to the server", async () => {
  const fresh = path.join(dir, "served");
  const key = "cli-test-admin-key-0123456789";
  let server: ChildProcess | null = null;
  try {
    server = spawn(process.execPath, [BIN, "serve", "--data", fresh, "--port", "0"], {
      env: { ...process.env, DATABASE_URL: "", NATS_URL: "", VIGIL_ADMIN_KEY: key, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const url = await new Promise<string>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
      server!.stdout!.on("data", (d) => {
        out += d;
        const m = /serving on (http:\/\/[0-9.:]+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    const locked = await vigil(["ledger", "verify", "--data", fresh]);
    assert.notEqual(locked.code, 0);
    assert.match(locked.stderr, /in use by process/);
    const minted = await vigil(["keys", "create", "--role", "integration", "--url", url, "--key", key]);
    assert.equal(minted.code, 0, minted.stderr);
    // A refused key is one line on stderr and exit code 1, over --url as on a data folder.
    for (const args of [
      ["--role", "requester"],
      ["--role", "admin", "--authority", "MeitY"],
    ]) {
      const refused = await vigil(["keys", "create", ...args, "--url", url, "--key", key]);
      assert.equal(refused.code, 1, refused.stderr);
      assert.equal(refused.stdout, "");
      assert.match(refused.stderr, /^vigil: .*authority.*\n$/);
      assert.doesNotMatch(refused.stderr, /\n\s+at /, "no stack trace");
    }
    // The server's own refusal (here: a key that may not mint keys) is one line too.
    const forbidden = await vigil(["keys", "create", "--role", "auditor", "--url", url, "--key", "vgl_nope"]);
    assert.equal(forbidden.code, 1);
    assert.match(forbidden.stderr, /^vigil: POST \/v1\/keys answered 401 unauthorized: .*\n$/);
    const remote = await vigil(["ledger", "verify", "--url", url, "--key", key]);
    assert.equal(remote.code, 0, remote.stderr);
    assert.match(remote.stdout, /ledger OK: 0 entries/);
    const denied = await vigil(["ledger", "verify", "--url", url, "--key", minted.stdout.trim()]);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /403 forbidden/);
  } finally {
    server?.kill("SIGTERM");
    await new Promise((r) => server?.once("exit", r));
  }
});
