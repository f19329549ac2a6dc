// What the bar chart draws and what its text alternative says, from the same summary the table
// shows: per target, the median wall time and median time to first output, with their spread
// for the tooltip. Pure, so the sentence a screen reader hears is unit-tested.
import type { ComparisonSummary } from '../../../shared/compare-summary';
import type { Summary } from '../../../shared/stats';

export interface ChartSeries {
  labels: string[];
  wall: Array<number | null>;
  firstOutput: Array<number | null>;
  /** "min–max ms" per target, per series, for tooltips. */
  wallSpread: string[];
  firstOutputSpread: string[];
}

const ms = (value: number) => `${Math.round(value)} ms`;
const spread = (summary: Summary | null) => (summary ? `${Math.round(summary.min)}–${Math.round(summary.max)} ms over ${summary.runs} run${summary.runs === 1 ? '' : 's'}` : 'not measured');

export function chartSeries(summary: ComparisonSummary): ChartSeries {
  return {
    labels: summary.targets.map((target) => target.label),
    wall: summary.targets.map((target) => target.wall?.median ?? null),
    firstOutput: summary.targets.map((target) => target.firstOutput?.median ?? null),
    wallSpread: summary.targets.map((target) => spread(target.wall)),
    firstOutputSpread: summary.targets.map((target) => spread(target.firstOutput)),
  };
}

/** The chart in one sentence per target: what a screen reader hears for the canvas. */
export function chartDescription(summary: ComparisonSummary): string {
  const measured = summary.targets.filter((target) => target.wall !== null || target.firstOutput !== null);
  if (measured.length === 0) return 'Bar chart of median wall time and time to first output per target: nothing measured yet.';
  const parts = measured.map((target) => {
    const wall = target.wall ? `wall ${ms(target.wall.median)}` : 'wall not measured';
    const first = target.firstOutput ? `first output ${ms(target.firstOutput.median)}` : 'no output';
    return `${target.label}: ${wall}, ${first}`;
  });
  return `Bar chart of median times per target (the table below has the same numbers). ${parts.join('; ')}.`;
}
