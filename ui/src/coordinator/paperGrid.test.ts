import { describe, expect, it } from "vitest";
import type { PaperColumn } from "../bindings/PaperColumn";
import { cellKey, checkText, keyMove, keyName, moveSkipping, moveTo, rowOfCode } from "./paperGrid";

const answer: PaperColumn = { id: "1.1", task: 1, kind: "answer", max: 1, title: "1 · 1.1" };
const criterion: PaperColumn = { id: "3К1", task: 3, kind: "criterion", max: 3, title: "3 · 3К1" };

describe("paper grid keyboard", () => {
  it("Enter and Tab go forward, Shift goes back, arrows move only at the caret's edge", () => {
    expect(keyMove("Enter", false, false, false)).toBe("next");
    expect(keyMove("Tab", false, false, false)).toBe("next");
    expect(keyMove("Tab", true, false, false)).toBe("prev");
    expect(keyMove("Enter", true, false, false)).toBe("prev");
    expect(keyMove("ArrowDown", false, false, false)).toBe("down");
    expect(keyMove("ArrowUp", false, false, false)).toBe("up");
    expect(keyMove("ArrowLeft", false, false, true)).toBeNull();
    expect(keyMove("ArrowLeft", false, true, true)).toBe("left");
    expect(keyMove("ArrowRight", false, false, true)).toBe("right");
    expect(keyMove("5", false, true, true)).toBeNull();
    // Shift+Tab as WebKitGTK reports it (X's ISO_Left_Tab).
    expect(keyMove(keyName("Unidentified", "Tab"), true, false, false)).toBe("prev");
    expect(keyName("Unidentified", "KeyA")).toBe("Unidentified");
  });

  it("next wraps to the next row's first cell and stops at the grid's end", () => {
    expect(moveTo({ row: 0, col: 0 }, "next", 3, 4)).toEqual({ row: 0, col: 1 });
    expect(moveTo({ row: 0, col: 3 }, "next", 3, 4)).toEqual({ row: 1, col: 0 });
    expect(moveTo({ row: 2, col: 3 }, "next", 3, 4)).toEqual({ row: 2, col: 3 });
    expect(moveTo({ row: 1, col: 0 }, "prev", 3, 4)).toEqual({ row: 0, col: 3 });
    expect(moveTo({ row: 0, col: 0 }, "prev", 3, 4)).toEqual({ row: 0, col: 0 });
    // Arrows do not wrap.
    expect(moveTo({ row: 0, col: 3 }, "right", 3, 4)).toEqual({ row: 0, col: 3 });
    expect(moveTo({ row: 1, col: 0 }, "left", 3, 4)).toEqual({ row: 1, col: 0 });
    expect(moveTo({ row: 2, col: 1 }, "down", 3, 4)).toEqual({ row: 2, col: 1 });
    expect(moveTo({ row: 0, col: 1 }, "up", 3, 4)).toEqual({ row: 0, col: 1 });
    expect(moveTo({ row: 1, col: 2 }, "up", 3, 4)).toEqual({ row: 0, col: 2 });
    expect(moveTo({ row: 0, col: 0 }, "next", 0, 0)).toEqual({ row: 0, col: 0 });
  });

  it("passes over cells of tasks not in the participant's version, and stays when nothing is left", () => {
    // Row 1's columns 0 and 1 are not applicable (no listening).
    const skip = (p: { row: number; col: number }) => p.row === 1 && p.col < 2;
    expect(moveSkipping({ row: 0, col: 3 }, "next", 3, 4, skip)).toEqual({ row: 1, col: 2 });
    expect(moveSkipping({ row: 1, col: 2 }, "prev", 3, 4, skip)).toEqual({ row: 0, col: 3 });
    expect(moveSkipping({ row: 0, col: 0 }, "down", 3, 4, skip)).toEqual({ row: 2, col: 0 });
    expect(moveSkipping({ row: 1, col: 2 }, "left", 3, 4, skip)).toEqual({ row: 1, col: 2 });
    expect(moveSkipping({ row: 0, col: 1 }, "right", 3, 4, () => false)).toEqual({ row: 0, col: 2 });
  });

  it("a typed code finds its row; anything else finds none", () => {
    const codes = [10540, 16726, 20011];
    expect(rowOfCode(codes, " 16726 ")).toBe(1);
    expect(rowOfCode(codes, "99999")).toBe(-1);
    expect(rowOfCode(codes, "16726a")).toBe(-1);
    expect(rowOfCode(codes, "")).toBe(-1);
  });

  it("the row says right or wrong for an answer and the range for a criterion", () => {
    const cell = (check: "right" | "wrong" | "no_keys" | "empty" | "not_applicable") => ({
      column: "1.1",
      value: check === "empty" ? null : "x",
      check,
      points: null,
    });
    expect(checkText(cell("right"), answer)).toBe("верно");
    expect(checkText(cell("wrong"), answer)).toBe("неверно");
    expect(checkText(cell("no_keys"), answer)).toBe("ключей нет");
    expect(checkText(cell("empty"), answer)).toBe("");
    expect(checkText(undefined, criterion)).toBe("0–3");
    expect(checkText(cell("not_applicable"), criterion)).toBe("не входит");
    expect(cellKey(5, "1.1")).toBe("5|1.1");
  });
});
