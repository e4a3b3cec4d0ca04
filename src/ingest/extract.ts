/**
 * Entity extraction from post text, exactly as twitter-text 3.1.0 does it (contract: "Vigil extracts
 * hashtags, mentions and URLs from `text` itself, the way twitter-text does"). Conformance is checked
 * against shared/reference/twitter-text-conformance/extract.yml in extract.test.ts.
 *
 * No normalisation happens here: hashtags come back as written (no NFKC, no case folding).
 */
import twitterText from "twitter-text";

export interface Extracted {
  hashtags: string[];
  mentions: string[];
  urls: string[];
  cashtags: string[];
}

export interface HashtagWithIndices {
  hashtag: string;
  indices: [number, number];
}

export interface UrlWithIndices {
  url: string;
  indices: [number, number];
}

export interface MentionWithIndices {
  screenName: string;
  indices: [number, number];
}

export interface MentionOrListWithIndices {
  screenName: string;
  listSlug: string;
  indices: [number, number];
}

export interface CashtagWithIndices {
  cashtag: string;
  indices: [number, number];
}

/**
 * twitter-text's extractHashtagsWithIndices takes an undocumented second argument (missing from
 * @types/twitter-text); `checkUrlOverlap: false` skips its internal URL pass so extractEntities can
 * run that pass once and remove the overlaps itself, exactly as the library does.
 */
const hashtagsWithIndicesRaw = twitterText.extractHashtagsWithIndices as (
  text: string,
  options?: { checkUrlOverlap: boolean },
) => HashtagWithIndices[];

/**
 * Union of the characters twitter-text itself requires before it does any work: hash signs (# ＃),
 * at signs (@ ＠), a "." for URLs (protocol-less extraction is on by default) and "$" for cashtags.
 * Text without any of them has no entities at all.
 */
const ANY_ENTITY_SIGN = /[#＃@＠.$]/;

/** Hashtags in order of appearance, duplicates kept; exactly twitter-text's extractHashtags. */
export function extractHashtags(text: string): string[] {
  return twitterText.extractHashtags(text);
}

/** Hashtags with UTF-16 indices [start, end) covering the hash sign; exactly twitter-text's. */
export function extractHashtagsWithIndices(text: string): HashtagWithIndices[] {
  return twitterText.extractHashtagsWithIndices(text);
}

/** Mentioned screen names (no "@"), duplicates kept; exactly twitter-text's extractMentions. */
export function extractMentions(text: string): string[] {
  return twitterText.extractMentions(text);
}

export function extractMentionsWithIndices(text: string): MentionWithIndices[] {
  return twitterText.extractMentionsWithIndices(text);
}

export function extractMentionsOrListsWithIndices(text: string): MentionOrListWithIndices[] {
  return twitterText.extractMentionsOrListsWithIndices(text);
}

/** URLs with and without protocol, as written; exactly twitter-text's extractUrls. */
export function extractUrls(text: string): string[] {
  return twitterText.extractUrls(text);
}

export function extractUrlsWithIndices(text: string): UrlWithIndices[] {
  return twitterText.extractUrlsWithIndices(text);
}

/** Cashtags (no "$"); exactly twitter-text's extractCashtags. */
export function extractCashtags(text: string): string[] {
  return twitterText.extractCashtags(text);
}

export function extractCashtagsWithIndices(text: string): CashtagWithIndices[] {
  return twitterText.extractCashtagsWithIndices(text);
}

/** Keeps the first occurrence of each value (case-sensitive), in order. */
function unique(values: string[]): string[] {
  if (values.length < 2) return values;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    if (!seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

/**
 * All entities of a post, each list in order of first appearance and de-duplicated case-sensitively
 * ("#Tag #tag" gives both). Each list equals the matching extractX(text) with duplicates removed.
 *
 * URLs are extracted once and reused to drop hashtags that sit inside a URL, which is what
 * twitter-text's extractHashtags does internally with a second URL pass.
 */
export function extractEntities(text: string): Extracted {
  if (!ANY_ENTITY_SIGN.test(text)) return { hashtags: [], mentions: [], urls: [], cashtags: [] };

  const urlEntities = twitterText.extractUrlsWithIndices(text);
  let tagEntities = hashtagsWithIndicesRaw(text, { checkUrlOverlap: false });
  if (urlEntities.length > 0 && tagEntities.length > 0) {
    const entities: (HashtagWithIndices | UrlWithIndices)[] = [...tagEntities, ...urlEntities];
    twitterText.removeOverlappingEntities(entities);
    tagEntities = entities.filter((e): e is HashtagWithIndices => "hashtag" in e);
  }

  return {
    hashtags: unique(tagEntities.map((e) => e.hashtag)),
    mentions: unique(twitterText.extractMentions(text)),
    urls: unique(urlEntities.map((e) => e.url)),
    cashtags: unique(twitterText.extractCashtags(text)),
  };
}
