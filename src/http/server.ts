/**
 * Builds the HTTP API: Fastify with zod schemas (the same schemas validate requests and generate
 * /openapi.json), one error mapping, and one authorization hook.
 */
import swagger from "@fastify/swagger";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import type { AppContext } from "../context.ts";
import { installAuth } from "./auth.ts";
import { clientErrorHandler, frameworkErrors, installErrorHandling } from "./errors.ts";
import { appealRoutes } from "./routes/appeals.ts";
import { caseRoutes } from "./routes/cases.ts";
import { ingestRoutes } from "./routes/ingest.ts";
import { ledgerRoutes } from "./routes/ledger.ts";
import { orderFollowupRoutes } from "./routes/order-followup.ts";
import { orderRoutes } from "./routes/orders.ts";
import { sessionRoutes } from "./routes/session.ts";
import { systemRoutes } from "./routes/system.ts";
import { transparencyRoutes } from "./routes/transparency.ts";
import { trendsRoutes } from "./routes/trends.ts";
import { visibilityRoutes } from "./routes/visibility.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

export async function buildServer(ctx: AppContext): Promise<FastifyInstance> {
  await ctx.visibility.start();
  await ctx.trends.start();
  // The detectors replay what is stored, then follow ingest; campaigns are re-clustered periodically.
  await ctx.detection.start();
  ctx.detection.startScanning();
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: ctx.config.http.jsonBodyLimit,
    // On shutdown, end open connections (long polls and event streams included); clients reconnect.
    forceCloseConnections: true,
    // Ids are up to 128 printable ASCII characters, each up to 3 once percent-encoded in a path.
    routerOptions: { maxParamLength: 512 },
    // Errors raised before routing (a path that is not valid UTF-8) and by Node's HTTP parser (raw
    // bytes outside ASCII in the URL) leave in the one error shape too (errors.ts).
    frameworkErrors,
    clientErrorHandler,
    logController: new LogController({
      disableRequestLogging: ctx.config.logLevel !== "debug" && ctx.config.logLevel !== "trace",
    }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addContentTypeParser(
    ["application/x-ndjson", "application/ndjson"],
    { parseAs: "string", bodyLimit: ctx.config.http.ingestBodyLimit },
    (_req, body, done) => done(null, body),
  );
  installErrorHandling(app, { json: ctx.config.http.jsonBodyLimit, ingest: ctx.config.http.ingestBodyLimit });
  installAuth(app, ctx.keys, ctx.users);

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Vigil API",
        version: "1.0.0",
        description:
          "Trust-and-safety and legal-compliance engine. External contract v1. Viewer countries from IP addresses: IP Geolocation by DB-IP (https://db-ip.com), CC BY 4.0.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
    },
    transform: jsonSchemaTransform,
  });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  await app.register(systemRoutes(ctx));
  await app.register(ingestRoutes(ctx));
  await app.register(ledgerRoutes(ctx));
  await app.register(visibilityRoutes(ctx));
  await app.register(trendsRoutes(ctx));
  await app.register(orderRoutes(ctx));
  await app.register(orderFollowupRoutes(ctx));
  await app.register(appealRoutes(ctx));
  await app.register(caseRoutes(ctx));
  await app.register(transparencyRoutes(ctx));
  await app.register(sessionRoutes(ctx, { secureCookies: ctx.config.http.secureCookies }));
  await app.register(webhookRoutes(ctx));
  return app;
}
