import { describe, expect, it } from "vitest";
import { fullName, lines, splitList } from "./util";

describe("coordinator helpers", () => {
  it("joins a name without empty parts", () => {
    expect(fullName({ last: "Белов", first: "Борис", middle: "" })).toBe("Белов Борис");
  });
  it("splits lists and lines", () => {
    expect(splitList(" 7А, ,7Б ")).toEqual(["7А", "7Б"]);
    expect(lines("/a.zip\n\n /b.zip \n")).toEqual(["/a.zip", "/b.zip"]);
  });
});
