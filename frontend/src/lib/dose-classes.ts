/** Dose classes of the national annual report, on a worker's yearly dose. */
export type DoseClassCode =
  | "BELOW_THRESHOLD"
  | "FROM_0_1_TO_1"
  | "FROM_1_TO_6"
  | "FROM_6_TO_15"
  | "FROM_15_TO_20"
  | "ABOVE_20";

/** The classes in order with their French labels. */
export const doseClasses: { code: DoseClassCode; label: string }[] = [
  { code: "BELOW_THRESHOLD", label: "< seuil d'enregistrement" },
  { code: "FROM_0_1_TO_1", label: "0,1 à 1 mSv" },
  { code: "FROM_1_TO_6", label: "1 à 6 mSv" },
  { code: "FROM_6_TO_15", label: "6 à 15 mSv" },
  { code: "FROM_15_TO_20", label: "15 à 20 mSv" },
  { code: "ABOVE_20", label: "> 20 mSv" },
];

/** Recording threshold of the report: doses under 0.1 mSv count as below threshold. */
export const recordingThresholdMsv = 0.1;

/** Returns the class of a yearly dose in mSv; bounds belong to the lower class (1 mSv is « 0,1 à 1 »). */
export function doseClassOf(msv: number): DoseClassCode {
  if (msv < recordingThresholdMsv) return "BELOW_THRESHOLD";
  if (msv <= 1) return "FROM_0_1_TO_1";
  if (msv <= 6) return "FROM_1_TO_6";
  if (msv <= 15) return "FROM_6_TO_15";
  if (msv <= 20) return "FROM_15_TO_20";
  return "ABOVE_20";
}

/** Median of `values` (0 for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The statistics of one year: monitored workers, classes, collective dose, mean and median. */
export type YearStatistics = {
  year: number;
  workers: number;
  /** Workers with a yearly dose at or above the recording threshold. */
  exposedWorkers: number;
  classes: Record<DoseClassCode, number>;
  collectiveMsv: number;
  /** Mean and median over exposed workers, as the report computes them. */
  meanMsv: number;
  medianMsv: number;
};

/** One dose as the statistics need it. */
export type DosePoint = { workerID: string; periodEnd: string; valueUsv: number; sectorCode?: string | null };

/**
 * Sums each worker's doses per calendar year (a dose counts in the year its
 * period ends) and returns the statistics of each year, oldest first.
 */
export function yearlyStatistics(doses: readonly DosePoint[]): YearStatistics[] {
  const perYear = new Map<number, Map<string, number>>();
  for (const d of doses) {
    const year = Number(d.periodEnd.slice(0, 4));
    let workers = perYear.get(year);
    if (!workers) perYear.set(year, (workers = new Map()));
    workers.set(d.workerID, (workers.get(d.workerID) ?? 0) + d.valueUsv);
  }
  return [...perYear.keys()]
    .sort((a, b) => a - b)
    .map((year) => {
      const sums = [...perYear.get(year)!.values()].map((usv) => usv / 1000);
      const classes = Object.fromEntries(doseClasses.map((c) => [c.code, 0])) as Record<DoseClassCode, number>;
      for (const s of sums) classes[doseClassOf(s)]++;
      const exposed = sums.filter((s) => s >= recordingThresholdMsv);
      const collectiveMsv = sums.reduce((a, b) => a + b, 0);
      return {
        year,
        workers: sums.length,
        exposedWorkers: exposed.length,
        classes,
        collectiveMsv,
        meanMsv: exposed.length ? exposed.reduce((a, b) => a + b, 0) / exposed.length : 0,
        medianMsv: median(exposed),
      };
    });
}

/** The q-quantile of `values` (0 ≤ q ≤ 1), linear between ranks; 0 for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
