import { describe, expect, it } from "vitest";
import type { FormQuestion } from "../bindings/FormQuestion";
import { answersFrom, targetLabel } from "./officialFormText";

describe("official form answers", () => {
  const q: FormQuestion[] = [
    { column: "F", header: "Задания / К1", message: "", candidates: [{ kind: "criterion", id: "2К1" }, { kind: "criterion", id: "3К1" }] },
    { column: null, header: "", message: "", candidates: [{ kind: "task", id: 4 }] },
  ];
  it("labels targets", () => {
    expect(targetLabel({ kind: "task", id: 3 })).toBe("задание 3");
    expect(targetLabel({ kind: "skip" })).toBe("не заполнять");
  });
  it("builds answers from choices and keeps earlier ones", () => {
    const before = [{ column: "B", target: { kind: "code" as const } }];
    expect(answersFrom(before, q, { 0: 1 }, { 1: " h " })).toEqual([
      { column: "B", target: { kind: "code" } },
      { column: "F", target: { kind: "criterion", id: "3К1" } },
      { column: "H", target: { kind: "task", id: 4 } },
    ]);
    expect(answersFrom([], q, {}, {})).toEqual([]);
  });
});
