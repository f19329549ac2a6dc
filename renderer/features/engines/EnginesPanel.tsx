// Every engine Crossdock knows, found or not, and a way to look for them again.
import type { EngineStatus } from '../../../shared/model';
import { Spinner } from '../../components/Spinner';
import { ImageFolders } from '../settings/ImageFolders';
import { SifCache } from '../settings/SifCache';
import { EngineEntry } from './EngineEntry';
import { useEngines, useRedetectEngines } from './use-engines';

interface EnginesPanelProps {
  onPrune(engine: EngineStatus): void;
}

export function EnginesPanel({ onPrune }: EnginesPanelProps) {
  const engines = useEngines();
  const redetect = useRedetectEngines();
  const busy = engines.isPending || redetect.isPending;

  return (
    <nav className="engines-panel" data-testid="engines-panel" aria-labelledby="engines-heading">
      <div className="panel-heading">
        <h2 id="engines-heading">Engines</h2>
        <button type="button" onClick={() => redetect.mutate()} disabled={redetect.isPending}>
          Re-detect
        </button>
      </div>
      <p className="panel-progress" role="status" aria-live="polite">
        {busy ? (
          <>
            <Spinner /> {redetect.isPending ? 'Re-detecting engines…' : 'Looking for engines…'}
          </>
        ) : null}
      </p>
      {engines.isError ? (
        <p className="error-strip" role="alert">
          Could not list engines: {engines.error.message}{' '}
          <button type="button" onClick={() => void engines.refetch()}>
            Retry
          </button>
        </p>
      ) : null}
      {redetect.isError ? (
        <p className="error-strip" role="alert">
          Re-detection failed: {redetect.error.message}
        </p>
      ) : null}
      <ul className="engine-list">
        {(engines.data ?? []).map((engine) => (
          <EngineEntry key={engine.id} engine={engine} onPrune={onPrune} />
        ))}
      </ul>
      <ImageFolders />
      <SifCache />
    </nav>
  );
}
