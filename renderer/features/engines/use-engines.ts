// Engines as react-query state. A re-detect answers the whole fresh list, which replaces the
// cached one (and is read once more, see below); every engine's images are then listed again
// since its state may have changed.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { EngineStatus } from '../../../shared/model';
import { useApiClient } from '../../api/client-context';
import { queryKeys } from '../../api/query-keys';

export function useEngines() {
  const client = useApiClient();
  return useQuery({
    queryKey: queryKeys.engines,
    queryFn: () => client.call('engines.list', {}),
    // Changes arrive through the change feed; no polling.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useRedetectEngines() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => client.call('engines.list', { refresh: true }),
    onSuccess: (engines: EngineStatus[]) => {
      queryClient.setQueryData(queryKeys.engines, engines);
      // The answer comes once every engine is reached; test-container results that arrived as
      // events meanwhile may be newer than it, so the list is read once more.
      void queryClient.invalidateQueries({ queryKey: queryKeys.engines });
      void queryClient.invalidateQueries({ queryKey: ['images'] });
    },
  });
}
