// The cache of unpacked SIF files (engines that run folders, such as Charliecloud, run a SIF file
// from it): where it is, how much it holds, and a button that empties it. Entries a running job
// uses are kept, and the answer says so.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useApiClient } from '../../api/client-context';
import { formatBytes } from '../../lib/format';

const SIF_CACHE_KEY = ['sif-cache'] as const;

export function SifCache() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  const headingId = useId();
  const usage = useQuery({ queryKey: SIF_CACHE_KEY, queryFn: () => client.call('sif.cache', {}) });
  const clear = useMutation({
    mutationFn: () => client.call('sif.clearCache', {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: SIF_CACHE_KEY }),
  });

  return (
    <section className="sif-cache" aria-labelledby={headingId} data-testid="sif-cache">
      <h3 id={headingId}>Unpacked SIF files</h3>
      {usage.data ? (
        <p className="muted" data-testid="sif-cache-usage">
          {usage.data.entries === 0
            ? 'None: engines without Apptainer unpack a SIF file here the first time they run it.'
            : `${usage.data.entries} unpacked, ${formatBytes(usage.data.bytes)}`}{' '}
          in <span className="mono">{usage.data.path}</span>
        </p>
      ) : usage.isError ? (
        <p className="error-strip" role="alert">
          {usage.error.message}
        </p>
      ) : null}
      <button
        type="button"
        className="button--small"
        onClick={() => clear.mutate()}
        disabled={clear.isPending || !usage.data || usage.data.entries === 0}
        data-testid="sif-cache-clear"
      >
        Clear
      </button>
      {clear.data ? (
        <p className="muted" role="status" data-testid="sif-cache-cleared">
          Removed {clear.data.removed}, freed {formatBytes(clear.data.freedBytes)}
          {clear.data.kept > 0 ? `; ${clear.data.kept} kept for running jobs` : ''}.
        </p>
      ) : null}
      {clear.isError ? (
        <p className="error-strip" role="alert">
          {clear.error.message}
        </p>
      ) : null}
    </section>
  );
}
