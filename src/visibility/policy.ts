/**
 * Surface policies as data. For every surface, each rule maps one fact about an item (what is in force
 * on it for this viewer) to an action. All rules are evaluated; the strictest action wins; `?explain=1`
 * shows every rule. The table is compiled once into a lookup per (surface, facts) so the hot path is an
 * array index. `docs/visibility-policy.md` is rendered from this file (`npm run docs:policy`).
 */
import { SURFACES, type Surface } from "../domain/model.ts";

/** Actions from mildest to strictest (contract §4). */
export const VISIBILITY_ACTIONS = [
  "allow",
  "label",
  "downrank",
  "limited_engagement",
  "interstitial",
  "tombstone",
  "drop",
] as const;
export type VisibilityAction = (typeof VISIBILITY_ACTIONS)[number];
export const SEVERITY: Readonly<Record<VisibilityAction, number>> = Object.fromEntries(
  VISIBILITY_ACTIONS.map((a, i) => [a, i]),
) as Record<VisibilityAction, number>;

/** Facts about one item for one viewer, as bits. */
export const FACT = {
  /** The subject itself is suspended (an account), or removed (a post suspended globally). */
  subjectSuspended: 1 << 0,
  /** The post's author is suspended. */
  authorSuspended: 1 << 1,
  /** The post, or its author, or the account is withheld in the viewer's country (or everywhere). */
  withheld: 1 << 2,
  /** Labelled manipulated_media for this viewer's country. */
  manipulatedMedia: 1 << 3,
  /** Some other label applies. */
  otherLabel: 1 << 4,
  /** Engagement is limited (on the item or its author) in the viewer's country. */
  limitedEngagement: 1 << 5,
  /** A hashtag (or an account, for suggestions) suppressed on this surface in the viewer's country. */
  suppressedHere: 1 << 6,
  /** The viewer is the author (or the account itself). */
  viewerIsAuthor: 1 << 7,
} as const;
export type FactName = keyof typeof FACT;
export const FACT_COUNT = 8;

const POST_SURFACES: Surface[] = ["home_timeline", "profile", "post_detail", "replies", "quote"];
const LISTING_SURFACES: Surface[] = ["search_results", "search_suggestions", "trends", "notifications"];
const on = (surfaces: Surface[], action: VisibilityAction): Partial<Record<Surface, VisibilityAction>> =>
  Object.fromEntries(surfaces.map((s) => [s, action]));

export interface PolicyRule {
  /** Stable name, returned as `rule` in decisions. */
  name: string;
  /** The fact that makes the rule match. */
  when: FactName;
  /** What the rule does on each surface (a surface not listed: the rule does nothing there). */
  actions: Partial<Record<Surface, VisibilityAction>>;
  /** When the viewer is the author: the action instead (they see their own content with a notice). */
  forAuthor?: VisibilityAction;
  /** Why, for the rendered policy table. */
  note: string;
}

/** The platform's read-path policy. Change it here; it is configuration, not code paths. */
export const VISIBILITY_POLICY: readonly PolicyRule[] = [
  {
    name: "subject_suspended",
    when: "subjectSuspended",
    actions: { ...on(POST_SURFACES, "tombstone"), ...on(LISTING_SURFACES, "drop"), home_timeline: "drop" },
    forAuthor: "label",
    note: "A suspended account, or a post removed under the rules: a tombstone where a reader followed a link to it, dropped from feeds and listings.",
  },
  {
    name: "author_suspended",
    when: "authorSuspended",
    actions: { ...on(POST_SURFACES, "tombstone"), ...on(LISTING_SURFACES, "drop"), home_timeline: "drop" },
    forAuthor: "label",
    note: "Posts of a suspended author, including replies under and quotes of them.",
  },
  {
    name: "withheld_in_viewer_country",
    when: "withheld",
    actions: { ...on(POST_SURFACES, "tombstone"), ...on(LISTING_SURFACES, "drop") },
    forAuthor: "label",
    note: "Country-withheld content: a tombstone naming the countries and the basis; never listed in search, suggestions, trends or notifications. The author still sees it, with a notice.",
  },
  {
    name: "manipulated_media_label",
    when: "manipulatedMedia",
    actions: {
      ...on(POST_SURFACES, "interstitial"),
      search_results: "label",
      notifications: "label",
      trends: "drop",
      search_suggestions: "drop",
    },
    note: "Synthetic and manipulated media: an interstitial before the post, a label on lighter surfaces, never promoted.",
  },
  {
    name: "label",
    when: "otherLabel",
    actions: { ...on(POST_SURFACES, "label"), ...on(LISTING_SURFACES, "label") },
    note: "Any other label is shown as a label.",
  },
  {
    name: "limited_engagement",
    when: "limitedEngagement",
    actions: {
      ...on(POST_SURFACES, "limited_engagement"),
      notifications: "limited_engagement",
      search_results: "downrank",
      search_suggestions: "drop",
      trends: "drop",
    },
    note: "Replies, reposts and likes are turned off; not recommended in search suggestions or trends.",
  },
  {
    name: "hashtag_suppressed_on_surface",
    when: "suppressedHere",
    actions: {
      search_results: "drop",
      search_suggestions: "drop",
      trends: "drop",
      home_timeline: "downrank",
    },
    note: "A hashtag (and every spelling that normalizes to it) barred from trends, search suggestions or search.",
  },
];

export interface CompiledDecision {
  action: VisibilityAction;
  /** The rule that decided (the strictest; the first in table order on ties), or null for allow. */
  rule: string | null;
}

const ALLOW: CompiledDecision = Object.freeze({ action: "allow", rule: null });

/** Evaluates the table for one surface and fact set, the slow way (used to compile and to explain). */
export function evaluate(
  surface: Surface,
  facts: number,
  policy: readonly PolicyRule[] = VISIBILITY_POLICY,
): {
  decision: CompiledDecision;
  trace: { rule: string; matched: boolean; action: VisibilityAction | null; why: string }[];
} {
  let best: CompiledDecision = ALLOW;
  const trace = [];
  const viewerIsAuthor = (facts & FACT.viewerIsAuthor) !== 0;
  for (const r of policy) {
    const matched = (facts & FACT[r.when]) !== 0;
    let action = r.actions[surface] ?? null;
    if (matched && action !== null && viewerIsAuthor && r.forAuthor) action = r.forAuthor;
    const why = !matched
      ? `${r.when} is not in force for this viewer`
      : action === null
        ? `${r.when} is in force, but the rule does nothing on ${surface}`
        : `${r.when} is in force: ${action}${viewerIsAuthor && r.forAuthor ? " (the viewer is the author)" : ""}`;
    trace.push({ rule: r.name, matched, action: matched ? action : null, why });
    if (matched && action !== null && SEVERITY[action] > SEVERITY[best.action])
      best = { action, rule: r.name };
  }
  return { decision: best, trace };
}

/** The compiled table: `table[surfaceIndex * 2^FACT_COUNT + facts]`. */
export function compilePolicy(policy: readonly PolicyRule[] = VISIBILITY_POLICY): {
  table: CompiledDecision[];
  surfaceIndex: Readonly<Record<Surface, number>>;
} {
  const size = 1 << FACT_COUNT;
  const table: CompiledDecision[] = new Array(SURFACES.length * size);
  SURFACES.forEach((surface, si) => {
    for (let f = 0; f < size; f++)
      table[si * size + f] = Object.freeze(evaluate(surface, f, policy).decision);
  });
  const surfaceIndex = Object.fromEntries(SURFACES.map((s, i) => [s, i])) as Record<Surface, number>;
  return { table, surfaceIndex };
}

/** The policy as a Markdown table a reviewer can read. */
export function renderPolicyMarkdown(policy: readonly PolicyRule[] = VISIBILITY_POLICY): string {
  const head = `| rule | when | ${SURFACES.join(" | ")} | author sees |\n|${"---|".repeat(SURFACES.length + 3)}\n`;
  const rows = policy
    .map(
      (r) =>
        `| \`${r.name}\` | ${r.when} | ${SURFACES.map((s) => r.actions[s] ?? "·").join(" | ")} | ${r.forAuthor ?? "same"} |`,
    )
    .join("\n");
  const notes = policy.map((r) => `- \`${r.name}\`: ${r.note}`).join("\n");
  return `${head}${rows}\n\n${notes}\n`;
}
