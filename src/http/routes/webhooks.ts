import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { WebhookRequest } from "../../outbox/webhooks.ts";
import { ErrorBody } from "../errors.ts";

const Webhook = z
  .object({
    id: z.string(),
    url: z.string(),
    topics: z.array(z.string()),
    createdBy: z.string(),
    createdAt: z.string(),
    disabledAt: z.string().nullable(),
  })
  .meta({ id: "Webhook" });
const Params = z.strictObject({ id: z.string().min(1).max(100) });

/** Webhook subscriptions: events leave through the outbox, signed (`Vigil-Signature`), with retries. */
export const webhookRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/v1/webhooks",
      {
        config: { access: ["create", "webhook"] },
        schema: {
          tags: ["webhooks"],
          summary:
            'Subscribe a URL to event topics; deliveries carry `Vigil-Signature: t=<unix>,v1=<HMAC-SHA256 hex of "t.body">`',
          security: [{ bearer: [] }],
          body: WebhookRequest,
          response: {
            201: Webhook.extend({ secret: z.string().describe("the signing secret; shown only now") }),
            400: ErrorBody,
          },
        },
      },
      async (req, reply) => reply.status(201).send(await ctx.webhooks.create(req.body, req.principal)),
    );
    app.get(
      "/v1/webhooks",
      {
        config: { access: ["read", "webhook"] },
        schema: {
          tags: ["webhooks"],
          summary: "Webhook subscriptions",
          security: [{ bearer: [] }],
          response: { 200: z.object({ webhooks: z.array(Webhook) }) },
        },
      },
      async (req) => ({ webhooks: await ctx.webhooks.list(req.principal) }),
    );
    app.delete(
      "/v1/webhooks/:id",
      {
        config: { access: ["create", "webhook"] },
        schema: {
          tags: ["webhooks"],
          summary: "Disable a subscription; its pending deliveries are dropped",
          security: [{ bearer: [] }],
          params: Params,
          response: { 200: Webhook, 404: ErrorBody },
        },
      },
      async (req) => ctx.webhooks.disable(req.params.id, req.principal),
    );
    app.get(
      "/v1/webhooks/:id/deliveries",
      {
        config: { access: ["read", "webhook"] },
        schema: {
          tags: ["webhooks"],
          summary: "Recent deliveries of a subscription, with attempts, last status and error",
          security: [{ bearer: [] }],
          params: Params,
          response: {
            200: z.object({
              deliveries: z.array(
                z.object({
                  event: z.number().int(),
                  topic: z.string(),
                  status: z.string(),
                  attempts: z.number().int(),
                  nextAttemptAt: z.string().nullable(),
                  lastStatus: z.number().int().nullable(),
                  lastError: z.string().nullable(),
                  deliveredAt: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (req) => ({ deliveries: await ctx.webhooks.deliveries(req.params.id, req.principal) }),
    );
  };
