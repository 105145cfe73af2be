import { describe, expect, it } from "vitest";
import { ERROR_CODES } from "../bindings/ErrorCode";
import { asCommandError, isPinError, PIN_ERRORS } from "./errors";
import { modeFromLabel } from "./mode";

describe("command errors", () => {
  it("keeps code, message and severity of a command error", () => {
    const e = asCommandError({ code: "exam_bad_code", message: "Код — 5 цифр", severity: "non_blocking" });
    expect(e).toEqual({ code: "exam_bad_code", message: "Код — 5 цифр", severity: "non_blocking" });
  });

  it("knows every PIN refusal of the access crate", () => {
    expect([...PIN_ERRORS].sort()).toEqual(ERROR_CODES.filter((c) => c.startsWith("pin_")).sort());
    expect(isPinError("pin_locked")).toBe(true);
    expect(isPinError("exam_bad_code")).toBe(false);
  });

  it("turns anything else into a blocking unexpected error with a Russian message", () => {
    const e = asCommandError("boom");
    expect(e.code).toBe("unexpected");
    expect(e.severity).toBe("blocking");
    expect(e.message).toMatch(/[А-Яа-я]/);
  });
});

describe("window mode", () => {
  it("is the window label, station otherwise", () => {
    expect(modeFromLabel("coordinator")).toBe("coordinator");
    expect(modeFromLabel("technician")).toBe("technician");
    expect(modeFromLabel("main")).toBe("station");
    expect(modeFromLabel(undefined)).toBe("station");
  });
});
