/**
 * The expert's player (issue 13, item 6): seek, «−5 с», replay of a chosen
 * span, speed. The logic works on anything shaped like an HTMLAudioElement,
 * so it is tested without a webview.
 */

/** The speeds an expert may choose. */
export const SPEEDS = [0.75, 1, 1.25, 1.5] as const;
export type Speed = (typeof SPEEDS)[number];

/** Seconds «back» steps by. */
export const BACK_S = 5;

/** What the player needs of an audio element. */
export interface AudioLike {
  currentTime: number;
  readonly duration: number;
  playbackRate: number;
  preservesPitch?: boolean;
  readonly paused: boolean;
  play(): Promise<void> | void;
  pause(): void;
}

/** A span of the recording to replay, seconds. */
export interface Span {
  start: number;
  end: number;
}

/** The recording's length, 0 while unknown (NaN, Infinity before metadata). */
export function lengthOf(a: Pick<AudioLike, "duration">, fallback = 0): number {
  return Number.isFinite(a.duration) && a.duration > 0 ? a.duration : fallback;
}

/** A time kept inside the recording. */
export function clampTime(t: number, length: number): number {
  if (!Number.isFinite(t) || t < 0) return 0;
  return length > 0 ? Math.min(t, length) : t;
}

/** The time under a click on the waveform: `x` pixels into a `width` wide drawing. */
export function timeAt(x: number, width: number, length: number): number {
  if (width <= 0 || length <= 0) return 0;
  return clampTime((x / width) * length, length);
}

/** A span from two marks in either order, inside the recording; null when empty. */
export function spanOf(a: number, b: number, length: number): Span | null {
  const start = clampTime(Math.min(a, b), length);
  const end = clampTime(Math.max(a, b), length);
  return end - start >= 0.1 ? { start, end } : null;
}

/** «m:ss.d» for a time in seconds. */
export function clock(t: number): string {
  const s = Math.max(0, Number.isFinite(t) ? t : 0);
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return `${m}:${rest.toFixed(1).padStart(4, "0")}`;
}

/** The player's controls over one audio element. */
export class Player {
  /** The span being replayed: playback stops at its end. */
  span: Span | null = null;

  constructor(
    readonly audio: AudioLike,
    private fallbackLength = 0,
  ) {
    audio.preservesPitch = true;
  }

  get length(): number {
    return lengthOf(this.audio, this.fallbackLength);
  }

  seek(t: number): void {
    this.audio.currentTime = clampTime(t, this.length);
  }

  /** «−5 с»: back five seconds (not before the start), playing on if it played. */
  back(seconds = BACK_S): void {
    this.seek(this.audio.currentTime - seconds);
  }

  setSpeed(speed: number): void {
    const s = SPEEDS.find((x) => x === speed) ?? 1;
    this.audio.playbackRate = s;
    // The voice stays a voice at another speed.
    this.audio.preservesPitch = true;
  }

  async play(): Promise<void> {
    if (this.span && (this.audio.currentTime < this.span.start || this.audio.currentTime >= this.span.end)) {
      this.audio.currentTime = this.span.start;
    }
    await this.audio.play();
  }

  pause(): void {
    this.audio.pause();
  }

  /** Replay a span from its start; it stops at its end ([`tick`]). */
  async replay(span: Span): Promise<void> {
    this.span = span;
    this.audio.currentTime = span.start;
    await this.audio.play();
  }

  /** Leave span replay: playback runs to the end again. */
  clearSpan(): void {
    this.span = null;
  }

  /** Called on `timeupdate`: stops at the end of the replayed span. */
  tick(): void {
    if (this.span && this.audio.currentTime >= this.span.end) {
      this.audio.pause();
      this.audio.currentTime = this.span.end;
    }
  }
}
