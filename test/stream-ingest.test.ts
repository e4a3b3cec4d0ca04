/**
 * Platform events from NATS JetStream (needs NATS_URL; skipped and announced without it): a durable
 * consumer with explicit acks stores what producers publish, exact repeats are dropped by message id,
 * redelivered events are duplicates, bad lines are rejected with a reason on the rejected subject, and
 * a restarted consumer resumes where it left off.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { sql } from "drizzle-orm";
import { query } from "../src/db/store.ts";
import { JetStreamIngestConsumer, publishEvents, rejectedSubject } from "../src/stream/ingest-consumer.ts";
import { openTestContext, type TestContext } from "./helpers.ts";

const NATS_URL = process.env.NATS_URL ?? null;
const skip = NATS_URL
  ? false
  : "NATS_URL is not set: the JetStream ingest suite is SKIPPED (.ci/run sets it)";
if (skip) console.warn(`*** ${skip} ***`);
const stream = `VIGIL_INGEST_T${randomBytes(3).toString("hex").toUpperCase()}`;
let t: TestContext;

const account = (id: string, followers = 1) =>
  JSON.stringify({ type: "account", id, handle: `h_${id}`, createdAt: "2021-01-01T00:00:00Z", followers });
const post = (id: string, author: string) =>
  JSON.stringify({
    type: "post",
    id,
    authorId: author,
    createdAt: "2021-02-01T10:00:00Z",
    text: `hello #Tag${id}`,
  });
const count = async (table: "accounts" | "posts") =>
  (await query<{ n: number }>(t.ctx.store.db, sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n;
const until = async (cond: () => Promise<boolean>, ms = 15_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail("timed out waiting for the consumer");
};

before(async () => {
  if (skip) return;
  t = await openTestContext("pglite");
});
after(async () => {
  if (skip) return;
  await t?.cleanup();
  const nc = await connect({ servers: NATS_URL! });
  await (await jetstreamManager(nc)).streams.delete(stream).catch(() => undefined);
  await nc.drain();
});

test("published events are stored once; repeats are dropped; bad lines are rejected with a reason", {
  skip,
}, async () => {
  const lines = [account("a1"), account("a2"), post("p1", "a1"), post("p2", "a2")];
  const first = await publishEvents(NATS_URL!, lines, stream);
  assert.deepEqual(first, { published: 4, duplicates: 0 });
  const again = await publishEvents(NATS_URL!, [lines[0]!, lines[2]!], stream);
  assert.deepEqual(again, { published: 0, duplicates: 2 }, "JetStream drops exact repeats by message id");
  await publishEvents(NATS_URL!, [account("a1", 99), '{"type":"post","id":"bad"}', "not json"], stream);

  const consumer = new JetStreamIngestConsumer(NATS_URL!, t.ctx.ingest, t.ctx.logger, stream, 2);
  await consumer.start();
  await until(async () => consumer.stats.messages >= 7);
  await consumer.stop();
  assert.equal(await count("accounts"), 2);
  assert.equal(await count("posts"), 2);
  const [a1] = await query<{ followers: number }>(
    t.ctx.store.db,
    sql`select followers from accounts where id = 'a1'`,
  );
  assert.equal(a1!.followers, 99, "a later account event updates the account");
  assert.equal(consumer.stats.rejected, 2);

  const nc = await connect({ servers: NATS_URL! });
  const jsm = await jetstreamManager(nc);
  const rejected = await jsm.streams.getMessage(stream, { last_by_subj: rejectedSubject(stream) });
  assert.match(rejected!.json<{ code: string }>().code, /invalid_json|invalid_event/);
  await nc.drain();
});

test("a restarted durable consumer resumes after what it acknowledged; a redelivered event is a duplicate", {
  skip,
}, async () => {
  await publishEvents(NATS_URL!, [post("p3", "a1")], stream);
  const consumer = new JetStreamIngestConsumer(NATS_URL!, t.ctx.ingest, t.ctx.logger, stream);
  await consumer.start();
  await until(async () => (await count("posts")) === 3);
  await consumer.stop();
  assert.equal(consumer.stats.messages, 1, "only the new message was delivered");

  // An event delivered again (a producer retry past the duplicate window) changes nothing.
  const nc = await connect({ servers: NATS_URL! });
  await jetstream(nc).publish(`vigil.${stream.toLowerCase()}.events`, post("p3", "a1"), {
    msgID: "retry-of-p3",
  });
  await nc.drain();
  const again = new JetStreamIngestConsumer(NATS_URL!, t.ctx.ingest, t.ctx.logger, stream);
  await again.start();
  await until(async () => again.stats.messages >= 1);
  await again.stop();
  assert.equal(again.stats.duplicates, 1);
  assert.equal(await count("posts"), 3);
});
