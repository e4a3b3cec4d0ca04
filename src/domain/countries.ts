/**
 * ISO 3166-1 alpha-2 jurisdictions with English short names, for validating `country` /
 * `countries` fields (contract: upper case ISO 3166-1 alpha-2) and for user-facing notices
 * ("withheld in India").
 */

/**
 * The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted. Exceptionally or transitionally
 * reserved and user-assigned codes (EU, EZ, UK, UN, AC, CP, DG, EA, IC, TA, XK, ...) are not
 * jurisdictions here. Checked against Debian iso-codes (iso_3166-1.json) and tzdata's iso3166.tab.
 */
// biome-ignore format: compact table, one initial letter per line
const CODES = [
  "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
  "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
  "BT", "BV", "BW", "BY", "BZ",
  "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW",
  "CX", "CY", "CZ",
  "DE", "DJ", "DK", "DM", "DO", "DZ",
  "EC", "EE", "EG", "EH", "ER", "ES", "ET",
  "FI", "FJ", "FK", "FM", "FO", "FR",
  "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT",
  "GU", "GW", "GY",
  "HK", "HM", "HN", "HR", "HT", "HU",
  "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT",
  "JE", "JM", "JO", "JP",
  "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ",
  "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
  "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS",
  "MT", "MU", "MV", "MW", "MX", "MY", "MZ",
  "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
  "OM",
  "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY",
  "QA",
  "RE", "RO", "RS", "RU", "RW",
  "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
  "ST", "SV", "SX", "SY", "SZ",
  "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ",
  "UA", "UG", "UM", "US", "UY", "UZ",
  "VA", "VC", "VE", "VG", "VI", "VN", "VU",
  "WF", "WS",
  "YE", "YT",
  "ZA", "ZM", "ZW",
] as const;

export type CountryCode = (typeof CODES)[number];

export const COUNTRY_CODES: readonly string[] = Object.freeze([...CODES]);

/**
 * Notice names where ICU's English display name is not the one to print: "&" and "St." spelled
 * out, disambiguated Congos, no "SAR China" / "(Burma)" qualifiers, ISO's own short names for
 * Cabo Verde, Palestine and the US Minor Outlying Islands, and a plain apostrophe in Côte d'Ivoire.
 * Everything else comes from ICU (e.g. "United States", "United Kingdom", "Türkiye", "Czechia").
 */
const NAME_OVERRIDES: Readonly<Partial<Record<CountryCode, string>>> = {
  AG: "Antigua and Barbuda",
  BA: "Bosnia and Herzegovina",
  BL: "Saint Barthélemy",
  CD: "Democratic Republic of the Congo",
  CG: "Republic of the Congo",
  CI: "Côte d'Ivoire",
  CV: "Cabo Verde",
  GS: "South Georgia and the South Sandwich Islands",
  HK: "Hong Kong",
  HM: "Heard Island and McDonald Islands",
  KN: "Saint Kitts and Nevis",
  LC: "Saint Lucia",
  MF: "Saint Martin",
  MM: "Myanmar",
  MO: "Macao",
  PM: "Saint Pierre and Miquelon",
  PS: "Palestine",
  SH: "Saint Helena, Ascension and Tristan da Cunha",
  SJ: "Svalbard and Jan Mayen",
  ST: "São Tomé and Príncipe",
  TC: "Turks and Caicos Islands",
  TT: "Trinidad and Tobago",
  UM: "United States Minor Outlying Islands",
  VC: "Saint Vincent and the Grenadines",
  WF: "Wallis and Futuna",
};

/** Built once at module load; lookups on hot paths are a single Map.get. */
const NAMES: ReadonlyMap<string, string> = (() => {
  const display = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });
  const names = new Map<string, string>();
  for (const code of CODES) names.set(code, NAME_OVERRIDES[code] ?? display.of(code) ?? code);
  return names;
})();

/** True only for an officially assigned code written in upper case ("IN"; not "in", "UK" or "EU"). */
export function isCountryCode(code: string): code is CountryCode {
  return NAMES.has(code);
}

/** English short name for notices, e.g. "India", "United States". Throws for unknown codes. */
export function countryName(code: string): string {
  const name = NAMES.get(code);
  if (name === undefined) throw new Error(`Unknown ISO 3166-1 alpha-2 country code ${JSON.stringify(code)}`);
  return name;
}

export class InvalidCountryCodesError extends Error {
  /** The invalid codes, each once, in order of first appearance. */
  readonly codes: readonly string[];

  constructor(codes: readonly string[]) {
    const list = codes.map((c) => JSON.stringify(c)).join(", ");
    super(`Invalid ISO 3166-1 alpha-2 country code${codes.length === 1 ? "" : "s"}: ${list}`);
    this.name = "InvalidCountryCodesError";
    this.codes = codes;
  }
}

/** Throws an InvalidCountryCodesError naming every invalid code in `codes`; returns if all are valid. */
export function assertCountryCodes(codes: readonly string[]): void {
  let invalid: string[] | undefined;
  for (const code of codes) {
    if (NAMES.has(code)) continue;
    invalid ??= [];
    if (!invalid.includes(code)) invalid.push(code);
  }
  if (invalid) throw new InvalidCountryCodesError(invalid);
}
