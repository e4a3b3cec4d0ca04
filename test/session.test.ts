/**
 * Console logins: users created by an admin with scrypt-hashed passwords; a session cookie that is
 * httpOnly and SameSite=Strict; the CSRF token required on every state-changing request made with the
 * cookie; roles from the same policy table as the API; logout ends the session.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { query } from "../src/db/store.ts";
import { buildServer } from "../src/http/server.ts";
import { ADMIN_KEY, openTestContext, type TestContext } from "./helpers.ts";

let t: TestContext;
let app: FastifyInstance;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const password = "correct horse battery staple";

before(async () => {
  t = await openTestContext("pglite");
  app = await buildServer(t.ctx);
});
after(async () => {
  await app?.close();
  await t?.cleanup();
});

const login = async (username: string, pw = password) =>
  app.inject({ method: "POST", url: "/v1/session", payload: { username, password: pw } });

test("an admin creates users; passwords are stored as scrypt hashes; bad users are refused", async () => {
  for (const [username, role] of [
    ["lena", "legal"],
    ["moe", "moderator"],
  ] as const) {
    const r = await app.inject({
      method: "POST",
      url: "/v1/users",
      headers: admin,
      payload: { username, password, role },
    });
    assert.equal(r.statusCode, 201, r.body);
  }
  const [row] = await query<{ password_hash: string }>(
    t.ctx.store.db,
    sql`select password_hash from users where username = 'lena'`,
  );
  assert.match(row!.password_hash, /^scrypt\$32768\$8\$1\$/);
  assert.ok(!row!.password_hash.includes(password));
  const dup = await app.inject({
    method: "POST",
    url: "/v1/users",
    headers: admin,
    payload: { username: "LENA", password, role: "legal" },
  });
  assert.equal(dup.statusCode, 409);
  const short = await app.inject({
    method: "POST",
    url: "/v1/users",
    headers: admin,
    payload: { username: "x1x", password: "short", role: "legal" },
  });
  assert.equal(short.statusCode, 400);
  const requester = await app.inject({
    method: "POST",
    url: "/v1/users",
    headers: admin,
    payload: { username: "req", password, role: "requester" },
  });
  assert.equal(requester.statusCode, 400, "a requester needs an authority");
});

test("login sets an httpOnly SameSite=Strict cookie; wrong passwords get 401", async () => {
  assert.equal((await login("lena", "wrong password here")).statusCode, 401);
  assert.equal((await login("nobody")).statusCode, 401);
  const r = await login("lena");
  assert.equal(r.statusCode, 200);
  const setCookie = String(r.headers["set-cookie"]);
  assert.match(setCookie, /^vigil_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+/);
  assert.equal(r.json().user.role, "legal");
  assert.ok(r.json().csrfToken.length >= 24);
});

test("with the cookie, reads work and every change needs the CSRF token; roles follow the policy table", async () => {
  const r = await login("lena");
  const cookie = String(r.headers["set-cookie"]).split(";")[0]!;
  const csrf = r.json().csrfToken;
  assert.equal(
    (await app.inject({ method: "GET", url: "/v1/session", headers: { cookie } })).json().user.username,
    "lena",
  );
  assert.equal((await app.inject({ method: "GET", url: "/v1/orders", headers: { cookie } })).statusCode, 200);
  const action = {
    subject: { type: "account", id: "a-session-test" },
    action: "withhold",
    countries: ["IN"],
    reason: "test",
  };
  const noCsrf = await app.inject({
    method: "POST",
    url: "/v1/actions",
    headers: { cookie },
    payload: action,
  });
  assert.equal(noCsrf.statusCode, 403);
  assert.match(noCsrf.json().error.message, /x-csrf-token/);
  const wrongCsrf = await app.inject({
    method: "POST",
    url: "/v1/actions",
    headers: { cookie, "x-csrf-token": "nope" },
    payload: action,
  });
  assert.equal(wrongCsrf.statusCode, 403);
  const withCsrf = await app.inject({
    method: "POST",
    url: "/v1/actions",
    headers: { cookie, "x-csrf-token": csrf },
    payload: action,
  });
  assert.equal(withCsrf.statusCode, 201, withCsrf.body);
  assert.equal(withCsrf.json().entry.actor, "user:lena");
  const mo = await login("moe");
  const moCookie = String(mo.headers["set-cookie"]).split(";")[0]!;
  const orders = await app.inject({ method: "GET", url: "/v1/orders", headers: { cookie: moCookie } });
  assert.equal(orders.statusCode, 403, "a moderator may not read orders");
  assert.equal(
    (await app.inject({ method: "GET", url: "/v1/users", headers: { cookie } })).statusCode,
    403,
    "only admins list users",
  );
});

test("logout ends the session", async () => {
  const r = await login("lena");
  const cookie = String(r.headers["set-cookie"]).split(";")[0]!;
  const out = await app.inject({ method: "DELETE", url: "/v1/session", headers: { cookie } });
  assert.equal(out.statusCode, 204);
  assert.match(String(out.headers["set-cookie"]), /Max-Age=0/);
  assert.equal((await app.inject({ method: "GET", url: "/v1/orders", headers: { cookie } })).statusCode, 401);
});

test("the console is served at / with client-side routes falling back to index.html; API paths are not", async () => {
  const api = await app.inject({ method: "GET", url: "/v1/nothing-here" });
  assert.equal(api.statusCode, 404);
  assert.equal(api.json().error.code, "not_found");
  const page = await app.inject({ method: "GET", url: "/orders/123" });
  assert.ok(page.statusCode === 200 || page.statusCode === 404);
  if (page.statusCode === 200) assert.match(String(page.headers["content-type"]), /text\/html/);
  else assert.match(page.body, /npm run build:console/);
  const outside = await app.inject({ method: "GET", url: "/../package.json" });
  assert.ok(!outside.body.includes('"name": "vigil"'), "no file outside console/dist is served");
});
