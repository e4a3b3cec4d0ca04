/** Notice texts shown with tombstones and labels, from templates with the country names filled in. */
import { countryName } from "../domain/countries.ts";
import type { WithholdBasis } from "../domain/model.ts";

export type NoticeKind = "withheld" | "withheld_own" | "suspended" | "author_suspended" | "removed" | "label";

export interface Notice {
  kind: NoticeKind;
  countries?: string[];
  basis?: WithholdBasis;
  text: string;
}

const names = (countries: string[]): string => {
  if (countries.includes("*")) return "every country";
  const list = countries.map((c) => countryName(c));
  return list.length <= 1 ? (list[0] ?? "") : `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}`;
};

const why = (basis: WithholdBasis) =>
  basis === "local_law" ? "based on local law(s)" : "in response to a legal demand";

export function withheldNotice(
  kind: "post" | "account" | "hashtag",
  countries: string[],
  basis: WithholdBasis,
  handle: string | null,
): Notice {
  const where = countries.includes("*") ? "worldwide" : `in ${names(countries)}`;
  const who = handle ? `@${handle}` : null;
  const text =
    kind === "post"
      ? `This post${who ? ` from ${who}` : ""} has been withheld ${where} ${why(basis)}.`
      : kind === "hashtag"
        ? `This hashtag has been withheld ${where} ${why(basis)}.`
        : `${who ?? "This account"} has been withheld ${where} ${why(basis)}.`;
  return { kind: "withheld", countries, basis, text };
}

export function ownWithheldNotice(
  kind: "post" | "account",
  countries: string[],
  basis: WithholdBasis,
): Notice {
  const where = countries.includes("*") ? "worldwide" : `in ${names(countries)}`;
  const what = kind === "post" ? "Your post is" : "Your account is";
  return {
    kind: "withheld_own",
    countries,
    basis,
    text: `${what} withheld ${where} ${why(basis)}. People there cannot see it; it stays visible to you${countries.includes("*") ? "" : " and elsewhere"}.`,
  };
}

export const SUSPENDED_ACCOUNT: Notice = Object.freeze({
  kind: "suspended",
  text: "This account is suspended.",
});
export const AUTHOR_SUSPENDED: Notice = Object.freeze({
  kind: "author_suspended",
  text: "This post is from a suspended account.",
});
export const REMOVED_POST: Notice = Object.freeze({
  kind: "removed",
  text: "This post was removed for violating the platform's rules.",
});
