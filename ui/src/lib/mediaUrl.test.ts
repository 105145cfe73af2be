import { describe, expect, it } from "vitest";
import { fromBase64 } from "./mediaUrl";

describe("media over IPC", () => {
  it("decodes base64 to the exact bytes", () => {
    const bytes = [0, 1, 2, 127, 128, 200, 255, 82, 73, 70, 70];
    const text = Buffer.from(bytes).toString("base64");
    expect([...fromBase64(text)]).toEqual(bytes);
    expect(fromBase64("").length).toBe(0);
  });
});
