/**
 * Routes declare what they do as `config: { access: [verb, resource] }`. This hook authenticates and
 * authorizes on `onRequest`, before the body is read, so an unauthorized request costs nothing.
 */
import type { FastifyInstance } from "fastify";
import type { KeyService } from "../auth/keys.ts";
import { authorize, type Principal, type Resource, type Verb } from "../auth/policy.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    access?: readonly [Verb, Resource];
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

export function installAuth(app: FastifyInstance, keys: KeyService): void {
  app.decorateRequest("principal", null as unknown as Principal);
  app.addHook("onRequest", async (req) => {
    const access = req.routeOptions.config.access;
    if (!access) return;
    req.principal = await keys.authenticate(req.headers.authorization);
    authorize(req.principal, access[0], access[1]);
  });
}
