import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { AppContext } from "../../context.ts";
import { InvalidRequestError, VigilError } from "../../errors.ts";
import { ErrorBody } from "../errors.ts";

const Report = z.object({
  accepted: z.number().int(),
  updated: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(
    z.object({
      line: z.number().int(),
      code: z.enum(["invalid_json", "unknown_field", "invalid_event", "invalid_country"]),
      message: z.string(),
    }),
  ),
  rejectedCount: z.number().int(),
});

/** Platform events as NDJSON (§1). */
export const ingestRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/v1/ingest",
      {
        config: { access: ["create", "events"] },
        bodyLimit: ctx.config.http.ingestBodyLimit,
        preValidation: async (req) => {
          if (!/^application\/(x-)?ndjson\b/i.test(req.headers["content-type"] ?? ""))
            throw new VigilError(
              "unsupported_media_type",
              415,
              `send NDJSON with Content-Type: application/x-ndjson (got '${req.headers["content-type"] ?? "none"}')`,
            );
        },
        schema: {
          tags: ["ingest"],
          summary: "Ingest platform events (NDJSON, one event per line)",
          description:
            "200 when every line was taken; 207 when some lines were rejected (the rest were stored); 400 when no line could be taken.",
          security: [{ bearer: [] }],
          consumes: ["application/x-ndjson"],
          body: z.string().describe("NDJSON: account, post and delete events"),
          response: { 200: Report, 207: Report, 400: ErrorBody, 413: ErrorBody, 415: ErrorBody },
        },
      },
      async (req, reply) => {
        const lines = req.body.split("\n");
        if (lines.every((l) => l.trim() === ""))
          throw new InvalidRequestError("the body has no events", undefined, "empty_body");
        const report = await ctx.ingest.ingestLines(lines);
        if (report.rejectedCount > 0 && report.accepted + report.duplicates === 0)
          throw new InvalidRequestError(
            `no line could be taken: ${report.rejectedCount} rejected; first: line ${report.rejected[0]!.line}: ${report.rejected[0]!.message}`,
            report,
            "invalid_ndjson",
          );
        return reply.status(report.rejectedCount > 0 ? 207 : 200).send(report);
      },
    );
  };
