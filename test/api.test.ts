/** The HTTP API end to end (PGlite): contract §1, §3, §5, §8, and bad input that must change nothing. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../src/http/server.ts";
import { ActionRequest } from "../src/ledger/actions.ts";
import { ADMIN_KEY, openTestContext, type TestContext } from "./helpers.ts";

let t: TestContext;
let app: FastifyInstance;
let address: string | undefined;
/** The server on a real socket (listens on first use). */
const listening = async (): Promise<string> => {
  address ??= await app.listen({ port: 0, host: "127.0.0.1" });
  return address;
};
const keys: Record<string, string> = {};

const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const admin = auth(ADMIN_KEY);

const action = (over: Record<string, unknown> = {}) => ({
  subject: { type: "account", id: "a1" },
  action: "withhold",
  countries: ["IN"],
  reason: "s.69A order",
  ...over,
});

async function head(): Promise<number> {
  return t.ctx.ledger.headSeq();
}

before(async () => {
  t = await openTestContext("pglite");
  app = await buildServer(t.ctx);
  for (const role of ["legal", "moderator", "auditor", "integration"])
    keys[role] = (await t.ctx.keys.create(role)).key;
  keys.requester = (await t.ctx.keys.create("requester", { authority: "MeitY" })).key;
});
after(async () => {
  await app?.close();
  await t?.cleanup();
});

describe("service basics", () => {
  test("/healthz answers 200 without a key", async () => {
    const res = await app.inject({ method: "GET", url: "/healthz" });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, "ok");
  });

  test("/openapi.json describes the endpoints from the validating schemas", async () => {
    const res = await app.inject({ method: "GET", url: "/openapi.json" });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, "3.1.0");
    for (const p of ["/v1/actions", "/v1/ingest", "/v1/changes", "/v1/subjects/{type}/{id}", "/healthz"])
      assert.ok(doc.paths[p], `${p} is documented`);
    const actionBody = doc.paths["/v1/actions"].post.requestBody.content["application/json"].schema;
    assert.ok(
      JSON.stringify(actionBody).includes("limit_engagement"),
      "the action enum comes from the zod schema",
    );
  });

  test("unknown routes answer the standard error shape", async () => {
    const res = await app.inject({ method: "GET", url: "/v1/nope" });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, "not_found");
  });
});

describe("authentication and the policy table", () => {
  test("a missing, malformed or unknown key is 401 and writes nothing", async () => {
    const before = await head();
    for (const headers of [
      {},
      { authorization: "Basic abc" },
      auth("vgl_000000000000_notarealkeynotarealkeynotarealkey1"),
      auth("nonsense"),
    ]) {
      const res = await app.inject({ method: "POST", url: "/v1/actions", headers, payload: action() });
      assert.equal(res.statusCode, 401, JSON.stringify(headers));
      assert.equal(res.json().error.code, "unauthorized");
    }
    assert.equal(await head(), before);
  });

  test("a role that may not act is 403 and writes nothing", async () => {
    const before = await head();
    for (const role of ["auditor", "integration", "requester"]) {
      const res = await app.inject({
        method: "POST",
        url: "/v1/actions",
        headers: auth(keys[role]!),
        payload: action(),
      });
      assert.equal(res.statusCode, 403, role);
      assert.equal(res.json().error.code, "forbidden");
      assert.match(res.json().error.message, new RegExp(`'${role}' role may not create enforcement`));
    }
    const res = await app.inject({
      method: "POST",
      url: "/v1/keys",
      headers: auth(keys.legal!),
      payload: { role: "admin" },
    });
    assert.equal(res.statusCode, 403);
    assert.equal(await head(), before);
  });

  test("an admin mints keys; a requester key must name its authority", async () => {
    const ok = await app.inject({
      method: "POST",
      url: "/v1/keys",
      headers: admin,
      payload: { role: "moderator" },
    });
    assert.equal(ok.statusCode, 201);
    const minted = ok.json().key as string;
    const use = await app.inject({
      method: "POST",
      url: "/v1/actions",
      headers: auth(minted),
      payload: action({ subject: { type: "post", id: "minted" } }),
    });
    assert.equal(use.statusCode, 201);
    assert.equal(use.json().entry.actor, `key:${ok.json().id}`);
    const bad = await app.inject({
      method: "POST",
      url: "/v1/keys",
      headers: admin,
      payload: { role: "requester" },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /authority/);
  });
});

describe("direct actions (contract §3)", () => {
  test("an action becomes one ledger entry; a replay with the same key returns it; a different action is 409", async () => {
    const payload = action({
      subject: { type: "account", id: "kisan_voice" },
      idempotencyKey: "order-1-item-7",
      rule: null,
      legalBasis: "IT Act s.69A",
    });
    const r1 = await app.inject({ method: "POST", url: "/v1/actions", headers: auth(keys.legal!), payload });
    assert.equal(r1.statusCode, 201);
    const entry = r1.json().entry;
    assert.equal(entry.seq, await head());
    assert.equal(entry.basis, "local_law");
    assert.match(entry.hash, /^[0-9a-f]{64}$/);
    const r2 = await app.inject({ method: "POST", url: "/v1/actions", headers: auth(keys.legal!), payload });
    assert.equal(r2.statusCode, 200);
    assert.equal(r2.json().duplicate, true);
    assert.equal(r2.json().entry.seq, entry.seq);
    const r3 = await app.inject({
      method: "POST",
      url: "/v1/actions",
      headers: auth(keys.legal!),
      payload: { ...payload, countries: ["PK"] },
    });
    assert.equal(r3.statusCode, 409);
    assert.equal(r3.json().error.code, "conflict");
  });

  test("the hashtag suppression from the contract is accepted", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/actions",
      headers: auth(keys.moderator!),
      payload: {
        subject: { type: "hashtag", id: "ModiPlanningFarmerGenocide" },
        action: "suppress",
        surfaces: ["trends", "search_suggestions"],
        countries: null,
        reason: "incitement; harmful misinformation",
        rule: "violent_speech",
        expiresAt: null,
        idempotencyKey: "case-42-tag",
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().entry.surfaces, ["search_suggestions", "trends"]);
  });

  test("GET /v1/subjects returns state in force and full history; unknown subjects are 404", async () => {
    const s = { type: "post", id: "subj-1" };
    for (const p of [
      action({ subject: s, countries: ["IN", "PK"] }),
      action({ subject: s, action: "restore", countries: ["PK"] }),
    ])
      assert.equal(
        (await app.inject({ method: "POST", url: "/v1/actions", headers: admin, payload: p })).statusCode,
        201,
      );
    const res = await app.inject({
      method: "GET",
      url: "/v1/subjects/post/subj-1",
      headers: auth(keys.auditor!),
    });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(
      body.inForce.map((r: { key: string }) => r.key),
      ["withhold:IN"],
    );
    assert.deepEqual(
      body.history.map((e: { action: string }) => e.action),
      ["withhold", "restore"],
    );
    const missing = await app.inject({ method: "GET", url: "/v1/subjects/post/never-seen", headers: admin });
    assert.equal(missing.statusCode, 404);
    const badType = await app.inject({ method: "GET", url: "/v1/subjects/user/x", headers: admin });
    assert.equal(badType.statusCode, 400);
  });

  const bad: [string, unknown, RegExp, string?][] = [
    ["unknown field", { ...action(), colour: "red" }, /colour/],
    ["invalid country", action({ countries: ["XX"] }), /'XX' is not an ISO 3166-1/],
    ["lower-case country", action({ countries: ["in"] }), /'in' is not an ISO 3166-1/],
    ["invalid surface", action({ action: "suppress", countries: null, surfaces: ["timeline"] }), /surfaces/],
    ["unknown action", action({ action: "delete" }), /action/],
    ["unknown subject type", action({ subject: { type: "user", id: "x" } }), /subject\.type/],
    ["missing reason", { subject: { type: "account", id: "a" }, action: "suspend" }, /reason/],
    ["suspend with countries", action({ action: "suspend" }), /suspend is global/],
    ["label without a label", action({ action: "label", countries: null }), /needs a label/],
    ["expiry in the past", action({ expiresAt: "2001-01-01T00:00:00Z" }), /future/],
    ["a timestamp that is not RFC 3339", action({ expiresAt: "tomorrow" }), /RFC 3339/],
    ["an array body", [action()], /body/],
  ];
  for (const [name, payload, message] of bad)
    test(`rejects ${name} with a precise 400 and writes nothing`, async () => {
      const before = await head();
      const res = await app.inject({
        method: "POST",
        url: "/v1/actions",
        headers: admin,
        payload: payload as object,
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.code, "invalid_request");
      assert.match(res.json().error.message, message);
      assert.equal(await head(), before);
    });

  test("malformed JSON is 400 invalid_json and writes nothing", async () => {
    const before = await head();
    const res = await app.inject({
      method: "POST",
      url: "/v1/actions",
      headers: { ...admin, "content-type": "application/json" },
      payload: '{"subject": {"type": "account", "id": "a1"}, "action": ',
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "invalid_json");
    assert.equal(await head(), before);
  });

  test("an oversized body is 413 and writes nothing", async () => {
    const before = await head();
    const res = await app.inject({
      method: "POST",
      url: "/v1/actions",
      headers: admin,
      payload: action({ reason: "x".repeat(2 * 1024 * 1024) }),
    });
    assert.equal(res.statusCode, 413);
    assert.equal(res.json().error.code, "payload_too_large");
    assert.equal(await head(), before);
  });
});

describe("replays, hashtag spellings and reversals of nothing (contract §3)", () => {
  const post = async (payload: Record<string, unknown>) =>
    app.inject({ method: "POST", url: "/v1/actions", headers: admin, payload });
  const resolveTag = async (tag: string, surface = "trends") => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/visibility/resolve",
      headers: admin,
      payload: { viewer: { country: "IN" }, surface, items: [{ hashtag: tag }] },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().decisions[0].action as string;
  };
  const subject = async (type: string, id: string) =>
    app.inject({ method: "GET", url: `/v1/subjects/${type}/${encodeURIComponent(id)}`, headers: admin });

  test("a replay with another reason or rule is 409 naming the fields; the identical replay stays a duplicate", async () => {
    const payload = action({
      subject: { type: "account", id: "qa-replay" },
      reason: "first reason",
      rule: "r1",
      idempotencyKey: "qa-k1",
    });
    const first = await post(payload);
    assert.equal(first.statusCode, 201, first.body);
    const h = await head();
    const changed = await post({ ...payload, reason: "another reason", rule: "r2" });
    assert.equal(changed.statusCode, 409, changed.body);
    assert.equal(changed.json().error.code, "conflict");
    assert.match(changed.json().error.message, /'qa-k1' was already used .*\(seq \d+\): reason, rule differ/);
    assert.deepEqual(changed.json().error.details, {
      seq: first.json().entry.seq,
      fields: ["reason", "rule"],
    });
    for (const [field, value] of [
      ["legalBasis", "IT Act s.69A"],
      ["basis", "legal_demand"],
      ["countries", ["PK"]],
    ] as const) {
      const res = await post({ ...payload, [field]: value });
      assert.equal(res.statusCode, 409, field);
      assert.deepEqual(res.json().error.details.fields, [field]);
    }
    assert.equal(await head(), h, "a conflicting replay writes nothing");
    const again = await post(payload);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().duplicate, true);
    assert.deepEqual(again.json().entry, first.json().entry);
    assert.equal(await head(), h);
  });

  test("internal callers keep comparing the effect only (e.g. reverse:<seq> from an appeal and an order)", async () => {
    const body = {
      ...action(),
      subject: { type: "account" as const, id: "qa-internal" },
      action: "withhold" as const,
      countries: ["IN"],
      surfaces: null,
      label: null,
      basis: "local_law" as const,
      expiresAt: null,
      source: { kind: "manual" as const, id: null },
      actor: "test",
      reason: "one",
      rule: null,
      legalBasis: null,
      reverses: null,
      idempotencyKey: "qa-internal-k",
      recordedAt: new Date().toISOString(),
    };
    const [r1] = await t.ctx.ledger.appendBatch([body]);
    const r2 = await t.ctx.ledger.append({ ...body, reason: "two" });
    assert.equal(r2.status, "duplicate");
    assert.equal(r2.entry.seq, r1!.entry.seq);
    const r3 = await t.ctx.ledger.append({ ...body, reason: "two" }, { strictReplay: true });
    assert.equal(r3.status, "conflict");
    assert.ok(r3.status === "conflict" && r3.fields.join() === "reason");
  });

  test("an action on another spelling of a hashtag applies to the existing subject, and says so", async () => {
    const suppress = await post({
      subject: { type: "hashtag", id: "CaseTagQa" },
      action: "suppress",
      surfaces: ["trends"],
      reason: "qa",
    });
    assert.equal(suppress.statusCode, 201, suppress.body);
    assert.equal(suppress.json().spelling, undefined, "the same spelling: nothing to say");
    await t.ctx.visibility.waitFor(suppress.json().entry.seq);
    assert.equal(await resolveTag("casetagqa"), "drop");
    const lift = await post({
      subject: { type: "hashtag", id: "casetagqa" },
      action: "unsuppress",
      surfaces: null,
      reason: "qa: lift",
    });
    assert.equal(lift.statusCode, 201, lift.body);
    assert.deepEqual(lift.json().entry.subject, { type: "hashtag", id: "CaseTagQa" });
    assert.equal(lift.json().spelling.requested, "casetagqa");
    assert.equal(lift.json().spelling.recorded, "CaseTagQa");
    assert.match(lift.json().spelling.message, /existing subject 'CaseTagQa'/);
    await t.ctx.visibility.waitFor(lift.json().entry.seq);
    assert.equal(await resolveTag("CaseTagQa"), "allow", "lifted in every spelling");
    assert.equal(await resolveTag("casetagqa"), "allow");
    const state = await subject("hashtag", "CASETAGQA");
    assert.equal(state.statusCode, 200, state.body);
    assert.deepEqual(state.json().subject, { type: "hashtag", id: "CaseTagQa" });
    assert.deepEqual(state.json().inForce, []);
    assert.deepEqual(
      state.json().history.map((e: { action: string }) => e.action),
      ["suppress", "unsuppress"],
    );
    // Acting on a spelling again keeps one subject, even with nothing in force.
    const again = await post({
      subject: { type: "hashtag", id: "case_tag_qa" },
      action: "suppress",
      surfaces: ["search_suggestions"],
      reason: "qa: again",
    });
    assert.equal(again.json().entry.subject.id, "CaseTagQa");
  });

  test("GET /v1/subjects/hashtag finds a subject by its match key", async () => {
    const res = await post({
      subject: { type: "hashtag", id: "QaTag" },
      action: "suppress",
      surfaces: ["trends"],
      reason: "qa",
    });
    assert.equal(res.statusCode, 201, res.body);
    await t.ctx.visibility.waitFor(res.json().entry.seq);
    assert.equal(await resolveTag("qatag"), "drop");
    const found = await subject("hashtag", "qatag");
    assert.equal(found.statusCode, 200, found.body);
    assert.deepEqual(found.json().subject, { type: "hashtag", id: "QaTag" });
    assert.deepEqual(
      found.json().inForce.map((r: { key: string }) => r.key),
      ["suppress:trends:*"],
    );
    assert.equal((await subject("hashtag", "qatag*")).statusCode, 404, "a wildcard is another subject");
    assert.equal((await subject("hashtag", "NeverTagged")).statusCode, 404);
  });

  test("wildcard hashtags compare on their pattern's match key and keep their wildcard form", async () => {
    const wild = await post({
      subject: { type: "hashtag", id: "QaWild*" },
      action: "suppress",
      surfaces: ["trends"],
      reason: "qa",
    });
    assert.equal(wild.statusCode, 201, wild.body);
    const exact = await post({
      subject: { type: "hashtag", id: "qawild" },
      action: "suppress",
      surfaces: ["trends"],
      reason: "qa: the exact tag",
    });
    assert.equal(exact.json().entry.subject.id, "qawild", "an exact tag is not the prefix rule");
    const lift = await post({
      subject: { type: "hashtag", id: "QAWILD*" },
      action: "unsuppress",
      surfaces: ["trends"],
      reason: "qa: lift",
    });
    assert.equal(lift.statusCode, 201, lift.body);
    assert.equal(lift.json().entry.subject.id, "QaWild*");
    await t.ctx.visibility.waitFor(lift.json().entry.seq);
    assert.equal(await resolveTag("qawildfire"), "allow");
    assert.equal(await resolveTag("QaWild"), "drop", "the exact rule stays");
    assert.deepEqual((await subject("hashtag", "qawild*")).json().subject.id, "QaWild*");
  });

  test("a hashtag with nothing left to match is a precise 400 and writes nothing", async () => {
    const h = await head();
    const res = await post({
      subject: { type: "hashtag", id: "_" },
      action: "suppress",
      surfaces: ["trends"],
      reason: "qa",
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().error.message, /nothing left to match/);
    assert.equal(await head(), h);
  });

  test("a reversal that matches nothing in force is 409 not_in_force, says what is, and writes nothing", async () => {
    const a = { type: "account", id: "qa-rev" };
    assert.equal((await post(action({ subject: a, countries: null }))).statusCode, 201);
    const h = await head();
    const refusals: [Record<string, unknown>, RegExp][] = [
      [
        action({ subject: a, action: "restore", countries: ["IN"] }),
        /^nothing to restore: account 'qa-rev' is withheld everywhere \(entry \d+\); restore with countries: null to lift it/,
      ],
      [action({ subject: a, action: "unsuspend", countries: null }), /account 'qa-rev' is not suspended/],
      [
        action({ subject: a, action: "unlabel", label: "manipulated_media", countries: null }),
        /does not carry the label 'manipulated_media'/,
      ],
      [
        action({ subject: a, action: "unlimit_engagement", countries: null }),
        /engagement with account 'qa-rev' is not limited/,
      ],
      [
        {
          subject: { type: "hashtag", id: "casetagqa" },
          action: "unsuppress",
          surfaces: ["trends"],
          reason: "qa",
        },
        /hashtag 'CaseTagQa' is suppressed on search_suggestions everywhere.*surfaces: \["search_suggestions"\]/,
      ],
      [
        { subject: { type: "hashtag", id: "NeverSuppressedQa" }, action: "unsuppress", reason: "qa" },
        /hashtag 'NeverSuppressedQa' is not suppressed on any surface/,
      ],
    ];
    for (const [payload, message] of refusals) {
      const res = await post(payload);
      assert.equal(res.statusCode, 409, `${payload.action}: ${res.body}`);
      assert.equal(res.json().error.code, "not_in_force");
      assert.match(res.json().error.message, message);
    }
    const res = await post(action({ subject: a, action: "restore", countries: ["IN"] }));
    assert.deepEqual(
      res.json().error.details.inForce.map((r: { key: string }) => r.key),
      ["withhold:*"],
    );
    assert.equal(await head(), h, "nothing was written");
    const lift = await post(
      action({ subject: a, action: "restore", countries: null, idempotencyKey: "qa-lift" }),
    );
    assert.equal(lift.statusCode, 201, lift.body);
    const replay = await post(
      action({ subject: a, action: "restore", countries: null, idempotencyKey: "qa-lift" }),
    );
    assert.equal(replay.statusCode, 200, "a replay of a reversal that lifted is a duplicate, not a refusal");
    assert.equal(replay.json().entry.seq, lift.json().entry.seq);
    assert.equal((await post(action({ subject: a, action: "restore", countries: null }))).statusCode, 409);
  });

  test("a reversal sent together with the action it lifts is accepted (one group commit)", async () => {
    const s = { type: "post", id: "qa-together" };
    const [w, r] = await Promise.all(
      [action({ subject: s }), action({ subject: s, action: "restore" })].map((p) =>
        t.ctx.actions.record(ActionRequest.parse(p), { id: "test" }),
      ),
    );
    assert.equal(r!.entry.seq, w!.entry.seq + 1);
    assert.deepEqual(await t.ctx.ledger.state(s as { type: "post"; id: string }), []);
  });
});

describe("ingest (contract §1)", () => {
  const account = (id: string, extra = "") =>
    `{"type":"account","id":"${id}","handle":"h_${id}","displayName":"D","createdAt":"2021-01-20T10:00:00Z","country":"IN","lang":"hi","bio":"","hasAvatar":false,"followers":3,"following":120,"verified":false${extra}}`;
  const ndjson = { "content-type": "application/x-ndjson" };

  test("valid lines are stored; bad lines are reported by number without stopping the others (207)", async () => {
    const body = [
      account("ing1"),
      '{"type":"post","id":"ingp1","authorId":"ing1","createdAt":"2021-02-01T09:15:00Z","text":"#FarmersProtest #किसान_आंदोलन","lang":"en","replyTo":null,"quoteOf":null,"repostOf":null,"urls":[],"media":[]}',
      "[1,2]",
      account("ing2", ',"mood":"x"'),
      account("ing1"),
    ].join("\n");
    const res = await app.inject({
      method: "POST",
      url: "/v1/ingest",
      headers: { ...auth(keys.integration!), ...ndjson },
      payload: body,
    });
    assert.equal(res.statusCode, 207, res.body);
    const r = res.json();
    assert.equal(r.accepted, 2);
    assert.equal(r.duplicates, 1);
    assert.deepEqual(
      r.rejected.map((x: { line: number; code: string }) => [x.line, x.code]),
      [
        [3, "invalid_event"],
        [4, "unknown_field"],
      ],
    );
    const post = await app.inject({ method: "GET", url: "/v1/subjects/post/ingp1", headers: admin });
    assert.deepEqual(post.json().record.hashtags, ["FarmersProtest", "किसान_आंदोलन"]);
  });

  test("a body where every line is bad is 400 and writes nothing; so is an empty one", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/ingest",
      headers: { ...admin, ...ndjson },
      payload: `{\n${account("ing9", ',"x":1')}`,
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.code, "invalid_ndjson");
    assert.equal(res.json().error.details.rejected.length, 2);
    const gone = await app.inject({ method: "GET", url: "/v1/subjects/account/ing9", headers: admin });
    assert.equal(gone.statusCode, 404);
    const empty = await app.inject({
      method: "POST",
      url: "/v1/ingest",
      headers: { ...admin, ...ndjson },
      payload: "\n\n",
    });
    assert.equal(empty.statusCode, 400);
  });

  test("JSON instead of NDJSON is 415; a moderator key may not ingest", async () => {
    const res = await app.inject({
      method: "POST",
      url: "/v1/ingest",
      headers: admin,
      payload: { type: "account" },
    });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().error.code, "unsupported_media_type");
    const forbidden = await app.inject({
      method: "POST",
      url: "/v1/ingest",
      headers: { ...auth(keys.moderator!), ...ndjson },
      payload: account("x1"),
    });
    assert.equal(forbidden.statusCode, 403);
  });

  test("an ingest body over the limit is 413", async () => {
    const line = account("big");
    const body = Array.from({ length: Math.ceil((33 * 1024 * 1024) / line.length) }, () => line).join("\n");
    const res = await app.inject({
      method: "POST",
      url: "/v1/ingest",
      headers: { ...admin, ...ndjson },
      payload: body,
    });
    assert.equal(res.statusCode, 413);
    const gone = await app.inject({ method: "GET", url: "/v1/subjects/account/big", headers: admin });
    assert.equal(gone.statusCode, 404);
  });
});

describe("change feed (contract §5) and verification", () => {
  test("returns entries after a seq, with their hashes, in order", async () => {
    const res = await app.inject({
      method: "GET",
      url: "/v1/changes?after=0&limit=3",
      headers: auth(keys.integration!),
    });
    assert.equal(res.statusCode, 200);
    const { entries, next, head: h } = res.json();
    assert.deepEqual(
      entries.map((e: { seq: number }) => e.seq),
      [1, 2, 3],
    );
    assert.equal(entries[1].prevHash, entries[0].hash);
    assert.equal(next, 3);
    assert.equal(h, await head());
  });

  test("a long poll is held open and answered when an entry is committed", async () => {
    const h = await head();
    const started = Date.now();
    const pending = app.inject({
      method: "GET",
      url: `/v1/changes?after=${h}&wait=20`,
      headers: auth(keys.integration!),
    });
    setTimeout(() => {
      void app.inject({
        method: "POST",
        url: "/v1/actions",
        headers: admin,
        payload: action({ subject: { type: "account", id: "poll" } }),
      });
    }, 200);
    const res = await pending;
    assert.ok(Date.now() - started >= 150, "it waited");
    assert.ok(Date.now() - started < 15_000, "it did not wait for the timeout");
    assert.equal(res.json().entries[0].subject.id, "poll");
    const empty = await app.inject({
      method: "GET",
      url: `/v1/changes?after=${h + 1}&wait=0`,
      headers: admin,
    });
    assert.deepEqual(empty.json().entries, []);
    const bad = await app.inject({ method: "GET", url: "/v1/changes?after=-1", headers: admin });
    assert.equal(bad.statusCode, 400);
  });

  test("a long poll whose client has left reads nothing more (a closing server drops its connections first)", async () => {
    const base = await listening();
    const h = await head();
    const reads: number[] = [];
    const original = t.ctx.ledger.entriesAfter.bind(t.ctx.ledger);
    t.ctx.ledger.entriesAfter = (after, limit) => {
      reads.push(after);
      return original(after, limit);
    };
    try {
      const ac = new AbortController();
      const poll = fetch(`${base}/v1/changes?after=${h}&wait=20`, { headers: admin, signal: ac.signal });
      while (reads.length === 0) await new Promise((r) => setTimeout(r, 10));
      ac.abort();
      await assert.rejects(poll);
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(reads, [h], "one read before waiting, none after the client left");
    } finally {
      t.ctx.ledger.entriesAfter = original;
    }
  });

  test("streams entries as server-sent events", async () => {
    const base = await listening();
    const h = await head();
    const ac = new AbortController();
    const res = await fetch(`${base}/v1/changes?after=${h - 1}`, {
      headers: { ...admin, accept: "text/event-stream" },
      signal: ac.signal,
    });
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const reader = res.body!.getReader();
    let text = "";
    setTimeout(
      () =>
        void t.ctx.actions.record(ActionRequest.parse(action({ subject: { type: "account", id: "sse" } })), {
          id: "test",
        }),
      100,
    );
    while (!text.includes('"id":"sse"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    ac.abort();
    assert.match(text, new RegExp(`id: ${h}\\nevent: entry\\n`));
    assert.match(text, new RegExp(`id: ${h + 1}\\nevent: entry\\ndata: .*"id":"sse"`));
  });

  test("GET /v1/ledger/verify reports a sound chain to auditors", async () => {
    const res = await app.inject({ method: "GET", url: "/v1/ledger/verify", headers: auth(keys.auditor!) });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().ok, true);
    assert.equal(res.json().headSeq, await head());
    const denied = await app.inject({
      method: "GET",
      url: "/v1/ledger/verify",
      headers: auth(keys.integration!),
    });
    assert.equal(denied.statusCode, 403);
  });
});

describe("the ledger read for people (GET /v1/ledger)", () => {
  const read = async (q: string, key = keys.auditor!) => {
    const res = await app.inject({ method: "GET", url: `/v1/ledger?${q}`, headers: auth(key) });
    return { status: res.statusCode, body: res.json() };
  };

  test("pages newest first with the count of matching entries, and agrees with the change feed", async () => {
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({
        method: "POST",
        url: "/v1/actions",
        headers: admin,
        payload: action({
          subject: { type: "account", id: `ledger-read-${i}` },
          reason: i % 2 === 0 ? `court order 50%_off #${i}` : `ਪੰਜਾਬੀ notice ${i}`,
          countries: i === 4 ? ["PK"] : ["IN"],
        }),
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const h = await head();
    const all = await read("limit=3");
    assert.equal(all.status, 200);
    assert.equal(all.body.total, h, "every entry counts");
    assert.equal(all.body.head, h);
    assert.deepEqual(
      all.body.entries.map((e: { seq: number }) => e.seq),
      [h, h - 1, h - 2],
    );
    const next = await read("limit=2&offset=3&count=0");
    assert.deepEqual(
      next.body.entries.map((e: { seq: number }) => e.seq),
      [h - 3, h - 4],
    );
    assert.equal(next.body.total, -1, "count=0 skips the count");
    const oldest = await read("limit=2&order=asc");
    const feed = (
      await app.inject({
        method: "GET",
        url: "/v1/changes?after=0&limit=2",
        headers: auth(keys.integration!),
      })
    ).json();
    assert.deepEqual(oldest.body.entries, feed.entries, "the same entries, hashes included");
  });

  test("filters by action and source, and every search word must match", async () => {
    const words = await read(`q=${encodeURIComponent("ledger-read ਪੰਜਾਬੀ")}`);
    assert.equal(words.body.total, 2);
    assert.ok(words.body.entries.every((e: { reason: string }) => e.reason.includes("ਪੰਜਾਬੀ")));
    const country = await read(`q=${encodeURIComponent("ledger-read PK")}`);
    assert.deepEqual(
      country.body.entries.map((e: { subject: { id: string } }) => e.subject.id),
      ["ledger-read-4"],
    );
    // % and _ are literal characters in a search, not patterns.
    const literal = await read(`q=${encodeURIComponent("50%_off")}`);
    assert.equal(literal.body.total, 3);
    assert.equal((await read(`q=${encodeURIComponent("5%f")}`)).body.total, 0);
    const withheld = await read("action=withhold&source=manual&limit=1000");
    assert.ok(withheld.body.total >= 5);
    assert.ok(
      withheld.body.entries.every(
        (e: { action: string; source: { kind: string } }) =>
          e.action === "withhold" && e.source.kind === "manual",
      ),
    );
    assert.equal((await read("action=suspend&q=ledger-read")).body.total, 0);
  });

  test("a bad query is refused with the reason, and roles without the ledger are refused", async () => {
    for (const q of ["limit=5000", "order=sideways", "action=delete", "offset=-1", "extra=1"]) {
      const r = await read(q);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.error.code, "invalid_request");
    }
    assert.equal((await read("limit=1", keys.requester!)).status, 403);
  });
});
