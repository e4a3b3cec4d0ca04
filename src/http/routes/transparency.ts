import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { InvalidRequestError } from "../../errors.ts";
import { consistencyAudit } from "../../transparency/consistency.ts";
import { renderConsistencyHtml } from "../../transparency/consistency-html.ts";
import { bulkBatches } from "../../transparency/dsa.ts";
import { reportToCsv, reportToHtml, reportToPdf } from "../../transparency/render.ts";
import { type Period, PeriodError, parseMonth, parsePeriod } from "../../transparency/report.ts";

const PeriodQuery = {
  from: z
    .string()
    .min(10)
    .max(40)
    .describe(
      "YYYY-MM-DD (start of day, UTC) or an RFC 3339 timestamp (e.g. 2021-01-26T00:00:00Z), from 2000-01-01",
    ),
  to: z
    .string()
    .min(10)
    .max(40)
    .describe(
      "YYYY-MM-DD (the whole day, UTC) or an RFC 3339 timestamp, until 9999-12-30 (a date) or 9999-12-31T00:00:00Z",
    ),
};
/** A `PeriodError` is the caller's: a 400 naming the query parameter, like a schema error. */
const asRequestError = <T>(parse: () => T): T => {
  try {
    return parse();
  } catch (e) {
    if (e instanceof PeriodError)
      throw new InvalidRequestError(e.message, {
        issues: [{ path: `querystring.${e.param}`, message: e.message }],
      });
    throw e;
  }
};
const period = (q: { from: string; to: string }): Period => asRequestError(() => parsePeriod(q.from, q.to));

/** Transparency and exports (§7). */
export const transparencyRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/v1/transparency",
      {
        config: { access: ["read", "transparency"] },
        schema: {
          tags: ["transparency"],
          summary:
            "The transparency report for a period, from stored records only; JSON, or csv / html (server-rendered charts) / pdf",
          security: [{ bearer: [] }],
          querystring: z.strictObject({
            ...PeriodQuery,
            format: z.enum(["json", "csv", "html", "pdf"]).default("json"),
            mask: z
              .enum(["true", "false"])
              .default("false")
              .describe('true: counts from 1 to 9 are published as "<10"'),
          }),
        },
      },
      async (req, reply) => {
        const report = await ctx.transparency.report(period(req.query), {
          maskSmallCounts: req.query.mask === "true",
        });
        const name = `vigil-transparency-${req.query.from}-${req.query.to}`;
        switch (req.query.format) {
          case "csv":
            return reply
              .header("content-type", "text/csv; charset=utf-8")
              .header("content-disposition", `attachment; filename="${name}.csv"`)
              .send(reportToCsv(report));
          case "html":
            return reply.header("content-type", "text/html; charset=utf-8").send(reportToHtml(report));
          case "pdf": {
            // Printed before any header is set: without Chromium the 503 is a plain JSON error.
            const pdf = await reportToPdf(report);
            return reply
              .header("content-type", "application/pdf")
              .header("content-disposition", `attachment; filename="${name}.pdf"`)
              .send(pdf);
          }
          default:
            return report;
        }
      },
    );

    app.get(
      "/v1/transparency/monthly",
      {
        config: { access: ["read", "transparency"] },
        schema: {
          tags: ["transparency"],
          summary:
            "Monthly compliance report (IT Rules 2021 r.4(1)(d)): complaints received, action taken, proactive removals",
          security: [{ bearer: [] }],
          querystring: z.strictObject({
            month: z
              .string()
              .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be YYYY-MM")
              .describe("YYYY-MM, from 2000-01 to 9999-11"),
            country: z
              .string()
              .regex(/^[A-Z]{2}$/)
              .default("IN"),
          }),
        },
      },
      async (req) => {
        asRequestError(() => parseMonth(req.query.month));
        return ctx.transparency.monthlyCompliance(req.query.month, req.query.country);
      },
    );

    app.get(
      "/v1/exports/dsa",
      {
        config: { access: ["read", "transparency"] },
        schema: {
          tags: ["transparency"],
          summary:
            "DSA statements of reasons for the period's restrictions with effect in the EEA, each ready for the Transparency Database API",
          security: [{ bearer: [] }],
          querystring: z.strictObject({
            ...PeriodQuery,
            form: z
              .enum(["statements", "batches"])
              .default("statements")
              .describe("batches: bodies of at most 100 statements for the bulk endpoint"),
          }),
        },
      },
      async (req) => {
        const out = await ctx.exports.dsa(period(req.query));
        return req.query.form === "batches"
          ? { batches: bulkBatches(out.statements), skipped: out.skipped, invalid: out.invalid }
          : { statements: out.statements, skipped: out.skipped, invalid: out.invalid };
      },
    );

    app.get(
      "/v1/exports/lumen",
      {
        config: { access: ["read", "transparency"] },
        schema: {
          tags: ["transparency"],
          summary:
            "Lumen notices for the orders received in the period (confidential ones redacted by their profile)",
          security: [{ bearer: [] }],
          querystring: z.strictObject(PeriodQuery),
        },
      },
      async (req) => {
        const { notices } = await ctx.exports.lumen(period(req.query));
        return {
          notices: notices.flatMap((n) =>
            n.kind === "notice" ? [{ ...n.body.notice, redacted: n.redacted }] : [],
          ),
          notPublished: notices.flatMap((n) =>
            n.kind === "not_published" ? [{ orderId: n.orderId, reason: n.reason }] : [],
          ),
        };
      },
    );

    app.get(
      "/v1/audit/consistency",
      {
        config: { access: ["read", "consistency_audit"] },
        schema: {
          tags: ["transparency"],
          summary:
            "The consistency audit: comparable cases grouped, action rates and severity compared across countries, requesters and time; significant differences flagged with their cases",
          security: [{ bearer: [] }],
          querystring: z.strictObject({
            from: PeriodQuery.from.optional(),
            to: PeriodQuery.to.optional(),
            format: z.enum(["json", "html"]).default("json"),
          }),
        },
      },
      async (req, reply) => {
        const p =
          req.query.from && req.query.to ? period({ from: req.query.from, to: req.query.to }) : undefined;
        const report = consistencyAudit(await ctx.exports.auditCases(p));
        if (req.query.format === "html")
          return reply.header("content-type", "text/html; charset=utf-8").send(renderConsistencyHtml(report));
        return report;
      },
    );
  };
