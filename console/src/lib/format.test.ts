import { describe, expect, it } from "vitest";
import { countdown, formatDuration, urgencyRank } from "./format.ts";

const now = Date.parse("2021-02-05T12:00:00Z");

describe("formatDuration", () => {
  it("shows the two largest units", () => {
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000)).toBe("2d 4h");
    expect(formatDuration(3 * 3_600_000 + 20 * 60_000)).toBe("3h 20m");
    expect(formatDuration(45 * 60_000)).toBe("45m");
    expect(formatDuration(30_000)).toBe("30s");
    expect(formatDuration(-90 * 60_000)).toBe("1h 30m");
    expect(formatDuration(86_400_000)).toBe("1d");
  });
});

describe("countdown", () => {
  it("marks overdue, due soon and ok for open orders", () => {
    expect(countdown("2021-02-05T10:00:00Z", "received", now)).toMatchObject({
      urgency: "overdue",
      text: "overdue by 2h",
    });
    expect(countdown("2021-02-05T15:30:00Z", "in_review", now)).toMatchObject({
      urgency: "due_soon",
      text: "due in 3h 30m",
    });
    expect(countdown("2021-02-07T12:00:00Z", "received", now)).toMatchObject({
      urgency: "ok",
      text: "due in 2d",
    });
  });
  it("never counts down a closed order", () => {
    const c = countdown("2021-02-01T00:00:00Z", "partially_complied", now);
    expect(c.urgency).toBe("closed");
    expect(c.text).toBe("closed (partially complied)");
  });
  it("ranks overdue before due soon before ok before closed", () => {
    const ranks = [
      countdown("2021-02-01T00:00:00Z", "complied", now),
      countdown("2021-02-09T00:00:00Z", "received", now),
      countdown("2021-02-05T13:00:00Z", "received", now),
      countdown("2021-02-05T11:00:00Z", "received", now),
    ].map(urgencyRank);
    expect(ranks).toEqual([3, 2, 1, 0]);
  });
});
