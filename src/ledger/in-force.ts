/**
 * Reversals that would lift nothing. A moderator who restores, unsuspends, unlabels, unsuppresses or
 * lifts limited engagement expects something to be lifted; when nothing in force matches, the direct
 * action is refused (409 `not_in_force`) with what IS in force and how to lift it, and nothing is
 * written. Internal callers (expiry, appeals, legal restorations) check the projection themselves and
 * do not ask for this.
 */
import { type ActionBody, isRestricting } from "../domain/model.ts";
import { matches, projectionOps, type StateRow } from "./projection.ts";

/** Whether `body` is a reversal that lifts none of `rows` (the subject's restrictions in force). */
export function liftsNothing(body: ActionBody, rows: Iterable<StateRow>): boolean {
  if (isRestricting(body.action)) return false;
  const { deletes } = projectionOps(body, 0);
  for (const row of rows) if (deletes.some((op) => matches(op, row))) return false;
  return true;
}

const countryOf = (key: string) => key.slice(key.lastIndexOf(":") + 1);
const scope = (ccs: string[]) =>
  ccs.includes("*") ? "everywhere" : `in ${[...new Set(ccs)].sort().join(", ")}`;
const entries = (rows: StateRow[]) => {
  const seqs = [...new Set(rows.map((r) => r.seq))].sort((a, b) => a - b);
  return seqs.length === 1 ? `(entry ${seqs[0]})` : `(entries ${seqs.join(", ")})`;
};
const list = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(", ")}]`;
/** The countries to name instead of the ones asked for, when those matched nothing. */
const countriesHint = (body: ActionBody, rows: StateRow[]): string | null => {
  if (body.countries === null || rows.length === 0) return null;
  const ccs = [...new Set(rows.map((r) => countryOf(r.key)))].sort();
  return ccs.includes("*") ? "countries: null" : `countries: ${list(ccs)} (or null)`;
};

/**
 * Why a reversal that lifts nothing was refused: what of its kind is in force on the subject, and how
 * to lift it. `rows` are the subject's restrictions in force.
 */
export function notInForceMessage(body: ActionBody, rows: StateRow[]): string {
  const who = `${body.subject.type} '${body.subject.id}'`;
  const of = (prefix: string) => rows.filter((r) => r.key.startsWith(prefix));
  let state: string;
  const hints: string[] = [];
  switch (body.action) {
    case "unsuspend":
      state = `${who} is not suspended`;
      break;
    case "restore": {
      const w = of("withhold:");
      state =
        w.length === 0
          ? `${who} is not withheld anywhere`
          : `${who} is withheld ${scope(w.map((r) => countryOf(r.key)))} ${entries(w)}`;
      const h = countriesHint(body, w);
      if (h) hints.push(h);
      break;
    }
    case "unlabel": {
      const l = of(`label:${body.label}:`);
      const others = [...new Set(of("label:").map((r) => r.key.split(":")[1]!))].filter(
        (x) => x !== body.label,
      );
      state =
        l.length === 0
          ? `${who} does not carry the label '${body.label}'${others.length > 0 ? ` (it carries ${others.map((x) => `'${x}'`).join(", ")})` : ""}`
          : `${who} carries the label '${body.label}' ${scope(l.map((r) => countryOf(r.key)))} ${entries(l)}`;
      const h = countriesHint(body, l);
      if (h) hints.push(h);
      break;
    }
    case "unlimit_engagement": {
      const l = of("limit_engagement:");
      state =
        l.length === 0
          ? `engagement with ${who} is not limited`
          : `engagement with ${who} is limited ${scope(l.map((r) => countryOf(r.key)))} ${entries(l)}`;
      const h = countriesHint(body, l);
      if (h) hints.push(h);
      break;
    }
    case "unsuppress": {
      const s = of("suppress:");
      const bySurface = new Map<string, string[]>();
      for (const r of s) {
        const surface = r.key.split(":")[1]!;
        bySurface.set(surface, [...(bySurface.get(surface) ?? []), countryOf(r.key)]);
      }
      state =
        s.length === 0
          ? `${who} is not suppressed on any surface`
          : `${who} is suppressed ${[...bySurface]
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([surface, ccs]) => `on ${surface} ${scope(ccs)}`)
              .join(", ")} ${entries(s)}`;
      const asked = body.surfaces ?? [];
      const overlap = s.filter((r) => asked.includes(r.key.split(":")[1]! as never));
      if (body.surfaces !== null && s.length > 0 && overlap.length === 0)
        hints.push(`surfaces: ${list([...bySurface.keys()].sort())} (or null)`);
      const h = countriesHint(body, overlap.length > 0 ? overlap : s);
      if (h) hints.push(h);
      break;
    }
    default:
      state = `${who}: ${body.action} restricts, it lifts nothing`;
  }
  const how = hints.length > 0 ? `; ${body.action} with ${hints.join(" and ")} to lift it` : "";
  return `nothing to ${body.action}: ${state}${how}; nothing was written`;
}
