/**
 * The waveform of a WAV's bytes for the player: per bucket the largest
 * absolute sample (0…1) of 16-bit PCM, all channels. Anything else (a
 * format it does not read, a broken header) gives no peaks, never a throw:
 * the player then shows the slider only.
 */
export function wavPeaks(bytes: Uint8Array, buckets: number): number[] {
  if (bytes.length < 12 || buckets <= 0) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (tag(0) !== "RIFF" || tag(8) !== "WAVE") return [];
  let bits = 0;
  let data: [number, number] | null = null;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === "fmt " && size >= 16 && body + 16 <= bytes.length) {
      if (view.getUint16(body, true) !== 1) return [];
      bits = view.getUint16(body + 14, true);
    } else if (id === "data") {
      data = [body, Math.min(size, bytes.length - body)];
      break;
    }
    at = body + size + (size % 2);
  }
  if (bits !== 16 || !data) return [];
  const [start, len] = data;
  const samples = Math.floor(len / 2);
  if (samples === 0) return [];
  const per = Math.max(1, Math.ceil(samples / buckets));
  const out: number[] = [];
  for (let b = 0; b * per < samples && out.length < buckets; b++) {
    let peak = 0;
    const end = Math.min(samples, (b + 1) * per);
    for (let i = b * per; i < end; i++) {
      const v = Math.abs(view.getInt16(start + i * 2, true));
      if (v > peak) peak = v;
    }
    out.push(Math.min(1, peak / 32768));
  }
  return out;
}
