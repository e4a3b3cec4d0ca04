/**
 * Search suggestions (typeahead) over hashtags and handles, per viewer country. Pure and in memory.
 *
 * Matching is on the displayKey prefix (NFKC + case fold + default ignorables removed), so letter
 * case, full-width forms and invisible characters in the query or the tag do not matter. A query that
 * starts with "#" (or "＃") suggests hashtags only, "@" (or "＠") handles only; otherwise both.
 *
 * Ranking: by weight, descending (hashtags: summed usage weight in the viewer's country; handles: the
 * weight given to addHandle, e.g. followers), ties by key. Both kinds compete on weight when the query
 * names no kind. Hashtags used in the viewer's country come first; when they give fewer than `limit`
 * suggestions, hashtags used anywhere (the global count, GLOBAL_COUNTRY) fill the rest.
 *
 * Restrictions: a hashtag is never suggested when the matchKey of any spelling seen for it is
 * restricted for the viewer country (so "MODIPLANNING…", "Modi_Planning…" and Cyrillic look-alike
 * spellings of a suppressed tag are all held back), a handle never when its account is restricted
 * there. Restricted candidates are skipped and scanning continues until `limit` allowed suggestions
 * are found or the prefix range ends.
 *
 * Structure: per index, a sorted array of keys (binary search gives the prefix range) plus a small
 * unsorted pending buffer of new keys (≤ PENDING_MAX, scanned linearly, merged when full). A prefix
 * range of at most SCAN_MAX keys is ranked on the spot; a larger one (short prefixes) uses a cached
 * weight order for that prefix, rebuilt when the key set changes or after REORDER_EVERY weight updates,
 * so a query's work is bounded by the number of candidates it has to skip. Hashtags per country are
 * capped at maxTagsPerCountry (the least used 10% are dropped when full).
 */
import { displayKey, matchKey } from "../hashtags/normalize.ts";
import { GLOBAL_COUNTRY } from "./engine.ts";

export interface SuggestFilter {
  tagRestricted(matchKey: string, country: string): boolean;
  accountRestricted(accountId: string, country: string): boolean;
}

export interface Suggestion {
  kind: "hashtag" | "handle";
  /** "#FarmersProtest" or "@kisan_voice". */
  text: string;
  /** Account id (handles only). */
  id?: string;
  weight: number;
}

export interface SuggestionOptions {
  maxTagsPerCountry?: number;
}

const PENDING_MAX = 256;
const SCAN_MAX = 512;
const REORDER_EVERY = 10_000;
const MAX_SPELLINGS = 8;
const EVICT_FRACTION = 0.1;

interface Item {
  key: string;
  weight: number;
  removed: boolean;
}

interface TagItem extends Item {
  spellings: string[];
  spellCounts: number[];
  mks: string[] | null;
}

interface HandleItem extends Item {
  accountId: string;
  handle: string;
}

function byKey(a: Item, b: Item): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function byWeight(a: Item, b: Item): number {
  return b.weight - a.weight || byKey(a, b);
}

/** A sorted key array with a pending buffer and per-prefix weight orders. */
class PrefixIndex<T extends Item> {
  private sorted: T[] = [];
  private pending: T[] = [];
  private removedCount = 0;
  private orders = new Map<string, T[]>();
  private weightUpdates = 0;

  add(item: T): void {
    this.pending.push(item);
    if (this.pending.length > PENDING_MAX) this.rebuild();
  }

  /** The item was marked removed. */
  removed(): void {
    if (++this.removedCount > Math.max(PENDING_MAX, this.sorted.length >> 2)) this.rebuild();
  }

  weightChanged(): void {
    if (++this.weightUpdates >= REORDER_EVERY) {
      this.weightUpdates = 0;
      this.orders.clear();
    }
  }

  /**
   * Calls `visit` with the live items whose key starts with `prefix`, by descending weight (exactly,
   * for small ranges; by a cached order refreshed every REORDER_EVERY updates for large ones), until
   * it returns false.
   */
  scan(prefix: string, visit: (item: T) => boolean): void {
    const sorted = this.sorted;
    const lo = this.bound(prefix, false);
    const hi = this.bound(prefix, true);
    let order: T[];
    if (hi - lo <= SCAN_MAX) {
      order = sorted.slice(lo, hi).sort(byWeight);
    } else {
      const cached = this.orders.get(prefix);
      if (cached === undefined) {
        order = sorted.slice(lo, hi).sort(byWeight);
        this.orders.set(prefix, order);
      } else {
        order = cached;
      }
    }
    const extra = this.pending.filter((p) => p.key.startsWith(prefix)).sort(byWeight);
    // Merge the two weight orders.
    let a = 0;
    let b = 0;
    while (a < order.length || b < extra.length) {
      const item =
        b >= extra.length || (a < order.length && byWeight(order[a]!, extra[b]!) <= 0)
          ? order[a++]!
          : extra[b++]!;
      if (item.removed) continue;
      if (!visit(item)) return;
    }
  }

  get size(): number {
    return this.sorted.length + this.pending.length - this.removedCount;
  }

  private rebuild(): void {
    const live = this.sorted.filter((i) => !i.removed);
    const fresh = this.pending.filter((i) => !i.removed).sort(byKey);
    // Merge two sorted runs.
    const out: T[] = new Array(live.length + fresh.length);
    let a = 0;
    let b = 0;
    let o = 0;
    while (a < live.length && b < fresh.length)
      out[o++] = byKey(live[a]!, fresh[b]!) <= 0 ? live[a++]! : fresh[b++]!;
    while (a < live.length) out[o++] = live[a++]!;
    while (b < fresh.length) out[o++] = fresh[b++]!;
    this.sorted = out;
    this.pending = [];
    this.removedCount = 0;
    this.orders.clear();
  }

  /** First index whose key is ≥ prefix (after = false) or past every key starting with prefix (true). */
  private bound(prefix: string, after: boolean): number {
    const s = this.sorted;
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = s[mid]!.key;
      const left = after ? k < prefix || k.startsWith(prefix) : k < prefix;
      if (left) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

class TagTable {
  readonly items = new Map<string, TagItem>();
  readonly index = new PrefixIndex<TagItem>();
}

export class SuggestionIndex {
  private readonly maxTags: number;
  private readonly tags = new Map<string, TagTable>();
  private readonly handles = new Map<string, HandleItem>();
  private readonly handleIndex = new PrefixIndex<HandleItem>();
  private readonly keyCache = new Map<string, string>();

  constructor(opts: SuggestionOptions = {}) {
    this.maxTags = opts.maxTagsPerCountry ?? 50_000;
    if (!Number.isInteger(this.maxTags) || this.maxTags <= 0) {
      throw new RangeError("maxTagsPerCountry must be a positive integer");
    }
  }

  /** Adds or updates the handle of an account (a new handle replaces the old one). */
  addHandle(accountId: string, handle: string, weight: number): void {
    const key = displayKey(handle.startsWith("@") ? handle.slice(1) : handle);
    const old = this.handles.get(accountId);
    if (old !== undefined) {
      if (old.key === key) {
        old.handle = handle;
        old.weight = weight;
        this.handleIndex.weightChanged();
        return;
      }
      this.removeHandle(accountId);
    }
    if (key === "") return;
    const item: HandleItem = { key, weight, removed: false, accountId, handle };
    this.handles.set(accountId, item);
    this.handleIndex.add(item);
  }

  removeHandle(accountId: string): void {
    const item = this.handles.get(accountId);
    if (item === undefined) return;
    item.removed = true;
    this.handles.delete(accountId);
    this.handleIndex.removed();
  }

  /** Counts a use of a hashtag (original spelling, no "#") in `country`, and in the global count. */
  addHashtag(tag: string, country: string, weight = 1): void {
    const spelling = tag.startsWith("#") || tag.startsWith("＃") ? tag.slice(1) : tag;
    let key = this.keyCache.get(spelling);
    if (key === undefined) {
      key = displayKey(spelling);
      if (this.keyCache.size >= 100_000) this.keyCache.clear();
      this.keyCache.set(spelling, key);
    }
    if (key === "") return;
    this.countTag(this.table(country), key, spelling, weight);
    if (country !== GLOBAL_COUNTRY) this.countTag(this.table(GLOBAL_COUNTRY), key, spelling, weight);
  }

  suggest(q: string, country: string, limit: number, filter: SuggestFilter): Suggestion[] {
    if (limit <= 0) return [];
    let s = q.trim();
    let wantTags = true;
    let wantHandles = true;
    const first = s.charAt(0);
    if (first === "#" || first === "＃") {
      wantHandles = false;
      s = s.slice(1);
    } else if (first === "@" || first === "＠") {
      wantTags = false;
      s = s.slice(1);
    }
    const prefix = s === "" ? "" : displayKey(s);

    const tags: Suggestion[] = [];
    if (wantTags) {
      const seen = new Set<string>();
      const tables = [this.tags.get(country)];
      if (country !== GLOBAL_COUNTRY) tables.push(this.tags.get(GLOBAL_COUNTRY));
      for (const table of tables) {
        if (table === undefined || tags.length >= limit) continue;
        const segment: Suggestion[] = [];
        const want = limit - tags.length;
        table.index.scan(prefix, (item) => {
          if (seen.has(item.key)) return true;
          seen.add(item.key);
          if (this.tagRestricted(item, country, filter)) return true;
          segment.push({ kind: "hashtag", text: `#${display(item)}`, weight: item.weight });
          return segment.length < want;
        });
        // Large ranges are visited in a cached (possibly slightly stale) weight order: re-sort.
        segment.sort((x, y) => y.weight - x.weight);
        tags.push(...segment);
      }
    }
    const handles: Suggestion[] = [];
    if (wantHandles) {
      this.handleIndex.scan(prefix, (item) => {
        if (filter.accountRestricted(item.accountId, country)) return true;
        handles.push({ kind: "handle", text: `@${item.handle}`, id: item.accountId, weight: item.weight });
        return handles.length < limit;
      });
      handles.sort((x, y) => y.weight - x.weight);
    }
    // Merge, keeping each kind's order (hashtags: the country's before the global ones).
    const out: Suggestion[] = [];
    let i = 0;
    let j = 0;
    while (out.length < limit && (i < tags.length || j < handles.length)) {
      const takeTag = j >= handles.length || (i < tags.length && tags[i]!.weight >= handles[j]!.weight);
      out.push(takeTag ? tags[i++]! : handles[j++]!);
    }
    return out;
  }

  stats(): { hashtags: number; handles: number } {
    let hashtags = 0;
    for (const t of this.tags.values()) hashtags += t.items.size;
    return { hashtags, handles: this.handles.size };
  }

  private table(country: string): TagTable {
    let t = this.tags.get(country);
    if (t === undefined) {
      t = new TagTable();
      this.tags.set(country, t);
    }
    return t;
  }

  private countTag(table: TagTable, key: string, spelling: string, weight: number): void {
    let item = table.items.get(key);
    if (item === undefined) {
      if (table.items.size >= this.maxTags) this.evict(table);
      item = { key, weight: 0, removed: false, spellings: [], spellCounts: [], mks: null };
      table.items.set(key, item);
      table.index.add(item);
    } else {
      table.index.weightChanged();
    }
    item.weight += weight;
    const i = item.spellings.indexOf(spelling);
    if (i >= 0) {
      item.spellCounts[i]! += weight;
    } else if (item.spellings.length < MAX_SPELLINGS) {
      item.spellings.push(spelling);
      item.spellCounts.push(weight);
      item.mks = null;
    } else {
      let min = 0;
      for (let j = 1; j < item.spellCounts.length; j++)
        if (item.spellCounts[j]! < item.spellCounts[min]!) min = j;
      item.spellings[min] = spelling;
      item.spellCounts[min]! += weight;
      item.mks = null;
    }
  }

  private evict(table: TagTable): void {
    const all = [...table.items.values()].sort((a, b) => a.weight - b.weight);
    const n = Math.max(1, Math.floor(this.maxTags * EVICT_FRACTION));
    for (let i = 0; i < n && i < all.length; i++) {
      const item = all[i]!;
      item.removed = true;
      table.items.delete(item.key);
      table.index.removed();
    }
  }

  private tagRestricted(item: TagItem, country: string, filter: SuggestFilter): boolean {
    if (item.mks === null) item.mks = [...new Set(item.spellings.map((s) => matchKey(s)))];
    for (const mk of item.mks) if (filter.tagRestricted(mk, country)) return true;
    return false;
  }
}

function display(item: TagItem): string {
  let best = 0;
  for (let i = 1; i < item.spellings.length; i++)
    if (item.spellCounts[i]! > item.spellCounts[best]!) best = i;
  return item.spellings[best]!;
}
