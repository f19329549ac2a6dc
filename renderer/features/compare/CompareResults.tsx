// One comparison, live: what ran, its progress (which run is going, N of M ended), Cancel, the
// exports, the result table, the chart of its timings and the stdout diff. Everything is derived
// from the record the change feed keeps current.
import { lazy, Suspense, useMemo, type RefObject } from 'react';
import type { ComparisonRecord } from '../../../shared/compare';
import { summariseComparison } from '../../../shared/compare-summary';
import { Spinner } from '../../components/Spinner';
import { formatAbsoluteTime } from '../../lib/format';
import { quoteCommandLine } from '../../lib/shell-words';
import { comparisonProgress } from './comparison-progress';
import { ResultTable } from './ResultTable';
import { StdoutDiff } from './StdoutDiff';
import { useCancelComparison } from './use-compare';

// chart.js is a large part of the script; it loads the first time a comparison is shown.
const CompareChart = lazy(() => import('./CompareChart').then((module) => ({ default: module.CompareChart })));

interface CompareResultsProps {
  record: ComparisonRecord;
  headingRef?: RefObject<HTMLHeadingElement | null>;
  onDelete(record: ComparisonRecord): void;
}

const downloadPath = (id: string, file: 'results.csv' | 'results.md') => `/api/comparisons/${encodeURIComponent(id)}/${file}?download=1`;

export function CompareResults({ record, headingRef, onDelete }: CompareResultsProps) {
  const summary = useMemo(() => summariseComparison(record), [record]);
  const progress = comparisonProgress(record);
  const cancel = useCancelComparison();
  const running = record.state === 'running';
  const command = record.spec.command.length > 0 ? quoteCommandLine(record.spec.command) : 'the image’s own command';
  const agreement = summary.allIdentical
    ? 'Every target that finished wrote the same stdout.'
    : summary.targets.some((target) => target.stdout === 'differs')
      ? 'Stdout differs between targets: see the diff below.'
      : 'No finished run to compare stdout yet.';

  return (
    <section className="compare-results" aria-labelledby="compare-results-heading" data-testid="compare-current" data-state={record.state} data-comparison-id={record.id}>
      <div className="compare-results__head">
        <h3 id="compare-results-heading" ref={headingRef} tabIndex={-1}>
          <span className="mono">{command}</span>, {record.repeat} run{record.repeat === 1 ? '' : 's'} per target
        </h3>
        <span className="muted">started {formatAbsoluteTime(record.createdAt)}</span>
      </div>
      <div className="compare-results__progress">
        {/* Always rendered, so the layout does not jump when the comparison ends. */}
        <progress max={progress.total} value={progress.ended} aria-labelledby="compare-progress-text" data-testid="compare-progress" />
        <span id="compare-progress-text" className="compare-results__progress-text" aria-live="polite">
          {running ? <Spinner /> : null} {progress.text}
        </span>
      </div>
      <div className="compare-results__actions" role="toolbar" aria-label="Comparison">
        <button type="button" data-testid="compare-cancel" disabled={!running || cancel.isPending} onClick={() => cancel.mutate(record.id)}>
          {cancel.isPending ? 'Cancelling…' : 'Cancel'}
        </button>
        <a className="button-link" href={downloadPath(record.id, 'results.csv')} download={`${record.id}.csv`} data-testid="compare-export-csv">
          Export CSV
        </a>
        <a className="button-link" href={downloadPath(record.id, 'results.md')} download={`${record.id}.md`} data-testid="compare-export-md">
          Export Markdown
        </a>
        <button type="button" className="button--danger" disabled={running} title={running ? 'Cancel it first' : undefined} onClick={() => onDelete(record)}>
          Delete…
        </button>
        <span className="field-error" role={cancel.isError ? 'alert' : undefined}>
          {cancel.isError ? `Could not cancel: ${cancel.error.message}` : null}
        </span>
      </div>
      <p className="compare-results__agreement" data-testid="compare-agreement">
        {agreement}
      </p>
      <ResultTable summary={summary} runningTarget={progress.running?.target ?? null} caption={`Results per target: ${progress.text}`} />
      <Suspense
        fallback={
          <div className="compare-chart compare-chart__box compare-chart--loading">
            <Spinner /> Loading the chart…
          </div>
        }
      >
        <CompareChart summary={summary} />
      </Suspense>
      <StdoutDiff key={record.id} record={record} summary={summary} />
    </section>
  );
}
