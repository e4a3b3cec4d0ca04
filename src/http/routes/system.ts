import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ROLES } from "../../auth/policy.ts";
import type { AppContext } from "../../context.ts";
import { Checkpoint, verifyCheckpoint } from "../../ledger/checkpoints.ts";
import { verifyLedger } from "../../ledger/verify.ts";
import { ErrorBody } from "../errors.ts";

/** Health, API keys and ledger verification. */
export const systemRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/healthz",
      {
        schema: {
          tags: ["system"],
          summary: "Ready to serve",
          response: {
            200: z.object({
              status: z.literal("ok"),
              store: z.string(),
              ledgerSeq: z.number().int(),
              resolver: z
                .object({
                  asOf: z.number().int(),
                  behind: z.number().int(),
                  lastSyncAt: z.string().nullable(),
                  lagMs: z.number().nullable(),
                  lastError: z.string().nullable(),
                })
                .describe("the read-path index: the seq it reflects and how far behind the ledger it may be"),
            }),
          },
        },
      },
      async () => ({
        status: "ok" as const,
        store: ctx.store.kind,
        ledgerSeq: await ctx.ledger.headSeq(),
        resolver: ctx.visibility.health(),
      }),
    );

    app.post(
      "/v1/keys",
      {
        config: { access: ["create", "api_key"] },
        schema: {
          tags: ["system"],
          summary: "Mint an API key (admin)",
          security: [{ bearer: [] }],
          body: z.strictObject({
            role: z.enum(ROLES),
            authority: z.string().min(1).max(200).nullable().default(null),
            label: z.string().max(200).nullable().default(null),
          }),
          response: {
            201: z.object({
              id: z.string(),
              key: z.string(),
              role: z.enum(ROLES),
              authority: z.string().nullable(),
            }),
            400: ErrorBody,
          },
        },
      },
      async (req, reply) => {
        const key = await ctx.keys.create(req.body.role, {
          authority: req.body.authority,
          label: req.body.label,
        });
        return reply.status(201).send(key);
      },
    );

    app.get(
      "/v1/ledger/verify",
      {
        config: { access: ["verify", "ledger"] },
        schema: {
          tags: ["ledger"],
          summary: "Re-walk the hash chain and name the first broken entry",
          security: [{ bearer: [] }],
          response: {
            200: z.object({
              ok: z.boolean(),
              checked: z.number().int(),
              headSeq: z.number().int(),
              headHash: z.string(),
              firstBroken: z.object({ seq: z.number().int(), problem: z.string() }).nullable(),
            }),
          },
        },
      },
      async () => verifyLedger(ctx.store.db),
    );

    app.get(
      "/v1/ledger/checkpoints",
      {
        config: { access: ["read", "ledger"] },
        schema: {
          tags: ["ledger"],
          summary: "Signed checkpoints, newest first: Ed25519 over `vigil-checkpoint/1\\n<seq>\\n<hash>`",
          security: [{ bearer: [] }],
          querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
          response: {
            200: z.object({
              publicKey: z.string().describe("this server's signing key, SPKI DER base64"),
              keyId: z.string(),
              checkpoints: z.array(Checkpoint),
            }),
          },
        },
      },
      async (req) => ({
        ...ctx.checkpoints.publicKey,
        checkpoints: await ctx.checkpoints.list(req.query.limit),
      }),
    );

    app.post(
      "/v1/ledger/checkpoints/verify",
      {
        config: { access: ["verify", "ledger"] },
        schema: {
          tags: ["ledger"],
          summary:
            "Prove a published checkpoint (e.g. from a transparency report) matches this ledger: signature, key, chain and the hash at its seq",
          security: [{ bearer: [] }],
          body: z.strictObject({
            checkpoint: Checkpoint,
            trustedPublicKey: z.string().optional().describe("the key the checkpoint must be signed with"),
          }),
          response: {
            200: z.object({
              ok: z.boolean(),
              signatureValid: z.boolean(),
              keyTrusted: z.boolean().nullable(),
              chainValid: z.boolean(),
              hashMatches: z.boolean(),
              problem: z.string().nullable(),
            }),
            400: ErrorBody,
          },
        },
      },
      async (req) => verifyCheckpoint(ctx.store.db, req.body.checkpoint, req.body.trustedPublicKey),
    );
  };
