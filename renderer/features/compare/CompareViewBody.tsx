// The Compare view's content: the comparison shown (results, chart, diff) beside the list of
// kept ones, then the feature matrix with its filters. A comparison just started from the run
// dialog is shown at once, and its heading takes focus so the keyboard lands on it.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ComparisonRecord } from '../../../shared/compare';
import { CompareResults } from './CompareResults';
import type { CompareViewProps } from './CompareView';
import { DeleteComparisonDialog } from './DeleteComparisonDialog';
import { describeMatches, matchingEngines } from './feature-filters';
import { FeatureFilters } from './FeatureFilters';
import { FeatureMatrix } from './FeatureMatrix';
import { PastComparisons } from './PastComparisons';
import { indexSeenCells } from './seen-index';
import { useComparison, useComparisons } from './use-compare';

const noComparisons: ComparisonRecord[] = [];

export function CompareViewBody({ engines, selectedId, onSelect, onNotice, hidden, focusComparisonId = null }: CompareViewProps) {
  const comparisons = useComparisons();
  const list = comparisons.data ?? noComparisons;
  // Until one is chosen, the newest is shown.
  const shownId = selectedId ?? list[0]?.id ?? null;
  const shown = useComparison(shownId);
  const [toDelete, setToDelete] = useState<ComparisonRecord | null>(null);
  const [filters, setFilters] = useState<string[]>([]);
  const matching = useMemo(() => matchingEngines(filters), [filters]);
  const seen = useMemo(() => indexSeenCells(engines), [engines]);
  const summaryId = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);

  const record = shown.data ?? null;
  useEffect(() => {
    if (!hidden && focusComparisonId !== null && record?.id === focusComparisonId) headingRef.current?.focus();
  }, [hidden, focusComparisonId, record?.id]);

  return (
    <>
      <section className="compare-runs" aria-labelledby="compare-runs-heading">
        <h3 id="compare-runs-heading" className="visually-hidden">
          The same job on every engine
        </h3>
        <PastComparisons
          list={list}
          pending={comparisons.isPending}
          error={comparisons.isError ? comparisons.error.message : null}
          selectedId={shownId}
          onSelect={onSelect}
        />
        <div className="compare-runs__current">
          {record ? (
            <CompareResults record={record} headingRef={headingRef} onDelete={setToDelete} />
          ) : shown.isError ? (
            <p className="error-strip" role="alert">
              Could not read the comparison: {shown.error.message}
            </p>
          ) : (
            <p className="muted compare-runs__placeholder">
              {comparisons.isPending || (shownId !== null && shown.isPending)
                ? 'Loading…'
                : 'Run the same job on every engine: open the run dialog and choose “Run on all engines…”. Results, a chart and exports appear here.'}
            </p>
          )}
        </div>
      </section>
      <section className="compare-matrix" aria-labelledby="compare-matrix-heading">
        <h3 id="compare-matrix-heading">Documented features</h3>
        <p className="field-note">
          What each engine offers by its documentation or the project’s seed documents; “seen here” marks what detection proved on this
          machine.
        </p>
        <FeatureFilters active={filters} onChange={setFilters} summary={describeMatches(matching)} summaryId={summaryId} />
        <FeatureMatrix seen={seen} statuses={engines} matching={matching} matchSummaryId={summaryId} />
      </section>
      {toDelete ? (
        <DeleteComparisonDialog
          record={toDelete}
          onClose={() => setToDelete(null)}
          onDone={(message) => {
            if (toDelete.id === shownId) onSelect(null);
            setToDelete(null);
            onNotice(message);
          }}
        />
      ) : null}
    </>
  );
}
