import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { APPEAL_STATES, AppealDecisionRequest, AppealRequest } from "../../appeals/appeals.ts";
import type { AppContext } from "../../context.ts";
import { ErrorBody } from "../errors.ts";

const Appeal = z
  .object({
    id: z.string(),
    subject: z.object({ type: z.string(), id: z.string() }),
    entry: z.number().int().describe("the ledger entry appealed against"),
    action: z.string(),
    orderId: z.string().nullable(),
    itemId: z.string().nullable(),
    appellant: z.string(),
    text: z.string(),
    receivedAt: z.string(),
    state: z.enum(APPEAL_STATES),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionReason: z.string().nullable(),
    restoreSeq: z.number().int().nullable().describe("the recorded reversal written when granted"),
  })
  .meta({ id: "Appeal" });
const Params = z.strictObject({ id: z.string().min(1).max(100) });

/** Appeals against enforcement: filed, queued, decided; granting one writes the recorded reversal. */
export const appealRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/v1/appeals",
      {
        config: { access: ["create", "appeal"] },
        schema: {
          tags: ["appeals"],
          summary:
            "File an appeal against an enforcement (default: the latest restriction in force on the subject)",
          security: [{ bearer: [] }],
          body: AppealRequest,
          response: { 201: Appeal, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req, reply) => reply.status(201).send(await ctx.appeals.file(req.body, req.principal)),
    );
    app.get(
      "/v1/appeals",
      {
        config: { access: ["read", "appeal"] },
        schema: {
          tags: ["appeals"],
          summary: "The appeals queue, oldest first",
          security: [{ bearer: [] }],
          querystring: z.strictObject({ state: z.enum(APPEAL_STATES).optional() }),
          response: { 200: z.object({ appeals: z.array(Appeal) }) },
        },
      },
      async (req) => ({ appeals: await ctx.appeals.list(req.principal, req.query.state) }),
    );
    app.get(
      "/v1/appeals/:id",
      {
        config: { access: ["read", "appeal"] },
        schema: {
          tags: ["appeals"],
          summary: "One appeal",
          security: [{ bearer: [] }],
          params: Params,
          response: { 200: Appeal, 404: ErrorBody },
        },
      },
      async (req) => ctx.appeals.get(req.params.id, req.principal),
    );
    app.post(
      "/v1/appeals/:id/decision",
      {
        config: { access: ["decide", "appeal"] },
        schema: {
          tags: ["appeals"],
          summary:
            "Grant (the restriction is lifted by a recorded reversal) or deny an appeal, with a reason",
          security: [{ bearer: [] }],
          params: Params,
          body: AppealDecisionRequest,
          response: { 200: Appeal, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req) => {
        const a = await ctx.appeals.decide(req.params.id, req.body, req.principal);
        if (a.restoreSeq) await ctx.visibility.waitFor(a.restoreSeq, 2000);
        return a;
      },
    );
  };
