import { describe, expect, it } from "vitest";

import { monthOfInstant, monthRange, monthlySeries, operationalAgainstPassive, rollingEffective } from "../history";

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

describe("rollingEffective", () => {
  it("sums the effective quantities over the 12 months ending with each month", () => {
    const pts = [
      { month: "2025-01", monitoringKind: "PASSIVE_WHOLE_BODY", quantity: "HP10", valueMsv: 2 },
      { month: "2025-01", monitoringKind: "PASSIVE_WHOLE_BODY", quantity: "HP007", valueMsv: 9 },
      { month: "2025-06", monitoringKind: "INTERNAL", quantity: "E50", valueMsv: 1 },
      { month: "2026-01", monitoringKind: "PASSIVE_WHOLE_BODY", quantity: "HP10", valueMsv: 0.5 },
      { month: "2026-01", monitoringKind: "EXTREMITY", quantity: "HP007", valueMsv: 40 },
    ];
    const got = rollingEffective(pts);
    expect(got.months).toHaveLength(13);
    expect(got.monthly[0]).toBe(2);
    expect(got.rolling[0]).toBe(2);
    expect(got.rolling[5]).toBe(3);
    expect(got.rolling[11]).toBe(3);
    // January 2025 leaves the window in January 2026.
    expect(got.rolling[12]).toBe(1.5);
  });

  it("is empty when no result counts toward the effective dose", () => {
    expect(rollingEffective([{ month: "2026-01", monitoringKind: "EXTREMITY", quantity: "HP007", valueMsv: 3 }])).toEqual({ months: [], monthly: [], rolling: [] });
  });
});

describe("operationalAgainstPassive", () => {
  it("puts the operational readings (µSv) and the passive whole-body Hp(10) side by side by month", () => {
    const got = operationalAgainstPassive(
      [
        { endAt: "2026-01-10T16:00:00Z", valueUsv: 120 },
        { endAt: "2026-01-20T16:00:00Z", valueUsv: 30 },
        { endAt: "2026-03-02T08:00:00Z", valueUsv: 5 },
      ],
      [
        { month: "2026-01", monitoringKind: "PASSIVE_WHOLE_BODY", quantity: "HP10", valueMsv: 0.2 },
        { month: "2026-01", monitoringKind: "PASSIVE_WHOLE_BODY", quantity: "HP007", valueMsv: 0.9 },
        { month: "2026-02", monitoringKind: "PASSIVE_WHOLE_BODY", quantity: "HP10", valueMsv: 0 },
        { month: "2026-02", monitoringKind: "EXTREMITY", quantity: "HP007", valueMsv: 4 },
      ],
    );
    expect(got).toEqual([
      { month: "2026-01", operationalMsv: 0.15, passiveMsv: 0.2 },
      { month: "2026-02", operationalMsv: null, passiveMsv: 0 },
      { month: "2026-03", operationalMsv: 0.005, passiveMsv: null },
    ]);
  });

  it("dates a reading by its UTC month", () => {
    expect(monthOfInstant("2026-01-31T23:30:00Z")).toBe("2026-01");
  });
});
