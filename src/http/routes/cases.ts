import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { CASE_KINDS, CASE_STATES, CaseTransition } from "../../cases/cases.ts";
import { DETECTORS, DetectorSettingRequest } from "../../cases/detection.ts";
import { CaseActionRequest } from "../../cases/enforce.ts";
import { MuteRequest, ReportRequest } from "../../cases/reports.ts";
import type { AppContext } from "../../context.ts";
import { NotFoundError } from "../../errors.ts";
import { ErrorBody } from "../errors.ts";

const Subject = z.object({
  type: z.enum(["account", "post", "hashtag"]),
  id: z.string(),
  score: z.number().nullable(),
  why: z.array(z.string()).optional(),
});
const CaseOut = z
  .object({
    id: z.string(),
    kind: z.enum(CASE_KINDS),
    state: z.enum(CASE_STATES),
    title: z.string(),
    subjects: z.array(Subject),
    evidence: z.record(z.string(), z.unknown()).describe("what the detector or the reporters saw"),
    priority: z.number().int(),
    assignee: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
    resolution: z.string().nullable(),
    history: z
      .array(
        z.object({
          id: z.number().int(),
          at: z.string(),
          actor: z.string(),
          kind: z.string(),
          body: z.record(z.string(), z.unknown()),
        }),
      )
      .optional(),
  })
  .meta({ id: "Case" });
const Params = z.strictObject({ id: z.string().min(1).max(100) });
const DetectorSetting = z
  .object({
    id: z.number().int(),
    detector: z.string(),
    threshold: z.number().nullable(),
    action: z.string().nullable(),
    rule: z.string().nullable(),
    reason: z.string(),
    setBy: z.string(),
    setAt: z.string(),
  })
  .meta({ id: "DetectorSetting" });

/** Reports and review cases (§6). */
export const caseRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/v1/reports",
      {
        config: { access: ["create", "report"] },
        schema: {
          tags: ["cases"],
          summary: "A user or trusted-flagger report; it joins the subject's open report case",
          security: [{ bearer: [] }],
          body: ReportRequest,
          response: {
            201: z.object({
              id: z.string(),
              case: z.string().nullable(),
              muted: z.boolean().describe("the reporter is muted: the report is kept but raises no case"),
            }),
            400: ErrorBody,
          },
        },
      },
      async (req, reply) => reply.status(201).send(await ctx.reports.file(req.body, req.principal)),
    );

    app.post(
      "/v1/reporters/mute",
      {
        config: { access: ["decide", "case"] },
        schema: {
          tags: ["cases"],
          summary: "Mute a noisy reporter: their reports are kept but raise no case",
          security: [{ bearer: [] }],
          body: MuteRequest,
          response: { 204: z.null(), 400: ErrorBody },
        },
      },
      async (req, reply) => {
        await ctx.reports.mute(req.body, req.principal);
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/v1/cases",
      {
        config: { access: ["read", "case"] },
        schema: {
          tags: ["cases"],
          summary: "Review cases by queue (kind) and state, highest priority first",
          security: [{ bearer: [] }],
          querystring: z.strictObject({
            kind: z.enum(CASE_KINDS).optional(),
            state: z.enum(CASE_STATES).optional(),
            assignee: z.string().max(200).optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(100),
            offset: z.coerce.number().int().min(0).default(0),
          }),
          response: {
            200: z.object({
              cases: z.array(CaseOut),
              total: z.number().int().describe("cases matching kind, state and assignee, in all"),
            }),
          },
        },
      },
      async (req) => ({
        cases: await ctx.cases.list(req.principal, req.query),
        total: await ctx.cases.count(req.principal, req.query),
      }),
    );

    app.get(
      "/v1/cases/:id",
      {
        config: { access: ["read", "case"] },
        schema: {
          tags: ["cases"],
          summary: "One case with its full evidence and history",
          security: [{ bearer: [] }],
          params: Params,
          response: { 200: CaseOut, 404: ErrorBody },
        },
      },
      async (req) => ctx.cases.get(req.params.id, req.principal),
    );

    app.post(
      "/v1/cases/:id/transitions",
      {
        config: { access: ["decide", "case"] },
        schema: {
          tags: ["cases"],
          summary: "Assign, escalate, add a note, close or reopen",
          security: [{ bearer: [] }],
          params: Params,
          body: CaseTransition,
          response: { 200: CaseOut, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req) => ctx.cases.transition(req.params.id, req.body, req.principal),
    );

    app.get(
      "/v1/detectors",
      {
        config: { access: ["read", "detector"] },
        schema: {
          tags: ["cases"],
          summary: "Detectors, their automatic-action thresholds (none by default) and every change to them",
          security: [{ bearer: [] }],
          response: {
            200: z.object({
              detectors: z.array(z.object({ detector: z.string(), settings: z.array(DetectorSetting) })),
            }),
          },
        },
      },
      async () => ({
        detectors: await Promise.all(
          DETECTORS.map(async (d) => ({ detector: d, settings: await ctx.detection.history(d) })),
        ),
      }),
    );

    app.put(
      "/v1/detectors/:name",
      {
        config: { access: ["configure", "detector"] },
        schema: {
          tags: ["cases"],
          summary:
            "Admins only: let a detector suspend campaign members at or above a threshold (null: cases only). Recorded and logged.",
          security: [{ bearer: [] }],
          params: z.strictObject({ name: z.string().min(1).max(64) }),
          body: DetectorSettingRequest,
          response: { 200: DetectorSetting, 400: ErrorBody, 403: ErrorBody },
        },
      },
      async (req) => ctx.detection.configure(req.params.name, req.body, req.principal),
    );

    app.post(
      "/v1/detectors/scan",
      {
        config: { access: ["decide", "case"] },
        schema: {
          tags: ["cases"],
          summary: "Re-cluster campaigns now and raise or update their cases",
          security: [{ bearer: [] }],
          response: { 200: z.object({ flaggedCampaigns: z.number().int() }) },
        },
      },
      async () => ({ flaggedCampaigns: await ctx.detection.scan() }),
    );

    app.get(
      "/v1/accounts/:id/signals",
      {
        config: { access: ["read", "case"] },
        schema: {
          tags: ["cases"],
          summary:
            "An account's bot likelihood with every signal that moved it, its coordination score and campaign case",
          security: [{ bearer: [] }],
          params: z.strictObject({ id: z.string().min(1).max(128) }),
          response: {
            200: z.object({
              accountId: z.string(),
              score: z.number().describe("bot likelihood, 0..1"),
              signals: z.array(
                z.object({ signal: z.string(), value: z.unknown(), logit: z.number(), effect: z.number() }),
              ),
              coordination: z.number(),
              campaignId: z.string().nullable(),
              campaignCase: z.string().nullable(),
            }),
            404: ErrorBody,
          },
        },
      },
      async (req) => {
        const r = ctx.detection.accountReport(req.params.id);
        if (!r) throw new NotFoundError(`the detectors have not seen account '${req.params.id}'`);
        return {
          ...r,
          campaignCase: ctx.detection.campaignCaseOf(r.accountId, r.campaignId),
        };
      },
    );

    app.post(
      "/v1/cases/:id/actions",
      {
        config: { access: ["decide", "case"] },
        schema: {
          tags: ["cases"],
          summary:
            "Apply one action to the case's accounts or posts, with exclusions; protected accounts need an explicit justification",
          security: [{ bearer: [] }],
          params: Params,
          body: CaseActionRequest,
          response: {
            200: z.object({
              case: z.string(),
              dryRun: z.boolean(),
              applied: z.array(
                z.object({
                  subject: z.object({ type: z.string(), id: z.string() }),
                  seq: z.number().int().nullable(),
                }),
              ),
              excluded: z.array(z.string()),
              protectedIncluded: z.array(z.object({ id: z.string(), category: z.string() })),
            }),
            400: ErrorBody,
            404: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (req) => {
        const r = await ctx.enforcer.act(req.params.id, req.body, req.principal);
        const last = Math.max(0, ...r.applied.map((a) => a.seq ?? 0));
        if (last > 0) await ctx.visibility.waitFor(last, 2000);
        return r;
      },
    );
  };
