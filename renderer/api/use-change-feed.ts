// The one subscription to 'changes.watch'. It keeps the cached engines and image lists true
// without polling: a status change replaces that engine's entry, an images-changed re-lists only
// that engine, a job's record replaces its entry in the jobs list and its own query, and after a
// lost connection everything is re-read (events may have been missed). Comparisons are kept like
// jobs: the record replaces its entry in the list and its own query.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ComparisonRecord } from '../../shared/compare';
import type { JobRecord } from '../../shared/jobs';
import type { EngineStatus } from '../../shared/model';
import { newerComparison, withComparison, withoutComparison } from '../lib/comparison-state';
import { withEngineStatus } from '../lib/engine-state';
import { newerJob, withJob, withoutJob } from '../lib/job-state';
import { createKeyedDebounce } from '../lib/keyed-debounce';
import { useApiClient } from './client-context';
import { queryKeys } from './query-keys';

const RELIST_DEBOUNCE_MS = 200;

/**
 * Whether an engine's new status should re-read its images. Not when nothing was known before:
 * the first engines.list (or the listing it starts) reads the images anyway, and re-listing then
 * would cancel that first listing and send it again.
 */
export function statusChangeRelists(previous: EngineStatus | undefined, next: EngineStatus): boolean {
  if (previous === undefined) return false;
  return previous.state !== next.state || previous.endpoint !== next.endpoint || previous.version !== next.version;
}
const RESUBSCRIBE_DELAY_MS = 2000;

export function useChangeFeed(): void {
  const client = useApiClient();
  const queryClient = useQueryClient();

  useEffect(() => {
    const relist = createKeyedDebounce(RELIST_DEBOUNCE_MS, (engineId) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.images(engineId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.imagesOfEngine(engineId) });
    });
    let subscription: { dispose(): void } | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;

    const open = () => {
      subscription = client.subscribe('changes.watch', {}, {
        onEvent(event) {
          if (event.type === 'engine-status') {
            const known = queryClient.getQueryData<EngineStatus[]>(queryKeys.engines);
            const previous = known?.find((engine) => engine.id === event.status.id);
            queryClient.setQueryData<EngineStatus[]>(queryKeys.engines, (engines) =>
              withEngineStatus(engines, event.status),
            );
            // An engines.list answer still on its way may have been made before this event: it
            // would land after it and put the older state back. Ask again instead.
            if (queryClient.isFetching({ queryKey: queryKeys.engines }) > 0) {
              void queryClient.invalidateQueries({ queryKey: queryKeys.engines });
            }
            // The feed opens with every engine's status: a window that just listed must not list
            // again for a status it already had. Only a change of state re-lists (the engine came
            // back, or its test container just ran and may have imported the test image).
            if (statusChangeRelists(previous, event.status)) relist.trigger(event.status.id);
          } else if (event.type === 'images-changed') {
            relist.trigger(event.engineId);
          } else if (event.type === 'job') {
            queryClient.setQueryData<JobRecord[]>(queryKeys.jobs, (jobs) => withJob(jobs, event.job));
            queryClient.setQueryData<JobRecord>(queryKeys.job(event.job.id), (job) => newerJob(job, event.job));
            if (queryClient.isFetching({ queryKey: queryKeys.jobs }) > 0) {
              void queryClient.invalidateQueries({ queryKey: queryKeys.jobs });
            }
          } else if (event.type === 'job-removed') {
            queryClient.setQueryData<JobRecord[]>(queryKeys.jobs, (jobs) => withoutJob(jobs, event.jobId));
            queryClient.removeQueries({ queryKey: queryKeys.job(event.jobId), exact: true });
          } else if (event.type === 'comparison') {
            const record = event.comparison;
            queryClient.setQueryData<ComparisonRecord[]>(queryKeys.comparisons, (list) => withComparison(list, record));
            queryClient.setQueryData<ComparisonRecord>(queryKeys.comparison(record.id), (existing) => newerComparison(existing, record));
            if (queryClient.isFetching({ queryKey: queryKeys.comparisons }) > 0) {
              void queryClient.invalidateQueries({ queryKey: queryKeys.comparisons });
            }
          } else if (event.type === 'transfer' || event.type === 'transfer-removed') {
            // The transfer views read these two keys; they re-read the list on their own.
            if (event.type === 'transfer') queryClient.setQueryData(['transfer', event.transfer.id], event.transfer);
            void queryClient.invalidateQueries({ queryKey: ['transfers'] });
          } else {
            const gone = event.comparisonId;
            queryClient.setQueryData<ComparisonRecord[]>(queryKeys.comparisons, (list) => withoutComparison(list, gone));
            queryClient.removeQueries({ queryKey: queryKeys.comparison(gone), exact: true });
            queryClient.removeQueries({ queryKey: queryKeys.comparisonStdoutOf(gone) });
          }
        },
        // The host ended or failed the feed (it restarted?): subscribe again a little later.
        onError: () => reopenLater(),
        onEnd: () => reopenLater(),
      });
    };
    const reopenLater = () => {
      if (stopped) return;
      retry = setTimeout(() => {
        if (!stopped) open();
      }, RESUBSCRIBE_DELAY_MS);
    };

    const stopWatchingConnection = client.onConnectionChange((state) => {
      if (state === 'connected') void queryClient.invalidateQueries();
    });
    open();

    return () => {
      stopped = true;
      clearTimeout(retry);
      relist.cancelAll();
      stopWatchingConnection();
      subscription?.dispose();
    };
  }, [client, queryClient]);
}
