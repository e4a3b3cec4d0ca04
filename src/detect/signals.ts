/**
 * Account signals and the explainable bot-likelihood score (issue 5, part 3).
 *
 * The score is a logistic model over a handful of signals with hand-set weights (no training data is
 * shipped, so none is learnt): score = σ(BIAS + Σ contributions). Each signal that moved the score is
 * listed with its contribution in log-odds and the change in score it alone causes (the score with
 * every signal minus the score without that one), so a reviewer reads exactly why an account scored
 * as it did.
 */

const DAY_MS = 86_400_000;
const BIAS = -2;

/** What the detectors know about an account (profile fields from its account event, activity). */
export interface AccountProfile {
  handle: string;
  /** Account creation time in ms, NaN when no account event was seen. */
  createdAt: number;
  hasAvatar: boolean;
  bio: string;
  followers: number;
  following: number;
  verified: boolean;
  /** Whether an account event was observed (without one, profile signals stay silent). */
  known: boolean;
}

/** Posting activity: counts and inter-post interval statistics (EWMA of interval and its square). */
export interface Activity {
  posts: number;
  firstPostAt: number;
  lastPostAt: number;
  intervals: number;
  intervalMean: number;
  intervalSquareMean: number;
}

export type SignalName =
  | "account_age"
  | "bare_profile"
  | "default_handle"
  | "follow_ratio"
  | "established_audience"
  | "verified"
  | "posting_rate"
  | "regular_cadence";

export interface SignalContribution {
  signal: SignalName;
  /** The observed value, in words ("3.2 days old", "CV 0.12 over 14 intervals"). */
  value: string;
  /** Contribution in log-odds. */
  logit: number;
  /** Score with every signal minus score without this one. */
  effect: number;
}

export interface BotScore {
  score: number;
  signals: SignalContribution[];
}

/** Handles made of a name and a long run of digits (the shape platforms suggest by default). */
const DEFAULT_HANDLE = /^[A-Za-z]+_?[0-9]{5,}$/;

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The contributing signals of an account as of `now`. */
function contributions(
  profile: AccountProfile,
  activity: Activity,
  now: number,
): Omit<SignalContribution, "effect">[] {
  const out: Omit<SignalContribution, "effect">[] = [];
  if (profile.known && Number.isFinite(profile.createdAt)) {
    const days = Math.max(0, (now - profile.createdAt) / DAY_MS);
    const logit =
      days < 1 ? 2.2 : days < 7 ? 1.7 : days < 30 ? 1.1 : days < 90 ? 0.3 : days >= 365 ? -0.6 : 0;
    if (logit !== 0) out.push({ signal: "account_age", value: `${days.toFixed(1)} days old`, logit });
  }
  if (profile.known) {
    const noBio = profile.bio.trim() === "";
    if (!profile.hasAvatar && noBio)
      out.push({ signal: "bare_profile", value: "no avatar, empty bio", logit: 1.3 });
    else if (!profile.hasAvatar) out.push({ signal: "bare_profile", value: "no avatar", logit: 0.5 });
    else if (noBio) out.push({ signal: "bare_profile", value: "empty bio", logit: 0.3 });
    if (DEFAULT_HANDLE.test(profile.handle)) {
      out.push({ signal: "default_handle", value: profile.handle, logit: 1 });
    }
    const ratio = (profile.following + 1) / (profile.followers + 1);
    if (profile.following >= 50 && ratio >= 10) {
      out.push({
        signal: "follow_ratio",
        value: `follows ${profile.following}, ${profile.followers} followers`,
        logit: 0.9,
      });
    } else if (profile.following >= 20 && ratio >= 3) {
      out.push({
        signal: "follow_ratio",
        value: `follows ${profile.following}, ${profile.followers} followers`,
        logit: 0.4,
      });
    }
    if (profile.followers >= 1000) {
      out.push({ signal: "established_audience", value: `${profile.followers} followers`, logit: -0.9 });
    }
    if (profile.verified) out.push({ signal: "verified", value: "verified", logit: -1.8 });
  }
  const activeHours = Math.max(1, (activity.lastPostAt - activity.firstPostAt) / 3_600_000);
  const perHour = activity.posts / activeHours;
  if (activity.posts >= 20 && perHour >= 4) {
    out.push({ signal: "posting_rate", value: `${perHour.toFixed(1)} posts/hour`, logit: 0.8 });
  }
  if (activity.intervals >= 8 && activity.intervalMean > 0) {
    const variance = Math.max(0, activity.intervalSquareMean - activity.intervalMean ** 2);
    const cv = Math.sqrt(variance) / activity.intervalMean;
    if (cv < 0.35) {
      out.push({
        signal: "regular_cadence",
        value: `interval CV ${cv.toFixed(2)} over ${activity.intervals} intervals`,
        logit: 0.9,
      });
    }
  }
  return out;
}

/** The bot-likelihood score of an account as of `now`, with the signals that moved it. */
export function botScore(profile: AccountProfile, activity: Activity, now: number): BotScore {
  const parts = contributions(profile, activity, now);
  let total = BIAS;
  for (const p of parts) total += p.logit;
  const score = sigmoid(total);
  return {
    score,
    signals: parts.map((p) => ({ ...p, effect: score - sigmoid(total - p.logit) })),
  };
}

/** Folds one post time into an activity record (EWMA over the last ~20 intervals). */
export function recordPost(activity: Activity, time: number): void {
  if (activity.posts > 0) {
    const gap = Math.abs(time - activity.lastPostAt);
    const alpha = Math.max(0.05, 1 / (activity.intervals + 1));
    activity.intervalMean += alpha * (gap - activity.intervalMean);
    activity.intervalSquareMean += alpha * (gap * gap - activity.intervalSquareMean);
    activity.intervals++;
  } else {
    activity.firstPostAt = time;
  }
  activity.posts++;
  if (time > activity.lastPostAt || activity.posts === 1) activity.lastPostAt = time;
}
