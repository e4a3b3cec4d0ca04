import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { InvalidRequestError } from "../../errors.ts";
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES } from "../../legal/attachments.ts";
import { ConfirmRequest, RestoreRequest } from "../../legal/measures.ts";
import { SendResponseRequest } from "../../legal/response.ts";
import { ErrorBody } from "../errors.ts";

const Params = z.strictObject({ id: z.string().min(1).max(100) });
const MeasureResult = z.object({
  items: z.array(z.object({ item: z.string(), seq: z.number().int() })),
  status: z.string(),
});
const ComplianceResponse = z
  .object({
    orderId: z.string(),
    reference: z.string(),
    to: z.string(),
    generatedAt: z.string(),
    summary: z.record(z.string(), z.number().int()),
    items: z.array(
      z.object({ item: z.string(), target: z.string(), outcome: z.string(), statement: z.string() }),
    ),
    text: z.string(),
  })
  .meta({ id: "ComplianceResponse" });
const Attachment = z
  .object({
    id: z.string().nullable(),
    filename: z.string(),
    contentType: z.string(),
    sha256: z.string(),
    size: z.number().int().nullable(),
    listed: z.boolean().describe("the order named this digest when it was submitted"),
    stored: z.boolean().describe("false: listed by the order, not uploaded yet"),
    uploadedAt: z.string().nullable(),
  })
  .meta({ id: "Attachment" });

/** What follows a decision: emergency confirmation, restoration, the compliance response, documents. */
export const orderFollowupRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    for (const type of ATTACHMENT_TYPES.filter((t) => t !== "text/plain"))
      app.addContentTypeParser(
        type,
        { parseAs: "buffer", bodyLimit: MAX_ATTACHMENT_BYTES },
        (_r, body, done) => done(null, body),
      );

    const settle = async (items: { seq: number }[]) =>
      ctx.visibility.waitFor(Math.max(0, ...items.map((i) => i.seq)), 2000);

    app.post(
      "/v1/orders/:id/confirm",
      {
        config: { access: ["decide", "order"] },
        schema: {
          tags: ["legal"],
          summary:
            "Confirm an emergency order by its final order: the temporary withholdings become permanent",
          security: [{ bearer: [] }],
          params: Params,
          body: ConfirmRequest,
          response: { 200: MeasureResult, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req) => {
        const r = await ctx.measures.confirm(req.params.id, req.body, req.principal);
        await settle(r.items);
        return { ...r, status: (await ctx.orders.get(req.params.id, req.principal)).status };
      },
    );

    app.post(
      "/v1/orders/:id/restore",
      {
        config: { access: ["decide", "order"] },
        schema: {
          tags: ["legal"],
          summary:
            "Restore items (order withdrawn, revoked or set aside): recorded reversals of the entries that carried them out",
          security: [{ bearer: [] }],
          params: Params,
          body: RestoreRequest,
          response: { 200: MeasureResult, 400: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (req) => {
        const r = await ctx.measures.restore(req.params.id, req.body, req.principal);
        await settle(r.items);
        return { ...r, status: (await ctx.orders.get(req.params.id, req.principal)).status };
      },
    );

    app.get(
      "/v1/orders/:id/response",
      {
        config: { access: ["read", "order"] },
        schema: {
          tags: ["legal"],
          summary:
            "The compliance response to the authority, built from the recorded decisions (requesters read their own orders')",
          security: [{ bearer: [] }],
          params: Params,
          querystring: z.strictObject({ note: z.string().max(4000).optional() }),
          response: { 200: ComplianceResponse, 404: ErrorBody },
        },
      },
      async (req) => ctx.responses.preview(req.params.id, req.principal, req.query.note),
    );

    app.post(
      "/v1/orders/:id/response",
      {
        config: { access: ["decide", "order"] },
        schema: {
          tags: ["legal"],
          summary:
            "Send the compliance response: recorded as outgoing correspondence and announced by webhook",
          security: [{ bearer: [] }],
          params: Params,
          body: SendResponseRequest,
          response: { 201: z.object({ id: z.string(), response: ComplianceResponse }), 404: ErrorBody },
        },
      },
      async (req, reply) =>
        reply.status(201).send(await ctx.responses.send(req.params.id, req.body, req.principal)),
    );

    app.get(
      "/v1/orders/:id/items/:item/similar",
      {
        config: { access: ["decide", "order"] },
        schema: {
          tags: ["legal"],
          summary:
            "The earlier decided cases most like this item (category, severity signals, reach), with what was decided",
          security: [{ bearer: [] }],
          params: z.strictObject({ id: z.string().min(1).max(100), item: z.string().min(1).max(200) }),
          querystring: z.strictObject({ k: z.coerce.number().int().min(1).max(50).default(5) }),
          response: {
            200: z.object({
              similar: z.array(
                z.object({
                  case: z.record(z.string(), z.unknown()),
                  distance: z.number(),
                  outcome: z.string(),
                  severityRank: z.number(),
                }),
              ),
            }),
          },
        },
      },
      async (req) => {
        await ctx.orders.get(req.params.id, req.principal);
        return { similar: (await ctx.exports.similarForItem(req.params.item, req.query.k)) as never };
      },
    );

    app.post(
      "/v1/orders/:id/attachments",
      {
        config: { access: ["create", "order"] },
        bodyLimit: MAX_ATTACHMENT_BYTES,
        schema: {
          tags: ["legal"],
          summary: `Attach a document (${ATTACHMENT_TYPES.join(", ")}) as the raw request body; stored with its SHA-256`,
          security: [{ bearer: [] }],
          consumes: [...ATTACHMENT_TYPES],
          params: Params,
          querystring: z.strictObject({ filename: z.string().min(1).max(255) }),
          response: {
            200: z.object({ attachment: Attachment, duplicate: z.literal(true) }),
            201: z.object({ attachment: Attachment, duplicate: z.literal(false) }),
            400: ErrorBody,
            404: ErrorBody,
          },
        },
      },
      async (req, reply) => {
        const body = req.body as unknown;
        const content = Buffer.isBuffer(body) ? body : typeof body === "string" ? Buffer.from(body) : null;
        if (!content) throw new InvalidRequestError("send the document itself as the request body");
        const r = await ctx.attachments.upload(
          req.params.id,
          { filename: req.query.filename, contentType: req.headers["content-type"] ?? "", content },
          req.principal,
        );
        return reply.status(r.duplicate ? 200 : 201).send(r as never);
      },
    );

    app.get(
      "/v1/orders/:id/attachments",
      {
        config: { access: ["read", "order"] },
        schema: {
          tags: ["legal"],
          summary: "The order's documents, and those it listed that are not uploaded yet",
          security: [{ bearer: [] }],
          params: Params,
          response: { 200: z.object({ attachments: z.array(Attachment) }), 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (req) => ({ attachments: await ctx.attachments.list(req.params.id, req.principal) }),
    );

    app.get(
      "/v1/orders/:id/attachments/:attachment",
      {
        config: { access: ["read", "order"] },
        schema: {
          tags: ["legal"],
          summary: "Download one document; the digest is sent as the `digest` header (sha-256)",
          security: [{ bearer: [] }],
          params: z.strictObject({ id: z.string().min(1).max(100), attachment: z.string().min(1).max(100) }),
        },
      },
      async (req, reply) => {
        const a = await ctx.attachments.download(req.params.id, req.params.attachment, req.principal);
        return reply
          .header("content-type", a.contentType)
          .header("content-disposition", `attachment; filename="${a.filename.replace(/["\\\r\n]/g, "_")}"`)
          .header("digest", `sha-256=${Buffer.from(a.sha256, "hex").toString("base64")}`)
          .header("x-content-sha256", a.sha256)
          .send(a.content);
      },
    );
  };
