// Inspect, remove and prune. After a change the engine's list is re-read at once rather than
// waiting for the change feed, so the row disappears under the user's eyes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError } from '../../../shared/errors';
import type { ImageDetail } from '../../../shared/model';
import { useApiClient } from '../../api/client-context';
import { queryKeys } from '../../api/query-keys';
import type { ImageRow } from '../../lib/image-rows';

export function useImageDetail(row: ImageRow | null) {
  const client = useApiClient();
  return useQuery<ImageDetail, ApiError>({
    queryKey: row ? queryKeys.image(row.engineId, row.summary.id) : ['image', 'none'],
    queryFn: () => client.call('images.inspect', { engineId: row!.engineId, imageId: row!.summary.id }),
    enabled: row !== null,
    staleTime: Number.POSITIVE_INFINITY,
    // "Not found" will not change by asking again; a timeout might.
    retry: (failures, error) => failures < 1 && error.kind === 'timeout',
  });
}

export function useRemoveImage() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ row, force }: { row: ImageRow; force: boolean }) =>
      client.call('images.remove', {
        engineId: row.engineId,
        imageId: row.summary.id,
        reference: row.reference,
        force,
      }),
    onSettled: (_result, _error, { row }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.images(row.engineId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.imagesOfEngine(row.engineId) });
    },
  });
}

export function usePruneImages() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (engineId: string) => client.call('images.prune', { engineId }),
    onSettled: (_result, _error, engineId) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.images(engineId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.imagesOfEngine(engineId) });
    },
  });
}

/** The engine's message for a failed action; an unexpected failure still reads as a sentence. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return `Something went wrong: ${String(error)}`;
}
