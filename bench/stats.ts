// Median and spread of repeated timings: single timings on a shared two-core machine are noise.
export interface Summary {
  runs: number;
  median: number;
  min: number;
  max: number;
}

export function summarise(values: number[]): Summary {
  if (values.length === 0) throw new Error('no values to summarise');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { runs: values.length, median, min: sorted[0]!, max: sorted.at(-1)! };
}

export const ms = (value: number): string => `${Math.round(value)} ms`;

export function formatSummary(summary: Summary): string {
  return `${ms(summary.median)} (${ms(summary.min)}–${ms(summary.max)})`;
}
