import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ObjectWindow, type Partner, RECENT_CAP } from "./cotrace.ts";

describe("object windows", () => {
  it("pairs actions on the same object inside the window, once per account", () => {
    const w = new ObjectWindow(60_000);
    const partners: Partner[] = [];
    w.add(7, 1, 1, 0, partners);
    w.add(7, 1, 2, 1000, partners);
    w.add(7, 2, 3, 2000, partners);
    assert.deepEqual(
      partners.map((p) => p.account),
      [1],
    );
    w.add(8, 3, 4, 2500, partners);
    assert.equal(partners.length, 0, "another object");
    w.add(7, 4, 5, 61_500, partners);
    assert.deepEqual(
      partners.map((p) => p.account),
      [2],
      "only actions within 60 s",
    );
  });

  it("caps pairs and down-weights a viral object", () => {
    const w = new ObjectWindow(60_000, 200);
    const partners: Partner[] = [];
    let pairs = 0;
    let weight = 1;
    for (let i = 0; i < 20_000; i++) {
      weight = w.add(42, i, i, i, partners);
      pairs += partners.length;
    }
    assert.ok(pairs <= 20_000 * RECENT_CAP, `pairs ${pairs}`);
    assert.ok(pairs < (20_000 * 19_999) / 2 / 100, "far below all pairs");
    assert.ok(weight < 0.15, `weight ${weight} after 20,000 actions in a minute`);
  });

  it("drops idle objects on sweep", () => {
    const w = new ObjectWindow(60_000);
    const partners: Partner[] = [];
    for (let i = 0; i < 1000; i++) w.add(i, i, i, i, partners);
    w.sweep(10_000);
    assert.equal(w.size, 1000);
    w.sweep(100_000);
    assert.equal(w.size, 0);
  });
});
