/** The logged-in user, and what the server's policy table lets their role do. */
import { createContext, useContext } from "react";
import { can as policyCan, type Resource, type Verb } from "../../../src/auth/policy.ts";
import type { SessionUser } from "./types.ts";

export type { Resource, Verb };

export interface SessionState {
  user: SessionUser;
  logout: () => Promise<void>;
}

export const SessionContext = createContext<SessionState | null>(null);

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside a session");
  return s;
}

/** The same table the API enforces (src/auth/policy.ts): the UI hides what the role may not do. */
export function can(user: SessionUser | null, verb: Verb, resource: Resource): boolean {
  if (!user) return false;
  return policyCan({ keyId: user.username, role: user.role, authority: user.authority }, verb, resource);
}

export function useCan(verb: Verb, resource: Resource): boolean {
  return can(useContext(SessionContext)?.user ?? null, verb, resource);
}
