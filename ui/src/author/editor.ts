import { getContext, setContext } from "svelte";
import type { MediaSlot } from "../bindings/MediaSlot";

/** What the form fields share: saving a field, the media slots, problems by path. */
export interface EditorContext {
  workId(): string;
  set(path: string, value: unknown): Promise<void>;
  slot(path: string): MediaSlot | undefined;
  problemsAt(path: string): string[];
  upload(slot: string | null, file: File): Promise<void>;
}

const KEY = Symbol("author-editor");

export function setEditor(ctx: EditorContext): void {
  setContext(KEY, ctx);
}

export function editor(): EditorContext {
  return getContext<EditorContext>(KEY);
}

/** Fields the program sets (tags, numbers, ids the keys refer to). */
export const READ_ONLY = new Set(["kind", "number", "id", "format", "package_id", "language"]);
/** Fields not shown. */
export const HIDDEN = new Set(["training", "format", "subject", "variants", "package_id", "tasks"]);
/** Text fields shown as several lines. */
export const LONG = new Set([
  "text", "texts", "instruction", "situation", "briefing", "stimulus", "descriptor",
  "prompt", "description", "plan", "body", "prompts",
]);
/** Optional numbers the author may set or clear. */
export const OPTIONAL_NUMBERS = new Set(["fixed_s", "words_min", "words_max"]);

/** A new element for a list that may be empty (its shape cannot be copied from the last). */
export function newItem(name: string, path: string, index: number): unknown | undefined {
  const task = /tasks\[(\d+)\]/.exec(path)?.[1];
  const prefix = task === undefined ? "" : `t${Number(task) + 1}-`;
  switch (name) {
    case "photos":
      return { file: `media/${prefix}photo${index + 1}.jpg`, caption: `Фото ${index + 1}` };
    case "eye_breaks":
      return { after_task: 1, duration_s: 60 };
    case "reminders_s":
      return 300;
    default:
      return undefined;
  }
}

/** Fields the work leaves out while they hold their default (so the form can still set them). */
const DEFAULTS: Record<string, Record<string, unknown>> = {
  monologue: { all_photos: false },
  listening: { pause_between_s: 0 },
};

export function withDefaults(v: object): object {
  const kind = (v as { kind?: unknown }).kind;
  const extra = typeof kind === "string" ? DEFAULTS[kind] : undefined;
  return extra ? { ...extra, ...v } : v;
}
