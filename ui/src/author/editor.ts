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
export const READ_ONLY = new Set(["kind", "number", "id", "format", "package_id"]);
/** Fields not shown. */
export const HIDDEN = new Set(["training", "format", "subject", "variants", "package_id", "tasks"]);
/** Text fields shown as several lines. */
export const LONG = new Set([
  "text", "texts", "instruction", "situation", "briefing", "stimulus", "descriptor",
  "prompt", "description", "plan", "body", "prompts",
]);
/** Optional numbers the author may set or clear. */
export const OPTIONAL_NUMBERS = new Set(["fixed_s", "words_min", "words_max"]);
