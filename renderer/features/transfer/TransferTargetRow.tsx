// One engine in "Copy to engine…": tick it, name the copy there, and read what the plan says of it
// (why it cannot receive the image, space, architecture, a name that exists with its explicit
// "Replace it" box, the route).
import { useId } from 'react';
import type { TransferPlanEntry } from '../../../shared/transfer';
import { errorProps, FieldError } from '../../components/FieldError';
import { formatBytes } from '../../lib/format';

export interface TargetSelection {
  checked: boolean;
  name: string;
  replace: boolean;
}

export interface TargetChoice {
  engineId: string;
  label: string;
  /** Why it cannot be ticked, whatever the name (not ready, cannot receive images, no room). */
  disabledReason: string | null;
  /** The plan's entry for it, once asked. */
  entry: TransferPlanEntry | null;
  /** The typed name is not an image name. */
  nameError: string | undefined;
}

interface TransferTargetRowProps {
  choice: TargetChoice;
  selection: TargetSelection;
  onChange(selection: TargetSelection): void;
  checkboxRef?: (element: HTMLInputElement | null) => void;
}

export function TransferTargetRow({ choice, selection, onChange, checkboxRef }: TransferTargetRowProps) {
  const id = useId();
  const { entry } = choice;
  const disabled = choice.disabledReason !== null;
  // A name that exists is one of them until "Replace it" below is ticked.
  const problems = entry?.problems ?? [];
  const space =
    entry && entry.spaceNeededBytes !== null
      ? `Needs about ${formatBytes(entry.spaceNeededBytes)}${entry.spaceFreeBytes !== null ? `, ${formatBytes(entry.spaceFreeBytes)} free${entry.spaceWhere ? ` in ${entry.spaceWhere}` : ''}` : ''}.`
      : null;
  return (
    <li className={`transfer-target${disabled ? ' is-disabled' : ''}`} data-testid={`transfer-target-${choice.engineId}`}>
      <div className="transfer-target__main">
        <label className="checkbox transfer-target__check">
          <input
            ref={checkboxRef}
            type="checkbox"
            checked={selection.checked && !disabled}
            disabled={disabled}
            data-testid={`transfer-check-${choice.engineId}`}
            aria-describedby={`${id}-notes`}
            onChange={(event) => onChange({ ...selection, checked: event.target.checked })}
          />
          {choice.label}
        </label>
        <label htmlFor={`${id}-name`} className="visually-hidden">
          Name in {choice.label}
        </label>
        <input
          id={`${id}-name`}
          className="mono transfer-target__name"
          value={selection.name}
          placeholder={entry?.name || 'the source’s name'}
          disabled={disabled}
          data-testid={`transfer-name-${choice.engineId}`}
          onChange={(event) => onChange({ ...selection, name: event.target.value, checked: selection.checked || event.target.value !== '' })}
          {...errorProps(`${id}-name-error`, choice.nameError)}
        />
      </div>
      <FieldError id={`${id}-name-error`} message={choice.nameError} />
      <div id={`${id}-notes`} className="transfer-target__notes">
        {disabled ? (
          <p className="transfer-target__note is-problem" data-testid={`transfer-reason-${choice.engineId}`}>
            {choice.disabledReason}
          </p>
        ) : entry ? (
          <>
            {problems.map((problem) => (
              <p key={problem} className="transfer-target__note is-problem" data-testid="transfer-problem">
                {problem}
              </p>
            ))}
            {entry.nameExists ? (
              <label className="checkbox transfer-target__replace">
                <input type="checkbox" checked={selection.replace} data-testid={`transfer-replace-${choice.engineId}`} onChange={(event) => onChange({ ...selection, replace: event.target.checked })} />
                <span>
                  Replace <span className="mono">{entry.name}</span> in {choice.label}
                </span>
              </label>
            ) : null}
            {entry.warnings.map((warning) => (
              <p key={warning} className="transfer-target__note is-warning" data-testid="transfer-warning">
                {warning}
              </p>
            ))}
            <p className="transfer-target__note">
              {entry.route ? <>{entry.route}. </> : null}
              {space}
              {entry.sourceArchitecture ? ` ${entry.sourceArchitecture} image, this machine is ${entry.hostArchitecture}.` : null}
            </p>
          </>
        ) : null}
      </div>
    </li>
  );
}
