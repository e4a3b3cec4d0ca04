/**
 * The `vigil` CLI. Commands work on the store directly (the data folder, or DATABASE_URL), or, with
 * `--url`, against a running server: PGlite allows one process per data folder.
 */
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import cliProgress from "cli-progress";
import { Argument, Command, InvalidArgumentError, Option } from "commander";
import { ROLES } from "../auth/policy.ts";
import { UserRequest } from "../auth/users.ts";
import { type ConfigOverrides, envToConfig } from "../config/config.ts";
import { readEnv } from "../config/env.ts";
import { type AppContext, createContext } from "../context.ts";
import { isEmpty, loadDemo } from "../demo/load.ts";
import { VigilError } from "../errors.ts";
import { buildServer } from "../http/server.ts";
import type { IngestReport } from "../ingest/ingest.ts";
import { Checkpoint, type CheckpointVerification, verifyCheckpoint } from "../ledger/checkpoints.ts";
import { verifyLedger } from "../ledger/verify.ts";
import { parseOrderCsv } from "../legal/order-input.ts";
import type { OrderView } from "../legal/orders.ts";
import { consistencyAudit } from "../transparency/consistency.ts";
import { renderConsistencyHtml } from "../transparency/consistency-html.ts";
import { bulkBatches, toJsonLines } from "../transparency/dsa.ts";
import { reportToCsv, reportToHtml, reportToPdf } from "../transparency/render.ts";
import { parsePeriod } from "../transparency/report.ts";
import { ApiClient } from "./client.ts";

const env = readEnv();

const positiveNumber = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("must be a positive number");
  return n;
};
const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError("must be a port number (0-65535)");
  return n;
};

interface StoreOpts {
  data?: string;
}
interface RemoteOpts {
  url?: string;
  key?: string;
}

async function withContext<T>(
  opts: StoreOpts,
  fn: (ctx: AppContext) => Promise<T>,
  overrides: ConfigOverrides = {},
): Promise<T> {
  const ctx = await createContext(
    envToConfig(env, { dataDir: opts.data, defaultLogLevel: "warn", ...overrides }),
  );
  try {
    return await fn(ctx);
  } finally {
    await ctx.close();
  }
}

function remote(opts: RemoteOpts): ApiClient | null {
  if (!opts.url) return null;
  const key = opts.key ?? env.adminKey;
  if (!key)
    throw new VigilError("missing_key", 2, "--url needs an API key: pass --key or set VIGIL_ADMIN_KEY");
  return new ApiClient(opts.url, key);
}

const dataOption = () =>
  new Option("--data <dir>", "data folder of the embedded database (default ./data, or VIGIL_DATA_DIR)");
const urlOption = () =>
  new Option("--url <url>", "talk to a running Vigil server instead of opening the store");
const keyOption = () => new Option("--key <key>", "API key for --url (default VIGIL_ADMIN_KEY)");

const program = new Command("vigil")
  .description("Vigil: trust-and-safety and legal-compliance engine")
  .showHelpAfterError()
  .configureOutput({ outputError: (s, write) => write(s) });

program
  .command("serve")
  .description("start the HTTP API (embedded PGlite in --data, or PostgreSQL when DATABASE_URL is set)")
  .option("--port <port>", "port to listen on (default 8080, or VIGIL_PORT)", port)
  .option("--host <host>", "address to bind (default 127.0.0.1, or VIGIL_HOST)")
  .addOption(dataOption())
  .option("--demo", "load the demo scenario when the store is empty")
  .option("--scale <n>", "demo scale", positiveNumber, 1)
  .action(async (opts: { port?: number; host?: string; data?: string; demo?: boolean; scale: number }) => {
    const ctx = await createContext(
      envToConfig(env, { dataDir: opts.data, port: opts.port, host: opts.host }),
    );
    try {
      if (opts.demo && (await isEmpty(ctx))) {
        ctx.logger.info({ scale: opts.scale }, "loading the demo scenario (first start)");
        const t0 = Date.now();
        const summary = await loadDemo(ctx, { scale: opts.scale, history: true });
        ctx.logger.info({ ...summary, ms: Date.now() - t0 }, "demo scenario loaded");
      }
      if (!ctx.config.adminKey && (await ctx.keys.none())) {
        // A fresh store and no VIGIL_ADMIN_KEY: mint a first admin key so the newcomer can call the API.
        const created = await ctx.keys.create("admin", { label: "bootstrap" });
        const file = path.join(ctx.config.dataDir, "admin.key");
        fs.mkdirSync(ctx.config.dataDir, { recursive: true });
        fs.writeFileSync(file, `${created.key}\n`, { mode: 0o600 });
        ctx.logger.info(
          `first start: an admin API key was written to ${file} (shown once; mint more with 'vigil keys create')`,
        );
      }
      const app = await buildServer(ctx);
      ctx.expiry.start(ctx.config.expiryIntervalMs);
      ctx.dispatcher.start(ctx.config.outboxIntervalMs);
      await ctx.checkpoints.start();
      ctx.deadlines.start(ctx.config.deadlineIntervalMs);
      await ctx.jetstream?.start();
      await ctx.ingestConsumer?.start();
      const address = await app.listen({ port: ctx.config.http.port, host: ctx.config.http.host });
      ctx.logger.info(
        `Vigil is serving on ${address} (store: ${ctx.store.kind}); API description at ${address}/openapi.json`,
      );
      let closing = false;
      const shutdown = async () => {
        if (closing) return;
        closing = true;
        await app.close();
        await ctx.close();
        process.exit(0);
      };
      process.on("SIGINT", shutdown);
      process.on("SIGTERM", shutdown);
    } catch (e) {
      await ctx.close();
      throw e;
    }
  });

program
  .command("ingest")
  .description("ingest platform events from an NDJSON file (contract §1)")
  .argument("<file>", "NDJSON file, or - for standard input")
  .addOption(dataOption())
  .addOption(urlOption())
  .addOption(keyOption())
  .option("--no-progress", "do not draw a progress bar")
  .action(async (file: string, opts: StoreOpts & RemoteOpts & { progress: boolean }) => {
    const size = file === "-" ? 0 : fs.statSync(file).size;
    const input = file === "-" ? process.stdin : fs.createReadStream(file);
    const bar =
      opts.progress && size > 0
        ? new cliProgress.SingleBar(
            {
              format: "ingest [{bar}] {percentage}% | {value}/{total} bytes | {lines} lines",
              noTTYOutput: !process.stderr.isTTY,
              stream: process.stderr,
            },
            cliProgress.Presets.shades_classic,
          )
        : null;
    bar?.start(size, 0, { lines: 0 });
    let bytes = 0;
    const lines = (async function* () {
      for await (const line of readline.createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
        bytes += Buffer.byteLength(line) + 1;
        yield line;
      }
    })();
    const progress = (n: number) => bar?.update(Math.min(bytes, size), { lines: n });
    const client = remote(opts);
    let report: IngestReport;
    if (client) report = await ingestRemote(client, lines, progress);
    else report = await withContext(opts, (ctx) => ctx.ingest.ingestLines(lines, { onProgress: progress }));
    bar?.update(size);
    bar?.stop();
    printReport(report);
    if (report.rejectedCount > 0) process.exitCode = 1;
  });

async function ingestRemote(
  client: ApiClient,
  lines: AsyncIterable<string>,
  progress: (n: number) => void,
): Promise<IngestReport> {
  const total: IngestReport = { accepted: 0, updated: 0, duplicates: 0, rejected: [], rejectedCount: 0 };
  let chunk: string[] = [];
  let first = 1;
  let n = 0;
  const send = async () => {
    if (chunk.length === 0) return;
    const body = chunk.join("\n");
    try {
      const { body: r } = await client.request<IngestReport>(
        "POST",
        "/v1/ingest",
        body,
        "application/x-ndjson",
      );
      merge(total, r, first - 1);
    } catch (e) {
      // 400 means every line of this chunk was rejected: ask again line by line is overkill; report it.
      total.rejectedCount += chunk.length;
      total.rejected.push({ line: first, code: "invalid_event", message: (e as Error).message });
    }
    first += chunk.length;
    chunk = [];
    progress(n);
  };
  for await (const line of lines) {
    n += 1;
    chunk.push(line);
    if (chunk.length >= 5000) await send();
  }
  await send();
  return total;
}

function merge(into: IngestReport, r: IngestReport, lineOffset: number) {
  into.accepted += r.accepted;
  into.updated += r.updated;
  into.duplicates += r.duplicates;
  into.rejectedCount += r.rejectedCount;
  for (const x of r.rejected) into.rejected.push({ ...x, line: x.line + lineOffset });
}

function printReport(r: IngestReport) {
  console.log(
    `accepted ${r.accepted} (updated ${r.updated}), duplicates ${r.duplicates}, rejected ${r.rejectedCount}`,
  );
  for (const x of r.rejected.slice(0, 50)) console.log(`  line ${x.line}: ${x.code}: ${x.message}`);
  if (r.rejectedCount > 50) console.log(`  … and ${r.rejectedCount - 50} more`);
}

const keys = program.command("keys").description("API keys");
keys
  .command("create")
  .description("mint an API key; the key is printed once")
  .addOption(new Option("--role <role>", "role").choices(ROLES).makeOptionMandatory())
  .option("--authority <name>", "the authority a requester key is bound to")
  .option("--label <text>", "a note to remember the key by")
  .addOption(dataOption())
  .addOption(urlOption())
  .addOption(keyOption())
  .action(async (opts: StoreOpts & RemoteOpts & { role: string; authority?: string; label?: string }) => {
    // The binding rule, checked before any store is opened or server asked: one line, exit code 1.
    if (opts.role === "requester" && !opts.authority)
      throw new VigilError(
        "invalid_request",
        400,
        "a requester key must be bound to an authority: pass --authority NAME",
      );
    if (opts.role !== "requester" && opts.authority !== undefined)
      throw new VigilError(
        "invalid_request",
        400,
        `only requester keys are bound to an authority: drop --authority for a ${opts.role} key`,
      );
    const client = remote(opts);
    const created = client
      ? (
          await client
            .request<{ id: string; key: string; role: string; authority: string | null }>(
              "POST",
              "/v1/keys",
              JSON.stringify({
                role: opts.role,
                authority: opts.authority ?? null,
                label: opts.label ?? null,
              }),
            )
            .catch((e: unknown) => {
              // The server's refusal (or an unreachable server) is a message for the user, not a stack.
              throw new VigilError("request_failed", 502, e instanceof Error ? e.message : String(e));
            })
        ).body
      : await withContext(opts, (ctx) =>
          ctx.keys.create(opts.role, { authority: opts.authority, label: opts.label }),
        );
    console.log(created.key);
    console.error(
      `key ${created.id}: role ${created.role}${created.authority ? `, authority ${created.authority}` : ""}`,
    );
  });

program
  .command("users")
  .description("console users")
  .command("create")
  .description("create a console user (the password is stored as a scrypt hash)")
  .requiredOption("--username <name>", "3-64 letters, digits, '_', '.' or '-'")
  .requiredOption("--password <password>", "at least 12 characters (or set VIGIL_NEW_PASSWORD and pass -)")
  .addOption(new Option("--role <role>", "role").choices(ROLES).makeOptionMandatory())
  .option("--authority <name>", "for a requester: the authority")
  .addOption(dataOption())
  .addOption(urlOption())
  .addOption(keyOption())
  .action(
    async (
      opts: StoreOpts & RemoteOpts & { username: string; password: string; role: string; authority?: string },
    ) => {
      const password = opts.password === "-" ? (process.env.VIGIL_NEW_PASSWORD ?? "") : opts.password;
      const parsed = UserRequest.safeParse({
        username: opts.username,
        password,
        role: opts.role,
        authority: opts.authority ?? null,
      });
      if (!parsed.success)
        throw new VigilError(
          "invalid_request",
          2,
          parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        );
      const client = remote(opts);
      const created = client
        ? (
            await client.request<{ username: string; role: string }>(
              "POST",
              "/v1/users",
              JSON.stringify(parsed.data),
            )
          ).body
        : await withContext(opts, (ctx) => ctx.users.create(parsed.data, null));
      console.log(`user ${created.username} created with role ${created.role}`);
    },
  );

const ledgerCmd = program.command("ledger").description("the enforcement ledger");
ledgerCmd
  .command("verify")
  .description("re-walk the hash chain; exits 1 and names the first broken entry if it was tampered with")
  .addOption(dataOption())
  .addOption(urlOption())
  .addOption(keyOption())
  .option(
    "--checkpoint <file>",
    "also prove that a published checkpoint (a checkpoint JSON, or a transparency report JSON carrying one) matches this ledger",
  )
  .option(
    "--public-key <base64>",
    "with --checkpoint: the signing key the checkpoint must carry (SPKI DER base64)",
  )
  .action(async (opts: StoreOpts & RemoteOpts & { checkpoint?: string; publicKey?: string }) => {
    const client = remote(opts);
    if (opts.checkpoint) {
      const raw = JSON.parse(fs.readFileSync(opts.checkpoint, "utf8"));
      const parsed = Checkpoint.safeParse(raw?.checkpoint ?? raw?.ledger?.checkpoint ?? raw);
      if (!parsed.success) {
        console.error(
          `${opts.checkpoint} holds no valid checkpoint: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
        );
        process.exitCode = 2;
        return;
      }
      const body = { checkpoint: parsed.data, trustedPublicKey: opts.publicKey };
      const v = client
        ? (
            await client.request<CheckpointVerification>(
              "POST",
              "/v1/ledger/checkpoints/verify",
              JSON.stringify(body),
            )
          ).body
        : await withContext(opts, (ctx) => verifyCheckpoint(ctx.store.db, parsed.data, opts.publicKey));
      if (v.ok)
        console.log(
          `checkpoint OK: entry ${parsed.data.seq} has hash ${parsed.data.hash}, signed by key ${parsed.data.keyId}, and the chain verifies`,
        );
      else {
        console.log(`checkpoint does NOT match: ${v.problem}`);
        process.exitCode = 1;
      }
      return;
    }
    const report = client
      ? (await client.request<Awaited<ReturnType<typeof verifyLedger>>>("GET", "/v1/ledger/verify")).body
      : await withContext(opts, (ctx) => verifyLedger(ctx.store.db));
    if (report.ok)
      console.log(`ledger OK: ${report.checked} entries, head ${report.headSeq} ${report.headHash}`);
    else {
      console.log(`ledger BROKEN at entry ${report.firstBroken!.seq}: ${report.firstBroken!.problem}`);
      console.log(`(${report.checked} entries before it verified)`);
      process.exitCode = 1;
    }
  });

const ordersCmd = program.command("orders").description("legal demands (contract §2)");
ordersCmd
  .command("import")
  .description(
    "import an order from CSV (columns target,reason) or JSON; the whole order is rejected if any row is bad",
  )
  .argument("<file>", "a .csv file (with the --authority etc. options) or a .json order body")
  .option("--authority <name>", "the authority's name")
  .option("--country <cc>", "the authority's country (ISO 3166-1 alpha-2)")
  .option("--type <type>", "court | government_agency | police | other", "government_agency")
  .option("--officer <name>", "the issuing officer")
  .option("--rank <rank>", "the officer's rank")
  .option("--legal-basis <text>", "the legal basis the order cites")
  .option("--reference <ref>", "the order's reference")
  .option("--received-at <time>", "when it was received (RFC 3339, default now)")
  .option("--deadline <time>", "the compliance deadline (default: the jurisdiction's)")
  .option("--emergency", "an emergency order")
  .option("--confidential", "a confidential order")
  .addOption(dataOption())
  .addOption(urlOption())
  .addOption(keyOption())
  .action(
    async (
      file: string,
      o: StoreOpts &
        RemoteOpts & {
          authority?: string;
          country?: string;
          type: string;
          officer?: string;
          rank?: string;
          legalBasis?: string;
          reference?: string;
          receivedAt?: string;
          deadline?: string;
          emergency?: boolean;
          confidential?: boolean;
        },
    ) => {
      const text = fs.readFileSync(file, "utf8");
      let body: unknown;
      if (file.toLowerCase().endsWith(".json")) body = JSON.parse(text);
      else {
        for (const [flag, v] of [
          ["--authority", o.authority],
          ["--country", o.country],
          ["--legal-basis", o.legalBasis],
          ["--reference", o.reference],
        ] as const)
          if (!v) throw new VigilError("missing_option", 2, `a CSV order needs ${flag}`);
        const parsed = parseOrderCsv(text, {
          authority: {
            name: o.authority!,
            country: o.country!,
            type: o.type,
            officer: o.officer,
            rank: o.rank,
          },
          legalBasis: o.legalBasis!,
          reference: o.reference!,
          receivedAt: o.receivedAt ?? new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
          deadline: o.deadline ?? null,
          emergency: o.emergency ?? false,
          confidential: o.confidential ?? false,
        } as never);
        if ("rows" in parsed) {
          console.log(`rejected: ${parsed.rows.length} bad row(s); nothing was stored`);
          for (const r of parsed.rows.slice(0, 100)) console.log(`  row ${r.row}: ${r.message}`);
          process.exitCode = 1;
          return;
        }
        body = parsed.order;
      }
      const client = remote(o);
      const result = client
        ? (
            await client.request<{ order: OrderView; duplicate: boolean }>(
              "POST",
              "/v1/orders",
              JSON.stringify(body),
            )
          ).body
        : await withContext(o, async (ctx) => {
            await ctx.visibility.start();
            return ctx.orders.submit(body, { keyId: "cli", role: "admin", authority: null });
          });
      const { order, duplicate } = result;
      const by = (k: string) => order.items.filter((i) => i.recommendation.outcome === k).length;
      console.log(
        `${duplicate ? "already received" : "received"}: order ${order.id} (${order.reference}), ${order.items.length} items, deadline ${order.deadline}`,
      );
      console.log(
        `  resolved ${order.items.filter((i) => i.resolution === "resolved").length}, unresolvable ${order.items.filter((i) => i.resolution === "unresolvable").length}, deleted ${order.items.filter((i) => i.resolution === "deleted").length}`,
      );
      console.log(
        `  recommended: withhold ${by("withhold")}, temporary_withhold ${by("temporary_withhold")}, global_action ${by("global_action")}, no_action ${by("no_action")}; re-listed ${order.items.filter((i) => i.recommendation.relisted).length}`,
      );
    },
  );

program
  .command("demo")
  .description("generate the 2021 demo scenario (seeded, deterministic) and load it into the store")
  .option("--scale <n>", "size multiplier (1 = default)", positiveNumber, 1)
  .option("--seed <seed>", "random seed", "2021")
  .option("--out <dir>", "write the scenario files here (default DATA/demo)")
  .option("--no-load", "only write the files")
  .option("--no-history", "do not replay the platform's 2021 decisions on the two orders")
  .addOption(dataOption())
  .action(
    async (
      opts: StoreOpts & { scale: number; seed: string; out?: string; load: boolean; history: boolean },
    ) => {
      await withContext(opts, async (ctx) => {
        const summary = await loadDemo(ctx, {
          scale: opts.scale,
          seed: opts.seed,
          outDir: opts.out,
          load: opts.load,
          history: opts.history,
        });
        console.log(JSON.stringify(summary, null, 2));
      });
    },
  );

/** Writes `body` to `out`, or to standard output. */
const emit = (body: string | Buffer, out?: string) => {
  if (out) {
    fs.writeFileSync(out, body);
    console.error(`written to ${out}`);
  } else process.stdout.write(body);
};
const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
const periodOf = (opts: { from: string; to: string }) => {
  try {
    return parsePeriod(opts.from, opts.to);
  } catch (e) {
    throw new VigilError("invalid_request", 2, (e as Error).message);
  }
};
const query = (params: Record<string, string | undefined>) =>
  new URLSearchParams(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined),
  ).toString();

const reportCmd = program.command("report").description("transparency and compliance reports (contract §7)");
reportCmd
  .command("transparency")
  .description("the transparency report for a period, from stored records only")
  .requiredOption("--from <date>", "start (YYYY-MM-DD, UTC)")
  .requiredOption("--to <date>", "end, inclusive (YYYY-MM-DD, UTC)")
  .addOption(
    new Option("--format <format>", "output form").choices(["json", "csv", "html", "pdf"]).default("json"),
  )
  .option("--mask", 'publish counts from 1 to 9 as "<10"')
  .option("--out <file>", "write here instead of standard output")
  .addOption(dataOption())
  .addOption(urlOption())
  .addOption(keyOption())
  .action(
    async (
      opts: StoreOpts &
        RemoteOpts & { from: string; to: string; format: string; mask?: boolean; out?: string },
    ) => {
      const client = remote(opts);
      if (client) {
        const q = query({
          from: opts.from,
          to: opts.to,
          format: opts.format,
          mask: opts.mask ? "true" : undefined,
        });
        emit(await client.raw(`/v1/transparency?${q}`), opts.out);
        return;
      }
      const period = periodOf(opts);
      const body = await withContext(opts, async (ctx) => {
        const report = await ctx.transparency.report(period, { maskSmallCounts: opts.mask ?? false });
        if (opts.format === "csv") return reportToCsv(report);
        if (opts.format === "html") return reportToHtml(report);
        if (opts.format === "pdf") return reportToPdf(report);
        return json(report);
      });
      emit(body, opts.out);
    },
  );
reportCmd
  .command("monthly")
  .description("monthly compliance report under IT Rules 2021 r.4(1)(d)")
  .requiredOption("--month <YYYY-MM>", "the month")
  .option("--country <cc>", "the country", "IN")
  .option("--out <file>", "write here instead of standard output")
  .addOption(dataOption())
  .addOption(urlOption())
  .addOption(keyOption())
  .action(async (opts: StoreOpts & RemoteOpts & { month: string; country: string; out?: string }) => {
    const client = remote(opts);
    const body = client
      ? await client.raw(`/v1/transparency/monthly?${query({ month: opts.month, country: opts.country })}`)
      : json(await withContext(opts, (ctx) => ctx.transparency.monthlyCompliance(opts.month, opts.country)));
    emit(body, opts.out);
  });

program
  .command("export")
  .description("DSA statements of reasons or Lumen notices for a period")
  .addArgument(new Argument("<kind>", "what to export").choices(["dsa", "lumen"]))
  .requiredOption("--from <date>", "start (YYYY-MM-DD, UTC)")
  .requiredOption("--to <date>", "end, inclusive (YYYY-MM-DD, UTC)")
  .option("--batches", "dsa: bodies of at most 100 statements for the bulk endpoint")
  .option("--jsonl", "dsa: one statement per line")
  .option("--out <file>", "write here instead of standard output")
  .addOption(dataOption())
  .addOption(urlOption())
  .addOption(keyOption())
  .action(
    async (
      kind: "dsa" | "lumen",
      opts: StoreOpts &
        RemoteOpts & { from: string; to: string; batches?: boolean; jsonl?: boolean; out?: string },
    ) => {
      const client = remote(opts);
      if (client) {
        const q = query({
          from: opts.from,
          to: opts.to,
          form: kind === "dsa" && opts.batches ? "batches" : undefined,
        });
        emit(await client.raw(`/v1/exports/${kind}?${q}`), opts.out);
        return;
      }
      const period = periodOf(opts);
      const body = await withContext(opts, async (ctx) => {
        if (kind === "lumen") {
          const { notices } = await ctx.exports.lumen(period);
          return json({ notices: notices.flatMap((n) => (n.kind === "notice" ? [n.body.notice] : [])) });
        }
        const out = await ctx.exports.dsa(period);
        if (out.invalid.length > 0)
          console.error(
            `${out.invalid.length} statement(s) failed validation and were left out; first: ${JSON.stringify(out.invalid[0])}`,
          );
        if (opts.jsonl) return toJsonLines(out.statements);
        return json(opts.batches ? { batches: bulkBatches(out.statements) } : { statements: out.statements });
      });
      emit(body, opts.out);
    },
  );

const auditCmd = program.command("audit").description("audits over the record");
auditCmd
  .command("consistency")
  .description(
    "compare how comparable cases were treated across countries, requesters and time; flag significant differences",
  )
  .option("--from <date>", "start (YYYY-MM-DD, UTC)")
  .option("--to <date>", "end, inclusive (YYYY-MM-DD, UTC)")
  .option("--html <file>", "also write the HTML page here")
  .addOption(dataOption())
  .action(async (opts: StoreOpts & { from?: string; to?: string; html?: string }) => {
    const period = opts.from && opts.to ? periodOf({ from: opts.from, to: opts.to }) : undefined;
    const report = await withContext(opts, async (ctx) =>
      consistencyAudit(await ctx.exports.auditCases(period)),
    );
    if (opts.html) fs.writeFileSync(opts.html, renderConsistencyHtml(report));
    console.log(`${report.method}`);
    console.log(
      `${report.cases} cases in ${report.groups} comparable groups; ${report.tests} comparisons; ${report.flags.length} flagged`,
    );
    for (const f of report.flags) console.log(JSON.stringify(f));
  });

program.parseAsync().catch((e: unknown) => {
  if (e instanceof VigilError) console.error(`vigil: ${e.message}`);
  else if (e instanceof Error && e.name === "ConfigError") console.error(`vigil: ${e.message}`);
  else console.error(e);
  process.exitCode = e instanceof VigilError && e.status === 2 ? 2 : 1;
});
