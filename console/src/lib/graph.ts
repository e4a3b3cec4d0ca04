/**
 * The campaign graph's edges. The case evidence lists the members and the shared templates and
 * hashtag sequences, but not which member used which. The console reads the evidence posts
 * (GET /v1/subjects/post/{id}) and links two members when at least one post of each is assigned to the
 * same template (word-set Jaccard ≥ 0.5 with the template's example text) or carries the same hashtag
 * sequence (the post's hashtags, case-folded, in order). Edge weight: the number of shared keys.
 */

export interface PostLite {
  id: string;
  authorId: string;
  text: string;
  hashtags: string[];
}
export interface TemplateLite {
  key: string;
  kind: string;
  label: string;
}
export interface GraphEdge {
  source: string;
  target: string;
  weight: number;
  keys: string[];
}

const words = (s: string): Set<string> =>
  new Set(
    s
      .toLowerCase()
      .split(/[^\p{L}\p{N}#]+/u)
      .filter((w) => w.length > 0),
  );

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** The template a post is assigned to (best Jaccard ≥ threshold), or null. */
export function assignTemplate(text: string, templates: TemplateLite[], threshold = 0.5): string | null {
  const w = words(text);
  let best: string | null = null;
  let bestScore = threshold;
  for (const t of templates) {
    if (t.kind !== "text") continue;
    const s = jaccard(w, words(t.label));
    if (s >= bestScore) {
      best = t.key;
      bestScore = s;
    }
  }
  return best;
}

export function memberEdges(members: string[], posts: PostLite[], templates: TemplateLite[]): GraphEdge[] {
  const memberSet = new Set(members);
  const keysOf = new Map<string, Set<string>>();
  for (const p of posts) {
    if (!memberSet.has(p.authorId)) continue;
    const keys = keysOf.get(p.authorId) ?? new Set<string>();
    const t = assignTemplate(p.text, templates);
    if (t) keys.add(`template:${t}`);
    if (p.hashtags.length >= 2) keys.add(`sequence:${p.hashtags.map((h) => h.toLowerCase()).join(" ")}`);
    keysOf.set(p.authorId, keys);
  }
  const ids = [...keysOf.keys()].sort();
  const edges: GraphEdge[] = [];
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const a = keysOf.get(ids[i]!)!;
      const b = keysOf.get(ids[j]!)!;
      const shared = [...a].filter((k) => b.has(k));
      if (shared.length > 0)
        edges.push({ source: ids[i]!, target: ids[j]!, weight: shared.length, keys: shared });
    }
  return edges;
}

/** What each detector trace on a link means, as a reviewer reads it (unknown traces as written). */
const TRACE_LABELS: Record<string, string> = {
  text: "near-identical text",
  sequence: "same hashtag sequence",
  url: "same link within a minute",
  tag: "same hashtag within a minute",
  repost: "reposted the same post",
  repostBurst: "in a burst of 5+ reposts of one post within a minute",
  quote: "quoted the same post",
  reply: "replied to the same post",
};

export function traceLabel(trace: string): string {
  return TRACE_LABELS[trace] ?? trace;
}
