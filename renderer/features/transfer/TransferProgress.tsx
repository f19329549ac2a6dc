// A transfer's targets as they go: state, bytes done of the total with a bar, layers, rate, time
// left, what it is doing, and at the end its result, message and notes. Live from `transfer`
// events; the words are announced politely to screen readers.
import type { TransferRecord, TransferTargetRecord } from '../../../shared/transfer';
import { bytesText, fractionDone, layersText, rateText, STATE_WORDS, timeLeftText } from './transfer-format';

export function TransferProgress({ record }: { record: TransferRecord }) {
  return (
    <ul className="transfer-progress" data-testid="transfer-progress" aria-live="polite">
      {record.targets.map((target, index) => (
        <TargetProgress key={`${target.target.engineId}-${index}`} target={target} />
      ))}
    </ul>
  );
}

function TargetProgress({ target }: { target: TransferTargetRecord }) {
  const { progress } = target;
  const fraction = fractionDone(progress);
  const running = target.state === 'running';
  const facts = [bytesText(progress), layersText(progress), running ? rateText(progress) : null, running ? timeLeftText(progress) : null].filter((fact): fact is string => fact !== null);
  const where = target.result?.reference ?? target.result?.location ?? target.target.name;
  return (
    <li className={`transfer-progress__target is-${target.state}`} data-testid={`transfer-progress-${target.target.engineId}`} data-state={target.state}>
      <div className="transfer-progress__head">
        <strong>{target.label}</strong>
        <span className={`transfer-state transfer-state--${target.state}`} data-testid="transfer-state">
          {STATE_WORDS[target.state]}
        </span>
        {running ? <span className="muted">{progress.phase}</span> : null}
      </div>
      <progress
        className="transfer-progress__bar"
        max={1}
        value={target.state === 'done' ? 1 : (fraction ?? undefined)}
        aria-label={`${target.label}: ${STATE_WORDS[target.state]}`}
      />
      <p className="transfer-progress__facts" data-testid="transfer-facts">
        {facts.join(' · ')}
      </p>
      {target.state === 'done' ? (
        <p className="transfer-progress__result" data-testid="transfer-result">
          Copied to {target.label}
          {where ? (
            <>
              {' '}as <span className="mono">{where}</span>
            </>
          ) : null}
          .
        </p>
      ) : null}
      {target.message ? (
        <p className={target.state === 'failed' ? 'field-error' : 'muted'} data-testid="transfer-message">
          {target.message}
        </p>
      ) : null}
      {target.notes.length > 0 ? (
        <ul className="transfer-progress__notes" data-testid="transfer-notes">
          {target.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
