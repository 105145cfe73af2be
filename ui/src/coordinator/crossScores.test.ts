import { describe, expect, it } from "vitest";
import type { CrossPackage } from "../bindings/CrossPackage";
import { isScored, scoreList } from "./crossScores";

const crit = (id: string, max: number) => ({ id, name: id, max_points: max, description: "" });
const pkg: CrossPackage = {
  format: "vpr-scoring-package",
  id: "p1",
  subject: "Английский язык",
  grade: 7,
  date: "2026-04-14",
  items: [
    { token: "a", task: 3, title: "Монолог", criteria: [crit("3К1", 3), crit("3К2", 2)], recording: null, parts: [] },
    { token: "b", task: 3, title: "Монолог", criteria: [crit("3К1", 3), crit("3К2", 2)], recording: null, parts: [] },
    { token: "c", task: 3, title: "Монолог", criteria: [crit("3К1", 3), crit("3К2", 2)], recording: null, parts: [] },
  ],
};

describe("the scores sent back to the other school", () => {
  it("takes fully scored pieces, names the ones scored in part, leaves the rest", () => {
    const given = { a: { "3К1": 3, "3К2": 0 }, b: { "3К1": 1 } };
    const r = scoreList(pkg, given, " Школа 2, эксперт 1 ", { a: " тихо " });
    expect(r.done).toBe(1);
    expect(r.partial).toEqual([2]);
    expect(r.scores).toEqual([
      { token: "a", criterion: "3К1", score: 3, note: "тихо", expert: "Школа 2, эксперт 1" },
      { token: "a", criterion: "3К2", score: 0, note: "тихо", expert: "Школа 2, эксперт 1" },
    ]);
    expect(isScored(pkg, given, "a")).toBe(true);
    expect(isScored(pkg, given, "b")).toBe(false);
    expect(isScored(pkg, given, "zz")).toBe(false);
  });
});
