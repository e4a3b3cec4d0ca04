/** Writes docs/visibility-policy.md from the policy table in src/visibility/policy.ts. */
import fs from "node:fs";
import { policyDocument } from "../src/visibility/policy-doc.ts";

fs.writeFileSync(new URL("../docs/visibility-policy.md", import.meta.url), policyDocument());
console.log("wrote docs/visibility-policy.md");
