import type { CommandError } from "../bindings/CommandError";
import { ru } from "./i18n/ru";

/** Every command rejects with `{code, message, severity}`; anything else is unexpected. */
export function asCommandError(e: unknown): CommandError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const o = e as Record<string, unknown>;
    if (typeof o.code === "string" && typeof o.message === "string") {
      const severity = o.severity === "unrecoverable" || o.severity === "blocking" ? o.severity : "non_blocking";
      return { code: o.code, message: o.message, severity };
    }
  }
  return { code: "unexpected", message: ru.common.unexpected, severity: "blocking" };
}
