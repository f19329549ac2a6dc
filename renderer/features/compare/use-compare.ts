// Comparisons as react-query state: the list (kept true by the change feed's comparison events),
// one record, one attempt's stdout for the diff view, and the actions. Like jobs (use-jobs.ts),
// an action's answer goes into the cache at once, unless a newer change event got there first.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { CallRequest, CallResponse } from '../../../shared/contract';
import type { ComparisonRecord } from '../../../shared/compare';
import type { ApiError } from '../../../shared/errors';
import { useApiClient } from '../../api/client-context';
import { queryKeys } from '../../api/query-keys';
import { newerComparison, withComparison, withoutComparison } from '../../lib/comparison-state';

export function useComparisons() {
  const client = useApiClient();
  return useQuery<ComparisonRecord[], ApiError>({
    queryKey: queryKeys.comparisons,
    queryFn: () => client.call('compare.list', {}),
    // Changes arrive through the change feed; no polling.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** One comparison, read from the list while it is there (the feed keeps both in step). */
export function useComparison(comparisonId: string | null) {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useQuery<ComparisonRecord, ApiError>({
    queryKey: queryKeys.comparison(comparisonId ?? ''),
    queryFn: () => client.call('compare.get', { comparisonId: comparisonId! }),
    enabled: comparisonId !== null,
    staleTime: Number.POSITIVE_INFINITY,
    initialData: () => queryClient.getQueryData<ComparisonRecord[]>(queryKeys.comparisons)?.find((record) => record.id === comparisonId),
  });
}

export function rememberComparison(queryClient: QueryClient, record: ComparisonRecord): void {
  queryClient.setQueryData<ComparisonRecord[]>(queryKeys.comparisons, (list) => withComparison(list, record));
  queryClient.setQueryData<ComparisonRecord>(queryKeys.comparison(record.id), (existing) => newerComparison(existing, record));
}

export function useStartComparison() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation<ComparisonRecord, ApiError, CallRequest<'compare.run'>>({
    mutationFn: (request) => client.call('compare.run', request),
    onSuccess: (record) => rememberComparison(queryClient, record),
  });
}

export function useCancelComparison() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation<ComparisonRecord, ApiError, string>({
    mutationFn: (comparisonId) => client.call('compare.cancel', { comparisonId }),
    onSuccess: (record) => rememberComparison(queryClient, record),
  });
}

export function useRemoveComparison() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation<{ comparisonId: string }, ApiError, string>({
    mutationFn: (comparisonId) => client.call('compare.remove', { comparisonId }),
    onSuccess: ({ comparisonId }) => {
      queryClient.setQueryData<ComparisonRecord[]>(queryKeys.comparisons, (list) => withoutComparison(list, comparisonId));
      queryClient.removeQueries({ queryKey: queryKeys.comparison(comparisonId), exact: true });
      queryClient.removeQueries({ queryKey: queryKeys.comparisonStdoutOf(comparisonId) });
    },
  });
}

/** One attempt's stdout; null asks for nothing (no attempt chosen yet). */
export function useAttemptStdout(request: { comparisonId: string; target: number; round: number } | null) {
  const client = useApiClient();
  return useQuery<CallResponse<'compare.stdout'>, ApiError>({
    queryKey: request ? queryKeys.comparisonStdout(request.comparisonId, request.target, request.round) : ['comparison-stdout', 'none'],
    queryFn: () => client.call('compare.stdout', request!),
    enabled: request !== null,
    // An ended attempt's output never changes.
    staleTime: Number.POSITIVE_INFINITY,
  });
}
