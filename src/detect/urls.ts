/**
 * Canonical URLs for co-link detection: lower-case scheme and host, no "www.", no default port, no
 * fragment, no tracking parameters (utm_*, fbclid, gclid...), remaining parameters sorted, no trailing
 * slash. "http" and "https" are the same link.
 */

const TRACKING = /^(utm_|fbclid$|gclid$|igshid$|ref$|ref_src$|s$|si$|mc_)/i;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"']+/gi;

/** The canonical form of a URL, or "" when it does not parse. */
export function canonicalUrl(raw: string): string {
  return simpleCanonicalUrl(raw) ?? parsedCanonicalUrl(raw);
}

/**
 * Character classes of the fast path: host (letters, digits, '.', '-'), path (characters the URL
 * parser keeps as they are, no '%' or '\\'), query (characters form encoding keeps as they are, no '+'
 * or '%'). Anything else takes the URL parser.
 */
const HOST_CHAR = 1;
const PATH_CHAR = 2;
const QUERY_CHAR = 4;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const alnum = /[A-Za-z0-9]/.test(ch);
  if (alnum || ch === "." || ch === "-") CHAR_CLASS[c]! |= HOST_CHAR;
  if (alnum || "-._~!$&'()*+,;=:@/".includes(ch)) CHAR_CLASS[c]! |= PATH_CHAR;
  if (alnum || "*-._=&".includes(ch)) CHAR_CLASS[c]! |= QUERY_CHAR;
}

/**
 * `canonicalUrl` without the URL parser for the plain shape most links have: http(s), an ASCII
 * host name (not an IP address, no port, no user info, no punycode), a path without dot segments or
 * escapes and a query of plain characters; null for anything else. Same result as the parser on
 * every URL it accepts (the parser would lower-case the host, keep path and query as they are, and
 * form-encoding would round-trip the query's names and values unchanged).
 */
function simpleCanonicalUrl(raw: string): string | null {
  const n = raw.length;
  let i: number;
  if (n > 8 && (raw.charCodeAt(4) | 32) === 115 && raw.startsWith("://", 5)) i = 8;
  else if (n > 7 && raw.startsWith("://", 4)) i = 7;
  else return null;
  if ((raw.charCodeAt(0) | 32) !== 104 || (raw.charCodeAt(1) | 32) !== 116) return null;
  if ((raw.charCodeAt(2) | 32) !== 116 || (raw.charCodeAt(3) | 32) !== 112) return null;
  // Host: up to '/', '?', '#' or the end.
  const hostStart = i;
  let upper = false;
  for (; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === 47 || c === 63 || c === 35) break;
    if (c >= 128 || (CHAR_CLASS[c]! & HOST_CHAR) === 0) return null;
    if (c >= 65 && c <= 90) upper = true;
    else if (c === 46 && (i === hostStart || raw.charCodeAt(i - 1) === 46)) return null;
  }
  if (i === hostStart) return null;
  // A last label (before a trailing dot) starting with a digit may be an IPv4 address, which the
  // parser rewrites.
  let label = raw.charCodeAt(i - 1) === 46 ? i - 1 : i;
  while (label > hostStart && raw.charCodeAt(label - 1) !== 46) label--;
  const first = raw.charCodeAt(label);
  if (first >= 48 && first <= 57) return null;
  let host = raw.slice(hostStart, i);
  if (upper) host = host.toLowerCase();
  if (host.includes("xn--")) return null;
  if (host.startsWith("www.")) host = host.slice(4);
  // Path: up to '?', '#' or the end; no dot segments.
  const pathStart = i;
  for (; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === 63 || c === 35) break;
    if (c >= 128 || (CHAR_CLASS[c]! & PATH_CHAR) === 0) return null;
    if (c === 46 && raw.charCodeAt(i - 1) === 47) return null;
  }
  let pathEnd = i;
  while (pathEnd > pathStart && raw.charCodeAt(pathEnd - 1) === 47) pathEnd--;
  const path = raw.slice(pathStart, pathEnd);
  if (i === n || raw.charCodeAt(i) === 35) return host + path;
  // Query: up to '#' or the end.
  const queryStart = i + 1;
  for (i = queryStart; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === 35) break;
    if (c >= 128 || (CHAR_CLASS[c]! & QUERY_CHAR) === 0) return null;
  }
  const params: [string, string][] = [];
  for (const pair of raw.slice(queryStart, i).split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const value = eq < 0 ? "" : pair.slice(eq + 1);
    // (An '=' inside a value would come back escaped.)
    if (value.includes("=")) return null;
    if (TRACKING.test(name)) continue;
    params.push([name, value]);
  }
  if (params.length === 0) return host + path;
  if (params.length > 1) params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let query = "";
  for (const [name, value] of params) query += `${query === "" ? "?" : "&"}${name}=${value}`;
  return host + path + query;
}

/** `canonicalUrl` through the WHATWG URL parser. */
export function parsedCanonicalUrl(raw: string): string {
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
