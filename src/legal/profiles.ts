/**
 * Jurisdiction profiles: what a country's legal demands must look like (recognised legal bases,
 * deadlines, officer ranks, author notice). Profiles are data, one JSON file per country under
 * `src/legal/profiles/` (`IN.json`, ..., and `default.json` for everything else): adding a country is
 * adding a file. Every file is validated on load, and a bad file stops the load with its name and the
 * exact field at fault.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { isCountryCode } from "../domain/countries.ts";
import { VigilError } from "../errors.ts";

export const AUTHORITY_TYPES = ["court", "government_agency", "police", "other"] as const;
export type AuthorityType = (typeof AUTHORITY_TYPES)[number];

export const REQUIRED_FIELDS = [
  "authority.officer",
  "authority.rank",
  "legalBasis",
  "reference",
  "deadline",
] as const;
export type RequiredField = (typeof REQUIRED_FIELDS)[number];

/** The country code of the generic profile, used for every country without its own file. */
export const DEFAULT_COUNTRY = "*";

/** A `match` entry of "*" matches any legalBasis text (used by the generic profile). */
export const MATCH_ANY = "*";

export interface LegalBasis {
  id: string;
  label: string;
  /** Case-insensitive substrings that identify this basis in an order's legalBasis text ("*": any). */
  match: string[];
  emergency: boolean;
  /** Where the rule comes from (documentation only). */
  source?: string;
}

export interface OfficerRankRule {
  authorityTypes: AuthorityType[];
  minimumRank: string;
  /** Ranks at or above the minimum, lower case, as `normalizeRank` writes them. */
  accepted: string[];
  source?: string;
}

export interface JurisdictionProfile {
  /** ISO 3166-1 alpha-2 code, or "*" for the default profile. */
  country: string;
  name: string;
  legalBases: LegalBasis[];
  /** Compliance deadline, in hours after receipt, when the order's deadline is null. */
  defaultDeadlineHours: number;
  /** How long an emergency (interim) order stands before it must be confirmed or revoked. */
  emergencyReviewHours: number;
  requiredFields: RequiredField[];
  officerRanks?: OfficerRankRule[];
  /** Whether affected authors are notified when the order is not marked confidential. */
  authorNoticeByDefault: boolean;
  /**
   * How a confidential order is published to Lumen: `publish: false` keeps it out; each other key
   * set to true keeps that part (authority name, reference, legal basis, target URLs, item details).
   * Unset keys take the export's defaults (see transparency/lumen.ts).
   */
  lumenConfidentialRedaction?: Partial<
    Record<"publish" | "authorityName" | "reference" | "legalBasis" | "targetUrls" | "itemDetails", boolean>
  >;
  /** Sources and decisions behind the numbers (documentation only). */
  notes?: string[];
}

/** A profile file that cannot be used: a deployment error, not a client's. */
export class ProfileError extends VigilError {
  override name = "ProfileError";
  constructor(message: string, details?: unknown) {
    super("invalid_profile", 500, message, details);
  }
}

/**
 * How ranks are compared: lower case, dots dropped ("Jt. Secretary" → "jt secretary", "D.I.G." →
 * "dig"), other punctuation as spaces, whitespace collapsed, and a trailing "to the Government of
 * India" / "Govt. of X" dropped.
 */
export function normalizeRank(rank: string): string {
  return rank
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\./g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim()
    .replace(/\s+(to\s+)?(the\s+)?(government|govt)\s+of(\s+\S+)*$/u, "")
    .trim();
}

const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s.trim().length > 0, "must not be blank");

const unique = <T>(arr: T[]) => new Set(arr).size === arr.length;

const LegalBasisSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/, "must be snake_case, e.g. in_69a_r9_emergency"),
  label: text(300),
  match: z
    .array(text(200).refine((s) => s === s.trim(), "must not start or end with whitespace"))
    .min(1, 'must list at least one substring (or "*" for any text)'),
  emergency: z.boolean({ error: "must be true or false" }),
  source: text(1000).optional(),
});

const hours = z
  .number({ error: "must be a number of hours" })
  .positive("must be more than 0 hours")
  .max(24 * 366, "must be at most a year (8784 hours)");

const RankRuleSchema = z.strictObject({
  authorityTypes: z
    .array(z.enum(AUTHORITY_TYPES, { error: `must be one of ${AUTHORITY_TYPES.join(", ")}` }))
    .min(1, "must name at least one authority type")
    .refine(unique, "must not repeat an authority type"),
  minimumRank: text(100),
  accepted: z
    .array(
      text(100).refine((s) => s === normalizeRank(s), {
        error: (iss) =>
          `'${String(iss.input)}' must be written as it is compared: '${normalizeRank(String(iss.input))}' (lower case, no dots)`,
      }),
    )
    .min(1, "must list at least one accepted rank")
    .refine(unique, "must not repeat a rank"),
  source: text(1000).optional(),
});

export const ProfileSchema = z
  .strictObject({
    country: z.string().refine((c) => c === DEFAULT_COUNTRY || isCountryCode(c), {
      error: (iss) =>
        `'${String(iss.input)}' is not an ISO 3166-1 alpha-2 country code (upper case) or "*" for the default profile`,
    }),
    name: text(200),
    legalBases: z
      .array(LegalBasisSchema)
      .min(1, "must list at least one legal basis")
      .refine((b) => unique(b.map((x) => x.id)), "must not repeat a legal basis id"),
    defaultDeadlineHours: hours,
    emergencyReviewHours: hours,
    requiredFields: z
      .array(z.enum(REQUIRED_FIELDS, { error: `must be one of ${REQUIRED_FIELDS.join(", ")}` }))
      .refine(unique, "must not repeat a field"),
    officerRanks: z.array(RankRuleSchema).optional(),
    authorNoticeByDefault: z.boolean({ error: "must be true or false" }),
    lumenConfidentialRedaction: z
      .strictObject({
        publish: z.boolean(),
        authorityName: z.boolean(),
        reference: z.boolean(),
        legalBasis: z.boolean(),
        targetUrls: z.boolean(),
        itemDetails: z.boolean(),
      })
      .partial()
      .optional(),
    notes: z.array(text(4000)).optional(),
  })
  .superRefine((p, ctx) => {
    const seen = new Map<AuthorityType, number>();
    (p.officerRanks ?? []).forEach((rule, i) => {
      for (const t of rule.authorityTypes) {
        const before = seen.get(t);
        if (before !== undefined)
          ctx.addIssue({
            code: "custom",
            path: ["officerRanks", i, "authorityTypes"],
            message: `'${t}' already has a rank rule (officerRanks.${before})`,
          });
        else seen.set(t, i);
      }
    });
  }) satisfies z.ZodType<JurisdictionProfile>;

const describeIssues = (issues: z.core.$ZodIssue[]): string =>
  issues
    .map((i) => {
      const where = i.path.length > 0 ? `${i.path.join(".")}: ` : "";
      if (i.code === "unrecognized_keys")
        return `${where}unknown field(s) ${i.keys.map((k) => `'${k}'`).join(", ")}`;
      return `${where}${i.message}`;
    })
    .join("; ");

/** Validates one profile (already JSON-parsed). `file` names it in errors. */
export function parseProfile(raw: unknown, file = "profile"): JurisdictionProfile {
  const r = ProfileSchema.safeParse(raw);
  if (!r.success) throw new ProfileError(`${file}: ${describeIssues(r.error.issues)}`, r.error.issues);
  return r.data;
}

export const PROFILES_DIR = join(dirname(fileURLToPath(import.meta.url)), "profiles");

/**
 * Loads every `*.json` in `dir` (default: `src/legal/profiles/`), keyed by country ("*" for the
 * default). A file is named after its country (`IN.json`) or `default.json` for "*"; the folder must
 * hold a default profile. Throws `ProfileError` naming the file and field at fault.
 */
export function loadProfiles(dir: string = PROFILES_DIR): Map<string, JurisdictionProfile> {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .sort();
  } catch (e) {
    throw new ProfileError(`cannot read the profiles folder ${dir}: ${(e as Error).message}`);
  }
  const out = new Map<string, JurisdictionProfile>();
  for (const f of files) {
    const path = join(dir, f);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, "utf8"));
    } catch (e) {
      throw new ProfileError(`${f}: not valid JSON: ${(e as Error).message}`);
    }
    const p = parseProfile(raw, f);
    const expected = p.country === DEFAULT_COUNTRY ? "default.json" : `${p.country}.json`;
    if (basename(f) !== expected)
      throw new ProfileError(`${f}: holds the profile for '${p.country}', so it must be named ${expected}`);
    out.set(p.country, p);
  }
  if (!out.has(DEFAULT_COUNTRY))
    throw new ProfileError(`${dir}: no default.json (the profile for countries without their own file)`);
  return out;
}

let cached: Map<string, JurisdictionProfile> | undefined;

/** The profile for `country` (ISO code, any case), or the default profile. Loaded once, then cached. */
export function profileFor(country: string): JurisdictionProfile {
  cached ??= loadProfiles();
  return cached.get(country.toUpperCase()) ?? (cached.get(DEFAULT_COUNTRY) as JurisdictionProfile);
}

/** Drops the cache, so the next `profileFor` reads the folder again (tests, reloads). */
export function clearProfileCache(): void {
  cached = undefined;
}

const normalizeBasisText = (s: string) => s.toLowerCase().replace(/\s+/g, " ");

/** The profile's legal bases that the order's legalBasis text cites, in profile order. */
export function matchLegalBases(profile: JurisdictionProfile, legalBasis: string): LegalBasis[] {
  const text = normalizeBasisText(legalBasis);
  if (text.trim() === "") return [];
  return profile.legalBases.filter((b) =>
    b.match.some((m) => m === MATCH_ANY || text.includes(normalizeBasisText(m))),
  );
}

/** The rank rule for an authority type, if the profile has one. */
export function rankRuleFor(profile: JurisdictionProfile, type: AuthorityType): OfficerRankRule | undefined {
  return profile.officerRanks?.find((r) => r.authorityTypes.includes(type));
}
