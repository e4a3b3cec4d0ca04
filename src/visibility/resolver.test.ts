import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { type EnforcementAction, type LedgerEntry, SURFACES, type Surface } from "../domain/model.ts";
import { ledgerEntry } from "../ledger/testing.ts";
import { renderPolicyMarkdown, VISIBILITY_POLICY } from "./policy.ts";
import { type ResolveItem, Resolver } from "./resolver.ts";
import { RestrictionIndex } from "./restriction-index.ts";

const COUNTRIES = ["IN", "PK", "DE", "US"];
const ACCOUNTS = ["a0", "a1", "a2", "a3", "a4"];
const POSTS = ["p0", "p1", "p2", "p3", "p4", "p5", "p6"];
const authorOf = (p: string) => ACCOUNTS[Number(p.slice(1)) % ACCOUNTS.length]!;

const entry = ledgerEntry;

test("a withheld post is tombstoned for viewers in that country only, with the notice the contract shows", () => {
  const index = new RestrictionIndex();
  index.apply(
    entry(1, {
      subject: { type: "post", id: "p1" },
      action: "withhold",
      countries: ["IN"],
      basis: "legal_demand",
    }),
    {
      handle: "kisan_voice",
    },
  );
  const r = new Resolver(index);
  const [inIndia] = r.resolve({ country: "IN" }, "home_timeline", [{ postId: "p1" }]);
  assert.deepEqual(inIndia, {
    action: "tombstone",
    rule: "withheld_in_viewer_country",
    notice: {
      kind: "withheld",
      countries: ["IN"],
      basis: "legal_demand",
      text: "This post from @kisan_voice has been withheld in India in response to a legal demand.",
    },
  });
  assert.deepEqual(r.resolve({ country: "DE" }, "home_timeline", [{ postId: "p1" }]), [{ action: "allow" }]);
  assert.equal(r.resolve({ country: "IN" }, "search_results", [{ postId: "p1" }])[0]!.action, "drop");
  assert.equal(r.asOf, 1);
});

test("the author sees their own withheld post with a notice; an unknown country is treated as every country", () => {
  const index = new RestrictionIndex();
  index.apply(
    entry(1, {
      subject: { type: "account", id: "a1" },
      action: "withhold",
      countries: ["IN", "PK"],
      basis: "local_law",
    }),
  );
  const r = new Resolver(index);
  const own = r.resolve({ country: "IN", accountId: "a1" }, "profile", [
    { postId: "p9", authorId: "a1" },
  ])[0]!;
  assert.equal(own.action, "label");
  assert.equal(own.notice?.kind, "withheld_own");
  assert.match(own.notice!.text, /withheld in India and Pakistan based on local law/);
  assert.equal(r.resolve({ country: null }, "profile", [{ accountId: "a1" }])[0]!.action, "tombstone");
  const lenient = new Resolver(index, { unknownCountry: "none" });
  assert.equal(lenient.resolve({ country: null }, "profile", [{ accountId: "a1" }])[0]!.action, "allow");
});

test("embedded items count: a quote of a withheld post and a reply under a suspended author", () => {
  const index = new RestrictionIndex();
  index.apply(
    entry(1, {
      subject: { type: "post", id: "q" },
      action: "withhold",
      countries: ["IN"],
      basis: "legal_demand",
    }),
  );
  index.apply(entry(2, { subject: { type: "account", id: "bad" }, action: "suspend" }));
  const r = new Resolver(index);
  const [quote, reply] = r.resolve({ country: "IN" }, "home_timeline", [
    { postId: "x", authorId: "ok", quoteOf: { postId: "q", authorId: "ok2" } },
    { postId: "y", authorId: "ok", replyTo: { postId: "z", authorId: "bad" } },
  ]);
  assert.equal(quote!.action, "allow");
  assert.equal(quote!.embedded?.quote?.action, "tombstone");
  assert.equal(reply!.embedded?.replyTo?.rule, "author_suspended");
  const [own] = r.resolve({ country: "IN" }, "replies", [{ postId: "z", authorId: "bad" }]);
  assert.equal(own!.action, "tombstone");
});

test("a repost shows the original post, so it is hidden wherever the original is", () => {
  const index = new RestrictionIndex();
  index.apply(
    entry(1, {
      subject: { type: "post", id: "q" },
      action: "withhold",
      countries: ["IN"],
      basis: "legal_demand",
    }),
    { handle: "kisan_voice" },
  );
  index.apply(entry(2, { subject: { type: "account", id: "bad" }, action: "suspend" }));
  index.apply(entry(3, { subject: { type: "post", id: "m" }, action: "label", label: "manipulated_media" }));
  const r = new Resolver(index);
  const repost = (original: string, author = "ok2", reposter = "ok") => ({
    postId: `rp-${original}-${reposter}`,
    authorId: reposter,
    repostOf: { postId: original, authorId: author },
  });
  const [withheld, elsewhere, suspendedAuthor, byBad, labelled, plain] = r.resolve(
    { country: "IN" },
    "home_timeline",
    [
      repost("q"),
      repost("free"),
      repost("z", "bad"),
      repost("free", "ok2", "bad"),
      repost("m"),
      repost("free"),
    ],
  );
  assert.equal(withheld!.action, "tombstone");
  assert.equal(withheld!.rule, "withheld_in_viewer_country");
  assert.match(withheld!.notice!.text, /This post from @kisan_voice has been withheld in India/);
  assert.equal(withheld!.embedded?.repostOf?.action, "tombstone");
  assert.equal(elsewhere!.action, "allow");
  assert.equal(suspendedAuthor!.rule, "author_suspended", "the original's author is suspended");
  assert.equal(byBad!.rule, "author_suspended", "the reposter is suspended");
  assert.equal(byBad!.embedded, undefined, "nothing is in force on the original");
  assert.equal(labelled!.action, "interstitial");
  assert.deepEqual(labelled!.labels, ["manipulated_media"]);
  assert.equal(
    plain,
    r.resolve({ country: "IN" }, "home_timeline", [{ postId: "x" }])[0],
    "the shared allow",
  );
  const [inGermany] = r.resolve({ country: "DE" }, "home_timeline", [repost("q")]);
  assert.equal(inGermany!.action, "allow");
  const [forAuthor] = r.resolve({ country: "IN", accountId: "ok2" }, "home_timeline", [repost("q")]);
  assert.equal(forAuthor!.notice?.kind, "withheld_own", "the original's author is told, as on the original");
});

test("the strictest action wins and explain lists every rule", () => {
  const index = new RestrictionIndex();
  index.apply(entry(1, { subject: { type: "post", id: "m" }, action: "label", label: "manipulated_media" }));
  index.apply(entry(2, { subject: { type: "post", id: "m" }, action: "limit_engagement" }));
  const r = new Resolver(index);
  const [d] = r.resolve({ country: "US" }, "post_detail", [{ postId: "m" }], true);
  assert.equal(d!.action, "interstitial");
  assert.deepEqual(d!.labels, ["manipulated_media"]);
  assert.equal(d!.explain?.length, VISIBILITY_POLICY.length);
  assert.deepEqual(
    d!.explain!.filter((e) => e.matched).map((e) => e.rule),
    ["manipulated_media_label", "limited_engagement"],
  );
  assert.equal(r.resolve({ country: "US" }, "search_results", [{ postId: "m" }])[0]!.action, "downrank");
});

test("a recorded reversal lifts only what its entry put in force", () => {
  const index = new RestrictionIndex();
  index.apply(
    entry(1, {
      subject: { type: "account", id: "a" },
      action: "withhold",
      countries: ["IN"],
      expiresAt: "2030-01-01T00:00:00.000Z",
    }),
  );
  index.apply(entry(2, { subject: { type: "account", id: "a" }, action: "withhold", countries: ["IN"] }));
  index.apply(
    entry(3, { subject: { type: "account", id: "a" }, action: "restore", countries: ["IN"], reverses: 1 }),
  );
  const r = new Resolver(index);
  assert.equal(r.resolve({ country: "IN" }, "profile", [{ accountId: "a" }])[0]!.action, "tombstone");
});

test("the policy table renders for reviewers", () => {
  const md = renderPolicyMarkdown();
  for (const s of SURFACES) assert.ok(md.includes(s));
  for (const rule of VISIBILITY_POLICY) assert.ok(md.includes(`\`${rule.name}\``));
});

// ---- property: nothing restricted for the viewer's country is shown; nothing unrestricted is held back

/** An independent model of what is in force: subject → key → seq. */
function model(entries: LedgerEntry[]): Map<string, Map<string, number>> {
  const m = new Map<string, Map<string, number>>();
  for (const e of entries) {
    const id = `${e.subject.type}:${e.subject.id}`;
    const s = m.get(id) ?? new Map<string, number>();
    m.set(id, s);
    const cs = e.countries ?? ["*"];
    const drop = (pred: (k: string) => boolean) => {
      for (const [k, seq] of [...s]) if (pred(k) && (e.reverses === null || seq === e.reverses)) s.delete(k);
    };
    switch (e.action) {
      case "suspend":
        s.set("suspend", e.seq);
        break;
      case "unsuspend":
        drop((k) => k === "suspend");
        break;
      case "withhold":
        for (const c of cs) s.set(`withhold:${c}`, e.seq);
        break;
      case "restore":
        drop(
          (k) =>
            k.startsWith("withhold:") &&
            (e.countries === null || e.reverses !== null || e.countries.includes(k.slice(9))),
        );
        break;
      case "limit_engagement":
        for (const c of cs) s.set(`limit:${c}`, e.seq);
        break;
      case "unlimit_engagement":
        drop(
          (k) =>
            k.startsWith("limit:") &&
            (e.countries === null || e.reverses !== null || e.countries.includes(k.slice(6))),
        );
        break;
      case "label":
        for (const c of cs) s.set(`label:${c}`, e.seq);
        break;
      case "unlabel":
        drop(
          (k) =>
            k.startsWith("label:") &&
            (e.countries === null || e.reverses !== null || e.countries.includes(k.slice(6))),
        );
        break;
    }
  }
  return m;
}

const actionArb = fc.constantFrom<EnforcementAction>(
  "suspend",
  "unsuspend",
  "withhold",
  "restore",
  "limit_engagement",
  "unlimit_engagement",
  "label",
  "unlabel",
);
const stepArb = fc.record({
  subject: fc.oneof(
    fc.constantFrom(...ACCOUNTS).map((id) => ({ type: "account" as const, id })),
    fc.constantFrom(...POSTS).map((id) => ({ type: "post" as const, id })),
  ),
  action: actionArb,
  countries: fc.option(fc.subarray(COUNTRIES, { minLength: 1 }), { nil: null }),
  reversesBack: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 4 }),
});

test("property: no item restricted for the viewer's country is ever allowed, and nothing unrestricted is held back", () => {
  fc.assert(
    fc.property(
      fc.array(stepArb, { minLength: 1, maxLength: 40 }),
      fc.constantFrom<string | null>(...COUNTRIES, "BR", null),
      fc.constantFrom<Surface>(...SURFACES),
      fc.option(fc.constantFrom(...ACCOUNTS), { nil: null }),
      (steps, viewerCountry, surface, viewerAccount) => {
        const entries = steps.map((s, i) => {
          const restricting = ["suspend", "withhold", "limit_engagement", "label"].includes(s.action);
          const reverses =
            !restricting && s.reversesBack !== null && i + 1 - s.reversesBack >= 1
              ? i + 1 - s.reversesBack
              : null;
          return entry(i + 1, {
            subject: s.subject,
            action: s.action,
            countries: s.action === "suspend" || s.action === "unsuspend" ? null : s.countries,
            label: s.action === "label" || s.action === "unlabel" ? "disputed" : null,
            basis: s.action === "withhold" ? "legal_demand" : null,
            reverses,
          });
        });
        const index = new RestrictionIndex();
        for (const e of entries) index.apply(e);
        const r = new Resolver(index);
        const m = model(entries);
        const inForce = (subject: string, prefix: string) =>
          [...(m.get(subject)?.keys() ?? [])].some(
            (k) =>
              k.startsWith(prefix) &&
              (prefix === "suspend" ||
                k.endsWith(":*") ||
                viewerCountry === null ||
                k.endsWith(`:${viewerCountry}`)),
          );
        const viewer = { country: viewerCountry, accountId: viewerAccount };
        for (const p of POSTS) {
          const a = authorOf(p);
          const d = r.resolve(viewer, surface, [{ postId: p, authorId: a }])[0]!;
          const subjects = [`post:${p}`, `account:${a}`];
          const restricted = subjects.some((s) => inForce(s, "suspend") || inForce(s, "withhold:"));
          const anything = subjects.some((s) =>
            ["suspend", "withhold:", "limit:", "label:"].some((x) => inForce(s, x)),
          );
          if (restricted && viewerAccount !== a)
            assert.ok(
              d.action === "tombstone" || d.action === "drop",
              `${p} on ${surface} for ${viewerCountry}: ${d.action}`,
            );
          if (restricted && viewerAccount === a) assert.notEqual(d.action, "allow", "the author is told");
          if (!anything) assert.equal(d.action, "allow", `${p} has nothing in force but got ${d.action}`);
          // A repost of the post by an account with nothing in force is decided as the post.
          const rp = r.resolve(viewer, surface, [
            { postId: `repost-${p}`, authorId: "clean", repostOf: { postId: p, authorId: a } },
          ])[0]!;
          if (restricted && viewerAccount !== a)
            assert.ok(rp.action === "tombstone" || rp.action === "drop", `repost of ${p}: ${rp.action}`);
          assert.equal(rp.action, d.action, `repost of ${p} on ${surface}`);
        }
        // A whole batch of mixed items (the batched Bloom probes) decides exactly as item by item.
        const batch: ResolveItem[] = [
          ...POSTS.map((p) => ({ postId: p, authorId: authorOf(p) })),
          ...POSTS.map((p) => ({ postId: p })),
          ...POSTS.map((p) => ({ postId: p, authorId: null, quoteOf: { postId: POSTS[0]! } })),
          ...POSTS.map((p) => ({ postId: `r${p}`, authorId: ACCOUNTS[1]!, repostOf: { postId: p } })),
          ...ACCOUNTS.map((a) => ({ accountId: a })),
          ...ACCOUNTS.map((a) => ({ postId: `fresh-${a}`, authorId: a })),
        ];
        assert.deepEqual(
          r.resolve(viewer, surface, batch),
          batch.map((item) => r.decideOne(viewer, surface, item)),
        );
      },
    ),
    { numRuns: 1500 },
  );
});

test("docs/visibility-policy.md is rendered from the current policy (npm run docs:policy)", async () => {
  const { policyDocument } = await import("./policy-doc.ts");
  const fs = await import("node:fs");
  const onDisk = fs.readFileSync(new URL("../../docs/visibility-policy.md", import.meta.url), "utf8");
  assert.equal(onDisk, policyDocument());
});

test("hashtag restrictions match exactly, by prefix (`Tag*`) or by substring (`*Tag*`), under the match key", () => {
  const index = new RestrictionIndex();
  const suppress = (seq: number, id: string) =>
    index.apply(entry(seq, { subject: { type: "hashtag", id }, action: "suppress", surfaces: ["trends"] }));
  suppress(1, "ModiPlanningFarmerGenocide");
  suppress(2, "StopThe*");
  suppress(3, "*Genocide*");
  const r = new Resolver(index);
  const on = (tag: string) => r.resolve({ country: "IN" }, "trends", [{ hashtag: tag }])[0]!.action;
  assert.equal(on("modiplanningfarmergenocide"), "drop");
  assert.equal(on("ＳｔｏｐＴｈｅＳｔｅａｌ"), "drop", "prefix, full-width");
  assert.equal(on("Stop_The_Count"), "drop", "prefix, separators");
  assert.equal(on("FarmersAgainstGеnocide"), "drop", "contains, Cyrillic е");
  assert.equal(on("FarmersProtest"), "allow");
  assert.equal(on("StopTheMusic"), "drop");
  assert.equal(on("PleaseStopThe"), "allow", "a prefix rule does not match in the middle");
  assert.equal(
    r.resolve({ country: "IN" }, "home_timeline", [{ hashtag: "StopTheSteal" }])[0]!.action,
    "allow",
    "only on the suppressed surface",
  );
});

test("a hashtag withheld in a country is tombstoned there with a notice that names a hashtag", () => {
  const index = new RestrictionIndex();
  index.apply(
    entry(1, {
      subject: { type: "hashtag", id: "QaTag" },
      action: "withhold",
      countries: ["IN"],
      basis: "legal_demand",
    }),
  );
  const r = new Resolver(index);
  const [d] = r.resolve({ country: "IN" }, "search_results", [{ hashtag: "qatag" }]);
  assert.equal(d!.rule, "withheld_in_viewer_country");
  assert.deepEqual(d!.notice, {
    kind: "withheld",
    countries: ["IN"],
    basis: "legal_demand",
    text: "This hashtag has been withheld in India in response to a legal demand.",
  });
  assert.equal(r.resolve({ country: "DE" }, "search_results", [{ hashtag: "QaTag" }])[0]!.action, "allow");
});
