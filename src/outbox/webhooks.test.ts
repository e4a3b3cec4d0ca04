import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import { sign, verifySignature } from "./webhooks.ts";

const secret = "whsec_test_secret_with_enough_length";
const body = JSON.stringify({ id: 1, topic: "order.received", payload: { orderId: "o1" } });

test("a signature is HMAC-SHA256 over '<t>.<body>', and verifies only for that body, secret and time window", () => {
  const t = 1_612_000_000;
  const header = sign(secret, body, t);
  const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  assert.equal(header, `t=${t},v1=${expected}`);
  assert.ok(verifySignature(secret, header, body, t + 10));
  assert.ok(!verifySignature(secret, header, `${body} `, t), "a changed body fails");
  assert.ok(!verifySignature(`${secret}x`, header, body, t), "another secret fails");
  assert.ok(!verifySignature(secret, header, body, t + 301), "a replay outside the tolerance fails");
  assert.ok(!verifySignature(secret, `t=${t + 1},v1=${expected}`, body, t), "a moved timestamp fails");
  assert.ok(!verifySignature(secret, "garbage", body, t));
  assert.ok(!verifySignature(secret, `t=${t},v1=abcd`, body, t), "a short MAC fails");
});
