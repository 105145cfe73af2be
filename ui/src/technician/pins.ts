import type { PinRoleName } from "../bindings/PinRoleName";
import { ru } from "../lib/i18n/ru";

export type PinForm = {
  technician: string;
  technicianRepeat: string;
  organizer: string;
  organizerRepeat: string;
  current: string;
};

/** `first`: both PINs at the first run; `organizer` or `technician`: one PIN, authorised by the current technician PIN. */
export type PinMode = "first" | PinRoleName;

export type PinCall = { role: PinRoleName; pin: string; current: string | null };

/**
 * What the PIN form sends, in order, or why it sends nothing. At the first run
 * the organizer's PIN is authorised by the technician's PIN typed in the same
 * form, so the person is never asked for a PIN they have just set.
 */
export function pinStep(mode: PinMode, f: PinForm): { ok: true; calls: PinCall[] } | { ok: false; message: string } {
  const t = ru.technician;
  const digits = (s: string) => /^\d{6,8}$/.test(s);
  const check = (pin: string, repeat: string, who: string): string | null => {
    if (!digits(pin)) return t.pinFormat(who);
    if (pin !== repeat) return t.pinRepeatDiffers(who);
    return null;
  };
  const tech = () => check(f.technician, f.technicianRepeat, t.technicianWho);
  const org = () => check(f.organizer, f.organizerRepeat, t.organizerWho);
  if (mode === "first") {
    const problem = tech() ?? org();
    if (problem) return { ok: false, message: problem };
    if (f.technician === f.organizer) return { ok: false, message: t.pinsMustDiffer };
    return {
      ok: true,
      calls: [
        { role: "technician", pin: f.technician, current: null },
        { role: "organizer", pin: f.organizer, current: f.technician },
      ],
    };
  }
  if (!digits(f.current)) return { ok: false, message: t.currentNeeded };
  const problem = mode === "technician" ? tech() : org();
  if (problem) return { ok: false, message: problem };
  const pin = mode === "technician" ? f.technician : f.organizer;
  return { ok: true, calls: [{ role: mode, pin, current: f.current }] };
}
