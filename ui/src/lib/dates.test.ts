import { describe, expect, it } from "vitest";
import { isoDate, ruDate } from "./dates";

describe("dates as Russian users type them", () => {
  it("reads ДД.ММ.ГГГГ and shows it back", () => {
    expect(isoDate("1.4.2026")).toBe("2026-04-01");
    expect(isoDate(" 16.04.2026 ")).toBe("2026-04-16");
    expect(isoDate("2026-04-16")).toBe("2026-04-16");
    expect(isoDate("апрель")).toBe("апрель");
    expect(ruDate("2026-04-16")).toBe("16.04.2026");
    expect(ruDate("завтра")).toBe("завтра");
  });
});
