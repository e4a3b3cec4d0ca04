import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { generateScenario, orderCsv } from "../demo/generate.ts";
import {
  checkAgainstProfile,
  OrderRequest,
  type Problem,
  parseOrderCsv,
  parseTarget,
  validateOrder,
} from "./order-input.ts";
import { profileFor } from "./profiles.ts";

/** The contract §2 example. */
const example = () => ({
  authority: {
    name: "Ministry of Electronics and Information Technology",
    country: "IN",
    type: "government_agency" as "court" | "government_agency" | "police" | "other",
    officer: "Designated Officer",
    rank: "Joint Secretary",
  },
  legalBasis: "Information Technology Act, 2000, s.69A; Blocking Rules 2009, r.9",
  reference: "MeitY/69A/2021/0204-1",
  receivedAt: "2021-02-04T12:00:00Z",
  deadline: null as string | null,
  emergency: false,
  confidential: true,
  items: [
    { target: "https://platform.example/kisan_voice", reason: "spreading misinformation" } as {
      target: string;
      reason?: string;
    },
    { target: "@another_handle" },
    { target: "post:p1" },
  ],
});

const header = () => {
  const { items: _items, ...h } = example();
  return h;
};

const problemsOf = (input: unknown): Problem[] => {
  const r = validateOrder(input);
  return r.ok ? [] : r.problems;
};
const at = (ps: Problem[], path: string) => ps.filter((p) => p.path === path);

describe("order schema and profile checks", () => {
  test("the contract §2 example validates against India's profile", () => {
    const r = validateOrder(example());
    assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
    assert.equal(r.profile.country, "IN");
    assert.equal(r.order.items.length, 3);
  });

  test("defaults: deadline null, emergency and confidential false", () => {
    const { deadline: _d, emergency: _e, confidential: _c, ...rest } = example();
    const r = validateOrder(rest);
    assert.ok(r.ok);
    assert.equal(r.order.deadline, null);
    assert.equal(r.order.emergency, false);
    assert.equal(r.order.confidential, false);
  });

  test("unknown fields, bad types and bad values are all reported with paths", () => {
    const o: Record<string, unknown> = example();
    o.extra = 1;
    o.receivedAt = "2021-02-04 12:00";
    o.reference = "";
    (o.authority as Record<string, unknown>).country = "India";
    (o.authority as Record<string, unknown>).type = "ministry";
    (o.authority as Record<string, unknown>).badge = "x";
    (o.items as { target: string }[])[1] = { target: "x".repeat(2049) };
    const ps = problemsOf(o);
    assert.deepEqual(at(ps, "extra"), [{ path: "extra", message: "unknown field" }]);
    assert.deepEqual(at(ps, "authority.badge"), [{ path: "authority.badge", message: "unknown field" }]);
    assert.match(at(ps, "receivedAt")[0]!.message, /RFC 3339 timestamp in UTC/);
    assert.match(at(ps, "reference")[0]!.message, /blank|at least/);
    assert.match(at(ps, "authority.country")[0]!.message, /'India' is not an ISO 3166-1 alpha-2/);
    assert.match(at(ps, "authority.type")[0]!.message, /court, government_agency, police, other/);
    assert.match(at(ps, "items.1.target")[0]!.message, /at most 2048/);
  });

  test("receivedAt may not be later than now plus five minutes of clock skew (checked when `now` is given)", () => {
    const now = new Date("2021-02-04T12:00:00Z");
    const o = example();
    o.receivedAt = "2021-02-04T12:05:00Z";
    assert.ok(validateOrder(o, { now }).ok, "within the allowance");
    o.receivedAt = "2099-02-04T12:00:00Z";
    const r = validateOrder(o, { now });
    assert.ok(!r.ok);
    assert.deepEqual(
      r.problems.map((p) => p.path),
      ["receivedAt"],
    );
    assert.match(
      r.problems[0]!.message,
      /^2099-02-04T12:00:00Z is in the future: .*now \(2021-02-04T12:00:00\.000Z\) plus 5 minutes/,
    );
    assert.ok(validateOrder(o).ok, "without a clock, nothing is said about time");
    // Reported with the other problems when the schema fails too.
    const bad: Record<string, unknown> = { ...o, extra: 1 };
    const ps = validateOrder(bad, { now });
    assert.ok(!ps.ok && ps.problems.some((p) => p.path === "receivedAt"));
  });

  test("when the schema fails, target and profile problems are still reported", () => {
    const o: Record<string, unknown> = example();
    o.extra = true;
    o.emergency = true;
    o.legalBasis = "Blocking Rules 2009, r.8";
    (o.items as { target: string }[]).push({ target: "ftp://x" }, { target: "@Another_Handle" });
    const ps = problemsOf(o);
    assert.equal(at(ps, "extra").length, 1);
    assert.equal(at(ps, "emergency").length, 1);
    assert.match(at(ps, "items.3.target")[0]!.message, /not a profile or post URL/);
    assert.match(at(ps, "items.4.target")[0]!.message, /duplicates items\.1/);
  });

  test("officer rank: Joint Secretary and above pass, Under Secretary fails (government agency, IN)", () => {
    for (const rank of [
      "Joint Secretary",
      "Jt. Secretary",
      "Additional Secretary",
      "Secretary",
      "JOINT SECRETARY",
    ]) {
      const o = example();
      o.authority.rank = rank;
      assert.deepEqual(problemsOf(o), [], rank);
    }
    for (const rank of ["Under Secretary", "Deputy Secretary", "Section Officer"]) {
      const o = example();
      o.authority.rank = rank;
      const ps = problemsOf(o);
      assert.equal(ps.length, 1, rank);
      assert.equal(ps[0]!.path, "authority.rank");
      assert.match(ps[0]!.message, new RegExp(`'${rank}' is not Joint Secretary rank or above`));
    }
    const o: Record<string, unknown> = example();
    delete (o.authority as Record<string, unknown>).rank;
    assert.match(at(problemsOf(o), "authority.rank")[0]!.message, /^is required: government_agency orders/);
  });

  test("officer rank: police with DIG or above passes, Superintendent of Police fails", () => {
    const police = (rank: string) => {
      const o = example();
      o.authority = { ...o.authority, name: "Delhi Police", type: "police", rank };
      o.legalBasis = "IT Rules 2021, r.3(1)(d)";
      return o;
    };
    for (const rank of ["Deputy Inspector General of Police", "DIG", "D.I.G.", "Inspector General", "DGP"])
      assert.deepEqual(problemsOf(police(rank)), [], rank);
    for (const rank of ["Superintendent of Police", "Senior Superintendent of Police", "Inspector"]) {
      const ps = problemsOf(police(rank));
      assert.equal(ps.length, 1, rank);
      assert.match(ps[0]!.message, /is not Deputy Inspector General of Police rank or above/);
    }
  });

  test("courts have no rank rule", () => {
    const o = example();
    o.authority = { name: "High Court of Delhi", country: "IN", type: "court" } as typeof o.authority;
    o.legalBasis = "IT Act 2000 s.69A; Blocking Rules 2009, rule 10";
    assert.deepEqual(problemsOf(o), []);
  });

  test("legal basis: unrecognised, and emergency needs an emergency basis", () => {
    const o = example();
    o.legalBasis = "Indian Penal Code s.505";
    const ps = problemsOf(o);
    assert.equal(ps.length, 1);
    assert.equal(ps[0]!.path, "legalBasis");
    assert.match(ps[0]!.message, /cites no legal basis recognised for India/);

    const e = example();
    e.emergency = true;
    e.legalBasis = "Information Technology Act, 2000, s.69A; Blocking Rules 2009, r.8";
    const pe = problemsOf(e);
    assert.equal(pe.length, 1);
    assert.equal(pe[0]!.path, "emergency");
    assert.match(pe[0]!.message, /must cite an emergency basis/);

    e.legalBasis = "Information Technology Act, 2000, s.69A; Blocking Rules 2009, r.9";
    assert.deepEqual(problemsOf(e), []);
  });

  test("the default profile accepts any basis for other countries", () => {
    const o = example();
    o.authority = {
      name: "Tribunal judiciaire de Paris",
      country: "FR",
      type: "court",
    } as typeof o.authority;
    o.legalBasis = "LCEN art. 6-I-8";
    const r = validateOrder(o);
    assert.ok(r.ok);
    assert.equal(r.profile.country, "*");
  });

  test("deadline before receipt; required fields of a profile", () => {
    const o = example();
    o.deadline = "2021-02-03T12:00:00Z";
    const ps = problemsOf(o);
    assert.deepEqual(
      ps.map((p) => p.path),
      ["deadline"],
    );
    assert.match(ps[0]!.message, /is before the order was received/);

    const strict = { ...profileFor("IN"), requiredFields: ["authority.officer", "deadline"] as const };
    const parsed = OrderRequest.parse({
      ...example(),
      authority: { ...example().authority, officer: undefined },
    });
    const pp = checkAgainstProfile(parsed, { ...strict, requiredFields: [...strict.requiredFields] });
    assert.deepEqual(
      pp.map((p) => p.path),
      ["authority.officer", "deadline"],
    );
  });

  test("duplicates name both item indexes (handles, hashtags and posts normalised)", () => {
    const o = example();
    o.items = [
      { target: "@Kisan_Voice" },
      { target: "https://www.platform.example/kisan_voice/" },
      { target: "hashtag:FarmersProtest" },
      { target: " #farmersprotest " },
      { target: "post:p9" },
      { target: "https://platform.example/someone/status/p9?s=20" },
      { target: "account:a1" },
      { target: "account:A1" },
    ];
    const ps = problemsOf(o);
    assert.deepEqual(
      ps.map((p) => p.path),
      ["items.1.target", "items.3.target", "items.5.target"],
    );
    assert.match(ps[0]!.message, /duplicates items\.0: .* same account \(items 0 and 1\)/);
    assert.match(ps[1]!.message, /same hashtag \(items 2 and 3\)/);
    assert.match(ps[2]!.message, /same post \(items 4 and 5\)/);
  });

  test("100,000 items pass the schema, 100,001 are rejected", () => {
    const o = example();
    o.items = Array.from({ length: 100_001 }, (_, i) => ({ target: `account:a${i}` }));
    const ps = problemsOf(o);
    assert.deepEqual(
      ps.map((p) => p.path),
      ["items"],
    );
    assert.match(ps[0]!.message, /at most 100000 items/);
    o.items.pop();
    assert.deepEqual(problemsOf(o), []);
  });

  test("no items, and non-object input", () => {
    const o = example();
    o.items = [];
    assert.match(at(problemsOf(o), "items")[0]!.message, /at least one item/);
    assert.ok(problemsOf(null).length > 0);
    assert.ok(problemsOf([]).length > 0);
  });
});

describe("parseTarget", () => {
  test("every accepted form", () => {
    const cases: [string, object][] = [
      ["https://platform.example/kisan_voice", { kind: "account_url", handle: "kisan_voice" }],
      ["http://www.platform.example/kisan_voice/", { kind: "account_url", handle: "kisan_voice" }],
      ["https://PLATFORM.example/Kisan_Voice?lang=en", { kind: "account_url", handle: "Kisan_Voice" }],
      ["https://platform.example/a/status/p123", { kind: "post_url", handle: "a", id: "p123" }],
      ["https://platform.example/a/status/p123/?s=20#x", { kind: "post_url", handle: "a", id: "p123" }],
      ["https://platform.example/hashtag/FarmersProtest", { kind: "hashtag", tag: "FarmersProtest" }],
      ["@another_handle", { kind: "handle", handle: "another_handle" }],
      ["  @x  ", { kind: "handle", handle: "x" }],
      ["account:a004328", { kind: "account", id: "a004328" }],
      ["post:p1", { kind: "post", id: "p1" }],
      ["POST:p1", { kind: "post", id: "p1" }],
      ["hashtag:ModiPlanningFarmerGenocide", { kind: "hashtag", tag: "ModiPlanningFarmerGenocide" }],
      ["hashtag:#किसान", { kind: "hashtag", tag: "किसान" }],
      ["#FarmersProtest", { kind: "hashtag", tag: "FarmersProtest" }],
    ];
    for (const [t, want] of cases) assert.deepEqual(parseTarget(t), want, t);
  });

  test("configurable hosts", () => {
    assert.deepEqual(parseTarget("https://social.test/bob", ["social.test"]), {
      kind: "account_url",
      handle: "bob",
    });
    assert.match(
      (parseTarget("https://platform.example/bob", ["social.test"]) as { error: string }).error,
      /social\.test/,
    );
  });

  test("bad targets get precise errors", () => {
    const err = (t: string) => {
      const r = parseTarget(t);
      assert.ok("error" in r, `${t} should fail`);
      return r.error;
    };
    assert.equal(
      err("kisan_voice"),
      "'kisan_voice' is not a profile or post URL of platform.example, an @handle, or account:/post:/hashtag: id",
    );
    assert.match(err("https://evil.example/bob"), /URL host 'evil.example' is not platform\.example/);
    assert.match(err("@this_handle_is_too_long"), /is 23 characters long, at most 15/);
    assert.match(err("@bad-handle"), /may only hold letters A–Z, digits and _/);
    assert.match(err("@"), /handle is empty/);
    assert.match(err("https://platform.example/"), /has no path/);
    assert.match(err("https://platform.example/search?q=x"), /platform page/);
    assert.match(
      err("https://platform.example/a/likes"),
      /neither \/<handle> nor \/<handle>\/status\/<postId>/,
    );
    assert.match(err("https://platform.example/a/status/p1/photo/1"), /neither/);
    assert.match(err("https://platform.example:8080/a"), /port/);
    assert.match(err("account:"), /account id is empty/);
    assert.match(err("post:p 1"), /without spaces/);
    assert.match(err("hashtag:"), /hashtag is 1–139 characters/);
    assert.match(err("#two words"), /hashtag/);
    assert.equal(err("   "), "the target is empty");
  });
});

describe("parseOrderCsv", () => {
  test("quoted commas, quotes, CRLF, BOM, blank lines, header in any case", () => {
    const csv =
      '\uFEFFTarget,REASON\r\n"https://platform.example/kisan_voice","spreading, misinformation"\r\n\r\n@another_handle,\r\npost:p1,"said ""hello""\nand more"\r\n';
    const r = parseOrderCsv(Buffer.from(csv, "utf8"), header());
    assert.ok("order" in r, JSON.stringify(r));
    assert.deepEqual(r.order.items, [
      { target: "https://platform.example/kisan_voice", reason: "spreading, misinformation" },
      { target: "@another_handle" },
      { target: "post:p1", reason: 'said "hello"\nand more' },
    ]);
    assert.equal(r.order.reference, "MeitY/69A/2021/0204-1");
    const v = validateOrder(r.order);
    assert.ok(v.ok);
  });

  test("a target-only file and a reordered header work", () => {
    const a = parseOrderCsv("target\n@a\n@b\n", header());
    assert.ok("order" in a);
    assert.deepEqual(a.order.items, [{ target: "@a" }, { target: "@b" }]);
    const b = parseOrderCsv("reason,target\nwhy,@a\n", header());
    assert.ok("order" in b);
    assert.deepEqual(b.order.items, [{ target: "@a", reason: "why" }]);
  });

  test("every bad row is reported, with file line numbers (header = row 1)", () => {
    const csv = [
      "target,reason",
      "@ok,fine", // 2
      "not a target,x", // 3
      "@a,b,c", // 4
      "", // 5 blank: skipped
      ",no target", // 6
      '"@multi","line', // 7
      'reason"', // 8
      '@x,bad"quote', // 9
      `@long,${"r".repeat(2001)}`, // 10
      "account:a1,ok", // 11
    ].join("\r\n");
    const r = parseOrderCsv(csv, header());
    assert.ok("rows" in r);
    assert.deepEqual(
      r.rows.map((x) => x.row),
      [3, 4, 6, 9, 10],
    );
    assert.match(r.rows[0]!.message, /target: 'not a target' is not a profile or post URL/);
    assert.match(r.rows[1]!.message, /has 3 fields, the header has 2/);
    assert.match(r.rows[2]!.message, /target is empty/);
    assert.match(r.rows[3]!.message, /is not valid CSV/);
    assert.match(r.rows[4]!.message, /reason is 2001 characters long, at most 2000/);
  });

  test("an unclosed quote is reported at the row where it starts", () => {
    const r = parseOrderCsv('target,reason\n@a,x\n"@b,unclosed\n@c,y\n', header());
    assert.ok("rows" in r);
    assert.deepEqual(
      r.rows.map((x) => x.row),
      [3],
    );
    assert.match(r.rows[0]!.message, /Quote Not Closed/);
  });

  test("header required; extra and unknown columns rejected; empty files rejected", () => {
    const noHeader = parseOrderCsv("@a,x\n@b,y\n", header());
    assert.ok("rows" in noHeader);
    assert.deepEqual(
      noHeader.rows.map((x) => x.row),
      [1],
    );
    assert.match(noHeader.rows[0]!.message, /header row must be 'target,reason'.*unknown column '@a'/);

    const extra = parseOrderCsv("target,reason,country\n@a,x,IN\n", header());
    assert.ok("rows" in extra);
    assert.match(extra.rows[0]!.message, /unknown column 'country'/);

    const twice = parseOrderCsv("target,target\n@a,@b\n", header());
    assert.ok("rows" in twice);
    assert.match(twice.rows[0]!.message, /column 'target' appears twice/);

    const onlyHeader = parseOrderCsv("target,reason\r\n\r\n", header());
    assert.ok("rows" in onlyHeader);
    assert.deepEqual(onlyHeader.rows, [{ row: 1, message: "the file has a header but no data rows" }]);

    const empty = parseOrderCsv("", header());
    assert.ok("rows" in empty);
    assert.match(empty.rows[0]!.message, /the file is empty/);
  });

  test("invalid UTF-8 is reported on its line; UTF-16 with a BOM is read", () => {
    const bytes = Buffer.concat([
      Buffer.from("target,reason\n@a,x\n@b,caf"),
      Buffer.from([0xe9]),
      Buffer.from("\n"),
    ]);
    const r = parseOrderCsv(bytes, header());
    assert.ok("rows" in r);
    assert.deepEqual(
      r.rows.map((x) => x.row),
      [3],
    );
    assert.match(r.rows[0]!.message, /not valid UTF-8/);

    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from("target,reason\r\n@a,café\r\n", "utf16le"),
    ]);
    const u = parseOrderCsv(utf16, header());
    assert.ok("order" in u);
    assert.deepEqual(u.order.items, [{ target: "@a", reason: "café" }]);
  });
});

describe("the demo scenario's orders", () => {
  const scenario = generateScenario({ scale: 1 });

  test("both demo orders validate against India's profile with no problems", () => {
    assert.equal(scenario.orders.length, 2);
    for (const o of scenario.orders) {
      const r = validateOrder(o.body);
      assert.ok(r.ok, `${o.name}: ${JSON.stringify(!r.ok && r.problems.slice(0, 5))}`);
      assert.equal(r.profile.country, "IN");
      assert.equal(r.order.items.length, o.body.items.length);
    }
  });

  test("orderCsv output round-trips through parseOrderCsv to the same items", () => {
    for (const o of scenario.orders) {
      const { items, ...h } = o.body;
      const r = parseOrderCsv(orderCsv(o.body), h);
      assert.ok("order" in r, `${o.name}: ${JSON.stringify("rows" in r && r.rows.slice(0, 5))}`);
      assert.deepEqual(
        r.order.items,
        items.map((i) => (i.reason ? { target: i.target, reason: i.reason } : { target: i.target })),
      );
      assert.ok(validateOrder(r.order).ok);
    }
  });

  test("performance smoke: 10,000-item CSV through parseOrderCsv + validateOrder (reported, not asserted)", () => {
    const items = Array.from({ length: 10_000 }, (_, i) => {
      const forms = [
        `https://platform.example/user${i}`,
        `https://platform.example/user${i}/status/p${i}?s=20`,
        `@handle_${i}`,
        `account:a${i}`,
        `post:q${i}`,
      ];
      return { target: forms[i % forms.length] as string, reason: `reason, number ${i}` };
    });
    const csv = orderCsv({
      ...example(),
      authority: { ...example().authority, officer: "x", rank: "Joint Secretary" },
      items,
    } as Parameters<typeof orderCsv>[0]);
    for (let round = 0; round < 2; round++) {
      const t0 = performance.now();
      const r = parseOrderCsv(csv, header());
      const t1 = performance.now();
      assert.ok("order" in r);
      const v = validateOrder(r.order);
      const t2 = performance.now();
      assert.ok(v.ok);
      console.log(
        `# intake of 10,000 items (${round === 0 ? "cold" : "warm"}): parseOrderCsv ${(t1 - t0).toFixed(1)} ms + validateOrder ${(t2 - t1).toFixed(1)} ms = ${(t2 - t0).toFixed(1)} ms`,
      );
    }
  });
});
