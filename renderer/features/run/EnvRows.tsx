// Environment variables: name/value rows, each name checked against the contract's rule.
import { useId } from 'react';
import { errorProps, FieldError } from '../../components/FieldError';
import type { EnvRow, FieldErrors } from '../../lib/run-form';

interface EnvRowsProps {
  rows: EnvRow[];
  errors: FieldErrors;
  onChange(rows: EnvRow[]): void;
}

export function EnvRows({ rows, errors, onChange }: EnvRowsProps) {
  const id = useId();
  const update = (index: number, patch: Partial<EnvRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <fieldset className="run-rows">
      <legend>Environment variables</legend>
      {rows.length === 0 ? <p className="muted run-rows__empty">None besides the image's own.</p> : null}
      {rows.map((row, index) => {
        const nameError = errors[`env.${index}.name`];
        const valueError = errors[`env.${index}.value`];
        return (
          <div className="run-rows__row run-rows__row--env" key={index}>
            <label className="run-rows__field">
              <span className="visually-hidden">Name of variable {index + 1}</span>
              <input
                className="mono"
                placeholder="NAME"
                value={row.name}
                spellCheck={false}
                autoComplete="off"
                data-testid={`run-env-name-${index}`}
                onChange={(event) => update(index, { name: event.target.value })}
                {...errorProps(`${id}-name-${index}`, nameError)}
              />
              <FieldError id={`${id}-name-${index}`} message={nameError} />
            </label>
            <span aria-hidden="true">=</span>
            <label className="run-rows__field">
              <span className="visually-hidden">Value of variable {index + 1}</span>
              <input
                className="mono"
                placeholder="value"
                value={row.value}
                spellCheck={false}
                autoComplete="off"
                data-testid={`run-env-value-${index}`}
                onChange={(event) => update(index, { value: event.target.value })}
                {...errorProps(`${id}-value-${index}`, valueError)}
              />
              <FieldError id={`${id}-value-${index}`} message={valueError} />
            </label>
            <button type="button" className="button--small" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
              Remove<span className="visually-hidden"> variable {index + 1}</span>
            </button>
          </div>
        );
      })}
      <button type="button" className="button--small" data-testid="run-env-add" onClick={() => onChange([...rows, { name: '', value: '' }])}>
        Add variable
      </button>
    </fieldset>
  );
}
