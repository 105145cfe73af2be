/**
 * The keyboard logic of the paper entry grid: where a key moves the
 * cursor, which row a typed code is, what a cell's check says. No DOM here
 * (the screen focuses the cell this computes), so it is tested alone.
 */
import type { PaperCell } from "../bindings/PaperCell";
import type { PaperColumn } from "../bindings/PaperColumn";
import { paperText } from "./paperText";

export interface Pos {
  row: number;
  col: number;
}

export type Move = "next" | "prev" | "up" | "down" | "left" | "right";

/**
 * The key's name as `keyMove` takes it. WebKitGTK reports Shift+Tab (X's
 * ISO_Left_Tab) with `key` «Unidentified» and `code` «Tab»: it is a Tab.
 */
export function keyName(key: string, code: string): string {
  return key === "Unidentified" && code === "Tab" ? "Tab" : key;
}

/** What a key in a cell does: a move (the value is saved first), or nothing. */
export function keyMove(
  key: string,
  shift: boolean,
  caretAtStart: boolean,
  caretAtEnd: boolean,
): Move | null {
  switch (key) {
    case "Enter":
      return shift ? "prev" : "next";
    case "Tab":
      return shift ? "prev" : "next";
    case "ArrowUp":
      return "up";
    case "ArrowDown":
      return "down";
    case "ArrowLeft":
      return caretAtStart ? "left" : null;
    case "ArrowRight":
      return caretAtEnd ? "right" : null;
    default:
      return null;
  }
}

/** The cell a move goes to in a grid of `rows` × `cols` (stays inside it). */
export function moveTo(pos: Pos, move: Move, rows: number, cols: number): Pos {
  if (rows <= 0 || cols <= 0) return { row: 0, col: 0 };
  const last = { row: rows - 1, col: cols - 1 };
  let { row, col } = pos;
  switch (move) {
    case "next":
    case "right":
      if (col < last.col) col += 1;
      else if (move === "next" && row < last.row) {
        row += 1;
        col = 0;
      }
      break;
    case "prev":
    case "left":
      if (col > 0) col -= 1;
      else if (move === "prev" && row > 0) {
        row -= 1;
        col = last.col;
      }
      break;
    case "up":
      row = Math.max(0, row - 1);
      break;
    case "down":
      row = Math.min(last.row, row + 1);
      break;
  }
  return { row: Math.min(row, last.row), col: Math.min(col, last.col) };
}

/**
 * A move that passes over cells not to be typed into (`skip`: a task not
 * part of the participant's version): it goes on in the same direction,
 * and stays where it was when only such cells are left that way.
 */
export function moveSkipping(
  pos: Pos,
  move: Move,
  rows: number,
  cols: number,
  skip: (p: Pos) => boolean,
): Pos {
  let at = pos;
  for (let i = 0; i < rows * cols; i++) {
    const next = moveTo(at, move, rows, cols);
    if (next.row === at.row && next.col === at.col) return pos;
    if (!skip(next)) return next;
    at = next;
  }
  return pos;
}

/** The row of a typed participant code (digits only), or -1. */
export function rowOfCode(codes: number[], typed: string): number {
  const t = typed.trim();
  if (!/^\d{1,9}$/.test(t)) return -1;
  return codes.indexOf(Number(t));
}

/** What the row shows under a cell: right/wrong for a short answer, the range for a criterion. */
export function checkText(cell: PaperCell | undefined, column: PaperColumn): string {
  if (cell?.check === "not_applicable") return paperText.notApplicable;
  if (column.kind === "criterion") return paperText.range(column.max);
  switch (cell?.check) {
    case "right":
      return paperText.right;
    case "wrong":
      return paperText.wrong;
    case "no_keys":
      return paperText.noKeys;
    default:
      return "";
  }
}

/** The key of a cell in the screen's maps (drafts, errors). */
export function cellKey(code: number, column: string): string {
  return `${code}|${column}`;
}
