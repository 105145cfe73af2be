import type { CommandError } from "../bindings/CommandError";
import type { ErrorCode } from "../bindings/ErrorCode";
import { ru } from "./i18n/ru";

export type { ErrorCode };

/** A command's rejection with its code typed: branch with `e.code === "pin_locked"`,
 *  which the compiler checks against the Rust crates' codes (`ErrorCode`). */
export type UiError = Omit<CommandError, "code"> & { code: ErrorCode };

/** Every command rejects with `{code, message, severity}`; anything else is unexpected.
 *  The code is typed, not checked at run time: `ErrorCode` holds every code the Rust
 *  errors return (the bindings drift test keeps it complete), and the list itself
 *  (`ERROR_CODES`, every mode's codes) stays out of the station's bundle. */
export function asCommandError(e: unknown): UiError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const o = e as Record<string, unknown>;
    if (typeof o.code === "string" && typeof o.message === "string") {
      const severity = o.severity === "unrecoverable" || o.severity === "blocking" ? o.severity : "non_blocking";
      return { code: o.code as ErrorCode, message: o.message, severity };
    }
  }
  return { code: "unexpected", message: ru.common.unexpected, severity: "blocking" };
}

/** The access crate's PIN refusals: the PIN field is cleared and asked again. */
export const PIN_ERRORS: readonly ErrorCode[] = [
  "pin_bad_format",
  "pin_trivial",
  "pin_not_set",
  "pin_wrong",
  "pin_locked",
  "pin_attempts_corrupt",
];

export function isPinError(code: ErrorCode): boolean {
  return PIN_ERRORS.includes(code);
}
