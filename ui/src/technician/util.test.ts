import { describe, expect, it } from "vitest";
import { attempt, baseName, formatBytes } from "./util";

describe("technician util", () => {
  it("formats sizes in Russian units", () => {
    expect(formatBytes(512)).toBe("512 Б");
    expect(formatBytes(1536)).toBe("1,5 КБ");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3,0 ГБ");
    expect(formatBytes(null)).toBe("—");
  });

  it("names the file of a path", () => {
    expect(baseName("/media/usb/vpr-770001-st03.zip")).toBe("vpr-770001-st03.zip");
    expect(baseName("C:\\vpr\\a.vprpkg")).toBe("a.vprpkg");
  });

  it("turns a command error into its message", async () => {
    const r = await attempt(() => Promise.reject({ code: "pin_wrong", message: "Неверный PIN-код", severity: "non_blocking" }));
    expect(r).toEqual({ ok: false, message: "Неверный PIN-код", code: "pin_wrong" });
    const v = await attempt(() => Promise.resolve(5));
    expect(v).toEqual({ ok: true, value: 5 });
  });
});
