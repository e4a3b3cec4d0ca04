/**
 * Every error leaves the API in one shape, `{ error: { code, message, details } }`, and is mapped to
 * HTTP here and only here.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from "fastify-type-provider-zod";
import { z } from "zod";
import { VigilError } from "../errors.ts";

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe("stable snake_case code"),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: "Error" });

const body = (code: string, message: string, details?: unknown) => ({
  error: details === undefined ? { code, message } : { code, message, details },
});

export function installErrorHandling(app: FastifyInstance, limits: { json: number; ingest: number }): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof VigilError)
      return reply.status(err.status).send(body(err.code, err.message, err.details));
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as { validationContext?: string }).validationContext ?? "body";
      const issues = err.validation.map((v) => {
        const path = `${where}${v.instancePath.replace(/\//g, ".")}`.replace(/\.$/, "");
        return { path, message: v.message ?? "invalid" };
      });
      const message = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
      return reply.status(400).send(body("invalid_request", message, { issues }));
    }
    switch (err.code) {
      case "FST_ERR_CTP_BODY_TOO_LARGE": {
        const limit = req.url.startsWith("/v1/ingest") ? limits.ingest : limits.json;
        return reply.status(413).send(
          body("payload_too_large", `the request body is larger than the limit of ${limit} bytes`, {
            limit,
          }),
        );
      }
      case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
        return reply
          .status(415)
          .send(
            body(
              "unsupported_media_type",
              `content type '${req.headers["content-type"] ?? ""}' is not accepted here`,
            ),
          );
      case "FST_ERR_CTP_EMPTY_JSON_BODY":
        return reply.status(400).send(body("invalid_json", "the body is empty; send a JSON object"));
      case "FST_ERR_CTP_INVALID_JSON_BODY":
        return reply.status(400).send(body("invalid_json", `the body is not valid JSON: ${err.message}`));
    }
    if (err instanceof SyntaxError && err.statusCode === 400)
      return reply.status(400).send(body("invalid_json", `the body is not valid JSON: ${err.message}`));
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, "response did not match its schema");
      return reply.status(500).send(body("internal_error", "the server built an invalid response"));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) return reply.status(status).send(body("bad_request", err.message));
    req.log.error({ err }, "unhandled error");
    return reply.status(500).send(body("internal_error", "internal error"));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.status(404).send(body("not_found", `no route for ${req.method} ${req.url.split("?")[0]}`)),
  );
}
