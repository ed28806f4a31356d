import { describe, expect, it } from "vitest";

import { doseClassOf, median, quantile, yearlyStatistics } from "../dose-classes";

describe("doseClassOf", () => {
  it.each([
    [0, "BELOW_THRESHOLD"],
    [0.09, "BELOW_THRESHOLD"],
    [0.1, "FROM_0_1_TO_1"],
    [1, "FROM_0_1_TO_1"],
    [1.01, "FROM_1_TO_6"],
    [6, "FROM_1_TO_6"],
    [14, "FROM_6_TO_15"],
    [20, "FROM_15_TO_20"],
    [20.5, "ABOVE_20"],
  ])("doseClassOf(%s) = %s", (msv, want) => {
    expect(doseClassOf(msv)).toBe(want);
  });
});

describe("median", () => {
  it("handles odd, even and empty lists", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBe(0);
  });
});

describe("yearlyStatistics", () => {
  it("sums per worker and year, then classifies", () => {
    const stats = yearlyStatistics([
      { workerID: "a", periodEnd: "2025-01-31", valueUsv: 500 },
      { workerID: "a", periodEnd: "2025-06-30", valueUsv: 1500 },
      { workerID: "b", periodEnd: "2025-03-31", valueUsv: 0 },
      { workerID: "c", periodEnd: "2025-03-31", valueUsv: 25_000 },
      { workerID: "a", periodEnd: "2024-12-31", valueUsv: 200 },
    ]);
    expect(stats.map((s) => s.year)).toEqual([2024, 2025]);
    const y = stats[1]!;
    expect(y.workers).toBe(3);
    expect(y.exposedWorkers).toBe(2);
    expect(y.classes.BELOW_THRESHOLD).toBe(1);
    expect(y.classes.FROM_1_TO_6).toBe(1);
    expect(y.classes.ABOVE_20).toBe(1);
    expect(y.collectiveMsv).toBe(27);
    expect(y.meanMsv).toBe(13.5);
    expect(y.medianMsv).toBe(13.5);
  });
});

describe("quantile", () => {
  it("interpolates between ranks", () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
    expect(quantile([], 0.9)).toBe(0);
  });
});
