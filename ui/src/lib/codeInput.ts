/** The participant-code field: pure state transitions, shared by the keyboard and the on-screen pad. */
export const CODE_LENGTH = 5;

export type PadKey = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "back" | "clear";

export function press(code: string, key: PadKey): string {
  if (key === "back") return code.slice(0, -1);
  if (key === "clear") return "";
  return code.length >= CODE_LENGTH ? code : code + key;
}

/** Keyboard keys the code field accepts (digits, Backspace, Delete); others are ignored. */
export function keyToPad(key: string): PadKey | null {
  if (/^[0-9]$/.test(key)) return key as PadKey;
  if (key === "Backspace") return "back";
  if (key === "Delete" || key === "Escape") return "clear";
  return null;
}

export function isComplete(code: string): boolean {
  return code.length === CODE_LENGTH;
}
