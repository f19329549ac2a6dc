// The Compare view: the same job on every engine (the comparison shown and the ones kept), then
// the documented feature matrix with its filters (CompareViewBody). Its script (the matrix, the
// diff library, chart.js after it) loads the first time the view is shown, not at the window's start.
import { lazy, Suspense, useState } from 'react';
import type { EngineStatus } from '../../../shared/model';
import { Spinner } from '../../components/Spinner';

export interface CompareViewProps {
  engines: readonly EngineStatus[];
  selectedId: string | null;
  onSelect(comparisonId: string | null): void;
  onNotice(message: string): void;
  hidden?: boolean;
  /** A comparison just started: its heading takes focus once shown. */
  focusComparisonId?: string | null;
}

const CompareViewBody = lazy(() => import('./CompareViewBody').then((module) => ({ default: module.CompareViewBody })));

export function CompareView(props: CompareViewProps) {
  // Nothing is built or asked for until the view is first shown: most sessions never open it.
  // Once shown, it stays (hidden) as it is.
  const [visited, setVisited] = useState(!props.hidden);
  if (!props.hidden && !visited) setVisited(true);
  return (
    <main className="compare-view" id="compare-view" aria-labelledby="compare-heading" hidden={props.hidden}>
      <div className="panel-heading">
        <h2 id="compare-heading">Compare engines</h2>
      </div>
      {visited ? (
        <Suspense
          fallback={
            <p className="muted compare-runs__placeholder">
              <Spinner /> Loading the Compare view…
            </p>
          }
        >
          <CompareViewBody {...props} />
        </Suspense>
      ) : null}
    </main>
  );
}
