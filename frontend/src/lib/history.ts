/** A month's dose of one monitoring kind, as Worker.doseHistory returns it. */
export type MonthlyDosePoint = { month: string; monitoringKind: string; valueMsv: number };

/** Every `YYYY-MM` from `first` to `last` inclusive. */
export function monthRange(first: string, last: string): string[] {
  const out: string[] = [];
  let [y, m] = first.split("-").map(Number) as [number, number];
  const [ly, lm] = last.split("-").map(Number) as [number, number];
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    if (++m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

/**
 * Turns monthly points into chart series: one value per month (0 when the
 * month has no dose) for each monitoring kind, kinds in first-seen order.
 */
export function monthlySeries(points: readonly MonthlyDosePoint[]): {
  months: string[];
  series: { kind: string; values: number[] }[];
} {
  if (points.length === 0) return { months: [], series: [] };
  const sorted = [...points].map((p) => p.month).sort();
  const months = monthRange(sorted[0]!, sorted[sorted.length - 1]!);
  const index = new Map(months.map((m, i) => [m, i]));
  const byKind = new Map<string, number[]>();
  for (const p of points) {
    let values = byKind.get(p.monitoringKind);
    if (!values) byKind.set(p.monitoringKind, (values = months.map(() => 0)));
    values[index.get(p.month)!]! += p.valueMsv;
  }
  return { months, series: [...byKind].map(([kind, values]) => ({ kind, values: values.map((v) => Math.round(v * 1000) / 1000) })) };
}

/** The quantities that count toward the effective dose: external Hp(10), internal E(50), E of radon and aircrew. */
export const effectiveQuantities: readonly string[] = ["HP10", "E50", "E"];

/**
 * The effective dose of each month from the first to the last month of
 * `points` and, for each month, the sum over the 12 months ending with it
 * (the rolling window the limit applies to). Rounded to the µSv.
 */
export function rollingEffective(points: readonly (MonthlyDosePoint & { quantity: string })[]): {
  months: string[];
  monthly: number[];
  rolling: number[];
} {
  const effective = points.filter((p) => effectiveQuantities.includes(p.quantity));
  if (effective.length === 0) return { months: [], monthly: [], rolling: [] };
  const sorted = effective.map((p) => p.month).sort();
  const months = monthRange(sorted[0]!, sorted[sorted.length - 1]!);
  const index = new Map(months.map((m, i) => [m, i]));
  const monthly = months.map(() => 0);
  for (const p of effective) monthly[index.get(p.month)!]! += p.valueMsv;
  const round = (v: number) => Math.round(v * 1000) / 1000;
  const rolling = monthly.map((_, i) => round(monthly.slice(Math.max(0, i - 11), i + 1).reduce((a, b) => a + b, 0)));
  return { months, monthly: monthly.map(round), rolling };
}

/** The `YYYY-MM` month of an RFC 3339 instant, in UTC. */
export function monthOfInstant(instant: string): string {
  return new Date(instant).toISOString().slice(0, 7);
}

/**
 * Operational dosimetry (summed by the month its reading ends, µSv to mSv)
 * against the passive whole-body Hp(10) of the same months, for the months
 * where either has a value, oldest first.
 */
export function operationalAgainstPassive(
  operational: readonly { endAt: string; valueUsv: number }[],
  points: readonly (MonthlyDosePoint & { quantity: string })[],
): { month: string; operationalMsv: number | null; passiveMsv: number | null }[] {
  const rows = new Map<string, { operationalMsv: number | null; passiveMsv: number | null }>();
  const row = (m: string) => {
    let r = rows.get(m);
    if (!r) rows.set(m, (r = { operationalMsv: null, passiveMsv: null }));
    return r;
  };
  for (const o of operational) {
    const r = row(monthOfInstant(o.endAt));
    r.operationalMsv = (r.operationalMsv ?? 0) + o.valueUsv / 1000;
  }
  for (const p of points) {
    if (p.monitoringKind !== "PASSIVE_WHOLE_BODY" || p.quantity !== "HP10") continue;
    const r = row(p.month);
    r.passiveMsv = (r.passiveMsv ?? 0) + p.valueMsv;
  }
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  return [...rows]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, r]) => ({ month, operationalMsv: round(r.operationalMsv), passiveMsv: round(r.passiveMsv) }));
}
