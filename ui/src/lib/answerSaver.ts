/**
 * Sends typed answers to the core: debounced while typing (one call per item after a quiet
 * period, and at least once per `maxWaitMs` while the typing goes on, so a student who writes a
 * long answer without pausing never has more than that much at risk), at once on blur or before
 * leaving the task. The core ignores unchanged values, but the
 * saver also skips a value it has already sent for the item.
 */
export type SendAnswer = (item: string, value: string) => Promise<unknown>;

export interface AnswerSaver {
  /** A new value typed for `item`: saved after the quiet period. */
  change(item: string, value: string): void;
  /** Save `item` now if it has a pending value. */
  flush(item: string): Promise<void>;
  /** Save every pending value now (before «Далее»). */
  flushAll(): Promise<void>;
  /** Whether a value is waiting to be sent. */
  pending(item?: string): boolean;
  /** Forget pending timers (the component is going away; call flushAll first). */
  dispose(): void;
}

export function createAnswerSaver(
  send: SendAnswer,
  delayMs = 400,
  initial: Record<string, string> = {},
  maxWaitMs = 1000,
): AnswerSaver {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const waiting = new Map<string, string>();
  /** When the oldest unsent change of an item was typed. */
  const since = new Map<string, number>();
  const sent = new Map<string, string>(Object.entries(initial));

  async function flush(item: string): Promise<void> {
    const t = timers.get(item);
    if (t !== undefined) clearTimeout(t);
    timers.delete(item);
    since.delete(item);
    if (!waiting.has(item)) return;
    const value = waiting.get(item) as string;
    waiting.delete(item);
    if (sent.get(item) === value) return;
    sent.set(item, value);
    try {
      await send(item, value);
    } catch (e) {
      // Not saved: forget it as sent so the next change or flush tries again.
      if (sent.get(item) === value) sent.delete(item);
      throw e;
    }
  }

  return {
    change(item, value) {
      waiting.set(item, value);
      const now = Date.now();
      const first = since.get(item) ?? now;
      since.set(item, first);
      const t = timers.get(item);
      if (t !== undefined) clearTimeout(t);
      // The quiet period, but never later than maxWaitMs after the oldest unsent change.
      const wait = Math.max(0, Math.min(delayMs, first + maxWaitMs - now));
      timers.set(
        item,
        setTimeout(() => {
          flush(item).catch(() => {});
        }, wait),
      );
    },
    flush,
    async flushAll() {
      const items = [...waiting.keys()];
      const results = await Promise.allSettled(items.map((i) => flush(i)));
      const failed = results.find((r) => r.status === "rejected");
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },
    pending(item) {
      return item === undefined ? waiting.size > 0 : waiting.has(item);
    },
    dispose() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      since.clear();
    },
  };
}
