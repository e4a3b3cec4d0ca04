import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AccountProfile, type Activity, botScore, recordPost } from "./signals.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2021, 1, 1);

const profile = (over: Partial<AccountProfile>): AccountProfile => ({
  handle: "priya_writes",
  createdAt: NOW - 900 * DAY,
  hasAvatar: true,
  bio: "teacher, runner",
  followers: 300,
  following: 250,
  verified: false,
  known: true,
  ...over,
});

const activity = (times: number[]): Activity => {
  const a: Activity = {
    posts: 0,
    firstPostAt: 0,
    lastPostAt: 0,
    intervals: 0,
    intervalMean: 0,
    intervalSquareMean: 0,
  };
  for (const t of times) recordPost(a, t);
  return a;
};

describe("bot-likelihood score", () => {
  it("scores a young, bare, default-handle, follow-back account above an established one", () => {
    const idle = activity([NOW - 3_600_000]);
    const bot = botScore(
      profile({
        handle: "Ravi48213377",
        createdAt: NOW - 2 * DAY,
        hasAvatar: false,
        bio: "",
        followers: 3,
        following: 400,
      }),
      idle,
      NOW,
    );
    const human = botScore(profile({}), idle, NOW);
    assert.ok(bot.score > 0.8, `bot ${bot.score}`);
    assert.ok(human.score < 0.2, `human ${human.score}`);
    const names = bot.signals.map((s) => s.signal).sort();
    assert.deepEqual(names, ["account_age", "bare_profile", "default_handle", "follow_ratio"]);
  });

  it("explains each signal by its effect on the score", () => {
    const a = activity([NOW - 3_600_000]);
    const p = profile({ createdAt: NOW - 3 * DAY, hasAvatar: false, bio: "" });
    const full = botScore(p, a, NOW);
    for (const s of full.signals) {
      assert.ok(s.logit > 0 ? s.effect > 0 : s.effect < 0, `${s.signal} moves the score its way`);
      assert.ok(s.value.length > 0);
    }
    // Removing the bare-profile signal (giving an avatar and bio) lowers the score by its effect.
    const bare = full.signals.find((s) => s.signal === "bare_profile")!;
    const withProfile = botScore({ ...p, hasAvatar: true, bio: "hello" }, a, NOW);
    assert.ok(Math.abs(full.score - withProfile.score - bare.effect) < 1e-9);
  });

  it("lowers the score for verified accounts and large audiences", () => {
    const a = activity([NOW]);
    const plain = botScore(profile({}), a, NOW).score;
    const verified = botScore(profile({ verified: true, followers: 50_000 }), a, NOW);
    assert.ok(verified.score < plain);
    assert.ok(verified.signals.some((s) => s.signal === "verified" && s.effect < 0));
  });

  it("detects machine-regular cadence and high posting rates, not human bursts", () => {
    const regular = activity(Array.from({ length: 40 }, (_, i) => NOW - (40 - i) * 600_000));
    const s = botScore(profile({}), regular, NOW);
    assert.ok(s.signals.some((x) => x.signal === "regular_cadence"));
    assert.ok(s.signals.some((x) => x.signal === "posting_rate"));
    let t = NOW - 10 * 3_600_000;
    const irregular = activity(
      Array.from({ length: 40 }, (_, i) => (t += (i % 5 === 0 ? 3_000_000 : 20_000) * (1 + (i % 3)))),
    );
    assert.ok(!botScore(profile({}), irregular, NOW).signals.some((x) => x.signal === "regular_cadence"));
  });

  it("stays silent on profile signals for accounts never described", () => {
    const s = botScore(
      profile({ known: false, hasAvatar: false, bio: "", handle: "x1234567" }),
      activity([NOW]),
      NOW,
    );
    assert.equal(s.signals.length, 0);
  });
});
