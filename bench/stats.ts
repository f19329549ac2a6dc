// Units and formatting for the benchmark's table; the summary itself is shared with the comparison view.
import { summarise, type Summary } from '../shared/stats';

export { summarise, type Summary };

export const ms = (value: number): string => `${Math.round(value)} ms`;

export function formatSummary(summary: Summary): string {
  const unit = summary.unit ?? 'ms';
  const format = (value: number) => (Number.isNaN(value) ? 'n/a' : unit === 'ms' ? ms(value) : `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${unit}`);
  return `${format(summary.median)} (${format(summary.min)}–${format(summary.max)})`;
}
