import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  loadProfiles,
  matchLegalBases,
  normalizeRank,
  PROFILES_DIR,
  ProfileError,
  parseProfile,
  profileFor,
  rankRuleFor,
} from "./profiles.ts";

const tmp = mkdtempSync(join(tmpdir(), "vigil-profiles-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A fresh folder holding the real default.json plus `files`. */
const folder = (name: string, files: Record<string, string>): string => {
  const dir = join(tmp, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  copyFileSync(join(PROFILES_DIR, "default.json"), join(dir, "default.json"));
  for (const [f, body] of Object.entries(files)) writeFileSync(join(dir, f), body);
  return dir;
};

const india = () => JSON.parse(readFileSync(join(PROFILES_DIR, "IN.json"), "utf8"));

describe("jurisdiction profiles", () => {
  test("the shipped profiles load: India and the default", () => {
    const all = loadProfiles();
    assert.deepEqual([...all.keys()].sort(), ["*", "IN"]);
    const IN = all.get("IN")!;
    assert.equal(IN.name, "India");
    assert.equal(IN.emergencyReviewHours, 48);
    assert.equal(IN.defaultDeadlineHours, 36);
    assert.equal(IN.authorNoticeByDefault, true);
    assert.ok(IN.legalBases.some((b) => b.emergency));
    assert.equal(rankRuleFor(IN, "government_agency")?.minimumRank, "Joint Secretary");
    assert.equal(rankRuleFor(IN, "police")?.minimumRank, "Deputy Inspector General of Police");
    assert.equal(rankRuleFor(IN, "court"), undefined);
  });

  test("profileFor: the country's profile, the default for others, any case", () => {
    assert.equal(profileFor("IN").country, "IN");
    assert.equal(profileFor("in").country, "IN");
    assert.equal(profileFor("FR").country, "*");
    assert.equal(profileFor("ZZ").country, "*");
    assert.strictEqual(profileFor("IN"), profileFor("IN"), "cached");
  });

  test("India's legal bases: r.8, r.9 (emergency), r.10, s.69A, r.3(1)(d)", () => {
    const IN = profileFor("IN");
    const ids = (t: string) => matchLegalBases(IN, t).map((b) => b.id);
    assert.deepEqual(ids("Information Technology Act, 2000, s.69A; Blocking Rules 2009, r.9"), [
      "in_69a_r9_emergency",
      "in_69a",
    ]);
    assert.deepEqual(ids("INFORMATION TECHNOLOGY ACT, 2000, S.69A; BLOCKING RULES 2009, R.8"), [
      "in_69a_r8",
      "in_69a",
    ]);
    assert.deepEqual(ids("IT Rules 2021, Rule 3(1)(d)"), ["in_itr2021_3_1_d"]);
    assert.deepEqual(ids("Section 69A of the IT Act"), ["in_69a"]);
    assert.deepEqual(ids("Indian Penal Code s.153A"), []);
    assert.deepEqual(
      matchLegalBases(profileFor("FR"), "Loi n° 2004-575").map((b) => b.id),
      ["local_law"],
      "the default profile takes any basis",
    );
  });

  test("normalizeRank", () => {
    assert.equal(normalizeRank("  Joint  Secretary "), "joint secretary");
    assert.equal(normalizeRank("Jt. Secretary"), "jt secretary");
    assert.equal(normalizeRank("D.I.G."), "dig");
    assert.equal(normalizeRank("Joint Secretary to the Government of India"), "joint secretary");
    assert.equal(normalizeRank("Deputy Inspector-General of Police"), "deputy inspector general of police");
  });

  test("a bad profile file: the error names the file and the field", () => {
    const bad = india();
    bad.legalBases[1].match = [];
    bad.emergencyReviewHours = -1;
    bad.officerRanks[0].accepted.push("Under Secretary");
    bad.extra = 1;
    const dir = folder("bad", { "IN.json": JSON.stringify(bad) });
    assert.throws(
      () => loadProfiles(dir),
      (e: unknown) => {
        assert.ok(e instanceof ProfileError);
        assert.equal(e.code, "invalid_profile");
        assert.match(e.message, /^IN\.json: /);
        assert.match(e.message, /unknown field\(s\) 'extra'/);
        assert.match(e.message, /legalBases\.1\.match: must list at least one substring/);
        assert.match(e.message, /emergencyReviewHours: must be more than 0 hours/);
        assert.match(
          e.message,
          /officerRanks\.0\.accepted\.\d+: 'Under Secretary' must be written as it is compared: 'under secretary'/,
        );
        return true;
      },
    );
  });

  test("more bad files: bad JSON, wrong country, wrong file name, no default, repeated authority type", () => {
    assert.throws(() => loadProfiles(folder("json", { "IN.json": "{ nope" })), /IN\.json: not valid JSON/);
    assert.throws(
      () => loadProfiles(folder("country", { "XX.json": JSON.stringify({ ...india(), country: "XX" }) })),
      /XX\.json: country: 'XX' is not an ISO 3166-1 alpha-2 country code/,
    );
    assert.throws(
      () => loadProfiles(folder("name", { "india.json": JSON.stringify(india()) })),
      /india\.json: holds the profile for 'IN', so it must be named IN\.json/,
    );
    const noDefault = join(tmp, "nodefault");
    mkdirSync(noDefault, { recursive: true });
    writeFileSync(join(noDefault, "IN.json"), JSON.stringify(india()));
    assert.throws(() => loadProfiles(noDefault), /no default\.json/);
    const twice = india();
    twice.officerRanks[1].authorityTypes.push("government_agency");
    assert.throws(
      () => parseProfile(twice, "IN.json"),
      /IN\.json: officerRanks\.1\.authorityTypes: 'government_agency' already has a rank rule \(officerRanks\.0\)/,
    );
  });

  test("adding a country is adding a file", () => {
    const fr = { ...india(), country: "FR", name: "France", officerRanks: undefined };
    const all = loadProfiles(
      folder("fr", { "FR.json": JSON.stringify(fr), "IN.json": JSON.stringify(india()) }),
    );
    assert.equal(all.get("FR")?.name, "France");
    assert.equal(all.size, 3);
  });
});
