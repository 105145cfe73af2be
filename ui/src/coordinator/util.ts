import { asCommandError } from "../lib/errors";
import type { PersonName } from "../bindings/PersonName";

/** A command's outcome for a screen: the value, or the Russian message of its error. */
export async function attempt<T>(f: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; message: string }> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    return { ok: false, message: asCommandError(e).message };
  }
}

export function fullName(n: PersonName): string {
  return [n.last, n.first, n.middle].filter((s) => s.trim() !== "").join(" ");
}

/** Comma-separated list → trimmed non-empty items. */
export function splitList(s: string): string[] {
  return s.split(",").map((x) => x.trim()).filter((x) => x !== "");
}

/** Non-empty trimmed lines. */
export function lines(s: string): string[] {
  return s.split("\n").map((x) => x.trim()).filter((x) => x !== "");
}
