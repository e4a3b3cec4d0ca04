/** The API's shapes as the console reads them (see /openapi.json). */
export type Role = "admin" | "legal" | "moderator" | "auditor" | "integration" | "requester";
export interface SessionUser {
  username: string;
  role: Role;
  authority: string | null;
}
export interface Session {
  user: SessionUser;
  csrfToken: string;
}
export type Outcome = "withhold" | "temporary_withhold" | "global_action" | "no_action";

import type { LedgerEntry as ServerLedgerEntry, SubjectRef } from "../../../src/domain/model.ts";

export type { SubjectRef };
export interface OrderHeader {
  id: string;
  reference: string;
  authority: { name: string; country: string; type: string; officer?: string | null; rank?: string | null };
  legalBasis: string;
  receivedAt: string;
  deadline: string;
  reviewDeadline: string | null;
  emergency: boolean;
  confidential: boolean;
  status: string;
  /** Items in the whole order (a page of `items` may hold fewer). */
  itemCount?: number;
}
export interface Recommendation {
  outcome: Outcome;
  countries?: string[];
  reasons: string[];
  relisted: boolean;
  protectedCategory?: string;
  rule?: string;
  botLikelihood?: number;
  botSignals?: string[];
  campaignCase?: string;
}
export interface OrderItem {
  id: string;
  position: number;
  target: string;
  reason: string | null;
  resolution: "resolved" | "unresolvable" | "deleted";
  subject: SubjectRef | null;
  resolutionNote: string | null;
  recommendation?: Recommendation;
  decision?: { outcome: string; reason?: string; decidedAt: string; seq?: number | null } | null;
}
export interface Order extends OrderHeader {
  items: OrderItem[];
  redacted?: boolean;
}
/** A ledger entry as the change feed serves it (`display=1` adds the handle). */
export type LedgerEntry = ServerLedgerEntry & { display?: { handle: string | null } };
export interface Restriction {
  key: string;
  seq: number;
  expiresAt: string | null;
  detail: {
    action: string;
    countries: string[] | null;
    surfaces: string[] | null;
    label: string | null;
    basis: string | null;
    reason: string;
    rule: string | null;
    legalBasis: string | null;
    source: { kind: string; id: string | null };
    since: string;
  };
}
export interface SubjectView {
  subject: SubjectRef;
  record: Record<string, unknown> | null;
  inForce: Restriction[];
  history: LedgerEntry[];
}
export interface CaseSubject {
  type: "account" | "post" | "hashtag";
  id: string;
  score: number | null;
  why?: string[];
}
export interface CaseHistoryEntry {
  id: number;
  at: string;
  actor: string;
  kind: string;
  body: Record<string, unknown>;
}
export interface Case {
  id: string;
  kind: string;
  state: string;
  title: string;
  subjects: CaseSubject[];
  evidence: Record<string, unknown>;
  priority: number;
  assignee: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  resolution: string | null;
  history?: CaseHistoryEntry[];
}
export interface Appeal {
  id: string;
  subject: { type: string; id: string };
  entry: number;
  action: string;
  orderId: string | null;
  itemId: string | null;
  appellant: string;
  text: string;
  receivedAt: string;
  state: string;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionReason: string | null;
  restoreSeq: number | null;
}
export interface VisibilityDecision {
  action: string;
  rule?: string;
  notice?: { kind: string; countries?: string[]; basis?: string; text: string };
  labels?: string[];
  embedded?: { quote?: VisibilityDecision; replyTo?: VisibilityDecision };
  explain?: { rule: string; matched: boolean; action: string | null; why: string }[];
}
export interface Trend {
  tag: string;
  key: string;
  score: number;
  accounts: number;
  posts: number;
  rank: number;
  isNew: boolean;
}
// The vocabulary is the server's own (src/domain/model.ts), not a copy.
export { ACTIONS, SURFACES, type Surface } from "../../../src/domain/model.ts";
