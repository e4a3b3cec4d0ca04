/**
 * The read-path decision: a pure function over the prebuilt `RestrictionIndex` and the compiled surface
 * policy. No I/O. Unrestricted items cost two Map lookups and return a shared `allow` decision.
 */
import type { Surface, WithholdBasis } from "../domain/model.ts";
import { HashtagMatcher, type MatchMode } from "../hashtags/matcher.ts";
import { matchKey } from "../hashtags/normalize.ts";
import { hashId } from "./bloom.ts";
import {
  AUTHOR_SUSPENDED,
  type Notice,
  ownWithheldNotice,
  REMOVED_POST,
  SUSPENDED_ACCOUNT,
  withheldNotice,
} from "./notice.ts";
import {
  type CompiledDecision,
  compilePolicy,
  evaluate,
  FACT,
  FACT_COUNT,
  type PolicyRule,
  SEVERITY,
  VISIBILITY_POLICY,
  type VisibilityAction,
} from "./policy.ts";
import type { RestrictionIndex } from "./restriction-index.ts";
import { countryAt, countryIndex, P, type SubjectRows, type SubjectView, viewOf } from "./subject-state.ts";

export interface EmbeddedRef {
  postId: string;
  authorId?: string | null;
}

export type ResolveItem =
  | {
      postId: string;
      authorId?: string | null;
      quoteOf?: EmbeddedRef | null;
      replyTo?: EmbeddedRef | null;
      /** The post this one reposts: a repost shows that post, so it is shown only where that post may be. */
      repostOf?: EmbeddedRef | null;
      hashtags?: string[] | null;
    }
  | { accountId: string }
  | { hashtag: string };

export interface Viewer {
  /** ISO code, already derived from the IP when needed; null when unknown. */
  country: string | null;
  accountId?: string | null;
}

export interface Decision {
  action: VisibilityAction;
  rule?: string;
  notice?: Notice;
  labels?: string[];
  /** Decisions on the posts an item shows or sits under, when they are not `allow`. */
  embedded?: { quote?: Decision; replyTo?: Decision; repostOf?: Decision };
  explain?: { rule: string; matched: boolean; action: VisibilityAction | null; why: string }[];
}

/**
 * What to do when the viewer's country is unknown: `strictest` treats the viewer as being in every
 * country (a legally withheld item never leaks), `none` applies only worldwide restrictions.
 */
export type UnknownCountryPolicy = "strictest" | "none";

/** The shared decision for everything unrestricted (compare by identity to skip work). */
export const ALLOW_DECISION: Decision = Object.freeze({ action: "allow" }) as Decision;
const ALLOW = ALLOW_DECISION;
const FACTS = 1 << FACT_COUNT;

interface Found {
  facts: number;
  /** The withholding that applies, for the notice. */
  withheld: {
    kind: "post" | "account" | "hashtag";
    countries: string[];
    basis: WithholdBasis;
    handle: string | null;
  } | null;
  labels: string[] | null;
  suspendedNotice: Notice | null;
}

/** The viewer's country as the facts need it (computed once per batch). */
interface ViewerCountry {
  cc: string | null;
  ci: number;
  everywhere: boolean;
}

/** Where the resolver's prefetching reads leave their values, so that they are not optimised away. */
const SINK = new Int32Array(1);

/** A repost's decision when the original's is stricter: the original's action, rule, notice and labels (the repost's own explanation kept). */
function stricterFrom(original: Decision, own: Decision): Decision {
  const d: Decision = { action: original.action };
  if (original.rule) d.rule = original.rule;
  if (original.notice) d.notice = original.notice;
  if (original.labels) d.labels = original.labels;
  if (own.explain) d.explain = own.explain;
  return d;
}

/** Whether a restriction in force in `countries` (a set of codes, "*" for everywhere) applies to the viewer. */
function applies(countries: Set<string> | undefined, vc: ViewerCountry): boolean {
  return (
    !!countries &&
    (countries.has("*") || (vc.cc !== null && countries.has(vc.cc)) || (vc.everywhere && countries.size > 0))
  );
}

interface HashtagRestriction {
  id: string;
  view: SubjectView;
}

export class Resolver {
  private readonly table: CompiledDecision[];
  private readonly surfaceIndex: Readonly<Record<Surface, number>>;
  private matcher: HashtagMatcher<HashtagRestriction> | null = null;
  private matcherVersion = -1;
  /** Scratch for `resolve`'s batched filter probes (reused; `resolve` is synchronous). */
  private postHashes = new Uint32Array(1024);
  private authorHashes = new Uint32Array(1024);
  private plain = new Uint8Array(1024);
  private inPosts = new Uint8Array(1024);
  private inAccounts = new Uint8Array(1024);
  private candidates = new Int32Array(1024);

  constructor(
    readonly index: RestrictionIndex,
    readonly options: { unknownCountry?: UnknownCountryPolicy; policy?: readonly PolicyRule[] } = {},
  ) {
    const compiled = compilePolicy(options.policy ?? VISIBILITY_POLICY);
    this.table = compiled.table;
    this.surfaceIndex = compiled.surfaceIndex;
  }

  get asOf(): number {
    return this.index.asOf;
  }

  /** Decides a batch of items for one viewer on one surface. */
  resolve(viewer: Viewer, surface: Surface, items: readonly ResolveItem[], explain = false): Decision[] {
    const si = this.surfaceIndex[surface];
    if (si === undefined) throw new Error(`unknown surface '${surface}'`);
    const n = items.length;
    const out = new Array<Decision>(n);
    if (explain) {
      const vc = this.viewerCountry(viewer);
      for (let i = 0; i < n; i++) out[i] = this.decide(viewer, vc, surface, si, items[i]!, true);
      return out;
    }
    // The common case is a plain post whose id and author the Bloom filters rule out. The batch is
    // probed in three passes (hash every id, probe both filters, then decide) rather than item by
    // item, so that the filter reads of many items are in flight together (see `mightContainHashes`).
    if (this.postHashes.length < n) this.growScratch(n);
    const postHashes = this.postHashes;
    const authorHashes = this.authorHashes;
    const plain = this.plain;
    for (let i = 0; i < n; i++) {
      const item = items[i] as {
        postId?: string;
        authorId?: string | null;
        quoteOf?: unknown;
        replyTo?: unknown;
        repostOf?: unknown;
        hashtags?: unknown;
      };
      const pid = item.postId;
      if (
        pid === undefined ||
        item.quoteOf != null ||
        item.replyTo != null ||
        item.repostOf != null ||
        item.hashtags != null
      ) {
        plain[i] = 0;
        continue;
      }
      const author = item.authorId;
      plain[i] = author == null ? 2 : 1;
      postHashes[i] = hashId(pid);
      authorHashes[i] = author == null ? 0 : hashId(author);
    }
    const inPosts = this.inPosts;
    const inAccounts = this.inAccounts;
    const posts = this.index.posts;
    const accounts = this.index.accounts;
    posts.mayContainHashes(postHashes, n, inPosts);
    accounts.mayContainHashes(authorHashes, n, inAccounts);
    // The few items a filter let through: start all their id-table reads, then decide them, so that
    // their cache misses overlap too.
    const candidates = this.candidates;
    let count = 0;
    let sink = 0;
    for (let i = 0; i < n; i++) {
      const p = plain[i]!;
      if (p !== 0 && inPosts[i] === 0 && (p === 2 || inAccounts[i] === 0)) {
        out[i] = ALLOW;
        continue;
      }
      candidates[count++] = i;
      if (p === 0) continue;
      if (inPosts[i] !== 0) sink ^= posts.touch(postHashes[i]!);
      if (p === 1 && inAccounts[i] !== 0) sink ^= accounts.touch(authorHashes[i]!);
    }
    if (count === 0) {
      SINK[0] = sink;
      return out;
    }
    // Then find their slots (reusing the hash arrays) and start the reads of the slots' cells.
    for (let c = 0; c < count; c++) {
      const i = candidates[c]!;
      const p = plain[i]!;
      if (p === 0) continue;
      const item = items[i] as { postId: string; authorId: string };
      const ps = inPosts[i] !== 0 ? posts.slotHashed(item.postId, postHashes[i]!) : -1;
      const as = p === 1 && inAccounts[i] !== 0 ? accounts.slotHashed(item.authorId, authorHashes[i]!) : -1;
      if (ps >= 0) sink ^= posts.touchSlot(ps);
      if (as >= 0) sink ^= accounts.touchSlot(as);
      postHashes[i] = ps;
      authorHashes[i] = as;
    }
    SINK[0] = sink;
    const vc = this.viewerCountry(viewer);
    for (let c = 0; c < count; c++) {
      const i = candidates[c]!;
      const item = items[i]!;
      if (plain[i] === 0) {
        out[i] = this.decide(viewer, vc, surface, si, item, false);
        continue;
      }
      const ps = postHashes[i]! | 0;
      const as = authorHashes[i]! | 0;
      const found =
        ps < 0 && as < 0
          ? null
          : this.postFacts(
              viewer,
              vc,
              ps,
              as,
              (item as { authorId?: string | null }).authorId ?? null,
              surface,
            );
      out[i] = found === null ? ALLOW : this.present(found, si, surface, undefined, false);
    }
    return out;
  }

  private growScratch(n: number): void {
    const size = Math.max(n, this.postHashes.length * 2);
    this.postHashes = new Uint32Array(size);
    this.authorHashes = new Uint32Array(size);
    this.plain = new Uint8Array(size);
    this.inPosts = new Uint8Array(size);
    this.inAccounts = new Uint8Array(size);
    this.candidates = new Int32Array(size);
  }

  /** One item. */
  decideOne(viewer: Viewer, surface: Surface, item: ResolveItem, explain = false): Decision {
    const si = this.surfaceIndex[surface];
    if (si === undefined) throw new Error(`unknown surface '${surface}'`);
    return this.decide(viewer, this.viewerCountry(viewer), surface, si, item, explain);
  }

  private decide(
    viewer: Viewer,
    vc: ViewerCountry,
    surface: Surface,
    si: number,
    item: ResolveItem,
    explain: boolean,
  ): Decision {
    let found: Found | null;
    let embedded: Decision["embedded"];
    if ("postId" in item) {
      const authorId = item.authorId ?? null;
      const ps = this.index.posts.slot(item.postId) ?? -1;
      const as = authorId === null ? -1 : (this.index.accounts.slot(authorId) ?? -1);
      found = ps < 0 && as < 0 ? null : this.postFacts(viewer, vc, ps, as, authorId, surface);
      if (item.hashtags && item.hashtags.length > 0)
        found = this.withPostHashtags(found, vc, surface, item.hashtags);
      if (item.quoteOf) {
        const q = this.decide(
          viewer,
          vc,
          "quote",
          this.surfaceIndex.quote,
          { postId: item.quoteOf.postId, authorId: item.quoteOf.authorId ?? null },
          explain,
        );
        if (q !== ALLOW) embedded = { quote: q };
      }
      if (item.replyTo) {
        const r = this.decide(
          viewer,
          vc,
          "replies",
          this.surfaceIndex.replies,
          { postId: item.replyTo.postId, authorId: item.replyTo.authorId ?? null },
          explain,
        );
        if (r !== ALLOW) embedded = { ...embedded, replyTo: r };
      }
      if (item.repostOf) {
        // A repost shows the original post on this surface: whatever hides the original (withheld in
        // the viewer's country, removed, its author suspended…) hides the repost too, and so does
        // whatever is in force on the repost itself or on the account that reposted it.
        const original = this.decide(
          viewer,
          vc,
          surface,
          si,
          { postId: item.repostOf.postId, authorId: item.repostOf.authorId ?? null },
          explain,
        );
        if (original !== ALLOW) {
          const own =
            found === null && !explain
              ? ({ action: "allow" } as Decision)
              : this.present(found, si, surface, undefined, explain);
          const d: Decision =
            SEVERITY[original.action] > SEVERITY[own.action] ? stricterFrom(original, own) : own;
          d.embedded = { ...embedded, repostOf: original };
          return d;
        }
      }
    } else if ("accountId" in item) {
      found = this.accountFacts(viewer, vc, item.accountId, surface);
    } else {
      found = this.hashtagFacts(vc, item.hashtag, surface);
    }
    if (found === null && !explain) return embedded ? { action: "allow", embedded } : ALLOW;
    return this.present(found, si, surface, embedded, explain);
  }

  /** The decision for the facts found about an item (null: none) on surface `si`. */
  private present(
    found: Found | null,
    si: number,
    surface: Surface,
    embedded: Decision["embedded"],
    explain: boolean,
  ): Decision {
    const facts = found?.facts ?? 0;
    const compiled = this.table[si * FACTS + facts]!;
    const d: Decision = { action: compiled.action };
    if (compiled.rule) d.rule = compiled.rule;
    if (found && compiled.action !== "allow") {
      const own = (facts & FACT.viewerIsAuthor) !== 0;
      if (compiled.rule === "withheld_in_viewer_country" && found.withheld) {
        const w = found.withheld;
        d.notice =
          own && w.kind !== "hashtag"
            ? ownWithheldNotice(w.kind, w.countries, w.basis)
            : withheldNotice(w.kind, w.countries, w.basis, w.handle);
      } else if (
        (compiled.rule === "subject_suspended" || compiled.rule === "author_suspended") &&
        found.suspendedNotice
      )
        d.notice = found.suspendedNotice;
      if (found.labels && found.labels.length > 0) d.labels = found.labels;
    }
    if (embedded) d.embedded = embedded;
    if (explain) d.explain = evaluate(surface, facts, this.options.policy ?? VISIBILITY_POLICY).trace;
    return d;
  }

  // ---- facts ----------------------------------------------------------------------------------

  private viewerCountry(viewer: Viewer): ViewerCountry {
    const ci = countryIndex(viewer.country);
    return {
      cc: ci > 0 ? viewer.country : null,
      ci,
      everywhere: ci === 0 && (this.options.unknownCountry ?? "strictest") === "strictest",
    };
  }

  /** The facts of a post in slot `ps` (-1: unrestricted) by an author in slot `as` (-1: unrestricted). */
  private postFacts(
    viewer: Viewer,
    vc: ViewerCountry,
    ps: number,
    as: number,
    authorId: string | null,
    surface: Surface,
  ): Found | null {
    const f: Found = { facts: 0, withheld: null, labels: null, suspendedNotice: null };
    if (ps >= 0) this.subjectFacts(f, vc, this.index.posts.packed[ps]!, ps, "post", surface, false);
    if (as >= 0) this.subjectFacts(f, vc, this.index.accounts.packed[as]!, as, "account", surface, true);
    if (authorId !== null && viewer.accountId === authorId) f.facts |= FACT.viewerIsAuthor;
    return f.facts === 0 ? null : f;
  }

  private accountFacts(viewer: Viewer, vc: ViewerCountry, accountId: string, surface: Surface): Found | null {
    const as = this.index.accounts.slot(accountId);
    if (as === undefined) return null;
    const f: Found = { facts: 0, withheld: null, labels: null, suspendedNotice: null };
    this.subjectFacts(f, vc, this.index.accounts.packed[as]!, as, "account", surface, false);
    if (viewer.accountId === accountId) f.facts |= FACT.viewerIsAuthor;
    return f.facts === 0 ? null : f;
  }

  /** Adds the facts of one subject (the item itself, or its author when `asAuthor`). */
  private subjectFacts(
    f: Found,
    vc: ViewerCountry,
    p: number,
    slot: number,
    kind: "post" | "account",
    surface: Surface,
    asAuthor: boolean,
  ): void {
    const table = kind === "post" ? this.index.posts : this.index.accounts;
    const { cc, ci, everywhere } = vc;
    const complex = (p & P.complex) !== 0;
    const v = complex ? table.view(slot) : null;
    if (v ? v.suspended : p & P.suspended) {
      f.facts |= asAuthor ? FACT.authorSuspended : FACT.subjectSuspended;
      f.suspendedNotice = asAuthor ? AUTHOR_SUSPENDED : kind === "post" ? REMOVED_POST : SUSPENDED_ACCOUNT;
    }
    if (p & P.limitedEverywhere) f.facts |= FACT.limitedEngagement;
    if (!(p & P.complex)) {
      const c1 = (p >>> P.country1Shift) & 0xff;
      const c2 = (p >>> P.country2Shift) & 0xff;
      const global = (p & P.withheldEverywhere) !== 0;
      if (global || (c1 !== 0 && (c1 === ci || c2 === ci || everywhere))) {
        f.facts |= FACT.withheld;
        if (!f.withheld) {
          const countries = global
            ? ["*"]
            : c2 === 0
              ? [countryAt(c1)]
              : [countryAt(c1), countryAt(c2)].sort();
          const basis: WithholdBasis = (global ? p & P.withheldEverywhereLocalLaw : p & P.countryLocalLaw)
            ? "local_law"
            : "legal_demand";
          f.withheld = { kind, countries, basis, handle: table.handleAt(slot) };
        }
      }
      return;
    }
    if (!v) return;
    const wBasis =
      v.withheld.get("*") ??
      (cc !== null ? v.withheld.get(cc) : undefined) ??
      (everywhere ? v.withheld.values().next().value : undefined);
    if (wBasis !== undefined) {
      f.facts |= FACT.withheld;
      if (!f.withheld)
        f.withheld = {
          kind,
          countries: [...v.withheld.keys()].sort(),
          basis: wBasis,
          handle: table.handleAt(slot),
        };
    }
    if (applies(v.limited, vc)) f.facts |= FACT.limitedEngagement;
    for (const [label, countries] of v.labels) {
      if (!applies(countries, vc)) continue;
      f.facts |= label === "manipulated_media" ? FACT.manipulatedMedia : FACT.otherLabel;
      if (!f.labels) f.labels = [];
      f.labels.push(label);
    }
    if (applies(v.suppressed.get(surface), vc)) f.facts |= FACT.suppressedHere;
  }

  private hashtagMatcher(): HashtagMatcher<HashtagRestriction> {
    if (this.matcher && this.matcherVersion === this.index.hashtagsVersion) return this.matcher;
    const m = new HashtagMatcher<HashtagRestriction>();
    for (const [id, rows] of this.index.hashtags) {
      const { pattern, mode } = hashtagPattern(id);
      m.add({ pattern, mode, value: { id, view: viewOf(rows) } });
    }
    this.matcher = m;
    this.matcherVersion = this.index.hashtagsVersion;
    return m;
  }

  private hashtagFacts(vc: ViewerCountry, tag: string, surface: Surface): Found | null {
    if (this.index.hashtags.size === 0) return null;
    const hits = this.hashtagMatcher().matchKeyed(matchKey(tag));
    if (hits.length === 0) return null;
    const { cc, everywhere } = vc;
    const f: Found = { facts: 0, withheld: null, labels: null, suspendedNotice: null };
    for (const h of hits) {
      if (applies(h.view.suppressed.get(surface), vc)) f.facts |= FACT.suppressedHere;
      if (
        h.view.withheld.has("*") ||
        (cc !== null && h.view.withheld.has(cc)) ||
        (everywhere && h.view.withheld.size > 0)
      ) {
        f.facts |= FACT.withheld;
        f.withheld ??= {
          kind: "hashtag",
          countries: [...h.view.withheld.keys()].sort(),
          basis: h.view.withheld.values().next().value!,
          handle: null,
        };
      }
      if (applies(h.view.limited, vc)) f.facts |= FACT.limitedEngagement;
      for (const [label, countries] of h.view.labels)
        if (applies(countries, vc)) {
          f.facts |= label === "manipulated_media" ? FACT.manipulatedMedia : FACT.otherLabel;
          if (!f.labels) f.labels = [];
          f.labels.push(label);
        }
    }
    return f.facts === 0 ? null : f;
  }

  /** Posts carrying a hashtag suppressed on this surface are dropped from it (e.g. search results). */
  private withPostHashtags(
    found: Found | null,
    vc: ViewerCountry,
    surface: Surface,
    tags: string[],
  ): Found | null {
    let f = found;
    for (const t of tags) {
      const h = this.hashtagFacts(vc, t, surface);
      if (h && h.facts & FACT.suppressedHere) {
        f ??= { facts: 0, withheld: null, labels: null, suspendedNotice: null };
        f.facts |= FACT.suppressedHere;
      }
    }
    return f;
  }
}

/**
 * A hashtag subject id may carry wildcards: `Tag` matches exactly (under the match key), `Tag*` matches
 * tags that start with it, `*Tag*` tags that contain it.
 */
export function hashtagPattern(id: string): { pattern: string; mode: MatchMode } {
  if (id.length > 2 && id.startsWith("*") && id.endsWith("*"))
    return { pattern: id.slice(1, -1), mode: "contains" };
  if (id.length > 1 && id.endsWith("*")) return { pattern: id.slice(0, -1), mode: "prefix" };
  return { pattern: id, mode: "exact" };
}

export type { SubjectRows };
