import { describe, expect, it } from "vitest";
import { child, taskOf, variantOf } from "./paths";
import { capFor, tooLarge, MAX_IMAGE_BYTES } from "./upload";

describe("author paths", () => {
  it("builds and reads field paths", () => {
    expect(child("", "title")).toBe("title");
    expect(child(child("variants", 0), "tasks")).toBe("variants[0].tasks");
    expect(taskOf("variants[1].tasks[3].content.items[0].text")).toEqual({ keys: false, variant: 1, task: 3 });
    expect(taskOf("keys.variants[0].tasks[2].items[1].accepted")).toEqual({ keys: true, variant: 0, task: 2 });
    expect(taskOf("timing.total_s")).toBeNull();
    expect(variantOf("keys.variants[2].tasks[0]")).toBe(2);
  });

  it("refuses a file over its cap before reading it", () => {
    expect(capFor("a.JPG")).toBe(MAX_IMAGE_BYTES);
    expect(tooLarge({ name: "a.png", size: MAX_IMAGE_BYTES + 1 })).toContain("a.png");
    expect(tooLarge({ name: "a.mp3", size: MAX_IMAGE_BYTES + 1 })).toBeNull();
    expect(tooLarge({ name: "big.mp3", size: 2 * 1024 * 1024 * 1024 })).toContain("big.mp3");
  });
});
