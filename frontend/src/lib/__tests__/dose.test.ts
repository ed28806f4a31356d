import { describe, expect, it } from "vitest";

import { doseStatus, doseValueText, formatCollectiveDose, formatMsv, formatShare, limitState } from "../dose";

describe("formatMsv", () => {
  it.each([
    [1.25, "1,25 mSv"],
    [0, "0,00 mSv"],
    [20, "20,00 mSv"],
    [null, "—"],
    [undefined, "—"],
  ])("formatMsv(%s) = %s", (value, want) => {
    expect(formatMsv(value).replace(/\u202f|\u00a0/g, " ")).toBe(want);
  });

  it("keeps up to three decimals in fine mode", () => {
    expect(formatMsv(0.125, { fine: true })).toBe("0,125 mSv");
  });
});

describe("formatCollectiveDose", () => {
  it("writes man·sievert from mSv", () => {
    expect(formatCollectiveDose(12_500)).toBe("12,5 h·Sv");
  });
});

describe("limitState", () => {
  it.each([
    [0, 20, "OK"],
    [15.9, 20, "OK"],
    [16, 20, "APPROACHING"],
    [20, 20, "APPROACHING"],
    [20.01, 20, "EXCEEDED"],
    [5, 0, "OK"],
  ])("limitState(%s, %s) = %s", (value, limit, want) => {
    expect(limitState(value, limit)).toBe(want);
  });

  it("formats shares as percentages", () => {
    expect(formatShare(0.42).replace(/\u202f|\u00a0/g, " ")).toBe("42 %");
    expect(formatShare(null)).toBe("—");
  });
});

describe("doseStatus", () => {
  const base = { status: "MEASURED", version: 1, source: "LABORATORY", current: true } as const;
  it.each([
    [{ ...base }, "Mesuré"],
    [{ ...base, status: "BELOW_THRESHOLD" as const }, "M"],
    [{ ...base, status: "ABSENT" as const }, "Absent"],
    [{ ...base, version: 2 }, "Corrigé"],
    [{ ...base, source: "PHYSICIAN" as const }, "Corrigé"],
    [{ ...base, current: false }, "Remplacé"],
    [{ ...base, version: 3, current: false, pending: true }, "En attente de décision"],
    [{ ...base, version: 3, current: false, setAside: true }, "Non retenu"],
  ])("doseStatus(%o) = %s", (record, want) => {
    expect(doseStatus(record).label).toBe(want);
  });

  it("shows M and Absent instead of a value", () => {
    expect(doseValueText({ status: "BELOW_THRESHOLD", valueMsv: 0 })).toBe("M");
    expect(doseValueText({ status: "ABSENT", valueMsv: 0 })).toBe("Absent");
    expect(doseValueText({ status: "MEASURED", valueMsv: 0.4 })).toBe("0,4 mSv");
  });
});
