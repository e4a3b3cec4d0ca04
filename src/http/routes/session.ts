import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ROLES } from "../../auth/policy.ts";
import { LoginRequest, UserRequest } from "../../auth/users.ts";
import type { AppContext } from "../../context.ts";
import { UnauthorizedError } from "../../errors.ts";
import { cookie, SESSION_COOKIE } from "../auth.ts";
import { ErrorBody } from "../errors.ts";

const SessionOut = z
  .object({
    user: z.object({ username: z.string(), role: z.enum(ROLES), authority: z.string().nullable() }),
    csrfToken: z.string().describe("send it as x-csrf-token with every state-changing request"),
  })
  .meta({ id: "Session" });

/** The console's build, served at `/` (see console/). */
export const CONSOLE_DIST = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../console/dist",
);
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

/** Console logins (per-user sessions), users, and the console's files. */
export const sessionRoutes =
  (ctx: AppContext, opts: { secureCookies: boolean }): FastifyPluginAsyncZod =>
  async (app) => {
    const setCookie = (value: string, maxAgeS: number) =>
      `${SESSION_COOKIE}=${encodeURIComponent(value)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${
        opts.secureCookies ? "; Secure" : ""
      }`;

    app.post(
      "/v1/session",
      {
        schema: {
          tags: ["console"],
          summary: "Log in to the console: sets an httpOnly, SameSite=Strict session cookie",
          body: LoginRequest,
          response: { 200: SessionOut, 401: ErrorBody },
        },
      },
      async (req, reply) => {
        const s = await ctx.users.login(req.body.username, req.body.password);
        reply.header(
          "set-cookie",
          setCookie(s.token, Math.floor((s.expiresAt.getTime() - Date.now()) / 1000)),
        );
        return { user: s.user, csrfToken: s.csrfToken };
      },
    );

    app.get(
      "/v1/session",
      {
        schema: {
          tags: ["console"],
          summary: "The current console session",
          response: { 200: SessionOut, 401: ErrorBody },
        },
      },
      async (req) => {
        const token = cookie(req, SESSION_COOKIE);
        const s = token ? await ctx.users.session(token) : null;
        if (!s) throw new UnauthorizedError("not logged in");
        return { user: s.user, csrfToken: s.csrfToken };
      },
    );

    app.delete(
      "/v1/session",
      { schema: { tags: ["console"], summary: "Log out", response: { 204: z.null() } } },
      async (req, reply) => {
        const token = cookie(req, SESSION_COOKIE);
        if (token) await ctx.users.logout(token);
        return reply.header("set-cookie", setCookie("", 0)).status(204).send(null);
      },
    );

    app.post(
      "/v1/users",
      {
        config: { access: ["create", "user"] },
        schema: {
          tags: ["console"],
          summary: "Create a console user (admins); the password is stored as a scrypt hash",
          security: [{ bearer: [] }],
          body: UserRequest,
          response: {
            201: z.object({ id: z.string(), username: z.string(), role: z.string() }),
            400: ErrorBody,
            409: ErrorBody,
          },
        },
      },
      async (req, reply) => reply.status(201).send(await ctx.users.create(req.body, req.principal)),
    );

    app.get(
      "/v1/users",
      {
        config: { access: ["read", "user"] },
        schema: { tags: ["console"], summary: "Console users", security: [{ bearer: [] }] },
      },
      async (req) => ({ users: await ctx.users.list(req.principal) }),
    );

    // The console: files from console/dist; any other path that is not the API gets index.html so
    // client-side routes can be shared as URLs.
    app.get("/*", { schema: { hide: true } }, async (req, reply) => {
      const url = (req.params as { "*": string })["*"] ?? "";
      if (url.startsWith("v1/"))
        return reply.status(404).send({ error: { code: "not_found", message: `no route GET /${url}` } });
      const index = path.join(CONSOLE_DIST, "index.html");
      if (!fs.existsSync(index))
        return reply
          .status(404)
          .type("text/plain")
          .send("The console is not built: run `npm run build:console` (npm start does it).");
      const file = path.resolve(CONSOLE_DIST, url.split("?")[0] ?? "");
      const inside = file.startsWith(CONSOLE_DIST + path.sep);
      const target = inside && fs.existsSync(file) && fs.statSync(file).isFile() ? file : index;
      const ext = path.extname(target);
      reply
        .header("content-type", TYPES[ext] ?? "application/octet-stream")
        .header("x-content-type-options", "nosniff")
        .header("cache-control", target === index ? "no-cache" : "public, max-age=31536000, immutable");
      if (target === index) reply.header("x-frame-options", "DENY");
      return reply.send(fs.createReadStream(target));
    });
  };
