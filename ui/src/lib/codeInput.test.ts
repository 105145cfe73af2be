import { describe, expect, it } from "vitest";
import { CODE_LENGTH, isComplete, keyToPad, press } from "./codeInput";

describe("participant code field", () => {
  it("takes digits up to five and no more", () => {
    let code = "";
    for (const d of ["1", "2", "3", "4", "5", "6"] as const) code = press(code, d);
    expect(code).toBe("12345");
    expect(code.length).toBe(CODE_LENGTH);
    expect(isComplete(code)).toBe(true);
  });

  it("erases one digit or all of them", () => {
    expect(press("123", "back")).toBe("12");
    expect(press("", "back")).toBe("");
    expect(press("123", "clear")).toBe("");
    expect(isComplete("1234")).toBe(false);
  });

  it("maps only digit and editing keys from the keyboard", () => {
    expect(keyToPad("7")).toBe("7");
    expect(keyToPad("Backspace")).toBe("back");
    expect(keyToPad("Delete")).toBe("clear");
    expect(keyToPad("a")).toBeNull();
    expect(keyToPad("F5")).toBeNull();
    expect(keyToPad("Enter")).toBeNull();
  });
});
