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
