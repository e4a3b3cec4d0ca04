/** Formatting shared by the pages: deadline countdowns, dates, percentages. */

export const OPEN_STATUSES = new Set(["received", "in_review"]);
/** An open order due within this is "due soon". */
export const DUE_SOON_MS = 6 * 3_600_000;

export type Urgency = "overdue" | "due_soon" | "ok" | "closed";

/** `2d 4h`, `3h 20m`, `45m`, `30s`: the two largest units. */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return `${m}m`;
  return `${s % 60}s`;
}

export interface Countdown {
  text: string;
  urgency: Urgency;
  /** Milliseconds left (negative when overdue). */
  leftMs: number;
}

/** A deadline as a reviewer reads it: `due in 3h 20m`, `overdue by 2d 4h`, or closed. */
export function countdown(deadline: string | null, status: string, now: number): Countdown {
  if (!deadline) return { text: "no deadline", urgency: "ok", leftMs: Number.POSITIVE_INFINITY };
  const leftMs = Date.parse(deadline) - now;
  if (!OPEN_STATUSES.has(status))
    return { text: `closed (${status.replace(/_/g, " ")})`, urgency: "closed", leftMs };
  if (leftMs < 0) return { text: `overdue by ${formatDuration(leftMs)}`, urgency: "overdue", leftMs };
  if (leftMs <= DUE_SOON_MS) return { text: `due in ${formatDuration(leftMs)}`, urgency: "due_soon", leftMs };
  return { text: `due in ${formatDuration(leftMs)}`, urgency: "ok", leftMs };
}

/** Sort key: overdue first, then due soon, then by time left; closed orders last. */
export function urgencyRank(c: Countdown): number {
  return { overdue: 0, due_soon: 1, ok: 2, closed: 3 }[c.urgency];
}

const dtf = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${dtf.format(t)} UTC`;
}

export function pct(x: number | undefined | null, digits = 0): string {
  return x === undefined || x === null ? "—" : `${(x * 100).toFixed(digits)}%`;
}

export const humanize = (s: string): string => s.replace(/_/g, " ");
