import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { formatClock, isUrgent, spokenClock } from "./time";
import { createAnswerSaver } from "./answerSaver";
import { insertAt } from "./caret";
import { canRequestPlay, countWords, isLastOpenTask, screenKey, splitGap, taskBodyKey } from "./screens";
import { allFixtures } from "../dev/fixtures";

describe("clock formatting", () => {
  it("shows minutes and seconds with leading zeros", () => {
    expect(formatClock(0)).toBe("00:00");
    expect(formatClock(5)).toBe("00:05");
    expect(formatClock(90)).toBe("01:30");
    expect(formatClock(2700)).toBe("45:00");
    expect(formatClock(3599)).toBe("59:59");
  });
  it("shows hours for long works and never goes negative", () => {
    expect(formatClock(3900)).toBe("1:05:00");
    expect(formatClock(-3)).toBe("00:00");
    expect(formatClock(null)).toBe("00:00");
    expect(formatClock(12.9)).toBe("00:12");
  });
  it("speaks and flags the last minute", () => {
    expect(spokenClock(65)).toBe("1 мин 5 с");
    expect(spokenClock(9)).toBe("9 с");
    expect(isUrgent(60)).toBe(true);
    expect(isUrgent(61)).toBe(false);
    expect(isUrgent(null)).toBe(false);
  });
});

describe("debounced answer saver", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("sends one call per item after 400 ms of quiet, with the last value", async () => {
    const send = vi.fn(async () => {});
    const s = createAnswerSaver(send, 400);
    s.change("5.1", "w");
    vi.advanceTimersByTime(200);
    s.change("5.1", "we");
    vi.advanceTimersByTime(200);
    s.change("5.1", "went");
    vi.advanceTimersByTime(399);
    expect(send).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(send).toHaveBeenCalledTimes(1);
    expect(send).toHaveBeenCalledWith("5.1", "went");
    expect(s.pending()).toBe(false);
  });

  it("saves at least once a second while the typing never pauses", async () => {
    const send = vi.fn(async () => {});
    const s = createAnswerSaver(send, 400);
    let text = "";
    // A key every 100 ms for 3 s: the quiet period never comes.
    for (let i = 0; i < 30; i++) {
      text += "a";
      s.change("5", text);
      vi.advanceTimersByTime(100);
    }
    expect(send.mock.calls.length).toBeGreaterThanOrEqual(2);
    const last = send.mock.calls[send.mock.calls.length - 1] as unknown as [string, string];
    // At most a second's keys unsent at any time.
    expect(text.length - last[1].length).toBeLessThanOrEqual(10);
    vi.advanceTimersByTime(400);
    expect(send).toHaveBeenLastCalledWith("5", text);
  });

  it("sends at once on flush (blur, «Далее») and not again when the timer fires", async () => {
    const send = vi.fn(async () => {});
    const s = createAnswerSaver(send, 400);
    s.change("5.1", "went");
    s.change("5.2", "sheep");
    await s.flush("5.1");
    expect(send).toHaveBeenCalledWith("5.1", "went");
    await s.flushAll();
    expect(send).toHaveBeenCalledWith("5.2", "sheep");
    vi.advanceTimersByTime(1000);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it("skips values already saved and retries after a failure", async () => {
    let fail = true;
    const send = vi.fn(async () => {
      if (fail) throw { code: "x", message: "нет", severity: "blocking" };
    });
    const s = createAnswerSaver(send, 400, { "6.1": "interesting" });
    s.change("6.1", "interesting");
    await s.flush("6.1");
    expect(send).not.toHaveBeenCalled();
    s.change("6.2", "teacher");
    await expect(s.flush("6.2")).rejects.toMatchObject({ code: "x" });
    fail = false;
    s.change("6.2", "teacher");
    await s.flush("6.2");
    expect(send).toHaveBeenCalledTimes(2);
  });
});

describe("special letters at the caret", () => {
  it("inserts at the caret and moves it after the letter", () => {
    expect(insertAt("grn", 1, 1, "ü")).toEqual({ value: "gürn", caret: 2 });
    expect(insertAt("", 0, 0, "ß")).toEqual({ value: "ß", caret: 1 });
  });
  it("replaces a selection and appends without a caret", () => {
    expect(insertAt("Strasse", 4, 6, "ß")).toEqual({ value: "Straße", caret: 5 });
    expect(insertAt("caf", null, null, "é")).toEqual({ value: "café", caret: 4 });
  });
  it("clamps a stale caret and respects the length limit", () => {
    expect(insertAt("ab", 9, 12, "ç")).toEqual({ value: "abç", caret: 3 });
    expect(insertAt("abc", 1, 1, "ö", 3)).toEqual({ value: "abc", caret: 1 });
  });
});

describe("choosing the screen component", () => {
  it("maps every screen kind and every task kind", () => {
    expect(screenKey(null)).toBe("loading");
    const keys = Object.fromEntries(Object.entries(allFixtures).map(([name, v]) => [name, screenKey(v)]));
    expect(keys).toMatchObject({
      code: "code_entry",
      confirm: "confirm",
      briefing: "briefing",
      headset: "headset_check",
      listening: "task:listening",
      reading: "task:reading",
      grammar: "task:gap_fill",
      vocabulary: "task:gap_fill",
      reading_aloud: "task:reading_aloud",
      monologue: "task:monologue",
      eye_break: "eye_break",
      finish: "finish",
      closed: "closed",
    });
  });
  it("counts a written answer's words as the core does", () => {
    // The same cases as vpr_exam's word_count test.
    expect(countWords("Dear Alex,\nThanks for your letter! I don't know... well-known 2 things")).toBe(12);
    expect(countWords("  — — ")).toBe(0);
    expect(countWords("Dear Alex, thank you for your letter. ".repeat(20) + "Ünïcode ✓ ёлка")).toBe(142);
  });
  it("draws the interview and «ask questions» with one component, the written answer with its own", () => {
    expect(taskBodyKey({ kind: "interview", situation: null, read_first_s: 0, questions: [], answer_s: 40 })).toBe("task:parts");
    expect(taskBodyKey({ kind: "ask_questions", text: "Ad", prompts: ["a"], prep_s: 90, answer_s: 20 })).toBe("task:parts");
    expect(taskBodyKey({ kind: "written", id: "1", stimulus: "Dear…", words_min: 100, words_max: 140 })).toBe("task:written");
  });
  it("offers a play only while reading questions or between plays, with plays left", () => {
    const v = allFixtures.listening.screen;
    if (v.screen !== "task") throw new Error("fixture");
    expect(canRequestPlay(v)).toBe(true);
    expect(canRequestPlay({ ...v, phase: { phase: "playing", play_no: 1, of: 2 } })).toBe(false);
    expect(canRequestPlay({ ...v, phase: { phase: "pause_between", left_s: 5, next_play: 2 }, plays_left: 1 })).toBe(true);
    expect(canRequestPlay({ ...v, phase: { phase: "answering" }, plays_left: 0 })).toBe(false);
  });
  it("draws grammar and vocabulary with the same gap-fill component", () => {
    const g = allFixtures.grammar.screen;
    const v = allFixtures.vocabulary.screen;
    if (g.screen !== "task" || v.screen !== "task") throw new Error("fixture");
    expect(taskBodyKey(g.content)).toBe(taskBodyKey(v.content));
  });
  it("knows when «Далее» leads to the finish", () => {
    const tabs = allFixtures.vocabulary.tasks;
    expect(isLastOpenTask(tabs, 6)).toBe(true);
    expect(isLastOpenTask(tabs, 5)).toBe(false);
    expect(isLastOpenTask(tabs.map((t) => (t.number === 6 ? { ...t, state: "closed" as const } : t)), 5)).toBe(true);
  });
  it("splits a gap prompt around the gap", () => {
    expect(splitGap("Last weekend we ___ to the farm.")).toEqual({ before: "Last weekend we ", after: " to the farm." });
    expect(splitGap("No gap")).toEqual({ before: "No gap", after: null });
  });
});
