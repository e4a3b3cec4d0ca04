import { describe, expect, it } from "vitest";
import { assignTemplate, memberEdges, traceLabel } from "./graph.ts";

const templates = [
  { key: "t1", kind: "text", label: "Farmers have protested peacefully for over 70 days #FarmersProtest" },
  { key: "s1", kind: "sequence", label: "#A #B" },
];

describe("memberEdges", () => {
  it("assigns near-duplicates to a template", () => {
    expect(
      assignTemplate("Farmers have protested peacefully for over seventy days #FarmersProtest", templates),
    ).toBe("t1");
    expect(assignTemplate("Something else entirely", templates)).toBeNull();
  });
  it("links members sharing a template or a hashtag sequence, and only members", () => {
    const posts = [
      {
        id: "p1",
        authorId: "a1",
        text: "Farmers have protested peacefully for over 70 days #FarmersProtest",
        hashtags: ["FarmersProtest"],
      },
      {
        id: "p2",
        authorId: "a2",
        text: "farmers have protested peacefully for over 70 days! #FarmersProtest",
        hashtags: ["FarmersProtest"],
      },
      { id: "p3", authorId: "a3", text: "hello", hashtags: ["A", "B"] },
      { id: "p4", authorId: "a2", text: "bye", hashtags: ["a", "b"] },
      { id: "p5", authorId: "x9", text: "hello", hashtags: ["A", "B"] },
    ];
    const edges = memberEdges(["a1", "a2", "a3"], posts, templates);
    expect(edges).toEqual([
      { source: "a1", target: "a2", weight: 1, keys: ["template:t1"] },
      { source: "a2", target: "a3", weight: 1, keys: ["sequence:a b"] },
    ]);
  });
});

describe("traceLabel", () => {
  it("explains the detector's traces and keeps unknown ones as written", () => {
    expect(traceLabel("repostBurst")).toMatch(/burst of 5\+ reposts/);
    expect(traceLabel("sequence")).toBe("same hashtag sequence");
    expect(traceLabel("somethingNew")).toBe("somethingNew");
  });
});
