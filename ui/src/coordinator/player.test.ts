import { describe, expect, it } from "vitest";
import { BACK_S, clampTime, clock, Player, SPEEDS, spanOf, timeAt, type AudioLike } from "./player";

/** An audio element's observable state, time moved by hand. */
class FakeAudio implements AudioLike {
  currentTime = 0;
  playbackRate = 1;
  preservesPitch = false;
  paused = true;
  plays = 0;
  constructor(public duration: number) {}
  play() {
    this.paused = false;
    this.plays += 1;
  }
  pause() {
    this.paused = true;
  }
}

describe("the expert's player", () => {
  it("seeks inside the recording only", () => {
    const a = new FakeAudio(30);
    const p = new Player(a);
    p.seek(12.5);
    expect(a.currentTime).toBe(12.5);
    p.seek(99);
    expect(a.currentTime).toBe(30);
    p.seek(-3);
    expect(a.currentTime).toBe(0);
    p.seek(Number.NaN);
    expect(a.currentTime).toBe(0);
  });

  it("uses the known length while the element has none", () => {
    const a = new FakeAudio(Number.NaN);
    const p = new Player(a, 4.6);
    p.seek(10);
    expect(a.currentTime).toBe(4.6);
  });

  it("steps back five seconds, not before the start", () => {
    const a = new FakeAudio(30);
    const p = new Player(a);
    p.seek(12);
    p.back();
    expect(a.currentTime).toBe(12 - BACK_S);
    p.back();
    p.back();
    expect(a.currentTime).toBe(0);
  });

  it("maps a click on the waveform to a time", () => {
    expect(timeAt(120, 240, 30)).toBe(15);
    expect(timeAt(0, 240, 30)).toBe(0);
    expect(timeAt(300, 240, 30)).toBe(30);
    expect(timeAt(10, 0, 30)).toBe(0);
    expect(clampTime(5, 0)).toBe(5);
  });

  it("sets the four speeds keeping the pitch, anything else is 1", () => {
    const a = new FakeAudio(30);
    const p = new Player(a);
    expect(a.preservesPitch).toBe(true);
    for (const s of SPEEDS) {
      a.preservesPitch = false;
      p.setSpeed(s);
      expect(a.playbackRate).toBe(s);
      expect(a.preservesPitch).toBe(true);
    }
    p.setSpeed(3);
    expect(a.playbackRate).toBe(1);
    expect([...SPEEDS]).toEqual([0.75, 1, 1.25, 1.5]);
  });

  it("replays a span from its start and stops at its end", async () => {
    const a = new FakeAudio(30);
    const p = new Player(a);
    const span = spanOf(9, 4, 30)!;
    expect(span).toEqual({ start: 4, end: 9 });
    await p.replay(span);
    expect(a.currentTime).toBe(4);
    expect(a.paused).toBe(false);
    a.currentTime = 8.9;
    p.tick();
    expect(a.paused).toBe(false);
    a.currentTime = 9.2;
    p.tick();
    expect(a.paused).toBe(true);
    expect(a.currentTime).toBe(9);
    // Play again within span mode starts the span over.
    await p.play();
    expect(a.currentTime).toBe(4);
    p.clearSpan();
    a.currentTime = 20;
    p.tick();
    expect(a.paused).toBe(false);
    expect(a.plays).toBe(2);
  });

  it("refuses an empty span and formats times", () => {
    expect(spanOf(3, 3.05, 30)).toBeNull();
    expect(spanOf(-2, 50, 30)).toEqual({ start: 0, end: 30 });
    expect(clock(0)).toBe("0:00.0");
    expect(clock(65.25)).toBe("1:05.3");
    expect(clock(Number.NaN)).toBe("0:00.0");
  });
});
