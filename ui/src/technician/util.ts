import { asCommandError, type ErrorCode } from "../lib/errors";

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string; code: ErrorCode };

/** Run a command; a rejection becomes its Russian message. */
export async function attempt<T>(f: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await f() };
  } catch (e) {
    const err = asCommandError(e);
    return { ok: false, message: err.message, code: err.code };
  }
}

/** 1536 → «1,5 КБ»; bytes in binary units with one decimal, Russian comma. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return "—";
  const units = ["Б", "КБ", "МБ", "ГБ", "ТБ"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const text = i === 0 ? String(Math.round(v)) : v.toFixed(1).replace(".", ",");
  return `${text} ${units[i]}`;
}

/** The last path component (either separator). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/).filter((p) => p.length > 0);
  return parts.length ? parts[parts.length - 1] : path;
}
