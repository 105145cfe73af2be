import type { RosterChoices } from "../bindings/RosterChoices";
import type { RosterIssue } from "../bindings/RosterIssue";

/** No fixes and no skipped rows: the file as it is. */
export function noChoices(): RosterChoices {
  return { edits: [], skip: [], skip_invalid: false };
}

/** A problem can be fixed in place when it names a column of a data row. */
export function fixable(p: RosterIssue): boolean {
  return p.column.trim() !== "" && p.row > 0;
}

/** The coordinator's fix of one cell (replacing an earlier fix of it);
 * an empty value takes the fix back. */
export function setEdit(c: RosterChoices, row: number, column: string, value: string): RosterChoices {
  const edits = c.edits.filter((e) => !(e.row === row && e.column === column));
  if (value.trim() !== "") edits.push({ row, column, value: value.trim() });
  edits.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
  return { ...c, edits };
}

/** Leave a row out, or take it back. Its fixes stay for when it comes back. */
export function toggleSkip(c: RosterChoices, row: number): RosterChoices {
  const skip = c.skip.includes(row) ? c.skip.filter((r) => r !== row) : [...c.skip, row].sort((a, b) => a - b);
  return { ...c, skip };
}

/** The value the coordinator typed for a cell, if any. */
export function editOf(c: RosterChoices, row: number, column: string): string {
  return c.edits.find((e) => e.row === row && e.column === column)?.value ?? "";
}

/** Problems grouped by the file's row, in file order. */
export function byRow(problems: RosterIssue[]): { row: number; issues: RosterIssue[] }[] {
  const rows = new Map<number, RosterIssue[]>();
  for (const p of problems) rows.set(p.row, [...(rows.get(p.row) ?? []), p]);
  return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([row, issues]) => ({ row, issues }));
}

/** How many distinct rows a list of problems covers. */
export function rowCount(problems: RosterIssue[]): number {
  return new Set(problems.map((p) => p.row)).size;
}
