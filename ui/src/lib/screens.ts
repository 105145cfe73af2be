import type { Screen } from "../bindings/Screen";
import type { SessionView } from "../bindings/SessionView";
import type { TaskContent } from "../bindings/TaskContent";
import type { TaskScreen } from "../bindings/TaskScreen";
import type { TaskTab } from "../bindings/TaskTab";

/** Which component draws a view: the screen kind, and for tasks the task kind. */
export type ScreenKey =
  | "loading"
  | "code_entry"
  | "confirm"
  | "briefing"
  | "headset_check"
  | "task:listening"
  | "task:reading"
  | "task:gap_fill"
  | "task:reading_aloud"
  | "task:monologue"
  | "task:parts"
  | "task:written"
  | "eye_break"
  | "finish"
  | "closed";

export type TaskView = Extract<Screen, { screen: "task" }>;

export function screenKey(view: SessionView | null | undefined): ScreenKey {
  if (!view) return "loading";
  const s = view.screen;
  switch (s.screen) {
    case "task":
      return taskBodyKey(s.content);
    default:
      return s.screen;
  }
}

/** Which task component draws a task's content (grammar and vocabulary share the gap-fill). */
export function taskBodyKey(content: TaskContent): Extract<ScreenKey, `task:${string}`> {
  switch (content.kind) {
    case "listening":
      return "task:listening";
    case "reading":
      return "task:reading";
    case "grammar":
    case "vocabulary":
      return "task:gap_fill";
    case "reading_aloud":
      return "task:reading_aloud";
    case "monologue":
      return "task:monologue";
    case "interview":
    case "ask_questions":
      return "task:parts";
    case "written":
      return "task:written";
  }
}

/**
 * Words as the core counts them (`vpr_exam::word_count`): runs of letters or
 * digits, an inner apostrophe or hyphen joining one word.
 */
export function countWords(text: string): number {
  const m = text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu);
  return m ? m.length : 0;
}

/** Whether «Далее» on task `current` leads to the finish screen (no later task left open). */
export function isLastOpenTask(tasks: TaskTab[], current: number): boolean {
  return !tasks.some((t) => t.number > current && t.state !== "closed");
}

/** The core grants a play only while the questions are read or between plays, with plays left. */
export function canRequestPlay(task: TaskScreen): boolean {
  return (task.phase.phase === "read_questions" || task.phase.phase === "pause_between") && task.plays_left > 0;
}

/** Typed answers are accepted while answering and around the plays of a listening task. */
export function answersOpen(task: TaskScreen): boolean {
  const p = task.phase.phase;
  return p === "answering" || p === "read_questions" || p === "playing" || p === "pause_between";
}

/** A gap prompt split around its gap («___»): text before, text after (after is null without a gap). */
export function splitGap(prompt: string): { before: string; after: string | null } {
  const i = prompt.indexOf("___");
  if (i < 0) return { before: prompt, after: null };
  let j = i;
  while (prompt[j] === "_") j++;
  return { before: prompt.slice(0, i), after: prompt.slice(j) };
}

/** Paths in the view are relative to the package folder; data: and absolute URLs pass through. */
export function isInlineMedia(src: string): boolean {
  return src.startsWith("data:");
}
