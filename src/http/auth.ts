/**
 * Routes declare what they do as `config: { access: [verb, resource] }`. This hook authenticates and
 * authorizes on `onRequest`, before the body is read, so an unauthorized request costs nothing.
 * A request authenticates with a Bearer API key, or with the console's session cookie; with the
 * cookie, every state-changing request must carry the session's CSRF token in `x-csrf-token`.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { KeyService } from "../auth/keys.ts";
import { authorize, type Principal, type Resource, type Verb } from "../auth/policy.ts";
import type { UserService } from "../auth/users.ts";
import { ForbiddenError, UnauthorizedError } from "../errors.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: readonly [Verb, Resource];
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

export const SESSION_COOKIE = "vigil_session";
const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** The value of one cookie from the `cookie` header. */
export function cookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export function installAuth(app: FastifyInstance, keys: KeyService, users: UserService): void {
  app.decorateRequest("principal", null as unknown as Principal);
  app.addHook("onRequest", async (req) => {
    const access = req.routeOptions.config.access;
    if (!access) return;
    const token = req.headers.authorization === undefined ? cookie(req, SESSION_COOKIE) : undefined;
    if (token !== undefined) {
      const s = await users.session(token);
      if (!s) throw new UnauthorizedError("the session has ended: log in again");
      if (!SAFE.has(req.method) && req.headers["x-csrf-token"] !== s.csrfToken)
        throw new ForbiddenError("missing or wrong x-csrf-token for a request made with the session cookie");
      req.principal = s.principal;
    } else req.principal = await keys.authenticate(req.headers.authorization);
    authorize(req.principal, access[0], access[1]);
  });
}
