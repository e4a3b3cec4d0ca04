import assert from "node:assert/strict";
import { test } from "node:test";
import { authorize, can, POLICY, type Principal, ROLES } from "./policy.ts";

const p = (role: Principal["role"], authority: string | null = null): Principal => ({
  keyId: "k",
  role,
  authority,
});

test("every rule names a known role", () => {
  for (const [role] of POLICY) assert.ok(role === "*" || (ROLES as readonly string[]).includes(role), role);
});

test("the table decides; nothing unlisted is allowed", () => {
  assert.equal(can(p("admin"), "create", "api_key"), true);
  assert.equal(can(p("legal"), "create", "api_key"), false);
  assert.equal(can(p("moderator"), "create", "enforcement"), true);
  assert.equal(can(p("auditor"), "create", "enforcement"), false);
  assert.equal(can(p("auditor"), "verify", "ledger"), true);
  assert.equal(can(p("integration"), "create", "events"), true);
  assert.equal(can(p("moderator"), "create", "events"), false);
  assert.throws(
    () => authorize(p("auditor"), "create", "enforcement"),
    /'auditor' role may not create enforcement/,
  );
});

test("requesters reach only their own authority's orders", () => {
  const r = p("requester", "MeitY");
  assert.equal(can(r, "read", "order", "MeitY"), true);
  assert.equal(can(r, "read", "order", "Other Ministry"), false);
  assert.equal(can(p("requester", null), "read", "order", "MeitY"), false);
  assert.equal(can(r, "decide", "order", "MeitY"), false);
});
