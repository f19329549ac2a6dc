// "Held by": the engines holding the opened image, one radio button each (arrow keys move between
// them, as in any radio group). The chosen copy is the one the pane inspects and acts on.
import { useId, type KeyboardEvent } from 'react';
import type { ImageRow } from '../../lib/image-rows';

interface EngineCopyChooserProps {
  copies: readonly ImageRow[];
  chosen: ImageRow;
  onChoose(copy: ImageRow): void;
}

export function EngineCopyChooser({ copies, chosen, onChoose }: EngineCopyChooserProps) {
  const labelId = useId();
  // Two copies in one engine (two spellings of one name) are told apart by their names.
  const sameEngineTwice = new Set(copies.map((copy) => copy.engineId)).size < copies.length;
  const move = (event: KeyboardEvent<HTMLButtonElement>, index: number) => {
    const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = copies[(index + step + copies.length) % copies.length]!;
    onChoose(next);
    const group = event.currentTarget.parentElement;
    group?.querySelector<HTMLButtonElement>(`[data-copy-key="${CSS.escape(next.key)}"]`)?.focus();
  };
  return (
    <div className="engine-copies" data-testid="engine-copies">
      <span id={labelId} className="engine-copies__label">
        Held by
      </span>
      <div role="radiogroup" aria-labelledby={labelId} className="engine-copies__choices">
        {copies.map((copy, index) => {
          const checked = copy.key === chosen.key;
          return (
            <button
              key={copy.key}
              type="button"
              role="radio"
              aria-checked={checked}
              tabIndex={checked ? 0 : -1}
              className={`engine-badge engine-copies__choice${checked ? ' is-chosen' : ''}`}
              data-testid="engine-copy"
              data-engine-id={copy.engineId}
              data-copy-key={copy.key}
              title={copy.reference ?? copy.shortId}
              onClick={() => onChoose(copy)}
              onKeyDown={(event) => move(event, index)}
            >
              {copy.engineLabel}
              {sameEngineTwice ? ` (${copy.reference ?? copy.shortId})` : ''}
            </button>
          );
        })}
      </div>
    </div>
  );
}
