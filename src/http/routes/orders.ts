import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { actorOf } from "../../auth/policy.ts";
import type { AppContext } from "../../context.ts";
import { InvalidRequestError } from "../../errors.ts";
import { DecisionRequest } from "../../legal/decisions.ts";
import { OrderRequest, parseOrderCsv } from "../../legal/order-input.ts";
import { ProtectedEntryRequest } from "../../legal/protected.ts";
import { CorrespondenceRequest } from "../../legal/timeline.ts";
import { ErrorBody } from "../errors.ts";

const Recommendation = z.object({
  outcome: z.enum(["withhold", "temporary_withhold", "global_action", "no_action"]),
  countries: z.array(z.string()).optional(),
  reasons: z.array(z.string()),
  relisted: z.boolean(),
  protectedCategory: z
    .string()
    .optional()
    .describe("the subject (or the post's author) is in the protected-category registry"),
  rule: z.string().optional().describe("the platform rule a global action would cite"),
  botLikelihood: z.number().optional().describe("the detectors' bot likelihood of the account or author"),
  botSignals: z.array(z.string()).optional().describe("the signals that moved it most"),
  campaignCase: z.string().optional().describe("the open campaign case the account belongs to"),
});
const OrderHeader = z.object({
  id: z.string(),
  reference: z.string(),
  authority: z.object({
    name: z.string(),
    country: z.string(),
    type: z.string(),
    officer: z.string().nullable().optional(),
    rank: z.string().nullable().optional(),
  }),
  legalBasis: z.string(),
  receivedAt: z.string(),
  deadline: z.string(),
  reviewDeadline: z.string().nullable(),
  emergency: z.boolean(),
  confidential: z.boolean(),
  status: z.string(),
  itemCount: z.number().int().describe("items in the whole order (a page of `items` may hold fewer)"),
});
const OrderOut = OrderHeader.extend({
  items: z.array(
    z.object({
      id: z.string(),
      position: z.number().int(),
      target: z.string(),
      reason: z.string().nullable(),
      resolution: z.enum(["resolved", "unresolvable", "deleted"]),
      subject: z.object({ type: z.enum(["account", "post", "hashtag"]), id: z.string() }).nullable(),
      resolutionNote: z.string().nullable(),
      recommendation: Recommendation.optional().describe("internal: not shown to requesters"),
      decision: z
        .object({
          outcome: z.string(),
          reason: z.string().optional().describe("internal: not shown to requesters"),
          decidedAt: z.string(),
          seq: z.number().int().nullable().optional(),
        })
        .nullable()
        .optional(),
    }),
  ),
  redacted: z
    .boolean()
    .optional()
    .describe("true when internal notes, or a confidential order's items, are withheld from this key"),
}).meta({ id: "Order" });

/** `6h`, `30m`, `2d` → milliseconds. */
const Duration = z
  .string()
  .regex(/^\d+(m|h|d)$/, "must be a duration like 30m, 6h or 2d")
  .transform(
    (s) =>
      Number(s.slice(0, -1)) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[s.slice(-1) as "m" | "h" | "d"],
  );

const CsvHeader = z.strictObject({
  authorityName: z.string().min(1),
  authorityCountry: z.string(),
  authorityType: z.string(),
  officer: z.string().optional(),
  rank: z.string().optional(),
  legalBasis: z.string().min(1),
  reference: z.string().min(1),
  receivedAt: z.string(),
  deadline: z.string().optional(),
  emergency: z.enum(["true", "false"]).default("false"),
  confidential: z.enum(["true", "false"]).default("false"),
});

/** Legal demands (§2). */
export const orderRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.addContentTypeParser(
      "text/csv",
      { parseAs: "string", bodyLimit: ctx.config.http.ingestBodyLimit },
      (_r, body, done) => done(null, body),
    );

    app.post(
      "/v1/orders",
      {
        config: { access: ["create", "order"] },
        bodyLimit: ctx.config.http.ingestBodyLimit,
        schema: {
          tags: ["legal"],
          summary: "Submit a legal demand; every item is resolved and gets a recommendation",
          security: [{ bearer: [] }],
          body: OrderRequest,
          response: {
            200: z.object({ order: OrderOut, duplicate: z.literal(true) }),
            201: z.object({ order: OrderOut, duplicate: z.literal(false) }),
            400: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (req, reply) => {
        const r = await ctx.orders.submit(req.body, req.principal);
        return reply.status(r.duplicate ? 200 : 201).send(r as never);
      },
    );

    app.post(
      "/v1/orders/import",
      {
        config: { access: ["create", "order"] },
        bodyLimit: ctx.config.http.ingestBodyLimit,
        schema: {
          tags: ["legal"],
          summary:
            "Submit a legal demand as CSV (columns target,reason); the order's other fields go in the query",
          security: [{ bearer: [] }],
          consumes: ["text/csv"],
          querystring: CsvHeader,
          body: z.string(),
          response: {
            200: z.object({ order: OrderOut, duplicate: z.literal(true) }),
            201: z.object({ order: OrderOut, duplicate: z.literal(false) }),
            400: ErrorBody,
          },
        },
      },
      async (req, reply) => {
        const q = req.query;
        const parsed = parseOrderCsv(req.body, {
          authority: {
            name: q.authorityName,
            country: q.authorityCountry,
            type: q.authorityType,
            officer: q.officer,
            rank: q.rank,
          },
          legalBasis: q.legalBasis,
          reference: q.reference,
          receivedAt: q.receivedAt,
          deadline: q.deadline ?? null,
          emergency: q.emergency === "true",
          confidential: q.confidential === "true",
        } as never);
        if ("rows" in parsed)
          throw new InvalidRequestError(
            `the CSV was rejected and nothing was stored: ${parsed.rows.length} bad row(s); first: row ${parsed.rows[0]!.row}: ${parsed.rows[0]!.message}`,
            { rows: parsed.rows },
            "invalid_order",
          );
        const r = await ctx.orders.submit(parsed.order, req.principal);
        return reply.status(r.duplicate ? 200 : 201).send(r as never);
      },
    );

    app.post(
      "/v1/orders/:id/decisions",
      {
        config: { access: ["decide", "order"] },
        bodyLimit: ctx.config.http.ingestBodyLimit,
        schema: {
          tags: ["legal"],
          summary:
            "Record decisions per item or in bulk (with per-item overrides); restricting ones go to the ledger",
          security: [{ bearer: [] }],
          params: z.strictObject({ id: z.string().min(1).max(100) }),
          body: DecisionRequest,
          response: {
            200: z.object({
              decided: z.number().int(),
              ledgerEntries: z.number().int(),
              items: z.array(
                z.object({ item: z.string(), outcome: z.string(), seq: z.number().int().nullable() }),
              ),
              status: z.string(),
            }),
            400: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (req) => {
        const r = await ctx.decisions.decide(req.params.id, req.body, req.principal);
        await ctx.visibility.waitFor(Math.max(0, ...r.items.map((i) => i.seq ?? 0)), 2000);
        const order = await ctx.orders.get(req.params.id, req.principal);
        return { ...r, status: order.status };
      },
    );

    app.post(
      "/v1/protected",
      {
        config: { access: ["create", "protected_registry"] },
        schema: {
          tags: ["legal"],
          summary:
            "Register (or re-verify) accounts in the protected-category registry; the key is recorded as verifier",
          security: [{ bearer: [] }],
          body: z.strictObject({ entries: z.array(ProtectedEntryRequest).min(1).max(10_000) }),
          response: { 200: z.object({ registered: z.number().int() }), 400: ErrorBody },
        },
      },
      async (req) => ({
        registered: await ctx.protectedRegistry.upsert(req.body.entries, actorOf(req.principal)),
      }),
    );

    app.get(
      "/v1/protected",
      {
        config: { access: ["read", "protected_registry"] },
        schema: {
          tags: ["legal"],
          summary: "The protected-category registry, with who verified each entry and when",
          security: [{ bearer: [] }],
          response: {
            200: z.object({
              entries: z.array(
                z.object({
                  accountId: z.string(),
                  category: z.string(),
                  verifiedBy: z.string(),
                  verifiedAt: z.string(),
                  note: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async () => ({ entries: await ctx.protectedRegistry.list() }),
    );

    app.get(
      "/v1/audit/confidential-reads",
      {
        config: { access: ["read", "audit"] },
        schema: {
          tags: ["legal"],
          summary: "Who read confidential orders, and when (admins and auditors)",
          security: [{ bearer: [] }],
          querystring: z.strictObject({ order: z.string().min(1).max(100).optional() }),
          response: {
            200: z.object({
              reads: z.array(
                z.object({ keyId: z.string(), role: z.string(), orderId: z.string(), at: z.string() }),
              ),
            }),
          },
        },
      },
      async (req) => ({ reads: await ctx.orders.confidentialReads(req.query.order) }),
    );

    app.post(
      "/v1/orders/:id/correspondence",
      {
        config: { access: ["decide", "order"] },
        schema: {
          tags: ["legal"],
          summary:
            "Record a non-compliance notice, letter or response against an order, with its own deadline",
          security: [{ bearer: [] }],
          params: z.strictObject({ id: z.string().min(1).max(100) }),
          body: CorrespondenceRequest,
          response: { 201: z.object({ id: z.string() }), 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await ctx.timeline.record(req.params.id, req.body, req.principal)),
    );

    app.get(
      "/v1/orders/:id/timeline",
      {
        config: { access: ["read", "order"] },
        schema: {
          tags: ["legal"],
          summary: "Everything that happened to an order, in order",
          security: [{ bearer: [] }],
          params: z.strictObject({ id: z.string().min(1).max(100) }),
          response: {
            200: z.object({
              events: z.array(
                z.object({
                  at: z.string(),
                  kind: z.string(),
                  summary: z.string(),
                  ref: z.union([z.string(), z.number()]).optional(),
                }),
              ),
            }),
            404: ErrorBody,
          },
        },
      },
      async (req) => ({ events: await ctx.timeline.timeline(req.params.id, req.principal) }),
    );

    app.get(
      "/v1/orders/:id",
      {
        config: { access: ["read", "order"] },
        schema: {
          tags: ["legal"],
          summary: "An order with its items, resolutions and recommendations",
          security: [{ bearer: [] }],
          params: z.strictObject({ id: z.string().min(1).max(100) }),
          querystring: z.strictObject({
            offset: z.coerce
              .number()
              .int()
              .min(0)
              .default(0)
              .describe("items to skip, in position order (for reading a long order in pages)"),
            limit: z.coerce
              .number()
              .int()
              .min(1)
              .max(100_000)
              .optional()
              .describe("items to return; all when absent"),
          }),
          response: { 200: OrderOut, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      // Hand-serialized: a 10,000-item order is megabytes of JSON, and the schema above (kept for the
      // OpenAPI document) is what the service builds; running it through the response validator cost
      // most of the request.
      async (req, reply) =>
        reply.type("application/json; charset=utf-8").send(
          (await ctx.orders.getJson(req.params.id, req.principal, {
            offset: req.query.offset,
            limit: req.query.limit,
          })) as never,
        ),
    );

    app.get(
      "/v1/orders",
      {
        config: { access: ["read", "order"] },
        schema: {
          tags: ["legal"],
          summary: "Orders, soonest deadline first; due_within=6h lists what is due",
          security: [{ bearer: [] }],
          querystring: z.strictObject({ due_within: Duration.optional() }),
          response: { 200: z.object({ orders: z.array(OrderHeader) }) },
        },
      },
      async (req) =>
        ({ orders: await ctx.orders.list(req.principal, { dueWithinMs: req.query.due_within }) }) as never,
    );
  };
