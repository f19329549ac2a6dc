// A comparison's result table: one row per target, one column per export column, each cell the
// very text the CSV and Markdown exports hold (exportRow), so a download matches the table cell for
// cell. What is only for the eye (an icon, bytes in MB, "running now") sits beside that text.
import { EXPORT_COLUMNS, exportRow } from '../../../shared/compare-export';
import type { ComparisonSummary, StdoutAgreement } from '../../../shared/compare-summary';
import { formatBytes } from '../../lib/format';

const stdoutIcon: Record<StdoutAgreement, string> = { identical: '=', differs: '≠', unknown: '?' };

// Found by name, so a column added to the export does not shift what is shown where.
const column = (name: (typeof EXPORT_COLUMNS)[number]) => EXPORT_COLUMNS.indexOf(name);
const STDOUT = column('Stdout');
const MEMORY = column('Peak memory median (bytes)');
const NOTE = column('Note');
const numericColumns = new Set<number>(
  EXPORT_COLUMNS.map((name, index) => (/\((ms|bytes)\)$|^(Runs|Failed)$/.test(name) ? index : -1)).filter((index) => index >= 0),
);

interface ResultTableProps {
  summary: ComparisonSummary;
  /** The target whose attempt runs now, if any. */
  runningTarget: number | null;
  caption: string;
}

export function ResultTable({ summary, runningTarget, caption }: ResultTableProps) {
  return (
    <div className="compare-results__scroller" tabIndex={0} role="region" aria-label="Results, scrollable">
      <table className="compare-table" data-testid="compare-results">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {EXPORT_COLUMNS.map((name, index) => (
              <th key={name} scope="col" className={numericColumns.has(index) ? 'numeric' : undefined}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {summary.targets.map((target) => {
            const cells = exportRow(target);
            return (
              <tr key={target.index} data-testid="compare-row" data-target-index={target.index} data-stdout={target.stdout}>
                {cells.map((value, index) => {
                  const extra =
                    index === 0 && runningTarget === target.index ? (
                      <span className="compare-table__running"> (running now)</span>
                    ) : index === MEMORY && target.peakMemory ? (
                      <span className="muted"> ({formatBytes(target.peakMemory.median)})</span>
                    ) : null;
                  const content = (
                    <>
                      {index === STDOUT ? (
                        <span className={`stdout-badge stdout-badge--${target.stdout}`} aria-hidden="true">
                          {stdoutIcon[target.stdout]}{' '}
                        </span>
                      ) : null}
                      <span data-cell="">{value}</span>
                      {extra}
                    </>
                  );
                  return index === 0 ? (
                    <th key={EXPORT_COLUMNS[index]} scope="row">
                      {content}
                    </th>
                  ) : (
                    <td key={EXPORT_COLUMNS[index]} className={numericColumns.has(index) ? 'numeric' : index === NOTE ? 'compare-table__note' : undefined}>
                      {content}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
