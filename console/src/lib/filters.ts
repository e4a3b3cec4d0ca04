/** Filtering of order items and list rows, kept pure so it is tested and fast on 100k rows. */
import type { OrderItem } from "./types.ts";

export interface ItemFilter {
  text: string;
  recommendation: string; // "" = any
  onlyProtected: boolean;
  onlyUndecided: boolean;
  onlyCampaign: boolean;
  onlyRelisted: boolean;
}
export const NO_ITEM_FILTER: ItemFilter = {
  text: "",
  recommendation: "",
  onlyProtected: false,
  onlyUndecided: false,
  onlyCampaign: false,
  onlyRelisted: false,
};

export function itemMatches(i: OrderItem, f: ItemFilter, overridden?: boolean): boolean {
  const r = i.recommendation;
  if (f.recommendation === "overridden") {
    if (!overridden) return false;
  } else if (f.recommendation && r?.outcome !== f.recommendation) return false;
  if (f.onlyProtected && !r?.protectedCategory) return false;
  if (f.onlyUndecided && i.decision) return false;
  if (f.onlyCampaign && !r?.campaignCase) return false;
  if (f.onlyRelisted && !r?.relisted) return false;
  const words = wordsOf(f.text);
  if (words.length > 0) {
    let hay = haystacks.get(i);
    if (hay === undefined) {
      hay =
        `${i.position} ${i.target} ${i.subject?.id ?? ""} ${i.reason ?? ""} ${r?.reasons.join(" ") ?? ""}`.toLowerCase();
      haystacks.set(i, hay);
    }
    for (const w of words) if (!hay.includes(w)) return false;
  }
  return true;
}

// Filtering runs on every keystroke over up to 100,000 items: each item's searchable text is built
// once (items are immutable; a reload brings new objects), and the query is split once per text.
const haystacks = new WeakMap<OrderItem, string>();
let lastText = "";
let lastWords: string[] = [];
function wordsOf(text: string): string[] {
  if (text !== lastText) {
    lastText = text;
    lastWords = text
      .trim()
      .toLowerCase()
      .split(/\s+/)
      .filter((w) => w.length > 0);
  }
  return lastWords;
}

/** Case-insensitive match of every word against any of the row's fields. */
export function textMatch(fields: Array<string | number | null | undefined>, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const hay = fields
    .filter((x) => x !== null && x !== undefined)
    .join(" ")
    .toLowerCase();
  return q.split(/\s+/).every((w) => hay.includes(w));
}
