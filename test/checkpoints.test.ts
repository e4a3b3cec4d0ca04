/**
 * Signed ledger checkpoints: a checkpoint verifies against the ledger it came from, and an entry that
 * is altered, deleted or reordered is caught, even when the tamperer re-chains every hash after it so
 * that the plain chain check passes.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import { query } from "../src/db/store.ts";
import type { ActionBody } from "../src/domain/model.ts";
import { entryHash, GENESIS_HASH } from "../src/ledger/canonical.ts";
import { type Checkpoint, checkpointMessage, verifyCheckpoint } from "../src/ledger/checkpoints.ts";
import { actionBody } from "../src/ledger/testing.ts";
import { verifyLedger } from "../src/ledger/verify.ts";
import { openTestContext, type TestContext } from "./helpers.ts";

let t: TestContext;
let cp: Checkpoint;
interface Row {
  seq: number;
  prev_hash: string;
  hash: string;
  body: ActionBody;
}
let original: Row[];

const rows = async () =>
  query<Row>(t.ctx.store.db, sql`select seq::int as seq, prev_hash, hash, body from ledger order by seq`);
const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Rewrites the whole table as `bodies` (in order), with a freshly computed, internally valid chain. */
async function rewrite(bodies: ActionBody[]): Promise<void> {
  const statements = ["delete from ledger"];
  let prev = GENESIS_HASH;
  bodies.forEach((b, i) => {
    const seq = i + 1;
    const hash = entryHash(seq, prev, b);
    statements.push(
      `insert into ledger (seq, prev_hash, hash, body, subject_type, subject_id, idempotency_key, recorded_at)
       values (${seq}, ${lit(prev)}, ${lit(hash)}, ${lit(JSON.stringify(b))}::jsonb, ${lit(b.subject.type)}, ${lit(b.subject.id)},
               ${b.idempotencyKey ? lit(b.idempotencyKey) : "null"}, ${lit(b.recordedAt)})`,
    );
    prev = hash;
  });
  statements.push(`update ledger_head set seq = ${bodies.length}, hash = ${lit(prev)} where id = 1`);
  await t.tamper(statements);
}
const restore = () => rewrite(original.map((r) => r.body));

before(async () => {
  t = await openTestContext("pglite");
  await t.ctx.ledger.appendBatch(
    Array.from({ length: 12 }, (_, i) =>
      actionBody({ subject: { type: "account", id: `acct-${i}` }, reason: `entry ${i + 1}` }),
    ),
  );
  cp = (await t.ctx.checkpoints.signHead())!;
  original = await rows();
});
after(async () => {
  await t?.cleanup();
});

test("a checkpoint signs (seq, hash) of the head with Ed25519 and verifies against its ledger", async () => {
  assert.equal(cp.seq, 12);
  assert.equal(cp.hash, original[11]!.hash);
  const v = await verifyCheckpoint(t.ctx.store.db, cp, t.ctx.checkpoints.publicKey.publicKey);
  assert.deepEqual(v, {
    ok: true,
    signatureValid: true,
    keyTrusted: true,
    chainValid: true,
    hashMatches: true,
    problem: null,
  });
  assert.equal(checkpointMessage(cp.seq, cp.hash).toString(), `vigil-checkpoint/1\n12\n${cp.hash}`);
  assert.equal((await t.ctx.checkpoints.signHead())!.seq, 12, "an already signed head is not signed again");
  assert.equal((await t.ctx.checkpoints.list()).length, 1);
});

test("an edited checkpoint, or one signed by another key, is refused", async () => {
  const forged = { ...cp, seq: 11, hash: original[10]!.hash };
  const v1 = await verifyCheckpoint(t.ctx.store.db, forged);
  assert.equal(v1.signatureValid, false);
  assert.equal(v1.ok, false);
  const other = generateKeyPairSync("ed25519");
  const otherKey = other.publicKey.export({ type: "spki", format: "der" }).toString("base64");
  const v2 = await verifyCheckpoint(t.ctx.store.db, cp, otherKey);
  assert.equal(v2.signatureValid, true);
  assert.equal(v2.keyTrusted, false);
  assert.equal(v2.ok, false);
});

test("an altered entry is caught by the checkpoint even when every later hash is recomputed", async () => {
  const bodies = original.map((r) => r.body);
  bodies[4] = { ...bodies[4]!, reason: "quietly softened" };
  await rewrite(bodies);
  assert.equal(
    (await verifyLedger(t.ctx.store.db)).ok,
    true,
    "the re-chained ledger passes the plain chain check",
  );
  const v = await verifyCheckpoint(t.ctx.store.db, cp);
  assert.equal(v.ok, false);
  assert.equal(v.chainValid, true);
  assert.equal(v.hashMatches, false);
  assert.match(v.problem!, /entry 12 has hash/);
  await restore();
  assert.equal((await verifyCheckpoint(t.ctx.store.db, cp)).ok, true, "restored, it verifies again");
});

test("deleted entries are caught: from the middle (re-chained) and from the tail", async () => {
  const middle = original.map((r) => r.body).filter((_, i) => i !== 6);
  await rewrite(middle);
  assert.equal((await verifyLedger(t.ctx.store.db)).ok, true);
  const v1 = await verifyCheckpoint(t.ctx.store.db, cp);
  assert.equal(v1.ok, false);
  assert.match(v1.problem!, /no entry 12: entries were removed/);
  await rewrite(original.map((r) => r.body).slice(0, 10));
  const v2 = await verifyCheckpoint(t.ctx.store.db, cp);
  assert.equal(v2.ok, false);
  assert.match(v2.problem!, /no entry 12/);
  await restore();
});

test("reordered entries are caught", async () => {
  const bodies = original.map((r) => r.body);
  [bodies[2], bodies[3]] = [bodies[3]!, bodies[2]!];
  await rewrite(bodies);
  assert.equal((await verifyLedger(t.ctx.store.db)).ok, true);
  const v = await verifyCheckpoint(t.ctx.store.db, cp);
  assert.equal(v.ok, false);
  assert.equal(v.hashMatches, false);
  await restore();
});

test("an edit without re-chaining is caught by both checks", async () => {
  await t.tamper(`update ledger set body = jsonb_set(body, '{reason}', '"edited"') where seq = 3`);
  const v = await verifyCheckpoint(t.ctx.store.db, cp);
  assert.equal(v.ok, false);
  assert.equal(v.chainValid, false);
  assert.match(v.problem!, /broken at entry 3/);
  await restore();
});

test("checkpoints are signed every N entries as the ledger grows", async () => {
  const c = t.ctx.checkpoints as unknown as { opts: { every: number } };
  c.opts.every = 5;
  await t.ctx.checkpoints.start();
  await t.ctx.ledger.appendBatch(
    Array.from({ length: 5 }, (_, i) => actionBody({ subject: { type: "post", id: `p-${i}` } })),
  );
  for (let i = 0; i < 50 && (await t.ctx.checkpoints.latest())!.seq < 17; i++)
    await new Promise((r) => setTimeout(r, 20));
  const latest = (await t.ctx.checkpoints.latest())!;
  assert.equal(latest.seq, 17);
  assert.equal((await verifyCheckpoint(t.ctx.store.db, latest)).ok, true);
  await t.ctx.checkpoints.stop();
});
