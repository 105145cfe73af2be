/**
 * Dates as Russian users type and read them (ДД.ММ.ГГГГ) beside the
 * ГГГГ-ММ-ДД the core takes. A text field, not `<input type="date">`: the
 * webview draws that in the system's locale (US order on a machine set up
 * in English), so a teacher reads 04/15/2026.
 */

/** A date typed as ДД.ММ.ГГГГ becomes ГГГГ-ММ-ДД; anything else is left for the core to refuse by name. */
export function isoDate(s: string): string {
  const t = s.trim();
  const m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(t);
  if (!m) return t;
  return `${m[3]}-${m[2].padStart(2, "0")}-${m[1].padStart(2, "0")}`;
}

/** ГГГГ-ММ-ДД shown as ДД.ММ.ГГГГ (anything else as it is). */
export function ruDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso.trim());
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}
