/** Inserting an on-screen letter into a text field at the caret (replacing a selection). */
export interface CaretEdit {
  value: string;
  caret: number;
}

export function insertAt(value: string, start: number | null, end: number | null, text: string, maxLength?: number): CaretEdit {
  const len = value.length;
  const a = clamp(start ?? len, 0, len);
  const b = clamp(end ?? a, a, len);
  const next = value.slice(0, a) + text + value.slice(b);
  if (maxLength !== undefined && maxLength >= 0 && next.length > maxLength) return { value, caret: b };
  return { value: next, caret: a + text.length };
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}

/** Apply an insertion to a real input and tell listeners (so bindings and the saver see it). */
export function insertIntoInput(input: HTMLInputElement | HTMLTextAreaElement, text: string): CaretEdit {
  const max = input.maxLength > 0 ? input.maxLength : undefined;
  const edit = insertAt(input.value, input.selectionStart, input.selectionEnd, text, max);
  input.value = edit.value;
  input.setSelectionRange(edit.caret, edit.caret);
  input.dispatchEvent(new Event("input", { bubbles: true }));
  return edit;
}
