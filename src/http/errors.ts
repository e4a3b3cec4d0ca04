/**
 * Every error leaves the API in one shape, `{ error: { code, message, details } }`, and is mapped to
 * HTTP here and only here.
 */
import type { Socket } from "node:net";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
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

/**
 * Errors Fastify raises before a request reaches routing (the `frameworkErrors` option): a path that is
 * not valid percent-encoded UTF-8, a path parameter longer than the router allows.
 */
export function frameworkErrors(err: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const path = req.url.split("?")[0] ?? "";
  switch (err.code) {
    case "FST_ERR_BAD_URL":
      void reply
        .status(400)
        .send(
          body(
            "bad_url",
            `the path '${path}' is not valid percent-encoded UTF-8: encode every byte outside ASCII as %XX of its UTF-8 form`,
          ),
        );
      return;
    case "FST_ERR_MAX_PARAM_LENGTH":
      void reply
        .status(414)
        .send(
          body("uri_too_long", `a path segment of '${path.slice(0, 200)}' is longer than the router accepts`),
        );
      return;
  }
  req.log.error({ err }, "framework error");
  void reply.status(500).send(body("internal_error", "internal error"));
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (the `clientErrorHandler` option): raw
 * bytes outside ASCII in the request line, malformed headers, headers too large, a request too slow.
 * Answered on the socket, which is then closed, in the one error shape.
 */
export function clientErrorHandler(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  let status = 400;
  let reason = "Bad Request";
  let payload: ReturnType<typeof body>;
  switch (err.code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      status = 408;
      reason = "Request Timeout";
      payload = body("request_timeout", "the request was not received in time");
      break;
    case "HPE_HEADER_OVERFLOW":
      status = 431;
      reason = "Request Header Fields Too Large";
      payload = body("headers_too_large", "the request headers are larger than the server accepts");
      break;
    case "HPE_INVALID_URL":
      payload = body(
        "bad_url",
        "the request URL is malformed: send it percent-encoded (UTF-8 bytes as %XX), without spaces or control characters",
      );
      break;
    default:
      payload = body(
        "bad_request",
        `the request could not be parsed as HTTP/1.1 (${err.code ?? "parse error"})`,
      );
  }
  const text = JSON.stringify(payload);
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  socket.destroy(err);
}

/** Route patterns, compiled, and their methods: a known path asked with another method is a 405. */
type Known = { pattern: RegExp; methods: Set<string> };

function compileRoute(url: string): RegExp {
  const source = url
    .split("/")
    .map((part) => (part.startsWith(":") ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}$`);
}

export function installErrorHandling(app: FastifyInstance, limits: { json: number; ingest: number }): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    // A handler may have set a download's headers before failing: an error is never an attachment.
    reply.removeHeader("content-disposition");
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
  const known = new Map<string, Known>();
  app.addHook("onRoute", (route) => {
    // The console's catch-all GET /* answers any path; it does not make every path a known one.
    if (route.url.includes("*")) return;
    let k = known.get(route.url);
    if (!k) {
      k = { pattern: compileRoute(route.url), methods: new Set() };
      known.set(route.url, k);
    }
    for (const m of [route.method].flat()) k.methods.add(m.toUpperCase());
  });
  /** 405 with `Allow` when the path is a route's under other methods; undefined when it is no route's. */
  const methodNotAllowed = (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split("?")[0] ?? "";
    const allowed = new Set<string>();
    for (const k of known.values()) if (k.pattern.test(path)) for (const m of k.methods) allowed.add(m);
    if (allowed.size === 0 || allowed.has(req.method)) return undefined;
    const allow = [...allowed].sort();
    return reply
      .status(405)
      .header("allow", allow.join(", "))
      .send(
        body("method_not_allowed", `${req.method} is not allowed on ${path}: use ${allow.join(", ")}`, {
          allow,
        }),
      );
  };
  // A GET or HEAD that no API route takes lands on the console's catch-all: a POST-only API path asked
  // with GET is still a 405, not the console's page or its 404.
  app.addHook("onRequest", (req, reply, done) => {
    if (req.routeOptions.url === "/*" && methodNotAllowed(req, reply)) return;
    done();
  });
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0] ?? "";
    if (methodNotAllowed(req, reply)) return reply;
    return reply.status(404).send(body("not_found", `no route for ${req.method} ${path}`));
  });
}
