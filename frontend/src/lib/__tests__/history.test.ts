import { describe, expect, it } from "vitest";

import { monthRange, monthlySeries } from "../history";

describe("monthlySeries", () => {
  it("fills missing months with zeros, one series per kind", () => {
    const got = monthlySeries([
      { month: "2025-11", monitoringKind: "PASSIVE_WHOLE_BODY", valueMsv: 0.2 },
      { month: "2026-01", monitoringKind: "PASSIVE_WHOLE_BODY", valueMsv: 0.1 },
      { month: "2026-01", monitoringKind: "EXTREMITY", valueMsv: 1.5 },
      { month: "2026-01", monitoringKind: "EXTREMITY", valueMsv: 0.5 },
    ]);
    expect(got.months).toEqual(["2025-11", "2025-12", "2026-01"]);
    expect(got.series).toEqual([
      { kind: "PASSIVE_WHOLE_BODY", values: [0.2, 0, 0.1] },
      { kind: "EXTREMITY", values: [0, 0, 2] },
    ]);
  });

  it("is empty without points", () => {
    expect(monthlySeries([])).toEqual({ months: [], series: [] });
    expect(monthRange("2025-12", "2026-02")).toEqual(["2025-12", "2026-01", "2026-02"]);
  });
});
