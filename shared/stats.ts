// Median and spread of repeated measurements: single timings on a shared machine are noise. The
// benchmark and the comparison view summarise the same way.
export interface Summary {
  runs: number;
  /** What the numbers count: "ms" unless said otherwise. */
  unit?: string;
  median: number;
  min: number;
  max: number;
}

export function summarise(values: readonly number[], unit = 'ms'): Summary {
  if (values.length === 0) throw new Error('no values to summarise');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { runs: values.length, unit, median, min: sorted[0]!, max: sorted.at(-1)! };
}

/** summarise() of the values that are numbers, or null when none is. */
export function summariseKnown(values: ReadonlyArray<number | null>, unit = 'ms'): Summary | null {
  const known = values.filter((value): value is number => value !== null && Number.isFinite(value));
  return known.length > 0 ? summarise(known, unit) : null;
}
