// Jobs as react-query state: the list (kept true by the change feed's job events) and the actions.
// Every action answers the new record, which goes into the cache at once so the row changes under
// the user's eyes rather than when the feed catches up.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { ApiError } from '../../../shared/errors';
import type { JobRecord } from '../../../shared/jobs';
import type { RunSpec } from '../../../shared/run';
import { useApiClient } from '../../api/client-context';
import { queryKeys } from '../../api/query-keys';
import { newerJob, withJob, withoutJob } from '../../lib/job-state';

export function useJobs() {
  const client = useApiClient();
  return useQuery<JobRecord[], ApiError>({
    queryKey: queryKeys.jobs,
    queryFn: () => client.call('jobs.list', {}),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** An action's answer goes into the cache at once, unless a newer change event got there first. */
export function rememberJob(queryClient: QueryClient, job: JobRecord): void {
  queryClient.setQueryData<JobRecord[]>(queryKeys.jobs, (jobs) => withJob(jobs ?? [], job));
  queryClient.setQueryData<JobRecord>(queryKeys.job(job.id), (existing) => newerJob(existing, job));
}

/** Starts a job from a spec (the run dialog, re-run); answers its record. */
export function useStartJob() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation<JobRecord, ApiError, RunSpec>({
    mutationFn: (spec) => client.call('jobs.run', { spec }),
    onSuccess: (job) => {
      rememberJob(queryClient, job);
      void queryClient.invalidateQueries({ queryKey: queryKeys.allRecentRuns });
    },
  });
}

export type JobAction = 'stop' | 'kill' | 'shell';

export function useJobAction() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation<JobRecord, ApiError, { action: JobAction; jobId: string }>({
    mutationFn: ({ action, jobId }) => {
      switch (action) {
        case 'stop':
          return client.call('jobs.stop', { jobId });
        case 'kill':
          return client.call('jobs.kill', { jobId });
        case 'shell':
          return client.call('jobs.exec', { jobId, command: ['sh'] });
      }
    },
    onSuccess: (job) => rememberJob(queryClient, job),
  });
}

export function useRemoveJob() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation<{ jobId: string }, ApiError, string>({
    mutationFn: (jobId) => client.call('jobs.remove', { jobId }),
    onSuccess: ({ jobId }) => {
      queryClient.setQueryData<JobRecord[]>(queryKeys.jobs, (jobs) => withoutJob(jobs, jobId));
      queryClient.removeQueries({ queryKey: queryKeys.job(jobId), exact: true });
    },
  });
}
