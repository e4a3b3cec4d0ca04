/**
 * Direct enforcement actions (contract §3): the request schema, its rules, and the service that turns
 * a request into one ledger entry.
 */
import { z } from "zod";
import { isCountryCode } from "../domain/countries.ts";
import {
  ACTIONS,
  type ActionBody,
  type LedgerEntry,
  SOURCE_KINDS,
  SUBJECT_TYPES,
  SURFACES,
  type SubjectRef,
  WITHHOLD_BASES,
} from "../domain/model.ts";
import { ConflictError, InvalidRequestError, VigilError } from "../errors.ts";
import { hashtagSubjectKey } from "../hashtags/subject.ts";
import type { Ledger } from "./ledger.ts";
import type { StateRow } from "./projection.ts";

/**
 * A reversal (unsuspend, restore, unlabel, unsuppress, unlimit_engagement) that matches nothing in
 * force on its subject: 409, nothing written. `details.inForce` lists what is in force.
 */
export class NotInForceError extends VigilError {
  override name = "NotInForceError";
  constructor(message: string, details: { subject: SubjectRef; action: string; inForce: StateRow[] }) {
    super("not_in_force", 409, message, details);
  }
}

/** Said when an action on a hashtag was recorded under the existing subject's spelling. */
export interface SpellingNote {
  requested: string;
  recorded: string;
  message: string;
}

/** Free text that PostgreSQL can store (no NUL) and that is not blank. */
export const Text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes("\u0000"), "must not contain NUL characters");

export const CountryCode = z.string().refine(isCountryCode, {
  error: (iss) => `'${String(iss.input)}' is not an ISO 3166-1 alpha-2 country code (upper case)`,
});

const unique = <T>(arr: T[]) => new Set(arr).size === arr.length;

export const SubjectRefSchema = z.strictObject({
  type: z.enum(SUBJECT_TYPES),
  id: Text(256).min(1, "must not be empty"),
});

export const ActionRequest = z
  .strictObject({
    subject: SubjectRefSchema,
    action: z.enum(ACTIONS),
    countries: z
      .array(CountryCode)
      .min(1, "must list at least one country, or be null for everywhere")
      .max(250)
      .refine(unique, "must not repeat a country")
      .nullable()
      .default(null),
    surfaces: z
      .array(z.enum(SURFACES))
      .min(1)
      .refine(unique, "must not repeat a surface")
      .nullable()
      .default(null),
    label: Text(64)
      .regex(/^[a-z][a-z0-9_]*$/, "must be snake_case, e.g. manipulated_media")
      .nullable()
      .default(null),
    basis: z.enum(WITHHOLD_BASES).nullable().default(null),
    reason: Text(2000).min(1, "a reason is required"),
    rule: Text(128).nullable().default(null),
    legalBasis: Text(1000).nullable().default(null),
    expiresAt: z.iso
      .datetime({ offset: false, message: "must be an RFC 3339 timestamp in UTC" })
      .nullable()
      .default(null),
    idempotencyKey: Text(200).min(1).nullable().default(null),
    source: z
      .strictObject({ kind: z.enum(SOURCE_KINDS), id: Text(256).nullable().default(null) })
      .default({ kind: "manual", id: null }),
  })
  .superRefine((a, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const restricting = ["suspend", "withhold", "label", "suppress", "limit_engagement"].includes(a.action);
    if ((a.action === "suspend" || a.action === "unsuspend") && a.countries !== null)
      issue("countries", `${a.action} is global: countries must be null (use withhold for a country)`);
    if (a.action === "suppress" && a.surfaces === null)
      issue("surfaces", "suppress needs at least one surface");
    if (!["suppress", "unsuppress"].includes(a.action) && a.surfaces !== null)
      issue("surfaces", `surfaces apply to suppress and unsuppress only, not ${a.action}`);
    if ((a.action === "label" || a.action === "unlabel") && a.label === null)
      issue("label", `${a.action} needs a label, e.g. manipulated_media`);
    if (!(a.action === "label" || a.action === "unlabel") && a.label !== null)
      issue("label", `label applies to label and unlabel only, not ${a.action}`);
    if (a.basis !== null && a.action !== "withhold") issue("basis", "basis applies to withhold only");
    if (a.subject.type === "hashtag" && a.subject.id.startsWith("#"))
      issue("subject", "give the hashtag without its leading '#'");
    else if (a.subject.type === "hashtag" && hashtagSubjectKey(a.subject.id) === null)
      issue(
        "subject",
        `hashtag '${a.subject.id}' has nothing left to match once normalized: it would restrict nothing`,
      );
    if (a.expiresAt !== null && !restricting)
      issue("expiresAt", `${a.action} reverses an action and cannot expire`);
    if (a.source.kind !== "manual" && a.source.kind !== "system" && a.source.id === null)
      issue("source", `a ${a.source.kind} source needs its id`);
  });
export type ActionRequest = z.output<typeof ActionRequest>;

export interface Actor {
  /** e.g. `key:3f2a…` or `system` */
  id: string;
}

/** Records direct actions. */
export class ActionService {
  constructor(
    private readonly ledger: Ledger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  toBody(req: ActionRequest, actor: Actor): ActionBody {
    const recordedAt = this.now().toISOString();
    if (req.expiresAt !== null && Date.parse(req.expiresAt) <= Date.parse(recordedAt))
      throw new InvalidRequestError("expiresAt must be in the future", { path: "expiresAt" });
    const basis =
      req.action === "withhold"
        ? (req.basis ?? (req.source.kind === "legal_demand_item" ? "legal_demand" : "local_law"))
        : null;
    return {
      subject: req.subject,
      action: req.action,
      countries: req.countries === null ? null : [...req.countries].sort(),
      surfaces: req.surfaces === null ? null : [...req.surfaces].sort(),
      label: req.label,
      basis,
      expiresAt: req.expiresAt === null ? null : new Date(req.expiresAt).toISOString(),
      source: req.source,
      actor: actor.id,
      reason: req.reason,
      rule: req.rule,
      legalBasis: req.legalBasis,
      reverses: null,
      idempotencyKey: req.idempotencyKey,
      recordedAt,
    };
  }

  /**
   * Records one action. A replay of the idempotency key with the same request returns the original
   * entry; with a different one (reason and rule included) it is a 409 `conflict` naming the fields. A
   * reversal that lifts nothing in force is a 409 `not_in_force`. An action on another spelling of a
   * hashtag subject the ledger holds is recorded on that subject, and `spelling` says so.
   */
  async record(
    req: ActionRequest,
    actor: Actor,
  ): Promise<{ entry: LedgerEntry; duplicate: boolean; spelling?: SpellingNote }> {
    const result = await this.ledger.append(this.toBody(req, actor), {
      strictReplay: true,
      requireInForce: true,
    });
    if (result.status === "conflict")
      throw new ConflictError(result.message, { seq: result.entry.seq, fields: result.fields });
    if (result.status === "not_in_force")
      throw new NotInForceError(result.message, {
        subject: result.subject,
        action: req.action,
        inForce: result.inForce,
      });
    const { entry } = result;
    const recorded = entry.subject.id;
    const spelling =
      req.subject.type === "hashtag" && recorded !== req.subject.id
        ? {
            requested: req.subject.id,
            recorded,
            message: `hashtag '${req.subject.id}' is a spelling of the existing subject '${recorded}' (same match key): the action applies to it and is recorded under '${recorded}'`,
          }
        : undefined;
    return { entry, duplicate: result.status === "duplicate", ...(spelling ? { spelling } : {}) };
  }
}
