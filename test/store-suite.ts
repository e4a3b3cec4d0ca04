/**
 * One integration suite for every store implementation (PGlite and PostgreSQL): the ledger, its
 * projection, idempotency, expiry, tamper detection and ingest must behave the same on both.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { query } from "../src/db/store.ts";
import { entryHash, GENESIS_HASH } from "../src/ledger/canonical.ts";
import { ExpiryDaemon } from "../src/ledger/expiry.ts";
import { bodyOf } from "../src/ledger/ledger.ts";
import { verifyLedger } from "../src/ledger/verify.ts";
import { body, openTestContext, type StoreKind, type TestContext } from "./helpers.ts";

const keysOf = async (t: TestContext, type: "account" | "post" | "hashtag", id: string) =>
  (await t.ctx.ledger.state({ type, id })).map((r) => r.key);

export function storeSuite(kind: StoreKind): void {
  describe(`store suite on ${kind}`, () => {
    let t: TestContext;
    before(async () => {
      t = await openTestContext(kind);
    });
    after(async () => {
      await t?.cleanup();
    });

    test("appends get contiguous seq numbers and a hash chain that verifies", async () => {
      const start = await t.ctx.ledger.headSeq();
      const results = await t.ctx.ledger.appendBatch([body(), body(), body()]);
      const entries = results.map((r) => r.entry);
      assert.deepEqual(
        entries.map((e) => e.seq),
        [start + 1, start + 2, start + 3],
      );
      for (let i = 1; i < entries.length; i++) assert.equal(entries[i]!.prevHash, entries[i - 1]!.hash);
      for (const e of entries) assert.equal(e.hash, entryHash(e.seq, e.prevHash, bodyOf(e)));
      const first = await t.ctx.ledger.entry(1);
      assert.equal(first?.prevHash, GENESIS_HASH);
      const stored = await t.ctx.ledger.entriesAfter(start, 10);
      assert.deepEqual(stored, entries);
      assert.equal((await verifyLedger(t.ctx.store.db)).ok, true);
    });

    test("concurrent single appends are group-committed without breaking the chain", async () => {
      const start = await t.ctx.ledger.headSeq();
      const results = await Promise.all(Array.from({ length: 300 }, () => t.ctx.ledger.append(body())));
      const seqs = results.map((r) => r.entry.seq).sort((a, b) => a - b);
      assert.deepEqual(
        seqs,
        Array.from({ length: 300 }, (_, i) => start + 1 + i),
      );
      const report = await verifyLedger(t.ctx.store.db);
      assert.equal(report.ok, true, report.firstBroken?.problem);
      assert.equal(report.headSeq, start + 300);
    });

    test("an idempotency key records once; reusing it for another action is a conflict", async () => {
      const b = body({ idempotencyKey: "idem-1", action: "withhold", countries: ["IN"] });
      const [r1] = await t.ctx.ledger.appendBatch([b]);
      const r2 = await t.ctx.ledger.append({ ...b, recordedAt: new Date().toISOString(), reason: "retry" });
      assert.equal(r1!.status, "appended");
      assert.equal(r2.status, "duplicate");
      assert.equal(r2.entry.seq, r1!.entry.seq);
      const r3 = await t.ctx.ledger.append({ ...b, countries: ["PK"] });
      assert.equal(r3.status, "conflict");
      // The same key twice inside one batch: the second is a duplicate of the first.
      const head = await t.ctx.ledger.headSeq();
      const twice = body({ idempotencyKey: "idem-2" });
      const rs = await t.ctx.ledger.appendBatch([twice, { ...twice }]);
      assert.deepEqual(
        rs.map((r) => r.status),
        ["appended", "duplicate"],
      );
      assert.equal(await t.ctx.ledger.headSeq(), head + 1);
    });

    test("the projection follows withhold/restore, suspend, label, suppress and limit_engagement", async () => {
      const a = { type: "account" as const, id: "proj-a" };
      await t.ctx.ledger.appendBatch([
        body({ subject: a, action: "withhold", countries: ["IN", "PK"], basis: "legal_demand" }),
      ]);
      assert.deepEqual(await keysOf(t, "account", "proj-a"), ["withhold:IN", "withhold:PK"]);
      await t.ctx.ledger.append(body({ subject: a, action: "restore", countries: ["IN"] }));
      assert.deepEqual(await keysOf(t, "account", "proj-a"), ["withhold:PK"]);
      await t.ctx.ledger.append(body({ subject: a, action: "suspend" }));
      await t.ctx.ledger.append(body({ subject: a, action: "limit_engagement" }));
      assert.deepEqual(await keysOf(t, "account", "proj-a"), [
        "limit_engagement:*",
        "suspend",
        "withhold:PK",
      ]);
      await t.ctx.ledger.appendBatch([
        body({ subject: a, action: "unsuspend" }),
        body({ subject: a, action: "unlimit_engagement" }),
        body({ subject: a, action: "restore", countries: null }),
      ]);
      assert.deepEqual(await keysOf(t, "account", "proj-a"), []);

      const h = { type: "hashtag" as const, id: "ProjTag" };
      await t.ctx.ledger.append(
        body({ subject: h, action: "suppress", surfaces: ["search_suggestions", "trends"] }),
      );
      await t.ctx.ledger.append(
        body({ subject: h, action: "suppress", surfaces: ["trends"], countries: ["IN"] }),
      );
      assert.deepEqual(await keysOf(t, "hashtag", "ProjTag"), [
        "suppress:search_suggestions:*",
        "suppress:trends:*",
        "suppress:trends:IN",
      ]);
      await t.ctx.ledger.append(body({ subject: h, action: "unsuppress", surfaces: ["trends"] }));
      assert.deepEqual(await keysOf(t, "hashtag", "ProjTag"), ["suppress:search_suggestions:*"]);

      const p = { type: "post" as const, id: "proj-p" };
      await t.ctx.ledger.append(body({ subject: p, action: "label", label: "manipulated_media" }));
      const [row] = await t.ctx.ledger.state(p);
      assert.equal(row?.key, "label:manipulated_media:*");
      assert.equal(row?.detail.label, "manipulated_media");
      await t.ctx.ledger.append(body({ subject: p, action: "unlabel", label: "manipulated_media" }));
      assert.deepEqual(await keysOf(t, "post", "proj-p"), []);
      const history = await t.ctx.ledger.history(p);
      assert.deepEqual(
        history.map((e) => e.action),
        ["label", "unlabel"],
      );
    });

    test("entries inside one batch apply in order (withhold then restore leaves nothing)", async () => {
      const s = { type: "post" as const, id: "batch-order" };
      await t.ctx.ledger.appendBatch([
        body({ subject: s, action: "withhold", countries: ["IN"] }),
        body({ subject: s, action: "restore", countries: ["IN"] }),
        body({ subject: s, action: "withhold", countries: ["DE"] }),
      ]);
      assert.deepEqual(await keysOf(t, "post", "batch-order"), ["withhold:DE"]);
    });

    test("the expiry daemon appends a recorded reversal, once, and spares newer actions", async () => {
      let now = new Date("2030-01-01T00:00:00Z");
      const daemon = new ExpiryDaemon(t.ctx.store.db, t.ctx.ledger, t.ctx.logger, () => now);
      const a = { type: "account" as const, id: "expiring" };
      const b2 = { type: "account" as const, id: "renewed" };
      const [w] = await t.ctx.ledger.appendBatch([
        body({ subject: a, action: "withhold", countries: ["IN"], expiresAt: "2030-01-02T00:00:00.000Z" }),
      ]);
      const [old] = await t.ctx.ledger.appendBatch([
        body({ subject: b2, action: "suspend", expiresAt: "2030-01-02T00:00:00.000Z" }),
      ]);
      assert.equal(await daemon.runOnce(), 0, "nothing is due yet");
      assert.deepEqual(await keysOf(t, "account", "expiring"), ["withhold:IN"]);
      // The second subject is suspended again, without expiry, before the first suspension ends.
      await t.ctx.ledger.append(body({ subject: b2, action: "suspend" }));
      now = new Date("2030-01-03T00:00:00Z");
      assert.equal(await daemon.runOnce(), 1);
      assert.deepEqual(await keysOf(t, "account", "expiring"), []);
      assert.deepEqual(
        await keysOf(t, "account", "renewed"),
        ["suspend"],
        "a newer suspension is not lifted",
      );
      const [reversal] = (await t.ctx.ledger.history(a)).slice(-1);
      assert.equal(reversal?.action, "restore");
      assert.equal(reversal?.reverses, w!.entry.seq);
      assert.deepEqual(reversal?.countries, ["IN"]);
      assert.equal(reversal?.source.kind, "system");
      assert.equal(old!.status, "appended");
      assert.equal(await daemon.runOnce(), 0, "a second sweep changes nothing");
    });

    test("direct UPDATE and DELETE on the ledger are refused", async () => {
      const refused = (e: unknown) =>
        /append-only/.test(String((e as { cause?: Error }).cause?.message ?? e));
      await assert.rejects(
        () => t.ctx.store.db.execute(sql`update ledger set hash = 'x' where seq = 1`),
        refused,
      );
      await assert.rejects(() => t.ctx.store.db.execute(sql`delete from ledger where seq = 1`), refused);
      assert.equal((await verifyLedger(t.ctx.store.db)).ok, true);
    });

    test("ingest stores events once, reports duplicates and updates, and rejects bad lines precisely", async () => {
      const lines = [
        '{"type":"account","id":"i-a1","handle":"kisan_voice","displayName":"Kisan Voice","createdAt":"2021-01-20T10:00:00Z","country":"IN","lang":"hi","bio":"","hasAvatar":false,"followers":3,"following":120,"verified":false}',
        '{"type":"post","id":"i-p1","authorId":"i-a1","createdAt":"2021-02-01T09:15:00Z","text":"Stand with them #FarmersProtest @someone https://example.com/x","lang":"en","replyTo":null,"quoteOf":null,"repostOf":null,"urls":[],"media":[]}',
        "{not json",
        '{"type":"post","id":"i-p2","authorId":"i-a1","createdAt":"2021-02-01T09:15:00Z","text":"x","colour":"red"}',
        '{"type":"account","id":"i-a2","handle":"x","createdAt":"2021-01-20T10:00:00Z","country":"XX"}',
        '{"type":"delete","id":"i-p1","at":"yesterday"}',
        "",
        '{"type":"delete","id":"i-p1","at":"2021-02-01T09:20:00Z"}',
        '{"type":"delete","id":"i-p0","at":"2021-02-01T09:20:00Z"}',
        '{"type":"like","id":"i-l1"}',
        '{"type":"account","id":"i-a3","handle":"a3","createdAt":"2021-01-20T10:00:00Z","followers":"many"}',
      ];
      const r1 = await t.ctx.ingest.ingestLines(lines);
      assert.equal(r1.accepted, 4);
      assert.equal(r1.duplicates, 0);
      assert.deepEqual(
        r1.rejected.map((r) => [r.line, r.code]),
        [
          [3, "invalid_json"],
          [4, "unknown_field"],
          [5, "invalid_country"],
          [6, "invalid_event"],
          [10, "invalid_event"],
          [11, "invalid_event"],
        ],
      );
      assert.match(r1.rejected[4]!.message, /type: must be one of 'account', 'post', 'delete', got "like"/);
      assert.match(r1.rejected[5]!.message, /^followers: /);
      assert.match(r1.rejected[1]!.message, /'colour'/);
      assert.match(r1.rejected[2]!.message, /'XX'/);
      assert.match(r1.rejected[3]!.message, /^at: /);
      const [acct] = await query<{ n: number }>(
        t.ctx.store.db,
        sql`select count(*)::int as n from accounts where id like 'i-%'`,
      );
      assert.equal(acct?.n, 1, "the rejected account was not written");
      const [post] = await query<{
        hashtags: string[];
        mentions: string[];
        urls: string[];
        deleted_at: unknown;
      }>(t.ctx.store.db, sql`select hashtags, mentions, urls, deleted_at from posts where id = 'i-p1'`);
      assert.deepEqual(post?.hashtags, ["FarmersProtest"]);
      assert.deepEqual(post?.mentions, ["someone"]);
      assert.deepEqual(post?.urls, ["https://example.com/x"]);
      assert.notEqual(post?.deleted_at, null);

      // Replaying changes nothing; a changed account is an update.
      const r2 = await t.ctx.ingest.ingestLines([lines[0]!, lines[1]!, lines[7]!]);
      assert.deepEqual([r2.accepted, r2.duplicates, r2.updated], [0, 3, 0]);
      const changed = lines[0]!.replace('"followers":3', '"followers":4');
      const r3 = await t.ctx.ingest.ingestLines([changed]);
      assert.deepEqual([r3.accepted, r3.updated, r3.duplicates], [1, 1, 0]);

      // A delete that arrived before its post applies when the post comes.
      await t.ctx.ingest.ingestLines([
        '{"type":"post","id":"i-p0","authorId":"i-a1","createdAt":"2021-02-01T09:10:00Z","text":"early"}',
      ]);
      const [early] = await query<{ deleted_at: unknown }>(
        t.ctx.store.db,
        sql`select deleted_at from posts where id = 'i-p0'`,
      );
      assert.notEqual(early?.deleted_at, null);
    });

    test("concurrent appends from two connections keep seq and the chain intact", {
      skip: kind === "pglite" ? "PGlite has one connection per data folder" : false,
    }, async () => {
      const other = await t.second();
      const start = await t.ctx.ledger.headSeq();
      const run = async (ctx: typeof other, tag: string) => {
        for (let i = 0; i < 20; i++) {
          await Promise.all(
            Array.from({ length: 10 }, (_, j) =>
              ctx.ledger.append(body({ subject: { type: "post", id: `${tag}-${i}-${j}` } })),
            ),
          );
        }
      };
      await Promise.all([
        run(t.ctx, "one"),
        run(other, "two"),
        t.ctx.ledger.appendBatch(Array.from({ length: 500 }, () => body())),
      ]);
      const report = await verifyLedger(t.ctx.store.db);
      assert.equal(report.ok, true, report.firstBroken?.problem);
      assert.equal(report.headSeq, start + 900);
      const [row] = await query<{ n: number; max: number }>(
        t.ctx.store.db,
        sql`select count(*)::int as n, max(seq)::int as max from ledger`,
      );
      assert.equal(row?.n, row?.max, "no gaps");
    });

    test("the change feed wakes a waiting reader when an entry is committed", async () => {
      const head = await t.ctx.ledger.headSeq();
      const started = Date.now();
      const waiting = t.ctx.feed.waitPast(head, 10_000);
      setTimeout(() => void t.ctx.ledger.append(body()), 50);
      await waiting;
      assert.ok(Date.now() - started < 9_000, "woke before the timeout");
      assert.equal((await t.ctx.ledger.entriesAfter(head, 10)).length, 1);
    });

    test("the change feed hears commits made through another connection (NOTIFY)", {
      skip: kind === "pglite" ? "PGlite has one connection per data folder" : false,
    }, async () => {
      const other = await t.second();
      const head = await t.ctx.ledger.headSeq();
      const started = Date.now();
      const waiting = t.ctx.feed.waitPast(head, 10_000);
      setTimeout(() => void other.ledger.append(body()), 50);
      await waiting;
      assert.ok(Date.now() - started < 9_000, "woke before the timeout");
      assert.equal((await t.ctx.ledger.entriesAfter(head, 10)).length, 1);
    });

    test("ledger verify names the first altered, removed or re-chained entry", async () => {
      await t.ctx.ledger.appendBatch([body(), body(), body()]);
      assert.equal((await verifyLedger(t.ctx.store.db)).ok, true);
      await t.tamper(
        `update ledger set body = jsonb_set(body, '{reason}', '"edited quietly"') where seq = 5`,
      );
      const r1 = await verifyLedger(t.ctx.store.db);
      assert.equal(r1.ok, false);
      assert.equal(r1.firstBroken?.seq, 5);
      assert.match(r1.firstBroken!.problem, /altered/);
      assert.equal(r1.checked, 4);
    });
  });
}
