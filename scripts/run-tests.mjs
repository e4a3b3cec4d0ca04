#!/usr/bin/env node
// Runs the test files listed here, explicitly (a glob that matches nothing would run nothing).
// `node scripts/run-tests.mjs unit` runs the unit tests only.
// Suites that need a real PostgreSQL (DATABASE_URL) or NATS (NATS_URL) announce it when they skip.
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const unit = [
  "src/domain/countries.test.ts",
  "src/ingest/extract.test.ts",
  "src/ingest/extract-fast.test.ts",
  "src/hashtags/normalize.test.ts",
  "src/hashtags/matcher.test.ts",
  "src/trends/engine.test.ts",
  "src/trends/suggest.test.ts",
  "src/trends/defence.test.ts",
  "src/visibility/resolver.test.ts",
  "src/visibility/bloom.test.ts",
  "src/visibility/id-table.test.ts",
  "src/legal/profiles.test.ts",
  "src/legal/order-input.test.ts",
  "src/ledger/canonical.test.ts",
  "src/ledger/projection.test.ts",
  "src/auth/policy.test.ts",
  "src/demo/generate.test.ts",
  "src/outbox/webhooks.test.ts",
  "src/cases/links.test.ts",
  "src/http/fast-resolve.test.ts",
  "src/detect/textsig.test.ts",
  "src/detect/neardup.test.ts",
  "src/detect/cotrace.test.ts",
  "src/detect/posts.test.ts",
  "src/detect/signals.test.ts",
  "src/detect/cluster.test.ts",
  "src/detect/engine.test.ts",
  "src/detect/edges.test.ts",
  "src/detect/urls.test.ts",
  "src/detect/text/normalize.test.ts",
  "src/detect/text/lexicon.test.ts",
  "src/detect/text/scorer.test.ts",
  "src/detect/text/eval.test.ts",
  "src/transparency/dsa.test.ts",
  "src/transparency/dsa-validate.test.ts",
  "src/transparency/lumen.test.ts",
  "src/transparency/consistency.test.ts",
  "src/transparency/render.test.ts",
];
const integration = [
  "test/store.pglite.test.ts",
  "test/store.postgres.test.ts",
  "test/api.test.ts",
  "test/visibility.test.ts",
  "test/freshness.test.ts",
  "test/trends.test.ts",
  "test/orders.test.ts",
  "test/orders-multipart.test.ts",
  "test/http-edges.test.ts",
  "test/legal-followup.test.ts",
  "test/cases.test.ts",
  "test/checkpoints.test.ts",
  "test/transparency.test.ts",
  "test/stream-ingest.test.ts",
  "test/detection.test.ts",
  "test/session.test.ts",
  "test/console.e2e.test.ts",
  "test/cli.test.ts",
];

const files = process.argv[2] === "unit" ? unit : [...unit, ...integration];
const missing = files.filter((f) => !fs.existsSync(f));
if (missing.length > 0) {
  console.error(`test files listed in scripts/run-tests.mjs are missing: ${missing.join(", ")}`);
  process.exit(1);
}
for (const [name, why] of [
  ["DATABASE_URL", "the PostgreSQL store suite will be SKIPPED"],
  ["NATS_URL", "streaming suites will be SKIPPED"],
]) {
  if (!process.env[name]) console.warn(`*** ${name} is not set: ${why}. .ci/run sets it. ***`);
}
const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "test" },
});
if ((r.status ?? 1) !== 0) process.exit(r.status ?? 1);
// The console's own component tests (vitest, in console/).
const c = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", "--root", "console"], {
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "test" },
});
process.exit(c.status ?? 1);
