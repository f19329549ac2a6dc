// The documented feature matrix as a real table: one column per engine of FEATURE_MATRIX (engines
// not installed here keep their documented column), rows under their group's header row. Columns
// the active filters select say "matches" in their header, not only by their background.
import { memo } from 'react';
import { featureColumnOf } from '../../../shared/feature-evidence';
import { FEATURE_MATRIX, type FeatureEngineId, type FeatureRow } from '../../../shared/features';
import type { EngineStatus } from '../../../shared/model';
import { FeatureCellView } from './FeatureCellView';
import { seenCellsAt, type SeenIndex } from './seen-index';

interface FeatureMatrixProps {
  seen: SeenIndex;
  statuses: readonly EngineStatus[];
  /** Engines matching every active filter; null when no filter is active. */
  matching: readonly FeatureEngineId[] | null;
  /** The id of the sentence saying how many engines match (described by matching headers). */
  matchSummaryId: string;
}

const columnCount = FEATURE_MATRIX.engines.length + 1;

/** "Docker: ready", "not detected here": what this machine has of the column's engine. */
function presenceHere(column: FeatureEngineId, statuses: readonly EngineStatus[]): string {
  const here = statuses.filter((status) => featureColumnOf(status) === column && status.state !== 'not-installed');
  if (here.length === 0) return 'not detected here';
  const ready = here.filter((status) => status.state === 'ready').length;
  return ready > 0 ? `working here${here.length > 1 ? ` (${ready} of ${here.length})` : ''}` : 'detected here, not working';
}

function columnClass(column: FeatureEngineId, matching: readonly FeatureEngineId[] | null): string {
  if (matching === null) return '';
  return matching.includes(column) ? 'is-match' : 'is-dimmed';
}

function MatrixRow({ row, seen, matching }: { row: FeatureRow; seen: SeenIndex; matching: readonly FeatureEngineId[] | null }) {
  return (
    <tr data-row-id={row.id} data-testid="feature-row">
      <th scope="row" className="feature-matrix__row-head">
        {row.label}
      </th>
      {FEATURE_MATRIX.engines.map((engine) => {
        const cell = row.cells[engine.id];
        return (
          <td key={engine.id} className={columnClass(engine.id, matching)} data-engine={engine.id} data-value={cell.value}>
            <FeatureCellView cell={cell} seen={seenCellsAt(seen, row.id, engine.id)} />
          </td>
        );
      })}
    </tr>
  );
}

export const FeatureMatrix = memo(function FeatureMatrix({ seen, statuses, matching, matchSummaryId }: FeatureMatrixProps) {
  return (
    // A scrolling region a keyboard can reach and scroll (tabIndex), named for screen readers.
    <div className="feature-matrix__scroller" tabIndex={0} role="region" aria-label="Feature matrix, scrollable">
      <table className="feature-matrix" data-testid="feature-matrix">
        <caption className="visually-hidden">
          Documented features of {FEATURE_MATRIX.engines.length} container engines, grouped; cells marked “seen here” were proven on this
          machine by detection.
        </caption>
        <thead>
          <tr>
            <th scope="col" className="feature-matrix__corner">
              Feature
            </th>
            {FEATURE_MATRIX.engines.map((engine) => {
              const matches = matching === null ? null : matching.includes(engine.id);
              return (
                <th
                  key={engine.id}
                  scope="col"
                  className={`feature-matrix__engine ${columnClass(engine.id, matching)}`}
                  data-testid={`engine-column-${engine.id}`}
                  data-matches={matches === null ? 'false' : String(matches)}
                  aria-describedby={matches ? matchSummaryId : undefined}
                >
                  <span className="feature-matrix__engine-name">{engine.label}</span>
                  <span className="feature-matrix__presence">{presenceHere(engine.id, statuses)}</span>
                  {/* Always there, so a filter toggled does not make the header jump. */}
                  <span className="feature-matrix__badge" aria-live="off">
                    {matches === null ? '\u00a0' : matches ? (
                      <>
                        <span aria-hidden="true">★</span> matches
                      </>
                    ) : (
                      'no match'
                    )}
                  </span>
                </th>
              );
            })}
          </tr>
        </thead>
        {FEATURE_MATRIX.groups.map((group) => {
          const rows = FEATURE_MATRIX.rows.filter((row) => row.group === group.id);
          if (rows.length === 0) return null;
          return (
            <tbody key={group.id} data-group-id={group.id}>
              <tr className="feature-matrix__group">
                <th scope="rowgroup" colSpan={columnCount}>
                  <span className="feature-matrix__group-label">{group.label}</span>
                </th>
              </tr>
              {rows.map((row) => (
                <MatrixRow key={row.id} row={row} seen={seen} matching={matching} />
              ))}
            </tbody>
          );
        })}
      </table>
    </div>
  );
});
