/**
 * The form of a paper work made in the window (issue 13 item 4): the task
 * rows as the teacher types them from the criteria sheet, turned into the
 * draft the core checks (`coordinatorAddPaperWork`). The ids shown here are
 * the ones the core makes: `N` for one answer, `N.1`, `N.2` … for several,
 * `NК1`, `NК2` … for criteria. No DOM here.
 */
import type { PaperTaskDraft } from "../bindings/PaperTaskDraft";
import type { PaperWorkDraft } from "../bindings/PaperWorkDraft";
import { isoDate, ruDate } from "../lib/dates";

export { isoDate };

export interface TaskRow {
  title: string;
  kind: "answers" | "criteria";
  /** Answers or criteria in the task. */
  count: number;
  /** Points of a right answer, or a criterion's maximum. */
  points: number;
}

export interface PaperForm {
  subject: string;
  grade: number;
  date: string;
  reserve: string;
  deadline: string;
  variants: number;
  tasks: TaskRow[];
  marks: [number, number, number];
}

export function newTask(kind: TaskRow["kind"] = "answers"): TaskRow {
  return { title: "", kind, count: 1, points: kind === "answers" ? 1 : 2 };
}

/** `n` tasks of one short answer worth 1 point each (a quick start). */
export function answerTasks(n: number): TaskRow[] {
  return Array.from({ length: Math.max(0, Math.min(60, Math.floor(n))) }, () => newTask());
}

function whole(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.floor(n)) : 0;
}

/** The ids of a task's cells, as the core names them. */
export function taskIds(number: number, row: TaskRow): string[] {
  const count = whole(row.count);
  if (row.kind === "criteria") return Array.from({ length: count }, (_, k) => `${number}К${k + 1}`);
  if (count === 1) return [`${number}`];
  return Array.from({ length: count }, (_, k) => `${number}.${k + 1}`);
}

export function taskMax(row: TaskRow): number {
  return whole(row.count) * whole(row.points);
}

export function maxTotal(rows: TaskRow[]): number {
  return rows.reduce((s, r) => s + taskMax(r), 0);
}

/** Dates typed with `,` or spaces between them. */
export function dateList(s: string): string[] {
  return s
    .split(/[,;\s]+/)
    .map((d) => d.trim())
    .filter((d) => d !== "");
}


export function toDraft(f: PaperForm): PaperWorkDraft {
  const tasks: PaperTaskDraft[] = f.tasks.map((r) => ({
    title: r.title.trim(),
    kind:
      r.kind === "answers"
        ? { kind: "answers", count: whole(r.count), points: whole(r.points) }
        : { kind: "criteria", count: whole(r.count), max: whole(r.points) },
  }));
  return {
    subject: f.subject.trim(),
    grade: whole(f.grade),
    date: isoDate(f.date),
    reserve_dates: dateList(f.reserve).map(isoDate),
    upload_deadline: isoDate(f.deadline),
    variants: whole(f.variants),
    tasks,
    marks: f.marks.map(whole),
  };
}

/** The form of a work already made (to change it while no result is in). */
export function formOf(w: {
  subject: string;
  grade: number;
  date: string;
  reserve_dates: string[];
  upload_deadline: string;
  spec: {
    tasks: { title: string; items: { points: number }[]; criteria: { max_points: number }[] }[];
    marks: { min_total: number; mark: number }[];
    variants: number[];
  };
}): PaperForm {
  const min = (m: number) => w.spec.marks.find((b) => b.mark === m)?.min_total ?? 0;
  return {
    subject: w.subject,
    grade: w.grade,
    date: ruDate(w.date),
    reserve: w.reserve_dates.map(ruDate).join(", "),
    deadline: ruDate(w.upload_deadline),
    variants: Math.max(1, w.spec.variants.length),
    tasks: w.spec.tasks.map((t, i) => {
      const auto = `Задание ${i + 1}`;
      const title = t.title === auto ? "" : t.title;
      return t.items.length > 0
        ? { title, kind: "answers", count: t.items.length, points: t.items[0].points }
        : { title, kind: "criteria", count: t.criteria.length, points: t.criteria[0]?.max_points ?? 1 };
    }),
    marks: [min(3), min(4), min(5)],
  };
}
