// The transfers kept on disk, newest first, folded away under the dialog: what was copied where,
// when, and how each target ended.
import { formatRelativeTime } from '../../lib/format';
import { STATE_WORDS } from './transfer-format';
import { useTransfers } from './use-transfers';

const SHOWN = 20;

export function PastTransfers({ exceptId }: { exceptId: string | null }) {
  const transfers = useTransfers();
  const past = (transfers.data ?? []).filter((record) => record.id !== exceptId);
  return (
    <details className="transfer-past" data-testid="transfer-past">
      <summary>Past transfers{transfers.data ? ` (${past.length})` : ''}</summary>
      {transfers.isError ? (
        <p className="field-error">Could not read the past transfers: {transfers.error.message}</p>
      ) : past.length === 0 ? (
        <p className="muted">{transfers.isPending ? 'Reading…' : 'None yet.'}</p>
      ) : (
        <ul className="transfer-past__list">
          {past.slice(0, SHOWN).map((record) => (
            <li key={record.id} data-testid="transfer-past-entry">
              <span className="mono">{record.sourceLabel}</span> <span className="muted">{formatRelativeTime(record.createdAt)}</span>
              <ul className="transfer-past__targets">
                {record.targets.map((target, index) => (
                  <li key={index} title={target.message ?? undefined}>
                    → {target.label}: <span className={`transfer-state transfer-state--${target.state}`}>{STATE_WORDS[target.state]}</span>
                    {target.message && target.state !== 'done' ? <span className="muted"> — {target.message}</span> : null}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </details>
  );
}
