import { test } from "node:test";
import { DATABASE_URL } from "./helpers.ts";
import { storeSuite } from "./store-suite.ts";

if (DATABASE_URL) storeSuite("postgres");
else {
  const why = "DATABASE_URL is not set: the PostgreSQL store suite is SKIPPED (.ci/run sets it)";
  console.warn(`\n*** ${why} ***\n`);
  test("PostgreSQL store suite", { skip: why }, () => {});
}
