/**
 * The HTTP API at its edges, on an empty store: URLs Fastify or Node's parser refuse still answer in the
 * one error shape, a known path asked with the wrong method is a 405 with `Allow`, long ids fit in a path,
 * the change stream resumes after `Last-Event-ID`, a BOM before the first NDJSON line is ignored, and an
 * IPv4-mapped IPv6 viewer address is located as its IPv4 address.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../src/http/server.ts";
import { ipv4Mapped } from "../src/visibility/geo.ts";
import { ADMIN_KEY, openTestContext, type TestContext } from "./helpers.ts";

let t: TestContext;
let app: FastifyInstance;
let base: string;
let port: number;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };

before(async () => {
  t = await openTestContext("pglite");
  app = await buildServer(t.ctx);
  base = await app.listen({ port: 0, host: "127.0.0.1" });
  port = Number(new URL(base).port);
});
after(async () => {
  await app?.close();
  await t?.cleanup();
});

/** The body is exactly `{ error: { code, message[, details] } }`. */
function assertErrorShape(body: unknown, code: string): { code: string; message: string; details?: unknown } {
  assert.ok(body && typeof body === "object", JSON.stringify(body));
  assert.deepEqual(Object.keys(body), ["error"], JSON.stringify(body));
  const error = (body as { error: { code: string; message: string; details?: unknown } }).error;
  assert.equal(error.code, code, JSON.stringify(body));
  assert.equal(typeof error.message, "string");
  assert.ok(
    Object.keys(error).every((k) => ["code", "message", "details"].includes(k)),
    JSON.stringify(body),
  );
  return error;
}

/** Sends bytes on a raw socket (no client re-encodes them) and reads the whole answer. */
function rawRequest(bytes: Buffer): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    socket.on("data", (d) => chunks.push(d));
    socket.on("error", reject);
    socket.on("close", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const [head = "", body = ""] = text.split("\r\n\r\n");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), headers: head, body });
    });
    socket.write(bytes);
  });
}

test("a path that is not valid percent-encoded UTF-8 is a 400 bad_url in the error shape", async () => {
  const res = await app.inject({ method: "GET", url: "/v1/orders/%E0%A4", headers: admin });
  assert.equal(res.statusCode, 400);
  assert.match(String(res.headers["content-type"]), /application\/json/);
  const error = assertErrorShape(res.json(), "bad_url");
  assert.match(error.message, /'\/v1\/orders\/%E0%A4' is not valid percent-encoded UTF-8/);
  // Over a real connection too.
  const real = await fetch(`${base}/v1/orders/%E0%A4`, { headers: admin });
  assert.equal(real.status, 400);
  assertErrorShape(await real.json(), "bad_url");
});

test("raw bytes outside ASCII in the request line are a 400 bad_url in the error shape, from Node's parser", async () => {
  const res = await rawRequest(
    Buffer.concat([
      Buffer.from("GET /v1/search/suggestions?country=IN&q="),
      Buffer.from("ｍｏｄｉ", "utf8"),
      Buffer.from(` HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ADMIN_KEY}\r\nConnection: close\r\n\r\n`),
    ]),
  );
  assert.equal(res.status, 400, res.headers);
  assert.match(res.headers, /content-type: application\/json/i);
  const error = assertErrorShape(JSON.parse(res.body), "bad_url");
  assert.match(error.message, /percent-encoded/);
  // Malformed in another way (a header line without a colon): bad_request, same shape.
  const other = await rawRequest(Buffer.from("GET /healthz HTTP/1.1\r\nHost: x\r\nnot a header\r\n\r\n"));
  assert.equal(other.status, 400, other.headers);
  assertErrorShape(JSON.parse(other.body), "bad_request");
  // The same query percent-encoded is taken.
  const ok = await fetch(`${base}/v1/search/suggestions?country=IN&q=${encodeURIComponent("ｍｏｄｉ")}`, {
    headers: admin,
  });
  assert.equal(ok.status, 200);
});

test("a known path asked with a method it does not take is a 405 with Allow; an unknown path stays 404", async () => {
  const cases: Array<[string, string, string]> = [
    ["DELETE", "/v1/orders", "GET, HEAD, POST"],
    ["PUT", "/v1/orders/o-1", "GET, HEAD"],
    ["GET", "/v1/actions", "POST"],
    ["HEAD", "/v1/orders/o-1/decisions", "POST"],
    ["PATCH", "/v1/transparency", "GET, HEAD"],
  ];
  for (const [method, url, allow] of cases) {
    const res = await app.inject({ method: method as "GET", url, headers: admin });
    assert.equal(res.statusCode, 405, `${method} ${url}: ${res.body}`);
    assert.equal(res.headers.allow, allow, `${method} ${url}`);
    if (method === "HEAD") continue;
    const error = assertErrorShape(res.json(), "method_not_allowed");
    assert.equal(error.message, `${method} is not allowed on ${url}: use ${allow}`);
    assert.deepEqual(error.details, { allow: allow.split(", ") });
  }
  for (const [method, url] of [
    ["DELETE", "/v1/nothing"],
    ["GET", "/v1/nothing/here"],
    ["POST", "/v1/orders/o-1/nothing"],
  ] as const) {
    const res = await app.inject({ method, url, headers: admin });
    assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
    assertErrorShape(res.json(), "not_found");
  }
  // The method that is allowed still reaches its route (and its own answer).
  const order = await app.inject({ method: "GET", url: "/v1/orders/o-1", headers: admin });
  assert.equal(order.statusCode, 404);
  assert.match(order.json().error.message, /o-1/);
});

test("an id of 128 characters fits in a path, percent-encoded too", async () => {
  for (const id of ["p".repeat(128), "!".repeat(128)]) {
    const res = await app.inject({
      method: "GET",
      url: `/v1/subjects/post/${encodeURIComponent(id).replace(/!/g, "%21")}`,
      headers: admin,
    });
    assert.equal(res.statusCode, 404, res.body.slice(0, 200));
    const error = assertErrorShape(res.json(), "not_found");
    // The subject route answered (not the catch-all's "no route"), with the whole id.
    assert.equal(error.message, `Vigil knows no post '${id}': no ingested event and no ledger entry`);
  }
});

/** Opens the change stream and returns the ids of the events until `last` arrives. */
async function streamIds(query: string, headers: Record<string, string>, last: number): Promise<number[]> {
  const ac = new AbortController();
  const res = await fetch(`${base}/v1/changes${query}`, {
    headers: { ...admin, accept: "text/event-stream", ...headers },
    signal: ac.signal,
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/event-stream");
  const reader = res.body!.getReader();
  let text = "";
  const deadline = setTimeout(() => ac.abort(), 10_000);
  try {
    while (!new RegExp(`^id: ${last}$`, "m").test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
  } finally {
    clearTimeout(deadline);
    ac.abort();
  }
  return [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
}

test("the change stream resumes after Last-Event-ID when `after` is absent; `after` wins; a malformed one is a 400", async () => {
  for (const id of ["sse-1", "sse-2", "sse-3", "sse-4"]) {
    const res = await app.inject({
      method: "POST",
      url: "/v1/actions",
      headers: admin,
      payload: { subject: { type: "account", id }, action: "suspend", reason: "test" },
    });
    assert.equal(res.statusCode, 201, res.body);
  }
  const head = Number(
    (await app.inject({ method: "GET", url: "/v1/changes?wait=0", headers: admin })).json().head,
  );
  assert.ok(head >= 4);
  const all = Array.from({ length: head }, (_, i) => i + 1);
  assert.deepEqual(await streamIds("", {}, head), all, "from the start without either");
  assert.deepEqual(await streamIds("", { "last-event-id": "" }, head), all, "an empty one is none");
  assert.deepEqual(await streamIds("", { "last-event-id": String(head - 2) }, head), [head - 1, head]);
  assert.deepEqual(
    await streamIds(`?after=${head - 3}`, { "last-event-id": String(head - 1) }, head),
    [head - 2, head - 1, head],
    "after wins over Last-Event-ID",
  );
  for (const bad of ["abc", "-1", "1.5", "12345678901234567890", "3, 4"]) {
    const res = await app.inject({
      method: "GET",
      url: "/v1/changes",
      headers: { ...admin, accept: "text/event-stream", "last-event-id": bad },
    });
    assert.equal(res.statusCode, 400, `${bad}: ${res.body}`);
    assert.match(String(res.headers["content-type"]), /application\/json/);
    const error = assertErrorShape(res.json(), "invalid_request");
    assert.match(error.message, /Last-Event-ID: .* is not a ledger seq/);
    assert.deepEqual(
      (error.details as { issues: Array<{ path: string }> }).issues[0]!.path,
      "headers.last-event-id",
    );
  }
  // The OpenAPI document says which wins.
  const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json();
  assert.match(doc.paths["/v1/changes"].get.description, /when both are given, `after` wins/);
});

test("a UTF-8 byte order mark before the first NDJSON line is ignored; anywhere else it is an error", async () => {
  const account = (id: string) =>
    JSON.stringify({ type: "account", id, handle: id.replace(/-/g, "_"), createdAt: "2021-01-20T10:00:00Z" });
  const res = await app.inject({
    method: "POST",
    url: "/v1/ingest",
    headers: { ...admin, "content-type": "application/x-ndjson" },
    payload: `\uFEFF${account("bom-1")}\n${account("bom-2")}\n`,
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().accepted, 2);
  const later = await app.inject({
    method: "POST",
    url: "/v1/ingest",
    headers: { ...admin, "content-type": "application/x-ndjson" },
    payload: `${account("bom-3")}\n\uFEFF${account("bom-4")}\n`,
  });
  assert.equal(later.statusCode, 207, later.body);
  assert.equal(later.json().accepted, 1);
  assert.deepEqual(
    later.json().rejected.map((r: { line: number; code: string }) => [r.line, r.code]),
    [[2, "invalid_json"]],
  );
});

test("an IPv4-mapped IPv6 viewer address is located as its IPv4 address", async () => {
  assert.equal(ipv4Mapped("::ffff:8.8.8.8"), "8.8.8.8");
  assert.equal(ipv4Mapped("0:0:0:0:0:FFFF:0808:0808"), "8.8.8.8");
  assert.equal(ipv4Mapped("2001:4860:4860::8888"), null);
  assert.equal(t.ctx.geo.country("::ffff:8.8.8.8"), t.ctx.geo.country("8.8.8.8"));
  const withhold = await app.inject({
    method: "POST",
    url: "/v1/actions",
    headers: admin,
    payload: {
      subject: { type: "account", id: "geo-a" },
      action: "withhold",
      countries: ["IN"],
      reason: "test",
    },
  });
  assert.equal(withhold.statusCode, 201, withhold.body);
  await t.ctx.visibility.waitFor(withhold.json().entry.seq);
  const resolve = async (ip: string) => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/visibility/resolve",
      headers: admin,
      payload: {
        viewer: { country: null, accountId: null, ip },
        surface: "profile",
        items: [{ accountId: "geo-a" }],
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { viewerCountry: string | null; decisions: Array<{ action: string }> };
  };
  for (const ip of ["::ffff:8.8.8.8", "::ffff:808:808"]) {
    const r = await resolve(ip);
    assert.equal(r.viewerCountry, "US", ip);
    assert.equal(r.decisions[0]!.action, "allow", `${ip}: withheld in India only`);
  }
  const india = await resolve("::ffff:49.44.0.1");
  assert.equal(india.viewerCountry, "IN");
  assert.notEqual(india.decisions[0]!.action, "allow");
});
