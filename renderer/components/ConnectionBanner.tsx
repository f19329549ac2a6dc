// Says so while the browser host cannot be reached; the transport reconnects on its own.
import { useConnectionState } from '../api/client-context';
import { Spinner } from './Spinner';

export function ConnectionBanner() {
  const state = useConnectionState();
  return (
    <div className="connection-banner" role="status" aria-live="assertive" hidden={state !== 'lost'}>
      {state === 'lost' ? (
        <>
          <Spinner /> Connection to the Crossdock host lost; reconnecting…
        </>
      ) : null}
    </div>
  );
}
