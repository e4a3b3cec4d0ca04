/**
 * The freshness bound: after a withhold is committed, resolvers in other processes answer `tombstone`
 * within the bound, over the long-poll feed and (with NATS_URL) over JetStream.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../src/http/server.ts";
import { ActionRequest } from "../src/ledger/actions.ts";
import { JetStreamRelayService } from "../src/stream/relay.ts";
import { ADMIN_KEY, openTestContext, type TestContext } from "./helpers.ts";

/** The bound this test holds every resolver to (the benchmark measures the p99; see BENCHMARKS.md). */
const BOUND_MS = 1000;
const NATS_URL = process.env.NATS_URL ?? null;

let t: TestContext;
let app: FastifyInstance;
let url: string;
const children: ChildProcess[] = [];

function watcher(args: string[]): { ready: Promise<void>; tombstone: Promise<number> } {
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/sdk-watch.ts", ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  let out = "";
  let onReady: () => void;
  let onTomb: (t: number) => void;
  let onFail: (e: Error) => void;
  const ready = new Promise<void>((r) => (onReady = r));
  const tombstone = new Promise<number>((r, j) => {
    onTomb = r;
    onFail = j;
  });
  child.stdout!.on("data", (d) => {
    out += d;
    if (out.includes("ready ")) onReady();
    const m = /tombstone (\d+)/.exec(out);
    if (m) onTomb(Number(m[1]));
    if (out.includes("timeout")) onFail(new Error("the watcher timed out"));
  });
  child.on("exit", (code) => code !== 0 && onFail(new Error(`watcher exited ${code}: ${out}`)));
  return { ready, tombstone };
}

const withhold = (id: string) =>
  t.ctx.actions.record(
    ActionRequest.parse({
      subject: { type: "account", id },
      action: "withhold",
      countries: ["IN"],
      reason: "order",
    }),
    {
      id: "test",
    },
  );

before(async () => {
  t = await openTestContext("pglite");
  app = await buildServer(t.ctx);
  url = await app.listen({ port: 0, host: "127.0.0.1" });
});
after(async () => {
  for (const c of children) c.kill();
  await app?.close();
  await t?.cleanup();
});

test(`a withhold reaches SDK resolvers in two other processes within ${BOUND_MS} ms (long poll)`, async () => {
  const ws = [watcher([url, ADMIN_KEY, "fresh-1", "IN"]), watcher([url, ADMIN_KEY, "fresh-1", "IN"])];
  await Promise.all(ws.map((w) => w.ready));
  const committedAt = Date.now();
  await withhold("fresh-1");
  const seen = await Promise.all(ws.map((w) => w.tombstone));
  for (const at of seen) assert.ok(at - committedAt <= BOUND_MS, `seen after ${at - committedAt} ms`);
});

test(`a withhold reaches an SDK resolver following NATS JetStream within ${BOUND_MS} ms`, {
  skip: NATS_URL ? false : "NATS_URL is not set: the JetStream freshness test is SKIPPED (.ci/run sets it)",
}, async () => {
  const stream = `VIGIL_TEST_${randomBytes(4).toString("hex").toUpperCase()}`;
  const relay = new JetStreamRelayService(NATS_URL!, t.ctx.store.db, t.ctx.feed, t.ctx.logger, stream);
  await relay.start();
  try {
    const w = watcher([url, ADMIN_KEY, "fresh-2", "IN", NATS_URL!, stream]);
    await w.ready;
    const committedAt = Date.now();
    await withhold("fresh-2");
    const at = await w.tombstone;
    assert.ok(at - committedAt <= BOUND_MS, `seen after ${at - committedAt} ms`);
    assert.ok(relay.publishedUpTo >= (await t.ctx.ledger.headSeq()));
  } finally {
    await relay.stop();
  }
});
