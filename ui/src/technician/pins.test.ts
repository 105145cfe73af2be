import { describe, expect, it } from "vitest";
import { pinStep, type PinForm } from "./pins";

const empty: PinForm = { technician: "", technicianRepeat: "", organizer: "", organizerRepeat: "", current: "" };

describe("PIN form", () => {
  it("sets both PINs at the first run without asking for a current PIN", () => {
    const r = pinStep("first", { ...empty, technician: "482915", technicianRepeat: "482915", organizer: "730264", organizerRepeat: "730264" });
    expect(r).toEqual({
      ok: true,
      calls: [
        { role: "technician", pin: "482915", current: null },
        // The technician PIN typed in the same form authorises the organizer's.
        { role: "organizer", pin: "730264", current: "482915" },
      ],
    });
  });

  it("names which PIN is wrong and why", () => {
    const bad = pinStep("first", { ...empty, technician: "482915", technicianRepeat: "482916", organizer: "730264", organizerRepeat: "730264" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toContain("технического специалиста повторён");
    const short = pinStep("first", { ...empty, technician: "482915", technicianRepeat: "482915", organizer: "73", organizerRepeat: "73" });
    if (!short.ok) expect(short.message).toContain("организатора: нужно от 6 до 8 цифр");
    else throw new Error("a 2-digit PIN passed");
    const same = pinStep("first", { ...empty, technician: "482915", technicianRepeat: "482915", organizer: "482915", organizerRepeat: "482915" });
    expect(same.ok).toBe(false);
  });

  it("asks for the current technician PIN only to change a PIN later", () => {
    const none = pinStep("organizer", { ...empty, organizer: "730264", organizerRepeat: "730264" });
    expect(none.ok).toBe(false);
    const r = pinStep("organizer", { ...empty, organizer: "730264", organizerRepeat: "730264", current: "482915" });
    expect(r).toEqual({ ok: true, calls: [{ role: "organizer", pin: "730264", current: "482915" }] });
    const tech = pinStep("technician", { ...empty, technician: "591736", technicianRepeat: "591736", current: "482915" });
    expect(tech).toEqual({ ok: true, calls: [{ role: "technician", pin: "591736", current: "482915" }] });
  });
});
