import { describe, expect, it } from "vitest";
import { answerTasks, formOf, isoDate, maxTotal, newTask, taskIds, toDraft, type PaperForm } from "./paperDraft";

describe("a paper work typed in the window", () => {
  it("names the cells as the core does", () => {
    expect(taskIds(1, { ...newTask(), count: 1 })).toEqual(["1"]);
    expect(taskIds(2, { ...newTask(), count: 3 })).toEqual(["2.1", "2.2", "2.3"]);
    expect(taskIds(7, { ...newTask("criteria"), count: 2 })).toEqual(["7К1", "7К2"]);
  });

  it("adds up the maximum and builds the draft with dates as the core takes them", () => {
    const f: PaperForm = {
      subject: " Математика ",
      grade: 5,
      date: "16.04.2026",
      reserve: "23.04.2026, 2026-04-24",
      deadline: "2026-04-25",
      variants: 2,
      tasks: [...answerTasks(2), { title: "Задача", kind: "criteria", count: 2, points: 3 }],
      marks: [3, 5, 7],
    };
    expect(maxTotal(f.tasks)).toBe(8);
    const d = toDraft(f);
    expect(d.subject).toBe("Математика");
    expect(d.date).toBe("2026-04-16");
    expect(d.reserve_dates).toEqual(["2026-04-23", "2026-04-24"]);
    expect(d.tasks[2]).toEqual({ title: "Задача", kind: { kind: "criteria", count: 2, max: 3 } });
    expect(d.tasks[0].kind).toEqual({ kind: "answers", count: 1, points: 1 });
    expect(d.marks).toEqual([3, 5, 7]);
  });

  it("leaves a date it cannot read for the core to refuse by name", () => {
    expect(isoDate("1.4.2026")).toBe("2026-04-01");
    expect(isoDate("апрель")).toBe("апрель");
    expect(answerTasks(100)).toHaveLength(60);
  });

  it("reads a made work back into the form, and the form gives the same draft", () => {
    const f: PaperForm = {
      subject: "Математика",
      grade: 5,
      date: "16.04.2026",
      reserve: "23.04.2026",
      deadline: "25.04.2026",
      variants: 2,
      tasks: [{ title: "", kind: "answers", count: 2, points: 2 }, { title: "Задача", kind: "criteria", count: 2, points: 3 }],
      marks: [3, 5, 7],
    };
    const d = toDraft(f);
    const work = {
      subject: d.subject,
      grade: d.grade,
      date: d.date,
      reserve_dates: d.reserve_dates,
      upload_deadline: d.upload_deadline,
      spec: {
        tasks: [
          { title: "Задание 1", items: [{ points: 2 }, { points: 2 }], criteria: [] },
          { title: "Задача", items: [], criteria: [{ max_points: 3 }, { max_points: 3 }] },
        ],
        marks: [
          { min_total: 0, mark: 2 },
          { min_total: 3, mark: 3 },
          { min_total: 5, mark: 4 },
          { min_total: 7, mark: 5 },
        ],
        variants: [1, 2],
      },
    };
    expect(formOf(work)).toEqual(f);
  });
});
