/** An order's CSV uploaded as multipart/form-data (contract §2): `POST /v1/orders/import` with the file in form field `file`. */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../src/http/server.ts";
import { ADMIN_KEY, openTestContext, type TestContext } from "./helpers.ts";

let t: TestContext;
let app: FastifyInstance;
const admin = { authorization: `Bearer ${ADMIN_KEY}` };
const AUTHORITY = "Landgericht Teststadt";
const header = {
  authorityName: AUTHORITY,
  authorityCountry: "DE",
  authorityType: "court",
  legalBasis: "NetzDG §3 (Beschluss)",
  receivedAt: "2021-02-04T12:00:00Z",
};
const query = (reference: string, extra: Record<string, string> = {}) =>
  new URLSearchParams({ ...header, reference, ...extra }).toString();
const GOOD_CSV =
  'target,reason\n@mp_one,incitement\nhttps://platform.example/mp_two,"defamation, repeated"\npost:mpp1,\n';

interface Part {
  name: string;
  value: string | Buffer;
  /** Set for a file part. */
  filename?: string;
  type?: string;
}
/** The multipart/form-data body a browser (or `curl -F`) sends, serialized by the platform's FormData. */
async function form(parts: Part[]): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const fd = new FormData();
  for (const p of parts) {
    if (p.filename === undefined) fd.append(p.name, String(p.value));
    else
      fd.append(p.name, new Blob([new Uint8Array(Buffer.from(p.value))], { type: p.type ?? "" }), p.filename);
  }
  const req = new Request("http://localhost/", { method: "POST", body: fd });
  return {
    payload: Buffer.from(await req.arrayBuffer()),
    headers: { "content-type": req.headers.get("content-type") as string },
  };
}
const csvFile = (csv: string | Buffer = GOOD_CSV): Part => ({
  name: "file",
  value: csv,
  filename: "order.csv",
  type: "text/csv",
});
async function upload(qs: string, parts: Part[], auth: Record<string, string> = admin) {
  const f = await form(parts);
  return app.inject({
    method: "POST",
    url: `/v1/orders/import?${qs}`,
    headers: { ...auth, ...f.headers },
    payload: f.payload,
  });
}
const references = async () =>
  (
    (await app.inject({ method: "GET", url: "/v1/orders", headers: admin })).json().orders as {
      reference: string;
    }[]
  ).map((o) => o.reference);

before(async () => {
  t = await openTestContext("pglite");
  app = await buildServer(t.ctx);
  const account = (id: string, handle: string) =>
    JSON.stringify({ type: "account", id, handle, createdAt: "2021-01-20T10:00:00Z", country: "DE" });
  const ingest = await app.inject({
    method: "POST",
    url: "/v1/ingest",
    headers: { ...admin, "content-type": "application/x-ndjson" },
    payload: [
      account("mp1", "mp_one"),
      account("mp2", "mp_two"),
      JSON.stringify({
        type: "post",
        id: "mpp1",
        authorId: "mp1",
        createdAt: "2021-02-01T09:00:00Z",
        text: "x",
      }),
    ].join("\n"),
  });
  assert.equal(ingest.statusCode, 200, ingest.body);
});
after(async () => {
  await app?.close();
  await t?.cleanup();
});

test("a CSV uploaded as multipart/form-data creates the order, every item resolved; a repeat is a duplicate", async () => {
  const res = await upload(query("MP/1"), [csvFile()]);
  assert.equal(res.statusCode, 201, res.body);
  const { order, duplicate } = res.json();
  assert.equal(duplicate, false);
  assert.equal(order.reference, "MP/1");
  assert.equal(order.legalBasis, header.legalBasis);
  assert.deepEqual(
    order.items.map((i: { target: string; reason: string | null; resolution: string; subject: unknown }) => [
      i.target,
      i.reason,
      i.resolution,
      i.subject,
    ]),
    [
      ["@mp_one", "incitement", "resolved", { type: "account", id: "mp1" }],
      ["https://platform.example/mp_two", "defamation, repeated", "resolved", { type: "account", id: "mp2" }],
      ["post:mpp1", null, "resolved", { type: "post", id: "mpp1" }],
    ],
  );
  const got = await app.inject({ method: "GET", url: `/v1/orders/${order.id}`, headers: admin });
  assert.deepEqual(got.json(), order);

  const again = await upload(query("MP/1"), [csvFile()]);
  assert.equal(again.statusCode, 200, again.body);
  assert.equal(again.json().duplicate, true);
  assert.equal(again.json().order.id, order.id);
  assert.deepEqual(await references(), ["MP/1"]);
});

test("the order's fields may be form fields instead; a field both in the query and the form is rejected", async () => {
  const fields = Object.entries({ ...header, reference: "MP/form" }).map(([name, value]) => ({
    name,
    value,
  }));
  // curl -F file=@order.csv sends no CSV type: a .csv name with application/octet-stream is taken as CSV.
  const res = await upload("", [
    ...fields,
    { name: "file", value: GOOD_CSV, filename: "order.csv", type: "application/octet-stream" },
  ]);
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().order.reference, "MP/form");
  assert.equal(res.json().order.authority.name, AUTHORITY);
  assert.equal(res.json().order.legalBasis, header.legalBasis, "form fields are read as UTF-8");
  assert.equal(res.json().order.items.length, 3);

  const before = await references();
  const both = await upload(query("MP/both"), [{ name: "reference", value: "MP/other" }, csvFile()]);
  assert.equal(both.statusCode, 400, both.body);
  assert.equal(both.json().error.code, "invalid_upload");
  assert.match(both.json().error.message, /'reference' given both in the query string and as a form field/);

  const missing = await upload(new URLSearchParams(header).toString(), [csvFile()]);
  assert.equal(missing.statusCode, 400, missing.body);
  assert.equal(missing.json().error.code, "invalid_request");
  assert.deepEqual(missing.json().error.details.issues, [
    { path: "reference", message: "is required: send it in the query string or as a form field" },
  ]);
  assert.deepEqual(await references(), before);
});

test("a malformed row rejects the whole order with a per-row report, and nothing is stored", async () => {
  const before = await references();
  const res = await upload(query("MP/bad"), [
    csvFile("target,reason\n@mp_one,fine\nnot a target,bad\n,empty\npost:mpp1,fine\n"),
  ]);
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(res.json().error.code, "invalid_order");
  assert.deepEqual(
    res.json().error.details.rows.map((r: { row: number }) => r.row),
    [3, 4],
  );
  // The file's bytes reach the CSV reader as they are: invalid UTF-8 is reported by row, not replaced.
  const bytes = await upload(query("MP/bytes"), [
    csvFile(
      Buffer.concat([Buffer.from("target,reason\n@mp_one,ok\n@mp_two,caf"), Buffer.from([0xe9, 0x0a])]),
    ),
  ]);
  assert.equal(bytes.statusCode, 400, bytes.body);
  assert.deepEqual(bytes.json().error.details.rows, [
    { row: 3, message: "is not valid UTF-8: save the file as CSV UTF-8" },
  ]);
  // A profile rule on the order's fields rejects it whole too.
  const noBasis = await upload(query("MP/nobasis", { legalBasis: " " }), [csvFile()]);
  assert.equal(noBasis.statusCode, 400, noBasis.body);
  assert.equal(noBasis.json().error.code, "invalid_order");
  assert.deepEqual(await references(), before);
  const list = await app.inject({ method: "GET", url: "/v1/orders", headers: admin });
  assert.ok(!list.body.includes("MP/bad"));
});

test("upload problems are precise 4xx answers, and nothing is stored", async () => {
  const before = await references();
  const cases: { what: string; qs?: string; parts: Part[]; status: number; code: string; message: RegExp }[] =
    [
      {
        what: "no file",
        parts: [{ name: "officer", value: "Richter" }],
        status: 400,
        code: "invalid_upload",
        message: /no file: send the CSV in form field 'file'/,
      },
      {
        what: "two files",
        parts: [csvFile(), { ...csvFile(), filename: "second.csv" }],
        status: 400,
        code: "invalid_upload",
        message: /more than one file/,
      },
      {
        what: "the file in another field",
        parts: [{ ...csvFile(), name: "csv" }],
        status: 400,
        code: "invalid_upload",
        message: /form field 'csv' holds a file: the CSV goes in form field 'file'/,
      },
      {
        what: "not CSV",
        parts: [{ name: "file", value: "%PDF-1.7\n", filename: "order.pdf", type: "application/pdf" }],
        status: 415,
        code: "unsupported_media_type",
        message: /'order.pdf' is application\/pdf, not CSV/,
      },
      {
        what: "an octet stream not named .csv",
        parts: [{ name: "file", value: GOOD_CSV, filename: "order.bin", type: "application/octet-stream" }],
        status: 415,
        code: "unsupported_media_type",
        message: /not CSV/,
      },
      {
        what: "an unknown form field",
        parts: [{ name: "colour", value: "red" }, csvFile()],
        status: 400,
        code: "invalid_upload",
        message: /form field 'colour' is not an order field/,
      },
      {
        what: "a form field twice",
        qs: new URLSearchParams({ ...header }).toString(),
        parts: [{ name: "reference", value: "MP/a" }, { name: "reference", value: "MP/b" }, csvFile()],
        status: 400,
        code: "invalid_upload",
        message: /form field 'reference' is given twice/,
      },
      {
        what: "a form field too long",
        qs: new URLSearchParams({ ...header }).toString(),
        parts: [{ name: "reference", value: "x".repeat(5000) }, csvFile()],
        status: 400,
        code: "invalid_upload",
        message: /form field 'reference' must be text of at most 4096 bytes/,
      },
      {
        what: "an unknown query field",
        qs: query("MP/q", { colour: "red" }),
        parts: [csvFile()],
        status: 400,
        code: "invalid_request",
        message: /colour: unknown field/,
      },
    ];
  for (const c of cases) {
    const res = await upload(c.qs ?? query(`MP/${c.what}`), c.parts);
    assert.equal(res.statusCode, c.status, `${c.what}: ${res.body}`);
    const err = res.json().error;
    assert.equal(err.code, c.code, c.what);
    assert.match(err.message, c.message, c.what);
  }

  const f = await form([csvFile()]);
  const truncated = await app.inject({
    method: "POST",
    url: `/v1/orders/import?${query("MP/truncated")}`,
    headers: { ...admin, ...f.headers },
    payload: f.payload.subarray(0, f.payload.length - 10),
  });
  assert.equal(truncated.statusCode, 400, truncated.body);
  assert.equal(truncated.json().error.code, "invalid_upload");
  const noBoundary = await app.inject({
    method: "POST",
    url: `/v1/orders/import?${query("MP/noboundary")}`,
    headers: { ...admin, "content-type": "multipart/form-data" },
    payload: f.payload,
  });
  assert.equal(noBoundary.statusCode, 400, noBoundary.body);
  assert.equal(noBoundary.json().error.code, "invalid_upload");
  assert.deepEqual(await references(), before);
});

test("a file over the CSV body limit is 413 over a real socket, and nothing is stored", async () => {
  const limit = t.ctx.config.http.ingestBodyLimit;
  const address = await app.listen({ host: "127.0.0.1", port: 0 });
  const post = (parts: Part[], qs = query("MP/big")) => {
    const fd = new FormData();
    for (const p of parts)
      fd.append(p.name, new Blob([new Uint8Array(Buffer.from(p.value))], { type: p.type ?? "" }), p.filename);
    return fetch(`${address}/v1/orders/import?${qs}`, { method: "POST", headers: admin, body: fd });
  };

  const row = "@mp_one,padding\n";
  const big = Buffer.alloc(limit + 1, row);
  big.write("target,reason\n");
  const res = await post([csvFile(big)]);
  assert.equal(res.status, 413);
  assert.deepEqual(await res.json(), {
    error: {
      code: "payload_too_large",
      message: `the file is larger than the limit of ${limit} bytes (split the order)`,
      details: { limit },
    },
  });
  // A file over the JSON body limit but within the CSV one is read whole: here it fails only on its legal basis.
  const rows = Array.from({ length: 1100 }, (_, i) => `hashtag:big${i},${"r".repeat(1900)}`);
  const large = Buffer.from(`target,reason\n${rows.join("\n")}\n`);
  assert.ok(large.length > t.ctx.config.http.jsonBodyLimit && large.length < limit);
  const within = await post(
    [csvFile(large)],
    query("MP/large", { authorityCountry: "IN", authorityType: "court" }),
  );
  assert.equal(within.status, 400);
  const problems = (await within.json()).error.details.problems as { path: string }[];
  assert.deepEqual(
    problems.map((p) => p.path),
    ["legalBasis"],
  );
  // The connection and the route still work: the same order within the limit goes in.
  const ok = await post([csvFile()]);
  assert.equal(ok.status, 201, await ok.clone().text());
  assert.equal((await ok.json()).order.items.length, 3);
  assert.ok((await references()).includes("MP/big"));
});

test("the same roles as the CSV import: a moderator may not import, a requester only for its authority", async () => {
  const before = await references();
  const moderator = (await t.ctx.keys.create("moderator")).key;
  const auditor = (await t.ctx.keys.create("auditor")).key;
  const otherRequester = (await t.ctx.keys.create("requester", { authority: "Some Other Court" })).key;
  for (const key of [moderator, auditor, otherRequester]) {
    const res = await upload(query("MP/roles"), [csvFile()], { authorization: `Bearer ${key}` });
    assert.equal(res.statusCode, 403, res.body);
    assert.equal(res.json().error.code, "forbidden");
  }
  const anonymous = await upload(query("MP/roles"), [csvFile()], {});
  assert.equal(anonymous.statusCode, 401);
  assert.deepEqual(await references(), before);
  const own = (await t.ctx.keys.create("requester", { authority: AUTHORITY })).key;
  const res = await upload(query("MP/roles"), [csvFile()], { authorization: `Bearer ${own}` });
  assert.equal(res.statusCode, 201, res.body);
});

test("the text/csv body still works on the same route", async () => {
  const res = await app.inject({
    method: "POST",
    url: `/v1/orders/import?${query("MP/text")}`,
    headers: { ...admin, "content-type": "text/csv" },
    payload: GOOD_CSV,
  });
  assert.equal(res.statusCode, 201, res.body);
  assert.equal(res.json().order.items.length, 3);
});

test("/openapi.json describes both bodies, the multipart one with its file field and the order's fields", async () => {
  const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json();
  const op = doc.paths["/v1/orders/import"].post;
  assert.deepEqual(Object.keys(op.requestBody.content).sort(), ["multipart/form-data", "text/csv"]);
  assert.equal(op.requestBody.content["text/csv"].schema.type, "string");
  const mp = op.requestBody.content["multipart/form-data"].schema;
  assert.deepEqual(mp.required, ["file"]);
  assert.equal(mp.properties.file.type, "string");
  assert.equal(mp.properties.file.format, "binary");
  for (const f of ["authorityName", "authorityCountry", "reference", "receivedAt", "legalBasis", "emergency"])
    assert.ok(mp.properties[f], f);
  assert.equal(mp.additionalProperties, false);
  assert.ok(
    op.parameters.some((p: { in: string; name: string }) => p.in === "query" && p.name === "reference"),
  );
  for (const status of ["201", "400", "403", "413", "415"]) assert.ok(op.responses[status], status);
  assert.match(op.description, /not both/);
});
