// Bind mounts: host path, container path, read-only (disabled with the engine's note when it cannot).
import { useId } from 'react';
import { errorProps, FieldError } from '../../components/FieldError';
import type { BindRow, FieldErrors } from '../../lib/run-form';

interface BindRowsProps {
  rows: BindRow[];
  errors: FieldErrors;
  readOnly: { supported: boolean; note: string | null } | null;
  onChange(rows: BindRow[]): void;
}

export function BindRows({ rows, errors, readOnly, onChange }: BindRowsProps) {
  const id = useId();
  const update = (index: number, patch: Partial<BindRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const readOnlyLacking = readOnly !== null && !readOnly.supported;
  return (
    <fieldset className="run-rows">
      <legend>Bind mounts</legend>
      {rows.length === 0 ? <p className="muted run-rows__empty">No folder of this machine is shared.</p> : null}
      {rows.map((row, index) => {
        const hostError = errors[`binds.${index}.hostPath`];
        const containerError = errors[`binds.${index}.containerPath`];
        return (
          <div className="run-rows__row run-rows__row--bind" key={index}>
            <label className="run-rows__field">
              <span className="visually-hidden">Host path of bind {index + 1}</span>
              <input
                className="mono"
                placeholder="/path/on/this/machine"
                value={row.hostPath}
                spellCheck={false}
                data-testid={`run-bind-host-${index}`}
                onChange={(event) => update(index, { hostPath: event.target.value })}
                {...errorProps(`${id}-host-${index}`, hostError)}
              />
              <FieldError id={`${id}-host-${index}`} message={hostError} />
            </label>
            <span aria-hidden="true">→</span>
            <label className="run-rows__field">
              <span className="visually-hidden">Container path of bind {index + 1}</span>
              <input
                className="mono"
                placeholder="/path/in/container"
                value={row.containerPath}
                spellCheck={false}
                data-testid={`run-bind-container-${index}`}
                onChange={(event) => update(index, { containerPath: event.target.value })}
                {...errorProps(`${id}-container-${index}`, containerError)}
              />
              <FieldError id={`${id}-container-${index}`} message={containerError} />
            </label>
            <label className="checkbox" title={readOnlyLacking ? (readOnly?.note ?? undefined) : undefined}>
              <input
                type="checkbox"
                checked={row.readOnly}
                disabled={readOnlyLacking && !row.readOnly}
                data-testid={`run-bind-readonly-${index}`}
                onChange={(event) => update(index, { readOnly: event.target.checked })}
              />
              Read-only
            </label>
            <button type="button" className="button--small" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
              Remove<span className="visually-hidden"> bind {index + 1}</span>
            </button>
          </div>
        );
      })}
      {readOnlyLacking && readOnly?.note ? <p className="field-note">Read-only: {readOnly.note}</p> : null}
      <button
        type="button"
        className="button--small"
        data-testid="run-bind-add"
        onClick={() => onChange([...rows, { hostPath: '', containerPath: '', readOnly: false }])}
      >
        Add bind mount
      </button>
    </fieldset>
  );
}
