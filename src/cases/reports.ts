/**
 * Reports from users and trusted flaggers (contract §6). A report is always stored; unless its
 * reporter is muted it joins the open `report` case of its subject (one case per subject), whose
 * evidence counts the reports by reason and keeps the latest ones. Trusted flaggers weigh more in
 * the queue's priority. Muting a noisy reporter is itself recorded, with who and why.
 */
import { randomUUID } from "node:crypto";
import { and, desc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Principal } from "../auth/policy.ts";
import { authorize } from "../auth/policy.ts";
import { mutedReporters, reports } from "../db/schema.ts";
import { type Db, query } from "../db/store.ts";
import { SubjectRefSchema, Text } from "../ledger/actions.ts";
import type { CaseService } from "./cases.ts";

/** Reasons, after Ozone's reason types and Mastodon's report categories. */
export const REPORT_REASONS = [
  "spam",
  "platform_manipulation",
  "violent_speech",
  "threat",
  "abuse",
  "hateful_conduct",
  "misleading",
  "sexual",
  "illegal_content",
  "other",
] as const;

export const ReportRequest = z.strictObject({
  subject: SubjectRefSchema,
  reason: z.enum(REPORT_REASONS),
  reporter: z.strictObject({
    type: z.enum(["user", "trusted_flagger"]),
    id: Text(128).min(1),
  }),
  text: Text(5000).optional(),
});
export type ReportRequest = z.output<typeof ReportRequest>;

export const MuteRequest = z.strictObject({
  reporter: z.strictObject({ type: z.enum(["user", "trusted_flagger"]), id: Text(128).min(1) }),
  until: z.iso.datetime({ offset: false }).nullable().default(null).describe("null: until unmuted"),
  reason: Text(2000).min(1, "say why the reporter is muted"),
});

const TRUSTED_WEIGHT = 5;
const SAMPLES = 20;

export class ReportService {
  constructor(
    private readonly db: Db,
    private readonly cases: CaseService,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async file(
    r: ReportRequest,
    principal: Principal,
  ): Promise<{ id: string; case: string | null; muted: boolean }> {
    authorize(principal, "create", "report");
    const at = this.now().toISOString();
    const id = randomUUID();
    return this.db.transaction(async (tx) => {
      const [muted] = await tx
        .select({ reason: mutedReporters.reason })
        .from(mutedReporters)
        .where(
          and(
            eq(mutedReporters.reporterType, r.reporter.type),
            eq(mutedReporters.reporterId, r.reporter.id),
            or(isNull(mutedReporters.until), gt(mutedReporters.until, at)),
          ),
        );
      const row = {
        id,
        subjectType: r.subject.type,
        subjectId: r.subject.id,
        reason: r.reason,
        reporterType: r.reporter.type,
        reporterId: r.reporter.id,
        text: r.text ?? null,
        receivedAt: at,
        caseId: null as string | null,
      };
      if (muted) {
        await tx.insert(reports).values(row);
        return { id, case: null, muted: true };
      }
      const prior = await query<{ reason: string; reporter_type: string; n: number }>(
        tx,
        sql`select reason, reporter_type, count(*)::int as n from reports
            where subject_type = ${r.subject.type} and subject_id = ${r.subject.id} and case_id is not null
              and case_id in (select id from cases where open_key = ${`report:${r.subject.type}:${r.subject.id}`})
            group by reason, reporter_type`,
      );
      const byReason: Record<string, number> = { [r.reason]: 1 };
      let total = 1;
      let trusted = r.reporter.type === "trusted_flagger" ? 1 : 0;
      for (const p of prior) {
        byReason[p.reason] = (byReason[p.reason] ?? 0) + p.n;
        total += p.n;
        if (p.reporter_type === "trusted_flagger") trusted += p.n;
      }
      const latest = await tx
        .select()
        .from(reports)
        .where(and(eq(reports.subjectType, r.subject.type), eq(reports.subjectId, r.subject.id)))
        .orderBy(desc(reports.receivedAt))
        .limit(SAMPLES - 1);
      const raised = await this.cases.raise(
        tx,
        {
          kind: "report",
          title: `${r.subject.type} ${r.subject.id} reported: ${Object.keys(byReason).join(", ")}`,
          subjects: [{ type: r.subject.type, id: r.subject.id, score: null }],
          evidence: {
            reports: total,
            trustedFlaggers: trusted,
            byReason,
            latest: [row, ...latest].map((x) => ({
              reason: x.reason,
              reporter: { type: x.reporterType, id: x.reporterId },
              text: x.text,
              at: new Date(x.receivedAt).toISOString(),
            })),
          },
          priority: total - trusted + trusted * TRUSTED_WEIGHT,
          openKey: `report:${r.subject.type}:${r.subject.id}`,
        },
        `reporter:${r.reporter.type}:${r.reporter.id}`,
      );
      row.caseId = raised.id;
      await tx.insert(reports).values(row);
      return { id, case: raised.id, muted: false };
    });
  }

  async mute(m: z.output<typeof MuteRequest>, principal: Principal): Promise<void> {
    authorize(principal, "decide", "case");
    const row = {
      reporterType: m.reporter.type,
      reporterId: m.reporter.id,
      until: m.until,
      reason: m.reason,
      mutedBy: principal.keyId,
      mutedAt: this.now().toISOString(),
    };
    await this.db
      .insert(mutedReporters)
      .values(row)
      .onConflictDoUpdate({
        target: [mutedReporters.reporterType, mutedReporters.reporterId],
        set: { until: row.until, reason: row.reason, mutedBy: row.mutedBy, mutedAt: row.mutedAt },
      });
  }

  async unmute(type: string, id: string, principal: Principal): Promise<boolean> {
    authorize(principal, "decide", "case");
    const r = await this.db
      .delete(mutedReporters)
      .where(and(eq(mutedReporters.reporterType, type), eq(mutedReporters.reporterId, id)))
      .returning();
    return r.length > 0;
  }
}
