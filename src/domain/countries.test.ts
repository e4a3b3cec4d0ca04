import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  assertCountryCodes,
  COUNTRY_CODES,
  countryName,
  InvalidCountryCodesError,
  isCountryCode,
} from "./countries.ts";

describe("COUNTRY_CODES", () => {
  test("has exactly the 249 officially assigned codes, unique, sorted, upper-case alpha-2", () => {
    assert.equal(COUNTRY_CODES.length, 249);
    assert.equal(new Set(COUNTRY_CODES).size, 249);
    assert.deepEqual([...COUNTRY_CODES].sort(), COUNTRY_CODES);
    for (const code of COUNTRY_CODES) assert.match(code, /^[A-Z]{2}$/);
  });

  test("is frozen", () => {
    assert.ok(Object.isFrozen(COUNTRY_CODES));
  });

  test("excludes reserved and user-assigned codes", () => {
    for (const code of ["EU", "EZ", "UK", "UN", "AC", "CP", "DG", "EA", "IC", "TA", "XK", "XX", "ZZ", "AN"]) {
      assert.ok(!COUNTRY_CODES.includes(code), code);
    }
  });

  test("every code has an English name that is not the code itself", () => {
    for (const code of COUNTRY_CODES) {
      const name = countryName(code);
      assert.notEqual(name, code);
      assert.ok(name.length > 2, `${code} -> ${name}`);
      assert.ok(!name.includes("&") && !/\bSt\./.test(name), `${code} -> ${name}`);
    }
  });
});

describe("countryName", () => {
  test("names used in notices", () => {
    assert.equal(countryName("IN"), "India");
    assert.equal(countryName("PK"), "Pakistan");
    assert.equal(countryName("US"), "United States");
    assert.equal(countryName("GB"), "United Kingdom");
    assert.equal(countryName("MM"), "Myanmar");
    assert.equal(countryName("HK"), "Hong Kong");
    assert.equal(countryName("CD"), "Democratic Republic of the Congo");
    assert.equal(countryName("CI"), "Côte d'Ivoire");
    assert.equal(countryName("TT"), "Trinidad and Tobago");
  });

  test("throws for unknown codes", () => {
    for (const code of ["in", "UK", "EU", "XX", "", "IND"]) {
      assert.throws(() => countryName(code), /Unknown ISO 3166-1 alpha-2 country code/, JSON.stringify(code));
    }
  });
});

describe("isCountryCode", () => {
  test("accepts officially assigned upper-case codes", () => {
    for (const code of ["IN", "PK", "US", "GB", "AX", "ZW"]) assert.equal(isCountryCode(code), true, code);
  });

  test("rejects lower case, reserved, unknown and malformed codes", () => {
    for (const code of ["in", "In", "UK", "EU", "XK", "XX", "", " IN", "IN ", "IND"]) {
      assert.equal(isCountryCode(code), false, JSON.stringify(code));
    }
  });
});

describe("assertCountryCodes", () => {
  test("accepts valid lists, including the empty list", () => {
    assertCountryCodes([]);
    assertCountryCodes(["IN", "PK", "US", "GB"]);
  });

  test("names each invalid code once, in order", () => {
    assert.throws(
      () => assertCountryCodes(["IN", "in", "UK", "US", "EU", "UK", ""]),
      (err: unknown) => {
        assert.ok(err instanceof InvalidCountryCodesError);
        assert.ok(err instanceof Error);
        assert.deepEqual(err.codes, ["in", "UK", "EU", ""]);
        assert.match(err.message, /"in", "UK", "EU", ""/);
        assert.doesNotMatch(err.message, /"IN"|"US"/);
        return true;
      },
    );
  });

  test("single invalid code", () => {
    assert.throws(() => assertCountryCodes(["XX"]), /country code: "XX"/);
  });
});
