// Published ports: host port, container port, protocol (the whole list disabled with the engine's
// note when it cannot publish ports; rows already there stay editable so they can be removed).
import { useId } from 'react';
import type { Port } from '../../../shared/run';
import { errorProps, FieldError } from '../../components/FieldError';
import type { FieldErrors, PortRow } from '../../lib/run-form';

interface PortRowsProps {
  rows: PortRow[];
  errors: FieldErrors;
  support: { supported: boolean; note: string | null } | null;
  engineLabel: string;
  onChange(rows: PortRow[]): void;
}

const protocols: ReadonlyArray<Port['protocol']> = ['tcp', 'udp'];

export function PortRows({ rows, errors, support, engineLabel, onChange }: PortRowsProps) {
  const id = useId();
  const update = (index: number, patch: Partial<PortRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const lacking = support !== null && !support.supported;
  return (
    <fieldset className="run-rows">
      <legend>Published ports</legend>
      {rows.length === 0 ? <p className="muted run-rows__empty">No port of the container is published on this machine.</p> : null}
      {rows.map((row, index) => {
        const hostError = errors[`ports.${index}.hostPort`];
        const containerError = errors[`ports.${index}.containerPort`];
        const protocolError = errors[`ports.${index}.protocol`];
        const blank = row.hostPort === '' && row.containerPort === '';
        return (
          <div className="run-rows__row run-rows__row--port" key={index}>
            <label className="run-rows__field">
              <span className="visually-hidden">Host port of published port {index + 1}</span>
              <input
                className="mono"
                inputMode="numeric"
                placeholder="host port"
                value={row.hostPort}
                spellCheck={false}
                disabled={lacking && blank}
                data-testid={`run-port-host-${index}`}
                onChange={(event) => update(index, { hostPort: event.target.value })}
                {...errorProps(`${id}-host-${index}`, hostError)}
              />
              <FieldError id={`${id}-host-${index}`} message={hostError} />
            </label>
            <span aria-hidden="true">→</span>
            <label className="run-rows__field">
              <span className="visually-hidden">Container port of published port {index + 1}</span>
              <input
                className="mono"
                inputMode="numeric"
                placeholder="container port"
                value={row.containerPort}
                spellCheck={false}
                disabled={lacking && blank}
                data-testid={`run-port-container-${index}`}
                onChange={(event) => update(index, { containerPort: event.target.value })}
                {...errorProps(`${id}-container-${index}`, containerError)}
              />
              <FieldError id={`${id}-container-${index}`} message={containerError} />
            </label>
            <label className="run-rows__field">
              <span className="visually-hidden">Protocol of published port {index + 1}</span>
              <select
                value={row.protocol}
                disabled={lacking && blank}
                data-testid={`run-port-protocol-${index}`}
                onChange={(event) => update(index, { protocol: event.target.value as Port['protocol'] })}
                {...errorProps(`${id}-protocol-${index}`, protocolError)}
              >
                {protocols.map((protocol) => (
                  <option key={protocol} value={protocol}>
                    {protocol.toUpperCase()}
                  </option>
                ))}
              </select>
              <FieldError id={`${id}-protocol-${index}`} message={protocolError} />
            </label>
            <button type="button" className="button--small" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
              Remove<span className="visually-hidden"> published port {index + 1}</span>
            </button>
          </div>
        );
      })}
      {lacking ? (
        <p className="field-note" id={`${id}-note`}>
          {support?.note ?? `${engineLabel} cannot publish ports.`}
        </p>
      ) : null}
      <button
        type="button"
        className="button--small"
        data-testid="run-port-add"
        disabled={lacking}
        aria-describedby={lacking ? `${id}-note` : undefined}
        onClick={() => onChange([...rows, { hostPort: '', containerPort: '', protocol: 'tcp' }])}
      >
        Add port
      </button>
    </fieldset>
  );
}
