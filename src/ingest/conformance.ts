/**
 * Test support: twitter-text's conformance suite, read at run time from the shared folder beside the
 * repository (its README asks implementations not to copy the cases statically).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export interface ConformanceCase {
  description: string;
  text: string;
  expected: unknown;
}

const CONFORMANCE_URL = new URL(
  "../../../shared/reference/twitter-text-conformance/extract.yml",
  import.meta.url,
);

/** The `tests` map of extract.yml, section → cases. Throws (never skips) when the file is missing. */
export function loadConformance(): Record<string, ConformanceCase[]> {
  const path = fileURLToPath(CONFORMANCE_URL);
  let source: string;
  try {
    source = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(
      `twitter-text conformance file not found at ${path}; the shared folder must sit beside the repository`,
      {
        cause: err,
      },
    );
  }
  const doc = parse(source) as { tests?: Record<string, ConformanceCase[]> } | null;
  if (!doc?.tests || typeof doc.tests !== "object") throw new Error(`${path} has no top-level "tests" map`);
  return doc.tests;
}
