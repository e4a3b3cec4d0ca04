/**
 * The transparency report and India's monthly compliance report, computed from stored records only:
 * orders and their items, decisions (including restorations), ledger entries, appeals and reports.
 * Definitions follow Twitter's removal-request metrics (standards.md §4); each is stated in the
 * report itself. The report publishes the signed ledger checkpoint it was computed at, so a reader can
 * later prove the ledger they are shown is the one it came from.
 */
import { sql } from "drizzle-orm";
import { type Db, query } from "../db/store.ts";
import { countryName } from "../domain/countries.ts";
import type { CheckpointService } from "../ledger/checkpoints.ts";
import type {
  DemandRow,
  ProactiveRow,
  Published,
  RequesterGroup,
  TransparencyReport,
} from "./report-types.ts";

export interface Period {
  /** Inclusive start (00:00 UTC of a date, or an instant). */
  from: Date;
  /** Exclusive end (the day after a `to` date, or an instant). */
  until: Date;
}

/** The earliest instant a period may start at, and the latest it may end at (exclusive). */
export const PERIOD_MIN = "2000-01-01T00:00:00Z";
export const PERIOD_MAX = "9999-12-31T00:00:00Z";
const RANGE = `dates from 2000-01-01 to 9999-12-30, or instants from ${PERIOD_MIN} to ${PERIOD_MAX}`;

/** A `from` or `to` that cannot be taken; `param` names which. */
export class PeriodError extends RangeError {
  override name = "PeriodError";
  constructor(
    readonly param: "from" | "to" | "month",
    message: string,
  ) {
    super(message);
  }
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** RFC 3339 date-time: `Z` or a numeric offset, optional fraction; no other text is read as a date. */
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/i;

/** False for 2021-02-30, 2021-13-01, 2021-01-00 (which JavaScript would roll over or refuse). */
function isCalendarDay(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  date.setUTCFullYear(Number(y)); // Date.UTC reads years 0-99 as 1900-1999
  return (
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(m) - 1 &&
    date.getUTCDate() === Number(d)
  );
}

function parseBound(param: "from" | "to", text: string): number {
  const day = DAY.exec(text);
  const instant = day ? null : INSTANT.exec(text);
  const parts = day ?? instant;
  if (!parts)
    throw new PeriodError(
      param,
      `${param}: '${text}' is neither a date (YYYY-MM-DD) nor an RFC 3339 timestamp (e.g. 2021-01-26T00:00:00Z)`,
    );
  const [, y, m, d] = parts as unknown as [string, string, string, string];
  // JavaScript rolls 2021-02-30 over to 2 March: refuse a day that does not exist instead.
  if (!isCalendarDay(y, m, d))
    throw new PeriodError(param, `${param}: ${y}-${m}-${d} is not a date in the calendar`);
  if (day) return Date.parse(`${text}T00:00:00Z`) + (param === "to" ? 86_400_000 : 0);
  return Date.parse(text.toUpperCase());
}

/**
 * `2021-01-26` → that day's start; a `to` date covers its whole day. RFC 3339 instants pass unchanged.
 * Anything else (text JavaScript would read in the server's time zone, a day not in the calendar) and
 * periods outside 2000-01-01 .. 9999-12-31 (the database's timestamp text) throw a `PeriodError`.
 */
export function parsePeriod(from: string, to: string): Period {
  const f = parseBound("from", from);
  const t = parseBound("to", to);
  const min = Date.parse(PERIOD_MIN);
  const max = Date.parse(PERIOD_MAX);
  if (f < min || f >= max)
    throw new PeriodError("from", `from: ${from} is outside the supported range: ${RANGE}`);
  if (t <= min || t > max) throw new PeriodError("to", `to: ${to} is outside the supported range: ${RANGE}`);
  if (t <= f) throw new PeriodError("to", "to must not be before from");
  return { from: new Date(f), until: new Date(t) };
}

/** `2021-02` → that month, as a period; months from 2000-01 to 9999-11 (the periods' range). */
export function parseMonth(month: string): Period {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new PeriodError("month", `month: '${month}' must be YYYY-MM`);
  const from = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1));
  const until = new Date(Date.UTC(Number(m[1]), Number(m[2]), 1));
  if (from.getTime() < Date.parse(PERIOD_MIN) || until.getTime() > Date.parse(PERIOD_MAX))
    throw new PeriodError(
      "month",
      `month: ${month} is outside the supported range: months from 2000-01 to 9999-11`,
    );
  return { from, until };
}

/** Reporting groups for proactive enforcement, by platform rule. */
export function ruleGroup(rule: string | null, action: string, label: string | null): string {
  const r = (rule ?? "").toLowerCase();
  if (action === "label" && (label === "manipulated_media" || r.includes("manipulated_media")))
    return "manipulated_media";
  if (/violen|incite|glorif/.test(r)) return "violent_speech";
  if (/threat|harm/.test(r)) return "threats";
  if (/abuse|harass|hate/.test(r)) return "abuse";
  if (/manipulation|spam|inauthentic|bot/.test(r)) return "platform_manipulation_spam";
  if (/manipulated|synthetic/.test(r)) return "manipulated_media";
  return "other";
}

export const DEFINITIONS: Record<string, string> = {
  legalDemands:
    "Orders from governments, courts and police received through Vigil's intake in the period (one order may list many items).",
  itemsSpecified:
    "Items (accounts, posts, hashtags) listed in those orders; an item listed twice counts twice.",
  accountsSpecified: "Items naming an account, including accounts that could not be found.",
  accountsWithheld:
    "Distinct accounts withheld in the requesting country in response (Country Withheld Content), temporary measures included.",
  postsWithheld: "Distinct posts withheld in the requesting country in response.",
  accountsTos:
    "Distinct accounts actioned globally under the platform's own rules in response to the demands.",
  itemsNoAction:
    "Items whose final decision in the period is no action (for example protected speech, or not found).",
  emergencyOrders: "Orders received as emergency (interim) orders.",
  restorations: "Measures lifted again: by hand (order withdrawn or not confirmed) or after an appeal.",
  appealsReceived:
    "Appeals against the measures taken on these orders, received in the period; granted: of those, decided in the appellant's favour.",
  medianHoursToDecision: "Median time from an order's receipt to each of its items' first decision.",
  complianceRate:
    "Share of demands where some content was withheld or removed (accounts or posts withheld, or accounts actioned under the rules): Twitter's 'total compliance rate'.",
  proactive:
    "Enforcement the platform took on its own initiative (moderators, review cases, detectors), by platform rule; legal demands and system reversals are excluded.",
};

const DBIP = "IP Geolocation by DB-IP (https://db-ip.com), licensed under CC BY 4.0";

interface DemandAgg {
  country: string;
  grp: RequesterGroup;
  demands: number;
  items: number;
  accounts_specified: number;
  accounts_withheld: number;
  posts_withheld: number;
  accounts_tos: number;
  no_action: number;
  emergency: number;
  restorations: number;
  appeals_received: number;
  appeals_granted: number;
  median_hours: number | null;
  complied: number;
}

export class TransparencyService {
  constructor(
    private readonly db: Db,
    private readonly checkpoints: CheckpointService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async report(period: Period, opts: { maskSmallCounts?: boolean } = {}): Promise<TransparencyReport> {
    const mask = opts.maskSmallCounts ?? false;
    const pub = (n: number): Published => (mask && n > 0 && n < 10 ? "<10" : n);
    // Sign (or reuse) a checkpoint first; the ledger part of the report stops at its seq.
    const checkpoint = await this.checkpoints.signHead();
    const asOfSeq = checkpoint?.seq ?? 0;
    const from = period.from.toISOString();
    const until = period.until.toISOString();
    const rows = await query<DemandAgg>(
      this.db,
      sql`with o as (
            select id, authority_country as country,
                   case when authority_type = 'court' then 'court_orders' else 'government_agency_police_other' end as grp,
                   emergency, received_at
            from orders where received_at >= ${from} and received_at < ${until}
          ),
          i as (select it.* , o.country, o.grp from order_items it join o on o.id = it.order_id),
          d as (
            select d.*, i.subject_type, i.subject_id, o.country, o.grp
            from order_decisions d join i on i.id = d.item_id join o on o.id = d.order_id
            where d.decided_at < ${until}
          ),
          latest as (select distinct on (item_id) item_id, outcome, country, grp from d order by item_id, decided_at desc),
          firsts as (
            select d.item_id, d.country, d.grp, min(d.decided_at) as first_at, min(o.received_at) as received_at
            from d join o on o.id = d.order_id group by d.item_id, d.country, d.grp
          ),
          acted as (select distinct order_id from d where ledger_seq is not null and outcome in ('withhold', 'temporary_withhold', 'global_action')),
          ap as (
            select a.*, o.country, o.grp from appeals a join o on o.id = a.order_id
            where a.received_at >= ${from} and a.received_at < ${until}
          ),
          g as (select distinct country, grp from o)
          select g.country, g.grp,
            (select count(*)::int from o where o.country = g.country and o.grp = g.grp) as demands,
            (select count(*)::int from i where i.country = g.country and i.grp = g.grp) as items,
            (select count(*)::int from i where i.country = g.country and i.grp = g.grp
               and (i.subject_type = 'account' or (i.subject_type is null and i.target !~* '(^post:|^hashtag:|/status/|^#)'))) as accounts_specified,
            (select count(distinct subject_id)::int from d where d.country = g.country and d.grp = g.grp and d.ledger_seq is not null
               and d.outcome in ('withhold', 'temporary_withhold') and d.subject_type = 'account') as accounts_withheld,
            (select count(distinct subject_id)::int from d where d.country = g.country and d.grp = g.grp and d.ledger_seq is not null
               and d.outcome in ('withhold', 'temporary_withhold') and d.subject_type = 'post') as posts_withheld,
            (select count(distinct subject_id)::int from d where d.country = g.country and d.grp = g.grp and d.ledger_seq is not null
               and d.outcome = 'global_action' and d.subject_type = 'account') as accounts_tos,
            (select count(*)::int from latest l where l.country = g.country and l.grp = g.grp and l.outcome = 'no_action') as no_action,
            (select count(*)::int from o where o.country = g.country and o.grp = g.grp and o.emergency) as emergency,
            (select count(*)::int from d where d.country = g.country and d.grp = g.grp and d.outcome = 'restored') as restorations,
            (select count(*)::int from ap where ap.country = g.country and ap.grp = g.grp) as appeals_received,
            (select count(*)::int from ap where ap.country = g.country and ap.grp = g.grp and ap.state = 'granted' and ap.decided_at < ${until}) as appeals_granted,
            (select percentile_cont(0.5) within group (order by extract(epoch from (f.first_at - f.received_at)) / 3600.0)
               from firsts f where f.country = g.country and f.grp = g.grp) as median_hours,
            (select count(*)::int from acted a join o on o.id = a.order_id where o.country = g.country and o.grp = g.grp) as complied
          from g order by g.country, g.grp`,
    );
    const demands: DemandRow[] = rows.map((r) => ({
      country: r.country,
      countryName: countryName(r.country),
      requester: r.grp,
      legalDemands: pub(r.demands),
      itemsSpecified: pub(r.items),
      accountsSpecified: pub(r.accounts_specified),
      accountsWithheld: pub(r.accounts_withheld),
      postsWithheld: pub(r.posts_withheld),
      accountsTos: pub(r.accounts_tos),
      itemsNoAction: pub(r.no_action),
      emergencyOrders: pub(r.emergency),
      restorations: pub(r.restorations),
      appealsReceived: pub(r.appeals_received),
      appealsGranted: pub(r.appeals_granted),
      medianHoursToDecision: r.median_hours === null ? null : Math.round(Number(r.median_hours) * 10) / 10,
      complianceRate: r.demands > 0 ? Math.round((1000 * r.complied) / r.demands) / 10 : null,
    }));
    const byCountry = new Map<string, { demands: number; complied: number }>();
    for (const r of rows) {
      const c = byCountry.get(r.country) ?? { demands: 0, complied: 0 };
      c.demands += r.demands;
      c.complied += r.complied;
      byCountry.set(r.country, c);
    }
    const proactiveRows = await query<{
      rule: string | null;
      action: string;
      label: string | null;
      subject_type: string;
      n: number;
      subjects: number;
    }>(
      this.db,
      sql`select body->>'rule' as rule, body->>'action' as action, body->>'label' as label, subject_type,
                 count(*)::int as n, count(distinct subject_id)::int as subjects
          from ledger
          where seq <= ${asOfSeq} and recorded_at >= ${from} and recorded_at < ${until}
            and body->'source'->>'kind' in ('manual', 'review_case', 'detector')
            and body->>'reverses' is null
            and body->>'action' in ('suspend', 'withhold', 'label', 'suppress', 'limit_engagement')
          group by 1, 2, 3, 4`,
    );
    const proactive = new Map<
      string,
      { rule: string; group: string; acc: number; posts: number; labels: number; tags: number; total: number }
    >();
    for (const r of proactiveRows) {
      const rule = r.rule ?? (r.label ? `label:${r.label}` : "unspecified");
      const key = `${rule}`;
      const p = proactive.get(key) ?? {
        rule,
        group: ruleGroup(r.rule, r.action, r.label),
        acc: 0,
        posts: 0,
        labels: 0,
        tags: 0,
        total: 0,
      };
      if (r.action === "suspend" && r.subject_type === "account") p.acc += r.subjects;
      if (r.subject_type === "post" && r.action !== "label") p.posts += r.subjects;
      if (r.action === "label") p.labels += r.n;
      if (r.subject_type === "hashtag") p.tags += r.subjects;
      p.total += r.n;
      proactive.set(key, p);
    }
    const daily = await query<{ day: string; legal: number; proactive: number; reversals: number }>(
      this.db,
      sql`select to_char(date_trunc('day', recorded_at at time zone 'UTC'), 'YYYY-MM-DD') as day,
                 count(*) filter (where body->>'reverses' is null and body->'source'->>'kind' = 'legal_demand_item')::int as legal,
                 count(*) filter (where body->>'reverses' is null and body->'source'->>'kind' in ('manual', 'review_case', 'detector'))::int as proactive,
                 count(*) filter (where body->>'reverses' is not null or body->>'action' in ('unsuspend', 'restore', 'unlabel', 'unsuppress', 'unlimit_engagement'))::int as reversals
          from ledger where seq <= ${asOfSeq} and recorded_at >= ${from} and recorded_at < ${until}
          group by 1 order by 1`,
    );
    const fmt = (d: Date) => d.toISOString().slice(0, 10);
    return {
      title: "Transparency report: legal demands and platform enforcement",
      period: { from: period.from.toISOString(), to: new Date(period.until.getTime() - 1).toISOString() },
      generatedAt: this.now().toISOString(),
      asOfSeq,
      maskSmallCounts: mask,
      demands,
      countries: [...byCountry].map(([country, c]) => ({
        country,
        countryName: countryName(country),
        legalDemands: pub(c.demands),
        complianceRate: c.demands > 0 ? Math.round((1000 * c.complied) / c.demands) / 10 : null,
      })),
      proactive: [...proactive.values()]
        .sort((a, b) => b.total - a.total || a.rule.localeCompare(b.rule))
        .map(
          (p): ProactiveRow => ({
            rule: p.rule,
            group: p.group,
            accountsSuspended: pub(p.acc),
            postsActioned: pub(p.posts),
            labels: pub(p.labels),
            hashtagsRestricted: pub(p.tags),
            total: pub(p.total),
          }),
        ),
      daily,
      checkpoint,
      definitions: {
        ...DEFINITIONS,
        period: `${fmt(period.from)} to ${fmt(new Date(period.until.getTime() - 1))}, UTC`,
      },
      attribution: [DBIP],
    };
  }

  /**
   * IT Rules 2021 r.4(1)(d) monthly compliance report for `country` (default IN): complaints received
   * (user and trusted-flagger reports on that country's accounts and their posts) by reason, the
   * action taken on them, and proactive removals (detector and review-case enforcement with effect in
   * that country).
   */
  async monthlyCompliance(month: string, country = "IN") {
    const { from, until } = parseMonth(month);
    const complaints = await query<{ reason: string; received: number; actioned: number; open: number }>(
      this.db,
      sql`with r as (
            select rep.*, coalesce(a.country, pa.country) as country
            from reports rep
            left join accounts a on rep.subject_type = 'account' and a.id = rep.subject_id
            left join posts p on rep.subject_type = 'post' and p.id = rep.subject_id
            left join accounts pa on pa.id = p.author_id
            where rep.received_at >= ${from.toISOString()} and rep.received_at < ${until.toISOString()}
          )
          select r.reason, count(*)::int as received,
                 count(*) filter (where c.resolution = 'actioned')::int as actioned,
                 count(*) filter (where c.state is null or c.state <> 'closed')::int as open
          from r left join cases c on c.id = r.case_id
          where r.country = ${country}
          group by r.reason order by r.reason`,
    );
    const proactive = await query<{ rule: string | null; action: string; n: number }>(
      this.db,
      sql`select body->>'rule' as rule, body->>'action' as action, count(*)::int as n
          from ledger
          where recorded_at >= ${from.toISOString()} and recorded_at < ${until.toISOString()}
            and body->'source'->>'kind' in ('detector', 'review_case')
            and body->>'reverses' is null
            and body->>'action' in ('suspend', 'withhold', 'label', 'suppress', 'limit_engagement')
            and (body->'countries' = 'null'::jsonb or body->'countries' ? ${country})
          group by 1, 2 order by 3 desc`,
    );
    const legal = await query<{ orders: number; items: number }>(
      this.db,
      sql`select count(distinct o.id)::int as orders, count(i.id)::int as items
          from orders o left join order_items i on i.order_id = o.id
          where o.authority_country = ${country} and o.received_at >= ${from.toISOString()} and o.received_at < ${until.toISOString()}`,
    );
    return {
      title: `Monthly compliance report under rule 4(1)(d) of the IT Rules 2021: ${month}`,
      country,
      month,
      complaints: {
        received: complaints.reduce((s, c) => s + c.received, 0),
        actioned: complaints.reduce((s, c) => s + c.actioned, 0),
        pending: complaints.reduce((s, c) => s + c.open, 0),
        byReason: complaints,
      },
      proactiveRemovals: {
        total: proactive.reduce((s, p) => s + p.n, 0),
        byRule: proactive.map((p) => ({ rule: p.rule ?? "unspecified", action: p.action, count: p.n })),
      },
      legalDemands: legal[0] ?? { orders: 0, items: 0 },
      generatedAt: this.now().toISOString(),
    };
  }
}
