// One engine in the panel: what it is, whether it works (icon + word + colour), and how we know.
import type { EngineStatus } from '../../../shared/model';
import { describeAttributes, describeProbe, isListable, statePresentation } from '../../lib/engine-state';

interface EngineEntryProps {
  engine: EngineStatus;
  /** Offered for engines whose images are listed. */
  onPrune(engine: EngineStatus): void;
}

export function EngineEntry({ engine, onPrune }: EngineEntryProps) {
  const state = statePresentation[engine.state];
  const advertised = describeAttributes(engine.attributes);
  return (
    <li className="engine" data-testid={`engine-${engine.id}`} data-state={engine.state}>
      <div className="engine__head">
        <span className="engine__label">{engine.label}</span>
        <span className={`state-badge state-badge--${state.tone}`}>
          <span aria-hidden="true">{state.icon}</span> {state.text}
        </span>
      </div>
      <dl className="engine__facts">
        {engine.version ? (
          <>
            <dt>Version</dt>
            <dd>{engine.version}</dd>
          </>
        ) : null}
        {engine.via ? (
          <>
            <dt>Via</dt>
            <dd>{engine.via}</dd>
          </>
        ) : null}
        {engine.endpoint ? (
          <>
            <dt>Endpoint</dt>
            <dd className="mono" title={engine.endpoint}>
              {engine.endpoint}
            </dd>
          </>
        ) : null}
        <dt>Probe</dt>
        <dd>{describeProbe(engine.probe)}</dd>
        {advertised.length > 0 ? (
          <>
            <dt>Advertises</dt>
            <dd>
              <ul className="attribute-list" data-testid={`engine-attributes-${engine.id}`}>
                {advertised.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      {engine.message && engine.state !== 'ready' ? <p className="engine__message">{engine.message}</p> : null}
      {isListable(engine) && engine.canPrune ? (
        <button type="button" className="button--small" data-testid={`prune-${engine.id}`} onClick={() => onPrune(engine)}>
          Remove dangling images…
          <span className="visually-hidden"> of {engine.label}</span>
        </button>
      ) : null}
    </li>
  );
}
