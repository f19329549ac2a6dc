// What the Slurm dialog asks the host: whether Slurm is there and its partitions, the batch
// script and sbatch line a submission becomes (debounced while typing), and the submission.
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { SlurmSubmissionInput } from '../../../shared/batch';
import type { CallResponse } from '../../../shared/contract';
import type { ApiError } from '../../../shared/errors';
import { useApiClient } from '../../api/client-context';
import { useDebounced } from '../run/use-run';

export function useSlurmInfo() {
  const client = useApiClient();
  return useQuery<CallResponse<'slurm.info'>, ApiError>({
    queryKey: ['slurm-info'],
    queryFn: () => client.call('slurm.info', {}),
    staleTime: 15_000,
  });
}

export function useSlurmPreview(submission: SlurmSubmissionInput | null) {
  const client = useApiClient();
  const settled = useDebounced(submission, 300);
  const query = useQuery<CallResponse<'slurm.preview'>, ApiError>({
    queryKey: ['slurm-preview', settled],
    queryFn: () => client.call('slurm.preview', settled!),
    enabled: settled !== null,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
  return { ...query, current: submission !== null && JSON.stringify(submission) === JSON.stringify(settled) };
}

export function useSlurmSubmit() {
  const client = useApiClient();
  return useMutation<CallResponse<'slurm.submit'>, ApiError, SlurmSubmissionInput>({
    mutationFn: (submission) => client.call('slurm.submit', submission),
  });
}
