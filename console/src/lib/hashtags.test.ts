import { describe, expect, it } from "vitest";
import { stripHash } from "./hashtags.ts";

describe("stripHash", () => {
  it("drops leading hash signs, ASCII and full-width, and surrounding space", () => {
    expect(stripHash("  #FarmersProtest ")).toBe("FarmersProtest");
    expect(stripHash("＃ＭｏｄｉPlanning")).toBe("ＭｏｄｉPlanning");
    expect(stripHash("##Tag")).toBe("Tag");
    expect(stripHash("Tag#2")).toBe("Tag#2");
  });
});
