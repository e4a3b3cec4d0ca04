/**
 * Canonical URLs for co-link detection: lower-case scheme and host, no "www.", no default port, no
 * fragment, no tracking parameters (utm_*, fbclid, gclid...), remaining parameters sorted, no trailing
 * slash. "http" and "https" are the same link.
 */

const TRACKING = /^(utm_|fbclid$|gclid$|igshid$|ref$|ref_src$|s$|si$|mc_)/i;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/gi;

/** The canonical form of a URL, or "" when it does not parse. */
export function canonicalUrl(raw: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return "";
  }
  const host = url.hostname.toLowerCase().replace(/^www\./, "");
  const params = [...url.searchParams]
    .filter(([k]) => !TRACKING.test(k))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = params.length > 0 ? `?${new URLSearchParams(params).toString()}` : "";
  const path = url.pathname.replace(/\/+$/, "");
  return `${host}${url.port ? `:${url.port}` : ""}${path}${query}`;
}

/** http(s) URLs written in a text (a cheap stand-in when a post carries no extracted URLs). */
export function urlsIn(text: string): string[] {
  if (!text.includes("http")) return [];
  return text.match(URL_IN_TEXT) ?? [];
}
