// One images.list query per listed engine, so each engine's rows arrive as soon as it answers
// and a slow or failing engine holds up nobody else.
import { useQueries, type UseQueryResult } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import type { EngineStatus, ImageSummary } from '../../../shared/model';
import type { ApiError } from '../../../shared/errors';
import { useApiClient } from '../../api/client-context';
import { queryKeys } from '../../api/query-keys';
import { isListable } from '../../lib/engine-state';
import { toRows, type ImageRow } from '../../lib/image-rows';

export interface EngineListing {
  engine: EngineStatus;
  query: UseQueryResult<ImageSummary[], ApiError>;
}

export interface ImageListings {
  listings: EngineListing[];
  /** Every row of every listed engine that answered, unsorted and unfiltered. */
  rows: ImageRow[];
}

// Rows are rebuilt only when an engine's answer changes (react-query keeps unchanged data identical).
const rowCache = new WeakMap<ImageSummary[], { label: string; rows: ImageRow[] }>();

function rowsOf(engine: EngineStatus, images: ImageSummary[]): ImageRow[] {
  const cached = rowCache.get(images);
  if (cached && cached.label === engine.label) return cached.rows;
  const rows = toRows(engine.id, engine.label, images);
  rowCache.set(images, { label: engine.label, rows });
  return rows;
}

export function useImageListings(engines: readonly EngineStatus[]): ImageListings {
  const client = useApiClient();
  const listed = useMemo(() => engines.filter(isListable), [engines]);
  // `combine` is re-run only when an answer changes, which keeps `rows` identical otherwise.
  const combine = useCallback(
    (results: UseQueryResult<ImageSummary[], ApiError>[]): ImageListings => ({
      listings: listed.map((engine, index) => ({ engine, query: results[index]! })),
      rows: results.flatMap((result, index) => (result.data ? rowsOf(listed[index]!, result.data) : [])),
    }),
    [listed],
  );
  return useQueries({
    queries: listed.map((engine) => ({
      queryKey: queryKeys.images(engine.id),
      queryFn: (): Promise<ImageSummary[]> => client.call('images.list', { engineId: engine.id }),
      staleTime: Number.POSITIVE_INFINITY,
      retry: false,
    })),
    combine: combine as (results: UseQueryResult[]) => ImageListings,
  });
}
