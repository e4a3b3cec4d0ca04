/**
 * Authorization as one table of rules: role × action × resource. Handlers never test roles
 * themselves; they name the (action, resource) they perform and `authorize` looks it up here.
 */
import { ForbiddenError } from "../errors.ts";

export const ROLES = ["admin", "legal", "moderator", "auditor", "integration", "requester"] as const;
export type Role = (typeof ROLES)[number];

export type Resource =
  | "events"
  | "enforcement"
  | "subject"
  | "ledger"
  | "visibility"
  | "trends"
  | "api_key"
  | "order"
  | "case"
  | "report"
  | "transparency"
  | "protected_registry"
  | "audit"
  | "webhook"
  | "appeal"
  | "consistency_audit"
  | "detector"
  | "user";
export type Verb = "read" | "create" | "decide" | "verify" | "configure";

/** `own_authority`: only for objects that belong to the principal's own authority (requesters). */
type Condition = "always" | "own_authority";

/** The whole policy. A (role, verb, resource) not listed here is denied. */
export const POLICY: ReadonlyArray<readonly [Role | "*", Verb, Resource, Condition]> = [
  ["admin", "create", "api_key", "always"],
  ["admin", "create", "user", "always"],
  ["admin", "read", "user", "always"],
  ["admin", "create", "events", "always"],
  ["integration", "create", "events", "always"],

  ["admin", "create", "enforcement", "always"],
  ["legal", "create", "enforcement", "always"],
  ["moderator", "create", "enforcement", "always"],

  ["admin", "read", "subject", "always"],
  ["legal", "read", "subject", "always"],
  ["moderator", "read", "subject", "always"],
  ["auditor", "read", "subject", "always"],
  ["integration", "read", "subject", "always"],

  ["admin", "read", "ledger", "always"],
  ["legal", "read", "ledger", "always"],
  ["moderator", "read", "ledger", "always"],
  ["auditor", "read", "ledger", "always"],
  ["integration", "read", "ledger", "always"],
  ["admin", "verify", "ledger", "always"],
  ["auditor", "verify", "ledger", "always"],

  ["admin", "read", "visibility", "always"],
  ["integration", "read", "visibility", "always"],
  ["moderator", "read", "visibility", "always"],
  ["*", "read", "trends", "always"],

  ["admin", "create", "order", "always"],
  ["legal", "create", "order", "always"],
  ["requester", "create", "order", "own_authority"],
  ["admin", "read", "order", "always"],
  ["legal", "read", "order", "always"],
  ["auditor", "read", "order", "always"],
  ["requester", "read", "order", "own_authority"],
  ["admin", "decide", "order", "always"],
  ["legal", "decide", "order", "always"],

  ["admin", "read", "case", "always"],
  ["moderator", "read", "case", "always"],
  ["legal", "read", "case", "always"],
  ["auditor", "read", "case", "always"],
  ["admin", "decide", "case", "always"],
  ["moderator", "decide", "case", "always"],

  ["admin", "create", "report", "always"],
  ["moderator", "create", "report", "always"],
  ["integration", "create", "report", "always"],

  ["*", "read", "transparency", "always"],
  ["admin", "read", "consistency_audit", "always"],
  ["legal", "read", "consistency_audit", "always"],
  ["moderator", "read", "consistency_audit", "always"],
  ["auditor", "read", "consistency_audit", "always"],

  ["admin", "create", "protected_registry", "always"],
  ["legal", "create", "protected_registry", "always"],
  ["admin", "read", "protected_registry", "always"],
  ["legal", "read", "protected_registry", "always"],
  ["moderator", "read", "protected_registry", "always"],
  ["auditor", "read", "protected_registry", "always"],

  ["admin", "create", "webhook", "always"],
  ["integration", "create", "webhook", "always"],
  ["admin", "read", "webhook", "always"],
  ["integration", "read", "webhook", "always"],
  ["auditor", "read", "webhook", "always"],

  // The platform files appeals on its users' behalf; staff may record one received otherwise.
  ["integration", "create", "appeal", "always"],
  ["admin", "create", "appeal", "always"],
  ["legal", "create", "appeal", "always"],
  ["moderator", "create", "appeal", "always"],
  ["admin", "read", "appeal", "always"],
  ["legal", "read", "appeal", "always"],
  ["moderator", "read", "appeal", "always"],
  ["auditor", "read", "appeal", "always"],
  ["integration", "read", "appeal", "always"],
  ["admin", "decide", "appeal", "always"],
  ["legal", "decide", "appeal", "always"],
  ["moderator", "decide", "appeal", "always"],

  // Only an admin may let a detector act on its own (a per-detector threshold); everyone in trust and
  // safety may see the settings and their history.
  ["admin", "configure", "detector", "always"],
  ["admin", "read", "detector", "always"],
  ["moderator", "read", "detector", "always"],
  ["legal", "read", "detector", "always"],
  ["auditor", "read", "detector", "always"],

  ["admin", "read", "audit", "always"],
  ["auditor", "read", "audit", "always"],
];

export interface Principal {
  keyId: string;
  role: Role;
  /** For requester keys: the authority the key is bound to. */
  authority: string | null;
}

/** True when some rule allows it. `ownerAuthority` is the authority owning the object, when it has one. */
export function can(p: Principal, verb: Verb, resource: Resource, ownerAuthority?: string | null): boolean {
  return POLICY.some(
    ([role, v, r, cond]) =>
      (role === "*" || role === p.role) &&
      v === verb &&
      r === resource &&
      (cond === "always" ||
        (cond === "own_authority" &&
          p.authority !== null &&
          (ownerAuthority === undefined || ownerAuthority === p.authority))),
  );
}

export function authorize(
  p: Principal,
  verb: Verb,
  resource: Resource,
  ownerAuthority?: string | null,
): void {
  if (!can(p, verb, resource, ownerAuthority))
    throw new ForbiddenError(`the '${p.role}' role may not ${verb} ${resource.replace("_", " ")}`);
}

/** How a principal is named as the actor of a ledger entry or case event: `user:<name>` or `key:<id>`. */
export function actorOf(p: Principal): string {
  return p.keyId.startsWith("user:") ? p.keyId : `key:${p.keyId}`;
}
