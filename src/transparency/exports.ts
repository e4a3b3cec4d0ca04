/**
 * Exports read from the database: DSA statements of reasons for the period's restricting ledger
 * entries, Lumen notices for the period's orders, and the consistency audit's cases (every decided
 * order item and every case action, with the severity of the content as the text signals read it
 * and the reach of its account).
 */
import { sql } from "drizzle-orm";
import { type Db, query } from "../db/store.ts";
import { scoreText } from "../detect/text/scorer.ts";
import type { ActionBody, LedgerEntry } from "../domain/model.ts";
import type { OrderService } from "../legal/orders.ts";
import type { AuthorityType } from "../legal/profiles.ts";
import { type AuditCase, type SimilarCase, similarCases } from "./consistency.ts";
import { buildStatements, bulkBatches, type DsaExport, type DsaInput } from "./dsa.ts";
import { buildLumenNotice, type LumenResult } from "./lumen.ts";
import type { Period } from "./report.ts";

export interface ExportOptions {
  platformName: string;
  platformUrl?: string;
  host?: string;
}

const OUTCOME_RANK: Record<string, number> = {
  no_action: 0,
  restored: 0,
  label: 1,
  limit_engagement: 1,
  temporary_withhold: 2,
  withhold: 2,
  global_action: 3,
  suspend: 3,
};

/** ISO week label, e.g. 2021-W05. */
export function isoWeek(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export class ExportService {
  constructor(
    private readonly db: Db,
    private readonly orders: OrderService,
    private readonly options: ExportOptions,
  ) {}

  /** DSA statements for the restricting entries recorded in the period, in seq order. */
  async dsa(period: Period): Promise<DsaExport & { batches: number }> {
    const rows = await query<
      Record<string, unknown> & {
        c_created: string | null;
        c_lang: string | null;
        c_text: string | null;
        c_media: { type: "image" | "video" | "gif" }[] | null;
        a_created: string | null;
        a_lang: string | null;
        authority_type: string | null;
        authority_country: string | null;
        reporter_type: string | null;
      }
    >(
      this.db,
      sql`select l.*, p.created_at as c_created, p.lang as c_lang, p.text as c_text, p.media as c_media,
                 a.created_at as a_created, a.lang as a_lang, o.authority_type, o.authority_country,
                 (select r.reporter_type from reports r where r.case_id = l.body->'source'->>'id'
                   order by (r.reporter_type = 'trusted_flagger') desc limit 1) as reporter_type
          from ledger l
          left join posts p on l.subject_type = 'post' and p.id = l.subject_id
          left join accounts a on a.id = case when l.subject_type = 'account' then l.subject_id else p.author_id end
          left join order_items i on l.body->'source'->>'kind' = 'legal_demand_item' and i.id = l.body->'source'->>'id'
          left join orders o on o.id = i.order_id
          where l.recorded_at >= ${period.from.toISOString()} and l.recorded_at < ${period.until.toISOString()}
          order by l.seq`,
    );
    const inputs: DsaInput[] = rows.map((r) => {
      const entry: LedgerEntry = {
        seq: Number(r.seq),
        prevHash: String(r.prev_hash),
        hash: String(r.hash),
        ...(r.body as ActionBody),
      };
      const isPost = entry.subject.type === "post";
      const created = (isPost ? r.c_created : r.a_created) ?? entry.recordedAt;
      return {
        entry,
        content: {
          createdAt: new Date(created).toISOString(),
          lang: (isPost ? r.c_lang : r.a_lang) ?? null,
          hasText: isPost ? (r.c_text ?? "").length > 0 : undefined,
          media: isPost ? (r.c_media ?? []).map((m) => m.type) : undefined,
        },
        requester: r.authority_type
          ? { type: r.authority_type as AuthorityType, country: r.authority_country! }
          : null,
        notice:
          r.reporter_type === "trusted_flagger" ? "trusted_flagger" : r.reporter_type ? "article_16" : null,
      };
    });
    const out = buildStatements(inputs);
    return { ...out, batches: bulkBatches(out.statements).length };
  }

  /** Lumen notices for the orders received in the period (redacted as their profiles say). */
  async lumen(period: Period): Promise<{ notices: LumenResult[] }> {
    const ids = await query<{ id: string }>(
      this.db,
      sql`select id from orders where received_at >= ${period.from.toISOString()} and received_at < ${period.until.toISOString()}
          order by received_at, id`,
    );
    const notices: LumenResult[] = [];
    for (const { id } of ids)
      notices.push(
        buildLumenNotice(await this.orders.internalView(id), {
          platform: { name: this.options.platformName, url: this.options.platformUrl },
          host: this.options.host,
        }),
      );
    return { notices };
  }

  /** The decided cases the consistency audit compares (order items and case actions). */
  async auditCases(period?: Period): Promise<AuditCase[]> {
    const from = period?.from.toISOString() ?? "0001-01-01T00:00:00Z";
    const until = period?.until.toISOString() ?? "9999-12-31T00:00:00Z";
    const items = await query<{
      id: string;
      country: string;
      requester: string;
      decided_at: string;
      outcome: string;
      subject_type: string;
      subject_id: string;
      rule: string | null;
      text: string | null;
      lang: string | null;
      followers: number | null;
    }>(
      this.db,
      sql`with latest as (
            select distinct on (item_id) * from order_decisions
            where decided_at >= ${from} and decided_at < ${until} order by item_id, decided_at desc
          )
          select i.id, o.authority_country as country, o.authority_type as requester, d.decided_at, d.outcome,
                 i.subject_type, i.subject_id, d.params->>'rule' as rule,
                 coalesce(p.text, (select string_agg(x.text, ' ') from (select text from posts where author_id = i.subject_id
                                   order by created_at desc limit 5) x)) as text,
                 coalesce(p.lang, a.lang) as lang, a.followers
          from latest d join order_items i on i.id = d.item_id join orders o on o.id = d.order_id
          left join posts p on i.subject_type = 'post' and p.id = i.subject_id
          left join accounts a on a.id = case when i.subject_type = 'account' then i.subject_id else p.author_id end
          where i.subject_type in ('account', 'post')`,
    );
    const actions = await query<{
      seq: number;
      subject_type: string;
      subject_id: string;
      action: string;
      rule: string | null;
      label: string | null;
      recorded_at: string;
      country: string | null;
      text: string | null;
      lang: string | null;
      followers: number | null;
    }>(
      this.db,
      sql`select l.seq::int as seq, l.subject_type, l.subject_id, l.body->>'action' as action, l.body->>'rule' as rule,
                 l.body->>'label' as label, l.recorded_at, a.country,
                 coalesce(p.text, (select string_agg(x.text, ' ') from (select text from posts where author_id = l.subject_id
                                   order by created_at desc limit 5) x)) as text,
                 coalesce(p.lang, a.lang) as lang, a.followers
          from ledger l
          left join posts p on l.subject_type = 'post' and p.id = l.subject_id
          left join accounts a on a.id = case when l.subject_type = 'account' then l.subject_id else p.author_id end
          where l.body->'source'->>'kind' in ('review_case', 'manual', 'detector') and l.body->>'reverses' is null
            and l.subject_type in ('account', 'post')
            and l.recorded_at >= ${from} and l.recorded_at < ${until}`,
    );
    const severity = (text: string | null, lang: string | null) => {
      const s = scoreText(text ?? "", lang ?? undefined);
      const top = [...s.signals].sort((a, b) => b.score - a.score)[0];
      return { category: top?.category ?? "none", score: top?.score ?? 0 };
    };
    return [
      ...items.map((r) => {
        const s = severity(r.text, r.lang);
        return {
          id: `item:${r.id}`,
          country: r.country,
          requester: r.requester,
          window: isoWeek(new Date(r.decided_at)),
          decidedAt: new Date(r.decided_at).toISOString(),
          category: r.rule ?? s.category,
          labels: [],
          severity: s.score,
          reach: r.followers ?? 0,
          outcome: r.outcome,
          severityRank: OUTCOME_RANK[r.outcome] ?? 0,
        };
      }),
      ...actions.map((r) => {
        const s = severity(r.text, r.lang);
        return {
          id: `entry:${r.seq}`,
          country: r.country ?? "ZZ",
          requester: "platform",
          window: isoWeek(new Date(r.recorded_at)),
          decidedAt: new Date(r.recorded_at).toISOString(),
          category: r.rule ?? s.category,
          labels: r.label ? [r.label] : [],
          severity: s.score,
          reach: r.followers ?? 0,
          outcome: r.action,
          severityRank: OUTCOME_RANK[r.action] ?? 1,
        };
      }),
    ];
  }

  /**
   * The earlier decided cases most like an order item (same category, similar severity and reach),
   * with what was decided: shown to the reviewer deciding it.
   */
  async similarForItem(itemId: string, k = 5): Promise<SimilarCase[]> {
    const [item] = await query<{
      id: string;
      country: string;
      requester: string;
      text: string | null;
      lang: string | null;
      followers: number | null;
      received_at: string;
    }>(
      this.db,
      sql`select i.id, o.authority_country as country, o.authority_type as requester, o.received_at,
                 coalesce(p.text, (select string_agg(x.text, ' ') from (select text from posts where author_id = i.subject_id
                                   order by created_at desc limit 5) x)) as text,
                 coalesce(p.lang, a.lang) as lang, a.followers
          from order_items i join orders o on o.id = i.order_id
          left join posts p on i.subject_type = 'post' and p.id = i.subject_id
          left join accounts a on a.id = case when i.subject_type = 'account' then i.subject_id else p.author_id end
          where i.id = ${itemId}`,
    );
    if (!item) return [];
    const s = scoreText(item.text ?? "", item.lang ?? undefined);
    const top = [...s.signals].sort((a, b) => b.score - a.score)[0];
    const history = (await this.auditCases()).filter((c) => c.id !== `item:${itemId}`);
    return similarCases(
      {
        id: `item:${item.id}`,
        country: item.country,
        requester: item.requester,
        window: isoWeek(new Date(item.received_at)),
        category: top?.category ?? "none",
        labels: [],
        severity: top?.score ?? 0,
        reach: item.followers ?? 0,
      },
      history,
      k,
    );
  }
}
