/** The reviewer-readable policy document, rendered from the policy table (kept in docs/visibility-policy.md). */
import { renderPolicyMarkdown, VISIBILITY_ACTIONS } from "./policy.ts";

export function policyDocument(): string {
  return `# Read-path policy

Generated from \`src/visibility/policy.ts\` by \`npm run docs:policy\`; a test fails when this file is stale.

For every item a surface shows, Vigil works out what is in force for this viewer (their country,
and whether they are the author) and evaluates every rule below. Each rule that matches proposes
an action for the surface; the strictest wins, in this order: ${VISIBILITY_ACTIONS.map((a) => `\`${a}\``).join(" < ")}.
\`?explain=1\` on \`POST /v1/visibility/resolve\` shows every rule and why it matched or not.

- **Country.** The viewer's country comes from the request, or from the IP address (DB-IP's
  country database). When it is unknown, \`VIGIL_UNKNOWN_COUNTRY=strictest\` (the default) treats the
  viewer as being in every country, so a legally withheld item never leaks; \`none\` applies only
  worldwide restrictions.
- **Embedded items.** A quoted post and the post replied to are decided too (on the \`quote\` and
  \`replies\` surfaces) and returned under \`embedded\`, so a quote of a withheld post shows the
  tombstone in place of the quoted post.
- **Authors.** A post is restricted when it, or its author, is. The author viewing their own
  withheld or suspended content sees it with a notice (\`label\`), because seeing what they wrote
  distributes nothing, and they need to know it is withheld and where, to appeal.
- **Hashtags.** Restrictions on hashtags are stored under their match key (NFKC, case fold,
  invisible characters and separators removed, UTS #39 skeleton), so every spelling that normalizes
  to the same key is caught. A hashtag subject id may end in \`*\` (prefix) or be wrapped in \`*…*\`
  (contains).

${renderPolicyMarkdown()}`;
}
