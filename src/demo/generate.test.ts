import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { parse as parseCsv } from "csv-parse/sync";
import twitterText from "twitter-text";
import { type AccountEvent, PlatformEvent, type PostEvent } from "../ingest/events.ts";
import { extractHashtags, extractMentions, extractUrls } from "../ingest/extract.ts";
import { parseEventLine } from "../ingest/ingest.ts";
import { ActionRequest } from "../ledger/actions.ts";
import {
  type GroundTruth,
  generateScenario,
  orderSizes,
  PROTECTED_CATEGORIES,
  type Scenario,
  type ScenarioFiles,
  writeScenario,
} from "./generate.ts";
import { Rng } from "./random.ts";

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function written(opts: {
  seed?: number | string;
  scale: number;
}): Promise<{ s: Scenario; files: ScenarioFiles }> {
  const dir = await mkdtemp(join(tmpdir(), "vigil-demo-"));
  dirs.push(dir);
  const s = generateScenario(opts);
  return { s, files: await writeScenario(dir, s) };
}

const sha256 = (buf: Buffer) => createHash("sha256").update(buf).digest("hex");
const epoch = (t: string) => Date.parse(t) / 1000;
const TS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const POST_FROM = epoch("2021-01-20T00:00:00Z");
const POST_TO = epoch("2021-02-10T23:59:59Z");

/** Folds the evasion spellings of a hashtag: compatibility forms, invisible characters, separators, look-alikes, accents, case. */
function foldTag(tag: string): string {
  const lookalikes: Record<string, string> = {
    а: "a",
    о: "o",
    е: "e",
    і: "i",
    с: "c",
    р: "p",
    М: "M",
    Р: "P",
    Е: "E",
    О: "O",
    А: "A",
  };
  return tag
    .normalize("NFKC")
    .replace(/[\u200b-\u200d\u2060\ufeff_]/g, "")
    .replace(/[аоеісрМРЕОА]/g, (c) => lookalikes[c] ?? c)
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase();
}

const tokens = (s: string) => new Set(s.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []);
function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

// ---------------------------------------------------------------------------------------------

test("Rng is deterministic per seed and its helpers stay in range", () => {
  const a = new Rng(7);
  const b = new Rng("7");
  const xs = Array.from({ length: 50 }, () => a.next());
  assert.deepEqual(
    xs,
    Array.from({ length: 50 }, () => b.next()),
  );
  assert.notDeepEqual(
    xs,
    Array.from({ length: 50 }, () => new Rng(8).next()),
  );
  const r = new Rng("range");
  for (let i = 0; i < 2000; i++) {
    const n = r.int(-3, 4);
    assert.ok(Number.isInteger(n) && n >= -3 && n <= 4);
    const f = r.next();
    assert.ok(f >= 0 && f < 1);
  }
  const counts = { a: 0, b: 0 };
  for (let i = 0; i < 4000; i++)
    counts[
      r.weighted([
        ["a", 1],
        ["b", 3],
      ] as const)
    ]++;
  assert.ok(counts.b > counts.a * 2 && counts.b < counts.a * 4, JSON.stringify(counts));
  const arr = Array.from({ length: 20 }, (_, i) => i);
  assert.deepEqual(
    [...r.shuffle(arr.slice())].sort((x, y) => x - y),
    arr,
  );
  assert.equal(new Set(r.sample(arr, 7)).size, 7);
  // A fork does not depend on how much of the parent stream was consumed.
  const p1 = new Rng(1);
  const p2 = new Rng(1);
  p2.next();
  assert.equal(p1.fork("x").next(), p2.fork("x").next());
});

test("same seed and scale give identical files; another seed gives other data", async () => {
  const one = await written({ seed: 2021, scale: 0.1 });
  const two = await written({ seed: 2021, scale: 0.1 });
  const other = await written({ seed: "another seed", scale: 0.1 });
  const m1 = JSON.parse(await readFile(one.files.manifest, "utf8"));
  const m2 = JSON.parse(await readFile(two.files.manifest, "utf8"));
  const m3 = JSON.parse(await readFile(other.files.manifest, "utf8"));
  assert.equal(m1.seed, 2021);
  assert.equal(m1.scale, 0.1);
  assert.deepEqual(Object.keys(m1.files).sort(), [
    "actions.ndjson",
    "events.ndjson",
    "ground-truth.json",
    "orders/order-1.csv",
    "orders/order-1.json",
    "orders/order-2.csv",
    "orders/order-2.json",
  ]);
  // The manifest's hashes are those of the files on disk.
  for (const [rel, info] of Object.entries<{ sha256: string; bytes: number }>(m1.files)) {
    const buf = await readFile(join(one.files.dir, rel));
    assert.equal(sha256(buf), info.sha256, rel);
    assert.equal(buf.length, info.bytes, rel);
    assert.equal(m2.files[rel].sha256, info.sha256, `${rel} differs between two runs with the same seed`);
  }
  assert.notEqual(m3.files["events.ndjson"].sha256, m1.files["events.ndjson"].sha256);
  assert.notEqual(m3.files["orders/order-2.json"].sha256, m1.files["orders/order-2.json"].sha256);
  // A number seed and its decimal string are the same seed.
  assert.equal(
    JSON.stringify(generateScenario({ seed: "2021", scale: 0.05 }).posts),
    JSON.stringify(generateScenario({ seed: 2021, scale: 0.05 }).posts),
  );
});

test("scale must be a positive finite number", () => {
  for (const scale of [0, -1, -0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => generateScenario({ scale }), /scale must be a finite number greater than 0/);
  }
  assert.deepEqual(orderSizes(1), [257, 1178]);
  assert.deepEqual(orderSizes(3), [257, 1178]);
  assert.deepEqual(orderSizes(0.5), [129, 589]);
  assert.deepEqual(orderSizes(0.01), [5, 12]);
  const tiny = generateScenario({ scale: 0.02 });
  assert.deepEqual(
    tiny.orders.map((o) => o.body.items.length),
    orderSizes(0.02),
  );
});

test("every event line is valid and consistent (scale 0.2)", async () => {
  const { s, files } = await written({ seed: "validity", scale: 0.2 });
  const lines = (await readFile(files.events, "utf8")).split("\n");
  assert.equal(lines.pop(), "", "the file ends with a newline");
  const accounts = new Map<string, AccountEvent>();
  const posts = new Map<string, { ev: PostEvent; line: number }>();
  const deletedAt = new Map<string, number>();
  const handles = new Set<string>();
  let seenPost = false;
  let prevAccount: AccountEvent | null = null;
  let prevTime = 0;
  lines.forEach((line, i) => {
    const raw = JSON.parse(line);
    const ev = PlatformEvent.parse(raw);
    const ingested = parseEventLine(line, i + 1);
    assert.ok("event" in ingested, `line ${i + 1} rejected by ingest: ${JSON.stringify(ingested)}`);
    // No field was filled in by a default: every field is written out.
    assert.deepEqual(Object.keys(raw).sort(), Object.keys(ev).sort(), `line ${i + 1}`);
    if (ev.type === "account") {
      assert.ok(!seenPost, "accounts come before posts");
      assert.match(ev.id, /^a\d{6}$/);
      assert.match(ev.createdAt, TS);
      assert.ok(!accounts.has(ev.id), `duplicate account ${ev.id}`);
      assert.ok(!handles.has(ev.handle.toLowerCase()), `duplicate handle ${ev.handle}`);
      assert.ok(ev.country === null || /^[A-Z]{2}$/.test(ev.country));
      if (prevAccount) {
        assert.ok(
          prevAccount.createdAt < ev.createdAt ||
            (prevAccount.createdAt === ev.createdAt && prevAccount.id < ev.id),
          `accounts out of order at line ${i + 1}`,
        );
      }
      prevAccount = ev;
      handles.add(ev.handle.toLowerCase());
      accounts.set(ev.id, ev);
      return;
    }
    seenPost = true;
    if (ev.type === "post") {
      assert.match(ev.id, /^p\d{7}$/);
      assert.match(ev.createdAt, TS);
      assert.ok(!posts.has(ev.id), `duplicate post ${ev.id}`);
      const t = epoch(ev.createdAt);
      assert.ok(t >= POST_FROM && t <= POST_TO, `${ev.id} at ${ev.createdAt} is outside the scenario`);
      assert.ok(t >= prevTime, `posts out of time order at line ${i + 1}`);
      prevTime = t;
      const author = accounts.get(ev.authorId);
      assert.ok(author, `${ev.id}: unknown author ${ev.authorId}`);
      assert.ok(epoch(author.createdAt) < t, `${ev.id} predates its author`);
      for (const ref of [ev.replyTo, ev.quoteOf, ev.repostOf]) {
        if (ref === null) continue;
        const parent = posts.get(ref);
        assert.ok(parent, `${ev.id} refers to ${ref}, which is not an earlier post`);
        assert.ok(parent.ev.createdAt <= ev.createdAt);
        const d = deletedAt.get(ref);
        assert.ok(d === undefined || d > t, `${ev.id} refers to ${ref}, deleted before it`);
      }
      assert.ok([ev.replyTo, ev.quoteOf, ev.repostOf].filter((x) => x !== null).length <= 1);
      if (ev.replyTo) {
        const parentAuthor = accounts.get(posts.get(ev.replyTo)?.ev.authorId ?? "");
        assert.ok(
          ev.text.startsWith(`@${parentAuthor?.handle} `),
          `${ev.id}: a reply starts with the mention`,
        );
      }
      if (ev.repostOf) assert.equal(ev.text, "");
      // The text is what the platform would have accepted, and twitter-text finds exactly its urls and mentions.
      if (!ev.repostOf) {
        const parsed = twitterText.parseTweet(ev.text);
        assert.ok(parsed.valid, `${ev.id}: weighted length ${parsed.weightedLength}: ${ev.text}`);
      }
      assert.deepEqual(extractUrls(ev.text), ev.urls, ev.id);
      for (const m of extractMentions(ev.text))
        assert.ok(handles.has(m.toLowerCase()), `${ev.id} mentions unknown @${m}`);
      posts.set(ev.id, { ev, line: i });
      return;
    }
    assert.match(ev.at, TS);
    const post = posts.get(ev.id);
    assert.ok(post, `delete of ${ev.id} comes before the post (or the post does not exist)`);
    assert.ok(ev.at > post.ev.createdAt, `delete of ${ev.id} is not later than the post`);
    assert.ok(!deletedAt.has(ev.id), `${ev.id} deleted twice`);
    const t = epoch(ev.at);
    assert.ok(t <= POST_TO);
    assert.ok(t >= prevTime, `delete out of time order at line ${i + 1}`);
    prevTime = t;
    deletedAt.set(ev.id, t);
  });

  assert.equal(accounts.size, s.accounts.length);
  assert.equal(posts.size, s.posts.length);
  assert.equal(deletedAt.size, s.deletes.length);
  assert.ok(deletedAt.size > 0);

  // Languages and scripts.
  const langs = new Set([...posts.values()].map((p) => p.ev.lang));
  for (const l of ["en", "hi", "pa"]) assert.ok(langs.has(l), `no ${l} posts`);
  assert.ok(
    [...posts.values()].some((p) => /[\u0900-\u097f]/.test(p.ev.text)),
    "no Devanagari text",
  );
  assert.ok(
    [...posts.values()].some((p) => /[\u0a00-\u0a7f]/.test(p.ev.text)),
    "no Gurmukhi text",
  );
  for (const k of ["replyTo", "quoteOf", "repostOf"] as const)
    assert.ok([...posts.values()].some((p) => p.ev[k] !== null));
  assert.ok([...posts.values()].some((p) => p.ev.media.length > 0));
  assert.ok([...posts.values()].some((p) => p.ev.urls.length > 0));
  const countries = new Set([...accounts.values()].map((a) => a.country));
  for (const c of ["IN", "US", "GB", "CA", "PK", null]) assert.ok(countries.has(c), `no accounts in ${c}`);

  // Ground truth covers everything and agrees with the events.
  const gt: GroundTruth = JSON.parse(await readFile(files.groundTruth, "utf8"));
  assert.deepEqual(Object.keys(gt.accounts).sort(), [...accounts.keys()].sort());
  assert.deepEqual(Object.keys(gt.posts).sort(), [...posts.keys()].sort());
  for (const [id, p] of Object.entries(gt.posts)) assert.equal(p.deleted, deletedAt.has(id), id);
  for (const a of Object.values(gt.accounts)) {
    assert.equal(a.isProtected, PROTECTED_CATEGORIES.includes(a.category));
    assert.equal(a.isBot, a.category === "bot");
  }
  const protectedIds = Object.keys(gt.accounts).filter((id) => gt.accounts[id]?.isProtected);
  for (const id of protectedIds) {
    const a = accounts.get(id) as AccountEvent;
    assert.ok(
      a.hasAvatar && a.bio.length > 0 && a.createdAt < "2021-01-01",
      `${id} does not look like an established account`,
    );
  }
  const bots = Object.keys(gt.accounts).filter((id) => gt.accounts[id]?.isBot);
  const freshBots = bots.filter((id) => {
    const a = accounts.get(id) as AccountEvent;
    return a.createdAt >= "2020-12-01" && !a.hasAvatar && a.followers < 100 && a.following > a.followers;
  });
  assert.ok(freshBots.length >= bots.length * 0.85, "bots should look fresh and bot-like");

  // Activity rises on 26 Jan and 3 Feb.
  const perDay = new Map<string, number>();
  for (const p of posts.values())
    perDay.set(p.ev.createdAt.slice(0, 10), (perDay.get(p.ev.createdAt.slice(0, 10)) ?? 0) + 1);
  const sorted = [...perDay.values()].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  for (const d of ["2021-01-26", "2021-02-03"])
    assert.ok((perDay.get(d) ?? 0) > median * 1.5, `${d} should be a peak`);

  // The platform's own actions: valid contract §3 bodies, nothing beyond the listed fields.
  const actionLines = (await readFile(files.actions, "utf8")).trim().split("\n");
  const actions = actionLines.map((l) => JSON.parse(l));
  for (const a of actions) {
    ActionRequest.parse(a);
    assert.match(a.idempotencyKey, /^demo-/);
    if (a.action === "suppress") {
      assert.deepEqual(Object.keys(a).sort(), [
        "action",
        "countries",
        "expiresAt",
        "idempotencyKey",
        "reason",
        "rule",
        "subject",
        "surfaces",
      ]);
      assert.deepEqual(a.subject, { type: "hashtag", id: "ModiPlanningFarmerGenocide" });
      assert.deepEqual(a.surfaces, ["trends", "search_suggestions"]);
      assert.equal(a.rule, "violent_speech");
    } else {
      assert.equal(a.action, "label");
      assert.equal(a.label, "manipulated_media");
      assert.deepEqual(Object.keys(a).sort(), [
        "action",
        "countries",
        "expiresAt",
        "idempotencyKey",
        "label",
        "reason",
        "rule",
        "subject",
      ]);
      const p = posts.get(a.subject.id);
      assert.ok(p && p.ev.media.length > 0 && !deletedAt.has(a.subject.id), `label on ${a.subject.id}`);
    }
  }
  assert.equal(actions.filter((a) => a.action === "suppress").length, 1);
  assert.ok(actions.filter((a) => a.action === "label").length >= 2);
  assert.equal(new Set(actions.map((a) => a.idempotencyKey)).size, actions.length);
});

test("the genocide hashtag, its evasion spellings and the inflammatory label (scale 0.2)", () => {
  const s = generateScenario({ seed: "variants", scale: 0.2 });
  const { canonical, variants } = s.groundTruth.hashtagVariants;
  assert.equal(canonical, "ModiPlanningFarmerGenocide");
  assert.ok(variants.length >= 6, `only ${variants.length} variants used`);
  assert.ok(!variants.includes(canonical));
  const kinds = { case: false, cyrillic: false, invisible: false, underscore: false };
  for (const v of variants) {
    assert.deepEqual(extractHashtags(`x #${v} y`), [v], `#${v} must be extracted whole`);
    assert.equal(foldTag(v), canonical.toLowerCase(), `${v} is not a spelling of the tag`);
    if (/^[A-Za-z]+$/.test(v)) kinds.case = true;
    if (/[\u0400-\u04ff]/.test(v)) kinds.cyrillic = true;
    if (/[\u200c\u200d]/.test(v)) kinds.invisible = true;
    if (v.includes("_")) kinds.underscore = true;
  }
  assert.deepEqual(kinds, { case: true, cyrillic: true, invisible: true, underscore: true });

  const used = new Set<string>();
  for (const p of s.posts) {
    const tags: string[] = extractHashtags(p.text).filter(
      (h: string) => foldTag(h) === canonical.toLowerCase(),
    );
    for (const h of tags) {
      assert.ok(h === canonical || variants.includes(h), `${p.id}: ${h} is not listed`);
      used.add(h);
    }
    if (tags.length > 0)
      assert.ok(s.groundTruth.posts[p.id]?.inflammatory, `${p.id} carries the tag but is not inflammatory`);
  }
  assert.ok(used.has(canonical));
  for (const v of variants) assert.ok(used.has(v), `${v} is listed but unused`);
  // Evasion spellings appear only after the restriction started to bite (1 Feb).
  for (const p of s.posts) {
    if (variants.some((v) => p.text.includes(`#${v}`))) assert.ok(p.createdAt >= "2021-02-01", p.id);
  }
});

test("scale 1: sizes, orders, campaigns", async () => {
  const t0 = performance.now();
  const s = generateScenario();
  const ms = performance.now() - t0;
  assert.ok(ms < 5000, `generation took ${ms.toFixed(0)} ms`);
  assert.ok(s.accounts.length >= 4000 && s.accounts.length <= 6000, `${s.accounts.length} accounts`);
  assert.ok(s.posts.length >= 40000 && s.posts.length <= 60000, `${s.posts.length} posts`);

  // Scale is linear: 0.1 gives about a tenth.
  const small = generateScenario({ scale: 0.1 });
  const ratio = small.accounts.length / s.accounts.length;
  assert.ok(ratio > 0.08 && ratio < 0.12, `accounts ratio ${ratio}`);
  const postRatio = small.posts.length / s.posts.length;
  assert.ok(postRatio > 0.07 && postRatio < 0.13, `posts ratio ${postRatio}`);
  for (const c of s.groundTruth.campaigns) {
    const sc = small.groundTruth.campaigns.find((x) => x.id === c.id);
    const r = (sc?.accountIds.length ?? 0) / c.accountIds.length;
    assert.ok(r > 0.08 && r < 0.12, `${c.id} ratio ${r}`);
  }

  const gt = s.groundTruth;
  const accById = new Map(s.accounts.map((a) => [a.id, a]));
  const accByHandle = new Map(s.accounts.map((a) => [a.handle.toLowerCase(), a]));
  const postById = new Map(s.posts.map((p) => [p.id, p]));
  const deletedAt = new Map(s.deletes.map((d) => [d.id, d.at]));

  // ---- orders
  assert.deepEqual(
    s.orders.map((o) => o.body.items.length),
    [257, 1178],
  );
  assert.deepEqual(
    gt.orders.map((o) => o.items.length),
    [257, 1178],
  );
  const [o1, o2] = s.orders.map((o) => o.body);
  assert.ok(o1 && o2);
  assert.equal(o1.emergency, true);
  assert.equal(o2.emergency, false);
  assert.match(o1.legalBasis, /s\.69A; Blocking Rules 2009, r\.9$/);
  assert.match(o2.legalBasis, /s\.69A; Blocking Rules 2009, r\.8$/);
  for (const o of [o1, o2]) {
    assert.deepEqual(o.authority, {
      name: "Ministry of Electronics and Information Technology",
      country: "IN",
      type: "government_agency",
      officer: "Designated Officer",
      rank: "Joint Secretary",
    });
    assert.deepEqual(Object.keys(o), [
      "authority",
      "legalBasis",
      "reference",
      "receivedAt",
      "deadline",
      "emergency",
      "confidential",
      "items",
    ]);
    assert.equal(o.deadline, null);
    assert.equal(o.confidential, true);
    assert.match(o.receivedAt, TS);
    for (const it of o.items) for (const k of Object.keys(it)) assert.ok(k === "target" || k === "reason");
  }

  const postPostAndDeleted = (id: string) => (deletedAt.has(id) ? "deleted" : "post");
  const resolve = (target: string): { form: string; kind: string; id: string | null } => {
    const tag = target.match(/^hashtag:(.+)$/);
    if (tag) return { form: "hashtag", kind: "hashtag", id: tag[1] as string };
    const acc = target.match(/^account:(.+)$/);
    if (acc) {
      const id = acc[1] as string;
      return accById.has(id)
        ? { form: "account:", kind: "account", id }
        : { form: "account:", kind: "unresolvable", id: null };
    }
    const post = target.match(/^post:(.+)$/);
    if (post) {
      const id = post[1] as string;
      return postById.has(id)
        ? { form: "post:", kind: postPostAndDeleted(id), id }
        : { form: "post:", kind: "unresolvable", id: null };
    }
    const url = target.match(/^https:\/\/platform\.example\/([A-Za-z0-9_]+)\/status\/([^?/]+)(\?.*)?$/);
    if (url) {
      const id = url[2] as string;
      const p = postById.get(id);
      assert.ok(p, `${target}: no such post`);
      assert.equal(accById.get(p.authorId)?.handle.toLowerCase(), (url[1] as string).toLowerCase(), target);
      return { form: "post-url", kind: postPostAndDeleted(id), id };
    }
    const handle = target.match(/^(?:@|https:\/\/platform\.example\/)([A-Za-z0-9_]+)$/);
    assert.ok(handle, `unexpected target form ${target}`);
    const a = accByHandle.get((handle[1] as string).toLowerCase());
    return {
      form: target.startsWith("@") ? "@" : "profile-url",
      kind: a ? "account" : "unresolvable",
      id: a?.id ?? null,
    };
  };
  const subjectKey = (e: { kind: string; id: string | null }) =>
    `${e.kind === "deleted" ? "post" : e.kind}:${e.id}`;
  const formsSeen = new Set<string>();
  for (const [n, o] of s.orders.entries()) {
    const truth = gt.orders[n];
    assert.ok(truth);
    assert.equal(truth.reference, o.body.reference);
    assert.equal(truth.file, `orders/${o.name}.json`);
    assert.deepEqual(
      truth.items.map((i) => i.target),
      o.body.items.map((i) => i.target),
    );
    const targets = o.body.items.map((i) => i.target);
    assert.equal(new Set(targets).size, targets.length, `duplicate target in ${o.name}`);
    const subjects = truth.items
      .filter((i) => i.expected.kind !== "unresolvable")
      .map((i) => subjectKey(i.expected));
    assert.equal(new Set(subjects).size, subjects.length, `the same subject twice in ${o.name}`);
    const receivedAt = o.body.receivedAt;

    for (const { target, expected } of truth.items) {
      // A small resolver: the target must resolve to what the ground truth expects.
      const { form, kind, id } = resolve(target);
      formsSeen.add(form);
      if (kind === "hashtag") {
        assert.ok(
          s.posts.some((p) => extractHashtags(p.text).includes(id as string)),
          `hashtag ${id} does not occur`,
        );
      }
      assert.equal(kind, expected.kind, target);
      assert.equal(id, expected.id, target);
      if (kind === "account") assert.equal(expected.category, gt.accounts[id as string]?.category);
      if (kind === "post" || kind === "deleted") {
        const p = postById.get(id as string) as PostEvent;
        assert.equal(expected.category, gt.accounts[p.authorId]?.category);
        assert.ok(p.createdAt < receivedAt, `${target} was posted after the order`);
        if (kind === "deleted")
          assert.ok(
            (deletedAt.get(id as string) as string) < receivedAt,
            `${target} deleted after the order`,
          );
        else assert.ok(!deletedAt.has(id as string));
      }
      if (kind === "account") assert.ok((accById.get(id as string) as AccountEvent).createdAt < receivedAt);
      if (kind === "hashtag" || kind === "unresolvable") assert.equal(expected.category, null);
    }
    const kinds = new Set(truth.items.map((i) => i.expected.kind));
    for (const k of ["account", "post", "unresolvable", "deleted"])
      assert.ok(kinds.has(k as never), `${o.name} has no ${k} item`);
  }
  for (const f of ["hashtag", "account:", "post:", "post-url", "@", "profile-url"])
    assert.ok(formsSeen.has(f), `no ${f} target`);

  // Order 1 is mostly about the genocide tag.
  const canonical = gt.hashtagVariants.canonical;
  const tagPostsBy = new Set<string>();
  const isTagPost = (p: PostEvent) =>
    extractHashtags(p.text).some((h) => h === canonical || gt.hashtagVariants.variants.includes(h));
  for (const p of s.posts) if (isTagPost(p)) tagPostsBy.add(p.authorId);
  const t1 = gt.orders[0]?.items ?? [];
  const related = t1.filter(({ expected: e }) => {
    if (e.kind === "hashtag") return e.id === canonical;
    if (e.kind === "account") return tagPostsBy.has(e.id as string);
    if (e.kind === "post" || e.kind === "deleted")
      return isTagPost(postById.get(e.id as string) as PostEvent);
    return false;
  });
  assert.ok(
    related.length >= t1.length * 0.6,
    `only ${related.length} of ${t1.length} order 1 items carry the tag`,
  );

  // Order 2 re-lists part of order 1, names protected voices, campaign bots, accounts operating from abroad.
  const s1 = new Set(t1.filter((i) => i.expected.kind !== "unresolvable").map((i) => subjectKey(i.expected)));
  const t2 = gt.orders[1]?.items ?? [];
  const overlap = t2.filter((i) => i.expected.kind !== "unresolvable" && s1.has(subjectKey(i.expected)));
  assert.ok(overlap.length >= 100 && overlap.length <= 200, `overlap ${overlap.length}`);
  assert.ok(
    overlap.some((i) => !t1.some((j) => j.target === i.target)),
    "some re-listed items use a different form",
  );
  const prot2 = t2.filter(
    (i) => i.expected.category !== null && PROTECTED_CATEGORIES.includes(i.expected.category),
  );
  assert.ok(
    prot2.length >= 0.05 * t2.length && prot2.length <= 0.1 * t2.length,
    `protected in order 2: ${prot2.length}`,
  );
  for (const c of ["journalist", "politician", "news_media"]) {
    assert.ok(
      t2.some((i) => i.expected.category === c),
      `order 2 has no ${c}`,
    );
  }
  const accountsIn2 = t2
    .filter((i) => i.expected.kind === "account")
    .map((i) => gt.accounts[i.expected.id as string]);
  const campaignBots2 = accountsIn2.filter((a) => a?.campaign !== null);
  assert.ok(campaignBots2.length >= 300, `campaign bots in order 2: ${campaignBots2.length}`);
  const abroad = accountsIn2.filter((a) => ["PK", "CA", "GB", "US"].includes(a?.country ?? ""));
  assert.ok(abroad.length >= accountsIn2.length * 0.4, `accounts from PK/CA/GB/US: ${abroad.length}`);

  // The CSV form carries the same items.
  const { files } = await (async () => {
    const dir = await mkdtemp(join(tmpdir(), "vigil-demo-"));
    dirs.push(dir);
    return { files: await writeScenario(dir, s) };
  })();
  for (const [n, f] of files.orders.entries()) {
    const rows: { target: string; reason: string }[] = parseCsv(await readFile(f.csv, "utf8"), {
      columns: true,
    });
    const body = s.orders[n]?.body;
    assert.ok(body);
    assert.deepEqual(
      rows.map((r) => r.target),
      body.items.map((i) => i.target),
    );
    assert.deepEqual(
      rows.map((r) => r.reason),
      body.items.map((i) => i.reason ?? ""),
    );
    assert.deepEqual(JSON.parse(await readFile(f.json, "utf8")), body);
  }

  // ---- campaigns
  assert.equal(gt.campaigns.length, 2);
  const toolkit = gt.campaigns.find((c) => c.id === "c-toolkit");
  assert.ok(toolkit && toolkit.accountIds.length >= 400 && toolkit.accountIds.length <= 600, "toolkit size");
  for (const c of gt.campaigns) {
    const tpl = tokens(c.template);
    const times: number[] = [];
    const firstPost = new Map<string, number>();
    for (const id of c.postIds) {
      const p = postById.get(id) as PostEvent;
      assert.equal(gt.posts[id]?.campaign, c.id);
      assert.ok(c.accountIds.includes(p.authorId), `${id} by an account outside ${c.id}`);
      const j = jaccard(tokens(p.text), tpl);
      assert.ok(j >= 0.6, `${id}: jaccard ${j.toFixed(2)} with the ${c.id} template: ${p.text}`);
      // Same ordered hashtag sequence (spellings folded).
      assert.deepEqual(extractHashtags(p.text).map(foldTag), c.hashtags.map(foldTag));
      const t = epoch(p.createdAt);
      times.push(t);
      firstPost.set(p.authorId, Math.min(firstPost.get(p.authorId) ?? Number.POSITIVE_INFINITY, t));
    }
    for (const id of c.accountIds) {
      const a = gt.accounts[id];
      assert.ok(a?.isBot && a.campaign === c.id);
      const first = firstPost.get(id);
      assert.ok(first !== undefined, `${id} never posted for ${c.id}`);
      const age = first - epoch((accById.get(id) as AccountEvent).createdAt);
      assert.ok(
        age > 0 && age <= 14 * 86400,
        `${id} is ${(age / 86400).toFixed(1)} days old at its first campaign post`,
      );
    }
    // Bursts: almost every campaign post has another one within five minutes.
    times.sort((a, b) => a - b);
    const close = times.filter(
      (t, i) =>
        (i > 0 && t - (times[i - 1] as number) <= 300) ||
        (i + 1 < times.length && (times[i + 1] as number) - t <= 300),
    );
    assert.ok(
      close.length >= times.length * 0.95,
      `${c.id}: ${close.length}/${times.length} posts in bursts`,
    );
    assert.ok(
      c.postIds.some((id) => deletedAt.has(id)),
      `${c.id}: no campaign post is deleted`,
    );
  }
  // Exactly the campaigns' posts carry a campaign in the ground truth.
  const campaignPosts = new Set(gt.campaigns.flatMap((c) => c.postIds));
  for (const [id, p] of Object.entries(gt.posts))
    assert.equal(p.campaign !== null, campaignPosts.has(id), id);
});
