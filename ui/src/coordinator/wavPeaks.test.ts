import { describe, expect, it } from "vitest";
import { wavPeaks } from "./wavPeaks";

function wav(samples: number[], format = 1, bits = 16): Uint8Array {
  const data = samples.length * 2;
  const b = new Uint8Array(44 + data);
  const v = new DataView(b.buffer);
  const put = (at: number, s: string) => [...s].forEach((c, i) => (b[at + i] = c.charCodeAt(0)));
  put(0, "RIFF");
  v.setUint32(4, 36 + data, true);
  put(8, "WAVEfmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, format, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, 16000, true);
  v.setUint32(28, 32000, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, bits, true);
  put(36, "data");
  v.setUint32(40, data, true);
  samples.forEach((s, i) => v.setInt16(44 + i * 2, s, true));
  return b;
}

describe("the waveform of a WAV", () => {
  it("gives the loudest sample per bucket", () => {
    const p = wavPeaks(wav([0, 16384, -32768, 100, 0, 0, 8192, -8192]), 4);
    expect(p).toEqual([0.5, 1, 0, 0.25]);
  });

  it("gives nothing for what it does not read, and never throws", () => {
    expect(wavPeaks(new TextEncoder().encode("RIFF-fake-1234"), 10)).toEqual([]);
    expect(wavPeaks(wav([1, 2], 3), 10)).toEqual([]);
    expect(wavPeaks(wav([1, 2], 1, 8), 10)).toEqual([]);
    expect(wavPeaks(wav([]), 10)).toEqual([]);
    const cut = wav([1000, 2000, 3000]).subarray(0, 47);
    expect(wavPeaks(cut, 2)).toEqual([1000 / 32768]);
  });
});
