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
  WITHHOLD_BASES,
} from "../domain/model.ts";
import { ConflictError, InvalidRequestError } from "../errors.ts";
import type { AppendResult, Ledger } from "./ledger.ts";

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

  /** Records one action; an idempotent replay returns the original entry. */
  async record(req: ActionRequest, actor: Actor): Promise<{ entry: LedgerEntry; duplicate: boolean }> {
    const result: AppendResult = await this.ledger.append(this.toBody(req, actor));
    if (result.status === "conflict") throw new ConflictError(result.message, { seq: result.entry.seq });
    return { entry: result.entry, duplicate: result.status === "duplicate" };
  }
}
