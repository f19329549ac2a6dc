// What the run dialog asks the host: each engine's run capabilities, the command line a spec
// becomes (debounced while typing), and the recent runs of the image.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { CallResponse } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import type { RunSpec } from '../../../shared/run';
import { useApiClient } from '../../api/client-context';
import { queryKeys } from '../../api/query-keys';

const PREVIEW_DEBOUNCE_MS = 250;

export function useRunOptions() {
  const client = useApiClient();
  return useQuery<CallResponse<'run.options'>, ApiError>({
    queryKey: queryKeys.runOptions,
    queryFn: () => client.call('run.options', {}),
    // Capabilities follow detection; an engine-status event does not say they changed, so a
    // dialog opened later asks again.
    staleTime: 10_000,
  });
}

/** The value, once it stayed the same for `ms` (compared as JSON: specs are plain data). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  const key = JSON.stringify(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return settled;
}

export function useRunPreview(spec: RunSpec | null) {
  const client = useApiClient();
  const settled = useDebounced(spec, PREVIEW_DEBOUNCE_MS);
  const query = useQuery<CallResponse<'run.preview'>, ApiError>({
    queryKey: ['run-preview', settled],
    queryFn: () => client.call('run.preview', { spec: settled! }),
    enabled: settled !== null,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
  const current = spec !== null && JSON.stringify(spec) === JSON.stringify(settled);
  return { ...query, current };
}

export function useRecentRuns(engineId: string, imageId: string) {
  const client = useApiClient();
  return useQuery<RunSpec[], ApiError>({
    queryKey: queryKeys.recentRuns(engineId, imageId),
    queryFn: () => client.call('jobs.recent', { engineId, imageId, limit: 10 }),
    enabled: engineId !== '' && imageId !== '',
    staleTime: 10_000,
  });
}
