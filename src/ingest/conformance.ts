/**
 * Test support: twitter-text's conformance suite, read at run time (its README asks implementations
 * not to convert the cases to tests statically). The shared folder beside the repository is the
 * reference; a clone elsewhere uses the copy of the same file in test/fixtures (Apache-2.0, with its
 * LICENSE).
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export interface ConformanceCase {
  description: string;
  text: string;
  expected: unknown;
}

const SHARED_URL = new URL("../../../shared/reference/twitter-text-conformance/extract.yml", import.meta.url);
const VENDORED_URL = new URL("../../test/fixtures/twitter-text-conformance/extract.yml", import.meta.url);

/** The `tests` map of extract.yml, section → cases. Throws (never skips) when the file is missing. */
export function loadConformance(): Record<string, ConformanceCase[]> {
  const path = fileURLToPath(existsSync(fileURLToPath(SHARED_URL)) ? SHARED_URL : VENDORED_URL);
  let source: string;
  try {
    source = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(
      `twitter-text conformance file not found at ${path} (nor in the shared folder beside the repository)`,
      {
        cause: err,
      },
    );
  }
  const doc = parse(source) as { tests?: Record<string, ConformanceCase[]> } | null;
  if (!doc?.tests || typeof doc.tests !== "object") throw new Error(`${path} has no top-level "tests" map`);
  return doc.tests;
}
