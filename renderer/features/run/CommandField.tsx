// Command and arguments in one field, split as a shell would split words (no shell runs them);
// the resulting argv is shown as chips so quoting mistakes are visible before the run.
import { useId } from 'react';
import { errorProps, FieldError } from '../../components/FieldError';

interface CommandFieldProps {
  value: string;
  argv: string[];
  error: string | undefined;
  onChange(value: string): void;
}

export function CommandField({ value, argv, error, onChange }: CommandFieldProps) {
  const id = useId();
  return (
    <div className="run-field run-field--wide">
      <label htmlFor={`${id}-input`}>Command and arguments</label>
      <input
        id={`${id}-input`}
        className="mono"
        value={value}
        placeholder="the image's own command"
        spellCheck={false}
        autoComplete="off"
        data-testid="run-command"
        onChange={(event) => onChange(event.target.value)}
        {...errorProps(`${id}-error`, error)}
      />
      <FieldError id={`${id}-error`} message={error} />
      <p className="field-note">Split into words like a shell would ('…', "…" and \ quote); nothing is expanded.</p>
      <ol className="argv-chips" aria-label="Program and arguments" data-testid="run-argv">
        {argv.length === 0 ? (
          <li className="argv-chips__none muted">the image's entrypoint and command</li>
        ) : (
          argv.map((word, index) => (
            <li key={index} className="argv-chip mono">
              {word === '' ? <span className="muted">(empty)</span> : word}
            </li>
          ))
        )}
      </ol>
    </div>
  );
}
