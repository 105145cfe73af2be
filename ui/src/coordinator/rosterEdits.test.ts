import { describe, expect, it } from "vitest";
import { byRow, editOf, fixable, noChoices, rowCount, setEdit, toggleSkip } from "./rosterEdits";

describe("roster fixes and skipped rows", () => {
  it("keeps one fix per cell, replaces and takes it back", () => {
    let c = setEdit(noChoices(), 8, "Дата рождения", " 28.02.2013 ");
    c = setEdit(c, 5, "Класс", "7Г");
    expect(c.edits).toEqual([
      { row: 5, column: "Класс", value: "7Г" },
      { row: 8, column: "Дата рождения", value: "28.02.2013" },
    ]);
    c = setEdit(c, 8, "Дата рождения", "01.03.2013");
    expect(editOf(c, 8, "Дата рождения")).toBe("01.03.2013");
    expect(c.edits).toHaveLength(2);
    c = setEdit(c, 8, "Дата рождения", "  ");
    expect(c.edits).toEqual([{ row: 5, column: "Класс", value: "7Г" }]);
    expect(editOf(c, 8, "Дата рождения")).toBe("");
  });

  it("skips a row and brings it back, fixes kept", () => {
    let c = setEdit(noChoices(), 9, "ОВЗ", "нет");
    c = toggleSkip(toggleSkip(c, 9), 4);
    expect(c.skip).toEqual([4, 9]);
    c = toggleSkip(c, 9);
    expect(c.skip).toEqual([4]);
    expect(editOf(c, 9, "ОВЗ")).toBe("нет");
    expect(c.skip_invalid).toBe(false);
  });

  it("groups problems by file row and says which can be fixed in place", () => {
    const problems = [
      { row: 9, column: "ОВЗ", message: "ожидается «да» или «нет»" },
      { row: 8, column: "Дата рождения", message: "дата не распознана" },
      { row: 9, column: "Пол", message: "ожидается «М» или «Ж»" },
    ];
    expect(byRow(problems).map((r) => [r.row, r.issues.length])).toEqual([
      [8, 1],
      [9, 2],
    ]);
    expect(rowCount(problems)).toBe(2);
    expect(fixable(problems[0])).toBe(true);
    expect(fixable({ row: 1, column: "", message: "файл пуст" })).toBe(false);
  });
});
