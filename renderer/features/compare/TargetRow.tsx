// One target of "Run on all engines": tick it, pick the image it runs (proposed from the run
// dialog's image; an engine with no match says so), or read why it cannot be ticked.
import { useId } from 'react';
import { imageOptionLabel, type TargetChoice, type TargetSelection } from './compare-targets';

interface TargetRowProps {
  choice: TargetChoice;
  selection: TargetSelection;
  onChange(selection: TargetSelection): void;
  checkboxRef?: (element: HTMLInputElement | null) => void;
}

export function TargetRow({ choice, selection, onChange, checkboxRef }: TargetRowProps) {
  const id = useId();
  const disabled = choice.disabledReason !== null;
  const chosen = choice.images.find((row) => row.key === selection.imageKey) ?? null;
  let note: string;
  if (disabled) note = choice.disabledReason ?? '';
  else if (choice.images.length === 0) note = 'no image listed for this engine';
  else if (choice.proposed === null) note = chosen ? 'no matching image: picked by hand' : 'no matching image: pick one';
  else if (chosen && chosen.key !== choice.proposed.key) note = 'picked by hand';
  else note = 'same image found';
  return (
    <li className={`compare-target${disabled ? ' is-disabled' : ''}`} data-testid={`compare-target-${choice.key}`}>
      <label className="checkbox compare-target__check">
        <input
          ref={checkboxRef}
          type="checkbox"
          checked={selection.checked}
          disabled={disabled}
          aria-describedby={`${id}-note`}
          onChange={(event) => onChange({ ...selection, checked: event.target.checked, touched: true })}
        />
        {choice.label}
      </label>
      <label htmlFor={`${id}-image`} className="visually-hidden">
        Image on {choice.label}
      </label>
      <select
        id={`${id}-image`}
        className="compare-target__image"
        value={selection.imageKey}
        disabled={disabled || choice.images.length === 0}
        aria-describedby={`${id}-note`}
        // Picking an image is choosing this target: it is ticked with it.
        onChange={(event) => onChange({ checked: event.target.value !== '' || selection.checked, imageKey: event.target.value, touched: true })}
      >
        <option value="">{choice.images.length === 0 ? 'No image listed for this engine' : 'Choose an image'}</option>
        {choice.images.map((row) => (
          <option key={row.key} value={row.key}>
            {imageOptionLabel(row)}
          </option>
        ))}
      </select>
      <span id={`${id}-note`} className={`compare-target__note${choice.proposed === null && !disabled && !chosen && choice.images.length > 0 ? ' is-problem' : ''}`}>
        {note}
      </span>
    </li>
  );
}
