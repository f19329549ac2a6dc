// Median and spread of repeated timings: single timings on a shared two-core machine are noise.
export interface Summary {
  runs: number;
  /** What the numbers count: "ms" unless said otherwise. */
  unit?: string;
  median: number;
  min: number;
  max: number;
}

export function summarise(values: number[], unit = 'ms'): Summary {
  if (values.length === 0) throw new Error('no values to summarise');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { runs: values.length, unit, median, min: sorted[0]!, max: sorted.at(-1)! };
}

export const ms = (value: number): string => `${Math.round(value)} ms`;

export function formatSummary(summary: Summary): string {
  const unit = summary.unit ?? 'ms';
  const format = (value: number) => (Number.isNaN(value) ? 'n/a' : unit === 'ms' ? ms(value) : `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${unit}`);
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`;
}
