import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { InvalidRequestError } from "../../errors.ts";
import { previewVariants } from "../../hashtags/variants.ts";
import { CountryCode } from "../../ledger/actions.ts";
import { ErrorBody } from "../errors.ts";

/** How far past the server's clock `at` may be (the caller's clock may run a little ahead). */
export const CLOCK_SKEW_MS = 5 * 60_000;

const TrendOut = z.object({
  tag: z.string().describe("the most used spelling"),
  key: z.string().describe("the display key that groups spellings"),
  score: z.number(),
  accounts: z.number().int().describe("distinct accounts in the window"),
  posts: z.number().int(),
  rank: z.number().int(),
  isNew: z.boolean(),
});

/** Trends and search suggestions per country (§4). */
export const trendsRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/v1/trends",
      {
        config: { access: ["read", "trends"] },
        schema: {
          tags: ["visibility"],
          summary: "Trending hashtags for viewers in a country, now or as of an earlier instant",
          security: [{ bearer: [] }],
          querystring: z.strictObject({
            country: CountryCode,
            limit: z.coerce.number().int().min(1).max(100).default(20),
            at: z.iso
              .datetime({ offset: true })
              .optional()
              .describe(
                "an instant in the past (the demo replays 2021); at most 5 minutes ahead of the server's clock",
              ),
          }),
          response: {
            200: z.object({
              country: z.string(),
              at: z.string(),
              trends: z.array(TrendOut),
              held: z
                .array(TrendOut)
                .describe("new tags entering the top, held for review (when the setting is on)"),
              asOf: z.number().int().describe("the ledger seq whose restrictions were applied"),
            }),
            400: ErrorBody,
          },
        },
      },
      async (req) => {
        const now = ctx.now();
        const at = req.query.at ? new Date(req.query.at) : now;
        if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) {
          const message = `at: ${req.query.at} is in the future (the server's clock reads ${now.toISOString()}); trends are known only up to now`;
          throw new InvalidRequestError(message, { issues: [{ path: "querystring.at", message }] });
        }
        const { trends, held } = ctx.trends.top(req.query.country, at, req.query.limit);
        return {
          country: req.query.country,
          at: at.toISOString(),
          trends,
          held,
          asOf: ctx.visibility.resolver.asOf,
        };
      },
    );

    app.get(
      "/v1/search/suggestions",
      {
        config: { access: ["read", "trends"] },
        schema: {
          tags: ["visibility"],
          summary:
            "Prefix search suggestions over hashtags and handles, honouring every restriction for the country",
          security: [{ bearer: [] }],
          querystring: z.strictObject({
            country: CountryCode,
            q: z.string().min(1).max(100),
            limit: z.coerce.number().int().min(1).max(50).default(10),
          }),
          response: {
            200: z.object({
              suggestions: z.array(
                z.object({
                  kind: z.enum(["hashtag", "handle"]),
                  text: z.string(),
                  id: z.string().optional(),
                  weight: z.number(),
                }),
              ),
              asOf: z.number().int(),
            }),
            400: ErrorBody,
          },
        },
      },
      async (req) => ({
        suggestions: ctx.trends.suggest(req.query.q, req.query.country, req.query.limit),
        asOf: ctx.visibility.resolver.asOf,
      }),
    );
    app.get(
      "/v1/hashtags/variants",
      {
        config: { access: ["read", "subject"] },
        schema: {
          tags: ["trends"],
          summary:
            "Before restricting a hashtag: the spellings in stored posts its match key would catch (Tag, Tag* prefix, *Tag* contains)",
          security: [{ bearer: [] }],
          querystring: z.strictObject({
            tag: z.string().min(1).max(200),
            days: z.coerce.number().int().min(1).max(90).default(7),
            at: z.iso
              .datetime({ offset: false })
              .optional()
              .describe("end of the window (default: the latest post)"),
          }),
          response: {
            200: z.object({
              rule: z.string(),
              mode: z.enum(["exact", "prefix", "contains"]),
              matchKey: z.string(),
              window: z.object({ from: z.string(), to: z.string() }),
              distinctTagsChecked: z.number().int(),
              variants: z.array(
                z.object({
                  spelling: z.string(),
                  displayKey: z.string(),
                  matchKey: z.string(),
                  posts: z.number().int(),
                  accounts: z.number().int(),
                }),
              ),
            }),
          },
        },
      },
      async (req) =>
        previewVariants(
          ctx.store.db,
          req.query.tag,
          req.query.days,
          req.query.at ? new Date(req.query.at) : undefined,
        ),
    );
  };
