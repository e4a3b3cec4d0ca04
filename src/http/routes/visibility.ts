import { Readable } from "node:stream";
import { type FastifyPluginAsyncZod, validatorCompiler } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { SURFACES } from "../../domain/model.ts";
import { PlatformId } from "../../ingest/events.ts";
import { CountryCode } from "../../ledger/actions.ts";
import { VISIBILITY_ACTIONS } from "../../visibility/policy.ts";
import { ALLOW_DECISION, type ResolveItem } from "../../visibility/resolver.ts";
import { projectionSnapshot } from "../../visibility/service.ts";
import { ErrorBody } from "../errors.ts";
import { fastResolveRequest, fastResolveText } from "../fast-resolve.ts";

const RESOLVE_BODY_LIMIT = 8 * 1024 * 1024;
const ALLOW_JSON = JSON.stringify(ALLOW_DECISION);
/** Bodies already checked while they were read from their text (see fastResolveText). */
const checkedBodies = new WeakSet<object>();

const EmbeddedRef = z.strictObject({ postId: PlatformId, authorId: PlatformId.nullable().optional() });
/** One item: a post (with what is known about it), an account, or a hashtag. */
const Item = z.union([
  z.strictObject({
    postId: PlatformId,
    authorId: PlatformId.nullable()
      .optional()
      .describe("the post's author; looked up from ingested posts when absent"),
    quoteOf: EmbeddedRef.nullable().optional(),
    replyTo: EmbeddedRef.nullable().optional(),
    repostOf: EmbeddedRef.nullable()
      .optional()
      .describe(
        "the post this one reposts (shown only where that post may be); looked up from ingested posts when authorId is absent",
      ),
    hashtags: z.array(z.string().min(1).max(280)).max(50).nullable().optional(),
  }),
  z.strictObject({ accountId: PlatformId }),
  z.strictObject({ hashtag: z.string().min(1).max(280) }),
]);

export const ResolveRequest = z.strictObject({
  viewer: z.strictObject({
    country: CountryCode.nullable().default(null).describe("ISO 3166-1 alpha-2; when null, derived from ip"),
    accountId: PlatformId.nullable().default(null),
    ip: z.union([z.ipv4(), z.ipv6()]).nullable().default(null),
  }),
  surface: z.enum(SURFACES),
  items: z.array(Item).min(1).max(10_000),
});

const Notice = z.object({
  kind: z.string(),
  countries: z.array(z.string()).optional(),
  basis: z.string().optional(),
  text: z.string(),
});
const DecisionOut: z.ZodType = z.lazy(() =>
  z.object({
    action: z.enum(VISIBILITY_ACTIONS),
    rule: z.string().optional(),
    notice: Notice.optional(),
    labels: z.array(z.string()).optional(),
    embedded: z
      .object({
        quote: DecisionOut.optional(),
        replyTo: DecisionOut.optional(),
        repostOf: DecisionOut.optional(),
      })
      .optional(),
    explain: z
      .array(
        z.object({ rule: z.string(), matched: z.boolean(), action: z.string().nullable(), why: z.string() }),
      )
      .optional(),
  }),
);

/** The read path (§4). */
export const visibilityRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    // This route carries the platform's read traffic. A body written as JSON.stringify writes it is read
    // straight from its text, and checked on the way (fastResolveText); any other body is parsed with
    // plain JSON.parse: the strict schema below rejects any key it does not name (a "__proto__" key
    // included), which is what the default parser's poisoning scan protects against, at a fraction of
    // the cost.
    app.addContentTypeParser(
      "application/json",
      { parseAs: "string", bodyLimit: RESOLVE_BODY_LIMIT },
      (_req, body, done) => {
        const fast = fastResolveText(body as string);
        if (fast !== undefined) {
          checkedBodies.add(fast);
          done(null, fast);
          return;
        }
        try {
          done(null, JSON.parse(body as string));
        } catch (e) {
          const err = e as Error & { statusCode?: number };
          err.statusCode = 400;
          done(err, undefined);
        }
      },
    );

    app.post(
      "/v1/visibility/resolve",
      {
        config: { access: ["read", "visibility"] },
        bodyLimit: RESOLVE_BODY_LIMIT,
        // zod validates, with a measured fast path for the body in front of it (see fast-resolve.ts).
        validatorCompiler: (route) => {
          const zod = validatorCompiler(route as never);
          if (route.httpPart !== "body") return zod;
          return (data: unknown) => {
            if (checkedBodies.has(data as object)) return { value: data };
            const fast = fastResolveRequest(data);
            return fast === undefined ? zod(data) : { value: fast };
          };
        },
        schema: {
          tags: ["visibility"],
          summary: "Decide, per item, what a viewer in a country sees on a surface",
          security: [{ bearer: [] }],
          querystring: z.strictObject({ explain: z.enum(["0", "1", "true", "false"]).optional() }),
          body: ResolveRequest,
          response: {
            200: z.object({
              decisions: z.array(DecisionOut),
              asOf: z.number().int().describe("the ledger seq the decisions reflect"),
              viewerCountry: z
                .string()
                .nullable()
                .describe("the country decided on (given, or derived from the IP)"),
            }),
            400: ErrorBody,
          },
        },
      },
      async (req, reply) => {
        const { viewer, surface } = req.body;
        const country = viewer.country ?? (viewer.ip ? ctx.geo.country(viewer.ip) : null);
        const items = await ctx.visibility.completeItems(req.body.items as ResolveItem[]);
        const explain = req.query.explain === "1" || req.query.explain === "true";
        const resolver = ctx.visibility.resolver;
        const asOf = resolver.asOf;
        const decisions = resolver.resolve({ country, accountId: viewer.accountId }, surface, items, explain);
        // Written by hand: most decisions are the shared `allow`, which costs a constant string here.
        const parts = new Array<string>(decisions.length);
        for (let i = 0; i < decisions.length; i++) {
          const d = decisions[i]!;
          parts[i] = d === ALLOW_DECISION ? ALLOW_JSON : JSON.stringify(d);
        }
        const out = `{"decisions":[${parts.join(",")}],"asOf":${asOf},"viewerCountry":${JSON.stringify(country)}}`;
        return reply.type("application/json; charset=utf-8").send(out as never);
      },
    );

    app.get(
      "/v1/visibility/snapshot",
      {
        config: { access: ["read", "visibility"] },
        schema: {
          tags: ["visibility"],
          summary:
            "Every restriction in force, as NDJSON: a first line {asOf}, then one row per restriction (for SDK start-up)",
          security: [{ bearer: [] }],
        },
      },
      async (_req, reply) => {
        const snap = await projectionSnapshot(ctx.store.db);
        // Streamed in chunks of lines, so a million restrictions never become one giant string.
        const chunks = function* () {
          yield `${JSON.stringify({ asOf: snap.asOf, rows: snap.rows.length })}\n`;
          for (let i = 0; i < snap.rows.length; i += 5000) {
            let chunk = "";
            for (const r of snap.rows.slice(i, i + 5000)) chunk += `${JSON.stringify(r)}\n`;
            yield chunk;
          }
        };
        return reply.type("application/x-ndjson").send(Readable.from(chunks()));
      },
    );
  };
