import { describe, expect, it } from "vitest";

import { formatDate, formatDateTime, formatMonth, monthsAgo } from "../format";

describe("dates", () => {
  it("formats calendar dates and months in French", () => {
    expect(formatDate("2026-03-09")).toBe("09/03/2026");
    expect(formatDate(null)).toBe("—");
    expect(formatMonth("2026-01")).toBe("janv. 2026");
    expect(formatMonth("2025-08")).toBe("août 2025");
  });

  it("formats instants in Paris time", () => {
    expect(formatDateTime("2026-07-14T08:30:00Z")).toBe("14/07/2026 10:30");
    expect(formatDateTime(undefined)).toBe("—");
  });

  it("counts months back", () => {
    expect(monthsAgo(12, new Date("2026-09-30T00:00:00Z"))).toBe("2025-09-30");
  });
});
