/** Seconds as «мм:сс» (or «ч:мм:сс» from an hour up); negative or missing values show as 00:00. */
export function formatClock(seconds: number | null | undefined): string {
  const s = Math.max(0, Math.floor(Number.isFinite(seconds as number) ? (seconds as number) : 0));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(ss)}` : `${two(m)}:${two(ss)}`;
}

/** A spoken form for screen readers: «4 мин 05 с». */
export function spokenClock(seconds: number | null | undefined): string {
  const s = Math.max(0, Math.floor(seconds ?? 0));
  const m = Math.floor(s / 60);
  const ss = s % 60;
  return m > 0 ? `${m} мин ${ss} с` : `${ss} с`;
}

/** Whether a countdown should look urgent (the last minute, or the last 5 minutes of the work). */
export function isUrgent(seconds: number | null | undefined, threshold = 60): boolean {
  return seconds != null && seconds <= threshold;
}
