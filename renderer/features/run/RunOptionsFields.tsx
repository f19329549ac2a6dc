// Working directory, user, network, GPU, TTY, remove-when-done and execution mode: each disabled
// with the engine's own note where its capabilities lack it.
import { useId } from 'react';
import type { NetworkMode, RunCapabilities } from '../../../shared/run';
import { errorProps, FieldError } from '../../components/FieldError';
import { networkModes, type FieldErrors, type RunForm } from '../../lib/run-form';

interface RunOptionsFieldsProps {
  form: RunForm;
  errors: FieldErrors;
  capabilities: RunCapabilities | null;
  engineLabel: string;
  onChange(patch: Partial<RunForm>): void;
}

export function RunOptionsFields({ form, errors, capabilities, engineLabel, onChange }: RunOptionsFieldsProps) {
  const id = useId();
  const lacks = (support: { supported: boolean } | undefined) => capabilities !== null && support !== undefined && !support.supported;
  const workdirLacking = lacks(capabilities?.workdir);
  const userLacking = lacks(capabilities?.user);
  const gpuLacking = lacks(capabilities?.gpu);
  const ttyLacking = lacks(capabilities?.tty);
  const modes = capabilities?.modes ?? [];

  return (
    <div className="run-options">
      <div className="run-field">
        <label htmlFor={`${id}-workdir`}>Working directory</label>
        <input
          id={`${id}-workdir`}
          className="mono"
          value={form.workdir}
          placeholder="the image's own"
          spellCheck={false}
          disabled={workdirLacking && form.workdir === ''}
          data-testid="run-workdir"
          onChange={(event) => onChange({ workdir: event.target.value })}
          {...errorProps(`${id}-workdir-error`, errors.workdir)}
        />
        <FieldError id={`${id}-workdir-error`} message={errors.workdir} />
        {workdirLacking ? <p className="field-note">{capabilities?.workdir.note ?? `${engineLabel} cannot set it.`}</p> : null}
      </div>
      <div className="run-field">
        <label htmlFor={`${id}-user`}>User</label>
        <input
          id={`${id}-user`}
          className="mono"
          value={form.user}
          placeholder="the image's own (name, uid or uid:gid)"
          spellCheck={false}
          disabled={userLacking && form.user === ''}
          data-testid="run-user"
          onChange={(event) => onChange({ user: event.target.value })}
          {...errorProps(`${id}-user-error`, errors.user)}
        />
        <FieldError id={`${id}-user-error`} message={errors.user} />
        {userLacking ? <p className="field-note">{capabilities?.user.note ?? `${engineLabel} cannot set it.`}</p> : null}
      </div>
      <div className="run-field">
        <label htmlFor={`${id}-network`}>Network</label>
        <select
          id={`${id}-network`}
          value={form.network}
          data-testid="run-network"
          onChange={(event) => onChange({ network: event.target.value as NetworkMode })}
          {...errorProps(`${id}-network-error`, errors.network)}
        >
          {networkModes.map(({ mode, label }) => {
            const offered = capabilities === null || capabilities.networks.includes(mode);
            return (
              <option key={mode} value={mode} disabled={!offered && form.network !== mode}>
                {label}
                {offered ? '' : ` (not offered by ${engineLabel})`}
              </option>
            );
          })}
        </select>
        <FieldError id={`${id}-network-error`} message={errors.network} />
      </div>
      {modes.length > 0 ? (
        <div className="run-field">
          <label htmlFor={`${id}-mode`}>Execution mode</label>
          <select
            id={`${id}-mode`}
            value={form.executionMode}
            data-testid="run-mode"
            onChange={(event) => onChange({ executionMode: event.target.value })}
            {...errorProps(`${id}-mode-error`, errors.executionMode)}
          >
            <option value="">Engine default</option>
            {modes.map((mode) => (
              <option key={mode.id} value={mode.id}>
                {mode.id} · {mode.label}
                {mode.ready ? '' : ' (did not run its test container)'}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-mode-error`} message={errors.executionMode} />
        </div>
      ) : null}
      <div className="run-checks">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.gpu}
            disabled={gpuLacking && !form.gpu}
            data-testid="run-gpu"
            aria-describedby={gpuLacking ? `${id}-gpu-note` : undefined}
            onChange={(event) => onChange({ gpu: event.target.checked })}
          />
          GPU (every GPU the engine can pass)
        </label>
        {gpuLacking ? (
          <p className="field-note" id={`${id}-gpu-note`}>
            {capabilities?.gpu.note ?? `${engineLabel} cannot pass GPUs.`}
          </p>
        ) : null}
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.tty}
            disabled={ttyLacking && !form.tty}
            data-testid="run-tty"
            aria-describedby={ttyLacking ? `${id}-tty-note` : undefined}
            onChange={(event) => onChange({ tty: event.target.checked })}
          />
          Interactive terminal (TTY)
        </label>
        {ttyLacking ? (
          <p className="field-note" id={`${id}-tty-note`}>
            {capabilities?.tty.note ?? `${engineLabel} cannot give a terminal.`}
          </p>
        ) : null}
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.remove}
            data-testid="run-remove"
            onChange={(event) => onChange({ remove: event.target.checked })}
          />
          Remove the container when done
        </label>
      </div>
    </div>
  );
}
