import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { seededRandom } from "../hashtags/corpus.ts";
import { matchKey } from "../hashtags/normalize.ts";
import {
  GLOBAL_COUNTRY,
  parseTimestamp,
  type Trend,
  type TrendAccount,
  type TrendFilter,
  TrendsEngine,
  type TrendsOptions,
} from "./engine.ts";

const H = 3_600_000;
const DAY = 24 * H;
/** Midnight UTC, 20 Jan 2021: every test's clock starts here (never the wall clock). */
const T0 = Date.parse("2021-01-20T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();
const at = (ms: number) => new Date(ms);

const rng = seededRandom;

const NONE: TrendFilter = { tagRestricted: () => false, accountRestricted: () => false };

/** Restrictions per country: matchKeys of restricted tags, ids of restricted accounts. */
function filterOf(rules: {
  tags?: Record<string, string[]>;
  accounts?: Record<string, string[]>;
}): TrendFilter {
  return {
    tagRestricted: (mk, country) => (rules.tags?.[country] ?? []).includes(mk),
    accountRestricted: (id, country) => (rules.accounts?.[country] ?? []).includes(id),
  };
}

/** A test world: an engine plus helpers to create accounts and posts. */
class World {
  readonly engine: TrendsEngine;
  private seq = 0;
  private accounts = 0;

  constructor(opts: TrendsOptions = {}) {
    this.engine = new TrendsEngine(opts);
  }

  /** Creates `n` established accounts (a year old, avatar and bio) in `country`. */
  accountsIn(country: string | null, n: number, over: Partial<TrendAccount> = {}): string[] {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const a: TrendAccount = {
        id: `a${this.accounts++}`,
        country,
        createdAt: iso(T0 - 365 * DAY),
        hasAvatar: true,
        bio: "farmer, Punjab",
        ...over,
      };
      this.engine.observeAccount(a);
      ids.push(a.id);
    }
    return ids;
  }

  post(author: string, ms: number, tags: string[], repostOf: string | null = null): string {
    const id = `p${this.seq++}`;
    this.engine.observePost({ id, authorId: author, createdAt: iso(ms), hashtags: tags, repostOf });
    return id;
  }

  /** Each account posts the tag once, spread over [from, from + spanMs). */
  wave(accounts: string[], tag: string, from: number, spanMs = H / 2): string[] {
    return accounts.map((a, i) => this.post(a, from + Math.floor((i * spanMs) / accounts.length), [tag]));
  }

  top(country: string, ms: number, filter = NONE, limit = 10, global = false) {
    return this.engine.top(country, at(ms), limit, filter, { global });
  }
}

const tagsOf = (ts: Trend[]) => ts.map((t) => t.tag);
const find = (ts: Trend[], tag: string) => ts.find((t) => t.tag === tag);

describe("TrendsEngine scoring", () => {
  it("a burst over an empty baseline scores (observed - 1)² and a steady tag scores 0", () => {
    const w = new World();
    const steady = w.accountsIn("IN", 10);
    // #Steady: the same 10 accounts every day for three days. #Burst: 20 accounts on day 3 only.
    for (let d = 0; d < 3; d++) w.wave(steady, "Steady", T0 + d * DAY + 9 * H);
    const burst = w.accountsIn("IN", 20);
    w.wave(burst, "Burst", T0 + 2 * DAY + 9 * H);
    const { trends } = w.top("IN", T0 + 2 * DAY + 10 * H);
    assert.deepEqual(tagsOf(trends), ["Burst"]);
    const b = trends[0]!;
    assert.equal(b.score, (20 - 1) ** 2 / 1);
    assert.equal(b.accounts, 20);
    assert.equal(b.posts, 20);
    assert.equal(b.rank, 1);
    assert.equal(b.key, "burst");
  });

  it("velocity is relative to the baseline: (observed - expected)² / expected", () => {
    // peakHours: 1 looks at the current window only (yesterday's own rise would otherwise still
    // show as a decayed peak).
    const w = new World({ peakHours: 1 });
    const base = w.accountsIn("IN", 10);
    const more = w.accountsIn("IN", 20);
    w.wave(base, "Rising", T0 + 9 * H); // yesterday: 10 accounts
    w.wave([...base, ...more], "Rising", T0 + DAY + 9 * H); // today: 30 accounts
    const r = find(w.top("IN", T0 + DAY + 10 * H).trends, "Rising");
    assert.ok(r);
    assert.equal(r.score, (30 - 10) ** 2 / 10);
    // Fewer accounts than the baseline: not trending at all.
    w.wave(base.slice(0, 5), "Falling", T0 + 9 * H);
    w.wave(base.slice(0, 5), "Falling", T0 + 9 * H + 1000);
    w.wave(more.slice(0, 6), "Falling", T0 + 9 * H + 2000);
    w.wave(more.slice(0, 6), "Falling", T0 + DAY + 9 * H);
    assert.equal(find(w.top("IN", T0 + DAY + 10 * H).trends, "Falling"), undefined);
  });

  it("fewer than minAccounts distinct accounts never trend, and fresh or bare accounts weigh 0.2", () => {
    const w = new World();
    w.wave(w.accountsIn("IN", 4), "Four", T0 + 9 * H);
    // 20 accounts created 2 days before posting: 20 * 0.2 = 4 < 5.
    const fresh = w.accountsIn("IN", 20, { createdAt: iso(T0 + 7 * H - 2 * DAY) });
    w.wave(fresh, "Fresh", T0 + 9 * H);
    // 25 accounts with no avatar and an empty bio: 25 * 0.2 = 5, score (5 - 1)² = 16.
    const bare = w.accountsIn("IN", 25, { hasAvatar: false, bio: "  " });
    w.wave(bare, "Bare", T0 + 9 * H);
    const { trends } = w.top("IN", T0 + 10 * H);
    assert.deepEqual(tagsOf(trends), ["Bare"]);
    assert.ok(Math.abs(trends[0]!.score - 16) < 1e-9, String(trends[0]!.score));
    assert.equal(trends[0]!.accounts, 25);
  });

  it("the peak decays with a 4 h half-life once the burst leaves the window", () => {
    const w = new World();
    w.wave(w.accountsIn("IN", 20), "Burst", T0 + 9 * H); // bucket 09:00-10:00
    // Windows are 24 hourly buckets: the one ending at 09:00 the next day is the last holding it.
    const peakEnd = T0 + DAY + 9 * H;
    for (const [dt, factor] of [
      [0, 1],
      [4 * H, 0.5],
      [8 * H, 0.25],
      [2 * H, 2 ** -0.5],
    ] as const) {
      const t = find(w.top("IN", peakEnd + dt).trends, "Burst");
      assert.ok(t, `listed ${dt / H} h after the peak`);
      assert.ok(Math.abs(t.score - 361 * factor) < 1e-6, `${dt / H} h: ${t.score}`);
      assert.equal(t.accounts, dt === 0 ? 20 : 0);
    }
    // 361 * 0.5^(24/4) = 5.6; 361 * 0.5^(48/4) < 1 but the peak horizon (24 h) has passed anyway.
    assert.equal(find(w.top("IN", peakEnd + 25 * H).trends, "Burst"), undefined);
  });

  it("counts distinct accounts: one account posting 100 times counts once", () => {
    const w = new World();
    const [spammer] = w.accountsIn("IN", 1);
    for (let i = 0; i < 100; i++) w.post(spammer!, T0 + 9 * H + i * 1000, ["Spam"]);
    const five = w.accountsIn("IN", 5);
    for (let i = 0; i < 100; i++) w.post(five[i % 5]!, T0 + 9 * H + i * 1000, ["Five"]);
    const { trends } = w.top("IN", T0 + 10 * H);
    assert.deepEqual(tagsOf(trends), ["Five"]);
    assert.equal(trends[0]!.accounts, 5);
    assert.equal(trends[0]!.posts, 100);
    assert.equal(trends[0]!.score, 16);
  });

  it("a post's duplicate tags and repeated observations count once", () => {
    const w = new World();
    const accts = w.accountsIn("IN", 6);
    for (const a of accts) {
      const id = `dup-${a}`;
      const p = { id, authorId: a, createdAt: iso(T0 + 9 * H), hashtags: ["Tag", "TAG", "tag"] };
      w.engine.observePost(p);
      w.engine.observePost(p);
    }
    const t = find(w.top("IN", T0 + 10 * H).trends, "Tag");
    assert.ok(t);
    assert.equal(t.posts, 6);
    assert.equal(t.accounts, 6);
  });

  it("shows the most used spelling of a key", () => {
    const w = new World();
    const accts = w.accountsIn("IN", 10);
    accts.forEach((a, i) => {
      w.post(a, T0 + 9 * H + i, [i < 7 ? "FarmersProtest" : "farmersprotest"]);
    });
    const { trends } = w.top("IN", T0 + 10 * H);
    assert.equal(trends[0]!.tag, "FarmersProtest");
    assert.equal(trends[0]!.key, "farmersprotest");
  });

  it("reposts count for the reposting account; countReposts: false ignores them", () => {
    for (const countReposts of [true, false]) {
      const w = new World({ countReposts });
      const [author, ...fans] = w.accountsIn("IN", 10);
      const orig = w.post(author!, T0 + 9 * H, ["Viral"]);
      for (const f of fans) w.post(f, T0 + 9 * H + 60_000, ["Viral"], orig);
      const t = find(w.top("IN", T0 + 10 * H).trends, "Viral");
      if (countReposts) assert.equal(t?.accounts, 10);
      else assert.equal(t, undefined);
    }
  });
});

describe("TrendsEngine deletes", () => {
  it("subtracts deleted posts: the distinct count drops only when an account's last post goes", () => {
    const w = new World();
    const accts = w.accountsIn("IN", 10);
    const ids = w.wave(accts, "Ephemeral", T0 + 9 * H);
    const extra = w.post(accts[0]!, T0 + 9 * H + 5 * 60_000, ["Ephemeral"]);
    assert.equal(find(w.top("IN", T0 + 10 * H).trends, "Ephemeral")?.accounts, 10);
    w.engine.observeDelete(extra, iso(T0 + 9 * H + 20 * 60_000));
    const t = find(w.top("IN", T0 + 10 * H).trends, "Ephemeral");
    assert.equal(t?.accounts, 10);
    assert.equal(t?.posts, 10);
    for (const id of ids.slice(0, 6)) w.engine.observeDelete(id, iso(T0 + 9 * H + 30 * 60_000));
    assert.equal(find(w.top("IN", T0 + 10 * H).trends, "Ephemeral"), undefined);
    // Deleting twice, or an unknown post, changes nothing.
    w.engine.observeDelete(ids[0]!, iso(T0 + 11 * H));
    w.engine.observeDelete("nope", iso(T0 + 11 * H));
    assert.equal(w.engine.stats().keys, 2); // IN + global, 4 live posts each
  });

  it("a post-then-delete wave of 400 accounts (past the exact cap, sketch cells) drops out", () => {
    const w = new World();
    const bots = w.accountsIn("IN", 400);
    const ids = w.wave(bots, "Astroturf", T0 + 9 * H);
    const before = find(w.top("IN", T0 + 10 * H).trends, "Astroturf");
    assert.ok(before && Math.abs(before.accounts - 400) < 40, String(before?.accounts));
    // Half delete: about 200 left.
    for (const id of ids.slice(0, 200)) w.engine.observeDelete(id, iso(T0 + 9 * H + 40 * 60_000));
    const half = find(w.top("IN", T0 + 10 * H).trends, "Astroturf");
    assert.ok(half && Math.abs(half.accounts - 200) < 60, String(half?.accounts));
    for (const id of ids.slice(200)) w.engine.observeDelete(id, iso(T0 + 9 * H + 50 * 60_000));
    assert.equal(find(w.top("IN", T0 + 10 * H).trends, "Astroturf"), undefined);
    assert.equal(find(w.top(GLOBAL_COUNTRY, T0 + 10 * H).trends, "Astroturf"), undefined);
  });

  it("sketch cells estimate large distinct counts within 10%", () => {
    const w = new World();
    const many = w.accountsIn("IN", 3000);
    const r = rng(7);
    // 3,000 accounts, 6,000 posts over 6 hours: every hourly cell is past the exact cap.
    for (let i = 0; i < 6000; i++)
      w.post(many[Math.floor(r() * many.length)]!, T0 + 9 * H + i * 3600, ["Big"]);
    const seen = new Set<number>();
    const r2 = rng(7);
    for (let i = 0; i < 6000; i++) seen.add(Math.floor(r2() * many.length));
    const t = find(w.top("IN", T0 + 16 * H).trends, "Big");
    assert.ok(t);
    assert.ok(Math.abs(t.accounts - seen.size) / seen.size < 0.1, `${t.accounts} vs ${seen.size}`);
    assert.equal(t.posts, 6000);
  });
});

describe("TrendsEngine countries and restrictions", () => {
  it("keeps countries apart; accounts with no country count only globally", () => {
    const w = new World();
    w.wave(w.accountsIn("IN", 10), "Kisan", T0 + 9 * H);
    w.wave(w.accountsIn("DE", 10), "Bauern", T0 + 9 * H);
    w.wave(w.accountsIn(null, 10), "Nowhere", T0 + 9 * H);
    const t = T0 + 10 * H;
    assert.deepEqual(tagsOf(w.top("IN", t).trends), ["Kisan"]);
    assert.deepEqual(tagsOf(w.top("DE", t).trends), ["Bauern"]);
    assert.deepEqual(tagsOf(w.top("FR", t).trends), []);
    assert.deepEqual(tagsOf(w.top(GLOBAL_COUNTRY, t).trends).sort(), ["Bauern", "Kisan", "Nowhere"]);
    assert.deepEqual(tagsOf(w.top("FR", t, NONE, 10, true).trends).sort(), ["Bauern", "Kisan", "Nowhere"]);
  });

  it("a restricted tag never surfaces where restricted, in any spelling, and does elsewhere", () => {
    const canonical = "ModiPlanningFarmerGenocide";
    const spellings = [
      canonical,
      "MODIPLANNINGFARMERGENOCIDE",
      "Modi_Planning_Farmer_Genocide",
      "M\u043EdiPlanningFarmerGen\u043Ecide", // Cyrillic о
      "Modi\u200DPlanningFarmerGenocide", // zero-width joiner
      "\uFF2D\uFF4F\uFF44\uFF49PlanningFarmerGenocide", // full-width
      "ModiPlanningFarmerGenoc\u00EDde", // accent
    ];
    const mk = matchKey(canonical);
    for (const s of spellings) assert.equal(matchKey(s), mk, `precondition: matchKey(${JSON.stringify(s)})`);

    const w = new World();
    const inAccounts = w.accountsIn("IN", 30);
    const deAccounts = w.accountsIn("DE", 30);
    spellings.forEach((s, i) => {
      w.wave(inAccounts, s, T0 + 9 * H + i * 1000);
      w.wave(deAccounts, s, T0 + 9 * H + i * 1000);
    });
    w.wave(inAccounts, "FarmersProtest", T0 + 9 * H);
    const filter = filterOf({ tags: { IN: [mk] } });
    const t = T0 + 10 * H;
    const inTop = w.top("IN", t, filter, 50);
    assert.deepEqual(tagsOf(inTop.trends), ["FarmersProtest"]);
    assert.deepEqual(inTop.held, []);
    assert.deepEqual(tagsOf(w.top("IN", t, filter, 50, true).trends), ["FarmersProtest"]);
    assert.deepEqual(tagsOf(w.top(GLOBAL_COUNTRY, t, filterOf({ tags: { ZZ: [mk] } }), 50).trends), [
      "FarmersProtest",
    ]);
    // Not restricted in Germany: the spellings surface there (grouped by displayKey).
    const deTags = tagsOf(w.top("DE", t, filter, 50).trends);
    assert.ok(deTags.includes(canonical), deTags.join(","));
    assert.ok(deTags.includes("M\u043EdiPlanningFarmerGen\u043Ecide"));
    assert.equal(deTags.length, 4); // canonical (+ upper case, ZWJ, full-width), underscores, Cyrillic, accent
  });

  it("a tag pushed mostly (> 50%) by accounts restricted in the country does not surface there", () => {
    const w = new World();
    const withheld = w.accountsIn("IN", 12);
    const ordinary = w.accountsIn("IN", 8);
    w.wave([...withheld, ...ordinary], "Toolkit", T0 + 9 * H);
    const minority = w.accountsIn("IN", 12);
    w.wave([...withheld.slice(0, 8), ...minority], "Organic", T0 + 9 * H);
    const filter = filterOf({ accounts: { IN: withheld } });
    const t = T0 + 10 * H;
    const inTags = w.top("IN", t, filter).trends;
    assert.equal(find(inTags, "Toolkit"), undefined, "60% withheld: hidden");
    const organic = find(inTags, "Organic");
    assert.ok(organic, "40% withheld: shown");
    assert.equal(organic.score, (12 - 1) ** 2); // withheld accounts weigh 0
    // The same accounts are not restricted for viewers in Germany (global trends).
    assert.ok(find(w.top("DE", t, filter, 10, true).trends, "Toolkit"));
    // Suspended everywhere: hidden globally too.
    const suspended = filterOf({ accounts: { IN: withheld, DE: withheld, ZZ: withheld } });
    assert.equal(find(w.top("DE", t, suspended, 10, true).trends, "Toolkit"), undefined);
  });

  it("the restricted share is estimated from the sample in sketch cells", () => {
    const w = new World();
    const withheld = w.accountsIn("IN", 300);
    const ordinary = w.accountsIn("IN", 100);
    w.wave([...withheld, ...ordinary], "Campaign", T0 + 9 * H);
    const filter = filterOf({ accounts: { IN: withheld } });
    assert.equal(find(w.top("IN", T0 + 10 * H, filter).trends, "Campaign"), undefined);
    assert.ok(find(w.top("IN", T0 + 10 * H).trends, "Campaign"));
  });
});

describe("TrendsEngine time", () => {
  it("`at` in the past gives the trends of that time", () => {
    const w = new World();
    const a = w.accountsIn("IN", 20);
    w.wave(a, "DayTwo", T0 + DAY + 9 * H);
    w.wave(a, "DaySix", T0 + 5 * DAY + 9 * H);
    w.wave(a, "Later", T0 + 5 * DAY + 10 * H + 40 * 60_000);
    assert.deepEqual(tagsOf(w.top("IN", T0 + DAY + 12 * H).trends), ["DayTwo"]);
    assert.deepEqual(tagsOf(w.top("IN", T0 + 5 * DAY + 10 * H).trends), ["DaySix"]);
    // 10:30: the 10:40 posts are later than `at`: their bucket is left out entirely.
    assert.deepEqual(tagsOf(w.top("IN", T0 + 5 * DAY + 10.5 * H).trends), ["DaySix"]);
    assert.deepEqual(tagsOf(w.top("IN", T0 + 5 * DAY + 11 * H).trends).sort(), ["DaySix", "Later"]);
    // Before anything happened.
    assert.deepEqual(tagsOf(w.top("IN", T0).trends), []);
  });

  it("a live query includes the current, partial bucket", () => {
    const w = new World();
    w.wave(w.accountsIn("IN", 10), "Now", T0 + 9 * H, 10 * 60_000); // 09:00-09:10
    assert.deepEqual(tagsOf(w.top("IN", T0 + 9.25 * H).trends), ["Now"]);
  });

  it("holds new tags entering the top N for review", () => {
    for (const holdNewTags of [true, false]) {
      const w = new World({ holdNewTags, newTagTopN: 3 });
      const a = w.accountsIn("IN", 40);
      // Seen three days ago (before the current window), bursting now.
      w.post(a[0]!, T0 + 9 * H, ["Known1"]);
      w.post(a[0]!, T0 + 9 * H, ["Known2"]);
      const now = T0 + 3 * DAY + 9 * H;
      w.wave(a.slice(0, 20), "Known1", now);
      w.wave(a.slice(0, 15), "Known2", now);
      w.wave(a, "BrandNew", now);
      const { trends, held } = w.top("IN", now + H);
      if (holdNewTags) {
        assert.deepEqual(tagsOf(trends), ["Known1", "Known2"]);
        assert.deepEqual(
          trends.map((t) => [t.rank, t.isNew]),
          [
            [1, false],
            [2, false],
          ],
        );
        assert.deepEqual(tagsOf(held), ["BrandNew"]);
        assert.equal(held[0]!.rank, 1);
        assert.equal(held[0]!.isNew, true);
      } else {
        assert.deepEqual(tagsOf(trends), ["BrandNew", "Known1", "Known2"]);
        assert.equal(trends[0]!.isNew, true);
        assert.deepEqual(held, []);
      }
    }
  });

  it("new tags below the top N are listed (marked new), not held", () => {
    const w = new World({ holdNewTags: true, newTagTopN: 1 });
    const a = w.accountsIn("IN", 40);
    w.post(a[0]!, T0 + 9 * H, ["Old"]);
    const now = T0 + 3 * DAY + 9 * H;
    w.wave(a, "Old", now);
    w.wave(a.slice(0, 10), "Small", now);
    const { trends, held } = w.top("IN", now + H);
    assert.deepEqual(tagsOf(trends), ["Old", "Small"]);
    assert.equal(trends[1]!.isNew, true);
    assert.deepEqual(held, []);
  });

  it("parseTimestamp equals Date.parse", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("1971-01-01"), max: new Date("2099-12-31"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 4 }),
        (d, digits) => {
          let s = d.toISOString();
          if (digits === 0) s = s.replace(/\.\d+Z$/, "Z");
          else if (digits < 3) s = s.replace(/\.(\d+)Z$/, (_m, f: string) => `.${f.slice(0, digits)}Z`);
          else if (digits === 4) s = s.replace("Z", "456Z");
          assert.equal(parseTimestamp(s), Date.parse(s), s);
        },
      ),
      { numRuns: 2000, seed: 26 },
    );
    for (const s of [
      "2021-02-31T00:00:00Z",
      "2021-02-04T24:00:00Z",
      "2021-02-04T12:00:00+05:30",
      "garbage",
    ]) {
      assert.ok(Object.is(parseTimestamp(s), Date.parse(s)), s);
    }
  });
});

describe("TrendsEngine memory bounds", () => {
  it("200,000 distinct random tags keep at most maxKeysPerCountry keys per scope, and real trends survive", () => {
    const w = new World();
    const r = rng(2021);
    const accts = w.accountsIn("IN", 500);
    const real = accts.slice(0, 30);
    const start = T0 + 9 * H;
    for (let i = 0; i < 200_000; i++) {
      const tag = `t${Math.floor(r() * 2 ** 40).toString(36)}`;
      w.post(accts[i % accts.length]!, start + Math.floor(i / 50) * 1000, [tag]);
      if (i % 5000 === 0)
        w.post(real[(i / 5000) % real.length]!, start + Math.floor(i / 50) * 1000, ["RealTrend"]);
    }
    w.wave(real, "RealTrend", start + 2 * H);
    const st = w.engine.stats();
    assert.ok(st.keys <= 2 * 20_000, `keys ${st.keys}`);
    assert.ok(st.keyBytes / st.keys < 600, `bytes per key ${st.keyBytes / st.keys}`);
    assert.equal(st.trackedPosts, 200_000 + 70);
    const { trends } = w.top("IN", start + 3 * H);
    assert.equal(trends[0]?.tag, "RealTrend");
  });

  it("drops buckets older than retention", () => {
    const w = new World({ retentionDays: 10 });
    const a = w.accountsIn("IN", 5);
    for (let d = 0; d < 40; d++) w.wave(a, `Day${d}`, T0 + d * DAY);
    const st = w.engine.stats();
    // 10 days retained (+ at most one sweep interval of 1 day), two scopes.
    assert.ok(st.keys <= 2 * 12, `keys ${st.keys}`);
    assert.ok(st.buckets <= 2 * 12 * 5, `buckets ${st.buckets}`);
    // Too old to be observed at all.
    w.post(a[0]!, T0, ["Ancient"]);
    assert.equal(w.engine.stats().keys, st.keys);
  });

  it("rejects inconsistent options", () => {
    assert.throws(() => new TrendsEngine({ bucketMinutes: 7 }), RangeError);
    assert.throws(() => new TrendsEngine({ retentionDays: 1 }), RangeError);
    assert.throws(() => new TrendsEngine({ maxKeysPerCountry: 0 }), RangeError);
  });
});
