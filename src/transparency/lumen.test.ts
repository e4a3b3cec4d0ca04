import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { OrderItemView, OrderView } from "../legal/orders.ts";
import { type JurisdictionProfile, ProfileError, profileFor } from "../legal/profiles.ts";
import {
  actionTaken,
  buildLumenNotice,
  DEFAULT_CONFIDENTIAL_REDACTION,
  type LumenNotice,
  lumenType,
  redactionFor,
  targetUrl,
  UnknownAuthorityTypeError,
  validateLumenNotice,
} from "./lumen.ts";

const NOW = new Date("2021-02-15T00:00:00Z");

let pos = 0;
function item(target: string, outcome: string | null, over: Partial<OrderItemView> = {}): OrderItemView {
  pos++;
  return {
    id: `o1:${pos}`,
    position: pos,
    target,
    reason: null,
    resolution: "resolved",
    subject: { type: "account", id: `a${pos}` },
    resolutionNote: null,
    recommendation: { outcome: "withhold", reasons: [], relisted: false },
    decision: outcome
      ? { outcome: outcome as never, reason: "reviewed", decidedAt: "2021-02-01T10:00:00.000Z", seq: pos }
      : null,
    ...over,
  };
}

function order(over: Partial<OrderView> = {}): OrderView {
  pos = 0;
  return {
    id: "o1",
    reference: "MEITY/69A/2021/0042",
    authority: {
      name: "Ministry of Electronics and Information Technology",
      country: "IN",
      type: "government_agency",
      officer: "Shri A. Kumar",
      rank: "Joint Secretary",
    },
    legalBasis: "Information Technology Act, 2000, s.69A; Blocking Rules 2009, r.8",
    receivedAt: "2021-01-31T08:00:00.000Z",
    deadline: "2021-02-01T20:00:00.000Z",
    reviewDeadline: null,
    emergency: false,
    confidential: false,
    status: "decided" as OrderView["status"],
    itemCount: 0,
    items: [
      item("https://platform.example/farmer_voice", "withhold", {
        reason: "incites violence at the protest site",
      }),
      item("@kisan_ekta", "no_action"),
      item("post:1354567890123", "global_action", { subject: { type: "post", id: "1354567890123" } }),
      item("hashtag:ModiPlanningFarmerGenocide", "withhold", { subject: { type: "hashtag", id: "x" } }),
      item("not a target", null, { resolution: "unresolvable", subject: null }),
    ],
    ...over,
  };
}

const platform = { name: "Example Platform Inc.", url: "https://platform.example" };
const noticeOf = (o: OrderView, opts: Partial<Parameters<typeof buildLumenNotice>[1]> = {}): LumenNotice => {
  const r = buildLumenNotice(o, { platform, ...opts });
  assert.equal(r.kind, "notice");
  if (r.kind !== "notice") throw new Error("unreachable");
  assert.deepEqual(validateLumenNotice(r.body, NOW), []);
  return r.body.notice;
};
const roleNames = (n: LumenNotice) => n.entity_notice_roles_attributes.map((r) => r.name);

describe("Lumen notice types", () => {
  test("court → CourtOrder, police → LawEnforcementRequest, government_agency → GovernmentRequest, other → Other", () => {
    assert.equal(lumenType("court"), "CourtOrder");
    assert.equal(lumenType("police"), "LawEnforcementRequest");
    assert.equal(lumenType("government_agency"), "GovernmentRequest");
    assert.equal(lumenType("other"), "Other");
  });

  test("an unknown authority type throws a typed error, never a default", () => {
    for (const t of ["", "Court", "regulator", "DMCA"]) {
      assert.throws(
        () => lumenType(t),
        (e: unknown) =>
          e instanceof UnknownAuthorityTypeError &&
          e.code === "unknown_authority_type" &&
          e.authorityType === t,
      );
    }
    const o = order();
    o.authority = { ...o.authority, type: "ministry" as never };
    assert.throws(() => buildLumenNotice(o, { platform }), UnknownAuthorityTypeError);
  });

  test("roles and request_type follow the type", () => {
    const gov = noticeOf(order());
    assert.equal(gov.type, "GovernmentRequest");
    assert.equal(gov.request_type, "Agency");
    assert.deepEqual(roleNames(gov), ["sender", "principal", "recipient", "submitter"]);
    const court = noticeOf(
      order({ authority: { name: "High Court of Delhi", country: "IN", type: "court" } }),
    );
    assert.equal(court.type, "CourtOrder");
    assert.equal(court.request_type, undefined);
    assert.deepEqual(roleNames(court), ["sender", "principal", "recipient", "submitter", "issuing_court"]);
    assert.equal(court.entity_notice_roles_attributes[4]!.entity_attributes.name, "High Court of Delhi");
    const police = noticeOf(order({ authority: { name: "Delhi Police", country: "IN", type: "police" } }));
    assert.equal(police.type, "LawEnforcementRequest");
    assert.equal(police.request_type, "Agency");
    const other = noticeOf(
      order({ authority: { name: "Election Commission", country: "IN", type: "other" } }),
    );
    assert.equal(other.type, "Other");
    assert.equal(other.request_type, undefined);
  });
});

describe("Lumen notice fields (§2.2)", () => {
  test("a public order: names, reference, legal basis, one work per item with its URL", () => {
    const n = noticeOf(order());
    assert.equal(
      n.title,
      "Government request from Ministry of Electronics and Information Technology (MEITY/69A/2021/0042)",
    );
    assert.equal(n.date_received, "2021-01-31");
    assert.equal(n.jurisdiction_list, "IN");
    assert.equal(n.language, "en");
    assert.equal(n.action_taken, "Partial");
    assert.equal(n.tag_list, "legal demand");
    // The profile's names for the cited bases, without commas (Lumen splits list fields on commas).
    assert.equal(
      n.regulation_list,
      "IT Act 2000 s.69A with Blocking Rules 2009 r.8 (regular blocking order), IT Act 2000 s.69A (blocking for access by the public)",
    );
    const sender = n.entity_notice_roles_attributes[0]!.entity_attributes;
    assert.deepEqual(sender, {
      name: "Ministry of Electronics and Information Technology",
      kind: "organization",
      country_code: "IN",
    });
    assert.ok(!JSON.stringify(n).includes("Kumar"), "the officer's name is never published");
    assert.deepEqual(
      n.works_attributes.map((w) => w.infringing_urls_attributes.map((u) => u.url)),
      [
        ["https://platform.example/farmer_voice"],
        ["https://platform.example/kisan_ekta"],
        ["https://platform.example/i/web/status/1354567890123"],
        ["https://platform.example/hashtag/ModiPlanningFarmerGenocide"],
        [],
      ],
    );
    assert.equal(
      n.works_attributes[0]!.description,
      "Item 1: withheld in the requesting country: reason given: incites violence at the protest site",
    );
    assert.equal(n.works_attributes[4]!.description, "Item 5: pending: target as given: not a target");
    assert.match(n.body, /5 items specified: 3 actioned, 1 with no action, 1 pending\./);
    assert.match(n.body, /reference MEITY\/69A\/2021\/0042/);
  });

  test("without a country profile the order's own legal-basis text is listed, commas removed", () => {
    const n = noticeOf(
      order({
        authority: { name: "Bundesamt für Justiz", country: "DE", type: "government_agency" },
        legalBasis: "NetzDG, s.3",
      }),
    );
    assert.equal(n.regulation_list, "NetzDG s.3");
    assert.equal(n.jurisdiction_list, "DE");
  });

  test("emergency orders are tagged and said so", () => {
    const n = noticeOf(order({ emergency: true, legalBasis: "s.69A, Blocking Rules 2009 r.9" }));
    assert.equal(n.tag_list, "legal demand, emergency order");
    assert.match(n.body, /emergency \(interim\) order/);
  });

  test("action_taken: Yes / Partial / No / Unspecified", () => {
    const d = (o: string | null) => ({
      decision: o ? { outcome: o as never, reason: "", decidedAt: "", seq: null } : null,
    });
    assert.equal(actionTaken([d("withhold"), d("global_action"), d("temporary_withhold")]), "Yes");
    assert.equal(actionTaken([d("withhold"), d("no_action")]), "Partial");
    assert.equal(actionTaken([d("withhold"), d(null)]), "Partial");
    assert.equal(actionTaken([d("no_action"), d("no_action")]), "No");
    assert.equal(actionTaken([d("no_action"), d(null)]), "Unspecified");
    assert.equal(actionTaken([]), "Unspecified");
  });

  test("target URLs: URLs as given, handles, ids and hashtags on the host; unreadable targets none", () => {
    const t = (target: string) => targetUrl({ target, subject: null });
    assert.equal(t(" https://platform.example/a/status/12 "), "https://platform.example/a/status/12");
    assert.equal(t("@abc"), "https://platform.example/abc");
    assert.equal(t("account:77"), "https://platform.example/i/user/77");
    assert.equal(t("#tag"), "https://platform.example/hashtag/tag");
    assert.equal(t("https://elsewhere.example/x"), "https://elsewhere.example/x");
    assert.equal(t("garbage"), null);
    assert.equal(targetUrl({ target: "@abc", subject: null }, "x.example"), "https://x.example/abc");
  });

  test("urlFor overrides the built-in URLs", () => {
    const n = noticeOf(order(), { urlFor: (i) => `https://p.example/items/${i.position}` });
    assert.equal(n.works_attributes[4]!.infringing_urls_attributes[0]!.url, "https://p.example/items/5");
  });
});

describe("Lumen: confidential orders", () => {
  test("the default redaction keeps the statute and counts, drops names, reference, targets and reasons", () => {
    const o = order({ confidential: true });
    const r = buildLumenNotice(o, { platform });
    assert.ok(r.kind === "notice" && r.redacted);
    if (r.kind !== "notice") return;
    assert.deepEqual(validateLumenNotice(r.body, NOW), []);
    const text = JSON.stringify(r.body);
    for (const secret of [
      "Ministry of Electronics",
      "MEITY/69A",
      "farmer_voice",
      "kisan_ekta",
      "1354567890123",
      "ModiPlanningFarmerGenocide",
      "protest site",
      "not a target",
      "Kumar",
    ])
      assert.ok(!text.includes(secret), `${secret} leaked`);
    const n = r.body.notice;
    assert.equal(n.title, "Government request from a government agency (India)");
    assert.equal(n.entity_notice_roles_attributes[0]!.entity_attributes.name, "Government agency (India)");
    assert.equal(n.works_attributes.length, 5);
    assert.ok(n.works_attributes.every((w) => w.infringing_urls_attributes.length === 0));
    assert.equal(n.action_taken, "Partial");
    assert.ok(n.regulation_list?.includes("s.69A"));
    assert.equal(n.tag_list, "legal demand, redacted");
    assert.match(n.body, /confidential; details are withheld under the India profile/);
  });

  test("the profile's lumenConfidentialRedaction overrides the default, field by field", () => {
    const base = profileFor("IN");
    const withKey = (v: unknown) =>
      ({ ...base, lumenConfidentialRedaction: v }) as unknown as JurisdictionProfile;
    assert.deepEqual(redactionFor(true, base), DEFAULT_CONFIDENTIAL_REDACTION);
    assert.equal(redactionFor(false, withKey({ publish: false })).publish, true, "public orders ignore it");

    const none = buildLumenNotice(order({ confidential: true }), {
      platform,
      profile: withKey({ publish: false }),
    });
    assert.deepEqual(none, { kind: "not_published", orderId: "o1", reason: "confidential" });

    const urls = noticeOf(order({ confidential: true }), {
      profile: withKey({ targetUrls: true, legalBasis: false }),
    });
    assert.equal(
      urls.works_attributes[0]!.infringing_urls_attributes[0]!.url,
      "https://platform.example/farmer_voice",
    );
    assert.equal(urls.regulation_list, undefined);
    assert.ok(!urls.body.includes("69A"));
    assert.ok(!JSON.stringify(urls).includes("Ministry"));

    assert.throws(() => redactionFor(true, withKey({ publsh: false })), ProfileError);
    assert.throws(() => redactionFor(true, withKey({ publish: "no" })), ProfileError);
    assert.throws(() => redactionFor(true, withKey(true)), ProfileError);
  });
});

describe("Lumen notice checks", () => {
  const valid = () => structuredClone(noticeOf(order()));
  const broken: [string, (n: LumenNotice) => void, string][] = [
    [
      "DMCA fallback type spelling",
      (n) => {
        n.type = "Dmca" as never;
      },
      "type",
    ],
    [
      "action taken Maybe",
      (n) => {
        n.action_taken = "Maybe" as never;
      },
      "action_taken",
    ],
    [
      "request_type on a court order",
      (n) => {
        n.type = "CourtOrder";
      },
      "request_type",
    ],
    [
      "unknown request type",
      (n) => {
        n.request_type = "Letter" as never;
      },
      "request_type",
    ],
    [
      "upper-case language",
      (n) => {
        n.language = "EN";
      },
      "language",
    ],
    [
      "date before 1998-10-28",
      (n) => {
        n.date_received = "1998-10-28";
      },
      "date_received",
    ],
    [
      "date in the future",
      (n) => {
        n.date_received = "2021-02-17";
      },
      "date_received",
    ],
    [
      "no works",
      (n) => {
        n.works_attributes = [];
      },
      "works_attributes",
    ],
    [
      "empty URL",
      (n) => {
        n.works_attributes[0]!.infringing_urls_attributes = [{ url: " " }];
      },
      "works_attributes.0.infringing_urls_attributes.0.url",
    ],
    [
      "no roles",
      (n) => {
        n.entity_notice_roles_attributes = [];
      },
      "entity_notice_roles_attributes",
    ],
    [
      "unknown role",
      (n) => {
        n.entity_notice_roles_attributes[0]!.name = "author" as never;
      },
      "entity_notice_roles_attributes.0.name",
    ],
    [
      "entity without a name",
      (n) => {
        n.entity_notice_roles_attributes[1]!.entity_attributes.name = "";
      },
      "entity_notice_roles_attributes.1.entity_attributes.name",
    ],
    [
      "entity kind company",
      (n) => {
        n.entity_notice_roles_attributes[2]!.entity_attributes.kind = "company" as never;
      },
      "entity_notice_roles_attributes.2.entity_attributes.kind",
    ],
  ];
  for (const [name, mutate, field] of broken)
    test(`rejects: ${name}`, () => {
      const n = valid();
      mutate(n);
      const problems = validateLumenNotice({ notice: n }, NOW);
      assert.ok(
        problems.some((p) => p.field === field),
        JSON.stringify(problems),
      );
    });
});
