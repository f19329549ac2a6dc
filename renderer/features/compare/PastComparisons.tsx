// Comparisons kept on disk, newest first, to reopen one: a list of buttons (each says what ran,
// on how many targets, and how it ended); the one shown is marked with aria-current.
import type { ComparisonRecord } from '../../../shared/compare';
import { formatRelativeTime } from '../../lib/format';
import { quoteCommandLine } from '../../lib/shell-words';

const stateWord: Record<ComparisonRecord['state'], string> = {
  running: '▶ running',
  done: '✓ done',
  cancelled: '■ cancelled',
  interrupted: '! interrupted',
};

interface PastComparisonsProps {
  list: readonly ComparisonRecord[];
  pending: boolean;
  error: string | null;
  selectedId: string | null;
  onSelect(id: string): void;
}

export function PastComparisons({ list, pending, error, selectedId, onSelect }: PastComparisonsProps) {
  return (
    <section className="past-comparisons" aria-labelledby="past-comparisons-heading">
      <h3 id="past-comparisons-heading">Comparisons</h3>
      {error ? <p className="error-strip">Could not list comparisons: {error}</p> : null}
      {pending ? (
        <p className="muted">Loading…</p>
      ) : error ? null : list.length === 0 ? (
        <p className="muted">None yet. Open the run dialog (New run, or Run… on an image) and choose “Run on all engines…”.</p>
      ) : (
        <ul data-testid="compare-list">
          {list.map((record) => {
            const command = record.spec.command.length > 0 ? quoteCommandLine(record.spec.command) : 'image command';
            return (
              <li key={record.id}>
                <button
                  type="button"
                  className="past-comparisons__item"
                  aria-current={record.id === selectedId ? 'true' : undefined}
                  data-comparison-id={record.id}
                  onClick={() => onSelect(record.id)}
                >
                  <span className="mono past-comparisons__command">{command}</span>
                  <span className="muted">
                    {record.results.length} target{record.results.length === 1 ? '' : 's'} × {record.repeat}, {stateWord[record.state]},{' '}
                    {formatRelativeTime(record.createdAt)}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
