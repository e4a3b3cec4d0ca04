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
  const t = f.text.trim().toLowerCase();
  if (t) {
    const hay =
      `${i.position} ${i.target} ${i.subject?.id ?? ""} ${i.reason ?? ""} ${r?.reasons.join(" ") ?? ""}`.toLowerCase();
    if (!t.split(/\s+/).every((w) => hay.includes(w))) return false;
  }
  return true;
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
