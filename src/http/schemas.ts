/** Response schemas shared by several routes (they also feed /openapi.json). */
import { z } from "zod";
import { ACTIONS, SOURCE_KINDS, SUBJECT_TYPES, SURFACES, WITHHOLD_BASES } from "../domain/model.ts";

export const SubjectRefOut = z.object({ type: z.enum(SUBJECT_TYPES), id: z.string() });

export const LedgerEntryOut = z
  .object({
    seq: z.number().int(),
    prevHash: z.string(),
    hash: z.string(),
    subject: SubjectRefOut,
    action: z.enum(ACTIONS),
    countries: z.array(z.string()).nullable(),
    surfaces: z.array(z.enum(SURFACES)).nullable(),
    label: z.string().nullable(),
    basis: z.enum(WITHHOLD_BASES).nullable(),
    expiresAt: z.string().nullable(),
    source: z.object({ kind: z.enum(SOURCE_KINDS), id: z.string().nullable() }),
    actor: z.string(),
    reason: z.string(),
    rule: z.string().nullable(),
    legalBasis: z.string().nullable(),
    reverses: z.number().int().nullable(),
    idempotencyKey: z.string().nullable(),
    recordedAt: z.string(),
  })
  .meta({ id: "LedgerEntry" });

export const RestrictionOut = z
  .object({
    key: z.string().describe("what is restricted, e.g. withhold:IN, suspend, suppress:trends:*"),
    seq: z.number().int().describe("the ledger entry that put it in force"),
    expiresAt: z.string().nullable(),
    detail: z.object({
      action: z.enum(ACTIONS),
      countries: z.array(z.string()).nullable(),
      surfaces: z.array(z.string()).nullable(),
      label: z.string().nullable(),
      basis: z.enum(WITHHOLD_BASES).nullable(),
      reason: z.string(),
      rule: z.string().nullable(),
      legalBasis: z.string().nullable(),
      source: z.object({ kind: z.enum(SOURCE_KINDS), id: z.string().nullable() }),
      since: z.string(),
    }),
  })
  .meta({ id: "Restriction" });
