// What the "Copy to engine…" dialog asks the host: the plan for the current choices (debounced
// while a name is typed, never stored), the start and cancel of a transfer, one transfer and the
// list of them. The change feed writes each `transfer` event into ['transfer', id] and marks
// ['transfers'] stale, so progress arrives without polling.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiError } from '../../../shared/errors';
import type { ImageRef } from '../../../shared/model';
import type { TransferPlan, TransferRecord, TransferTargetInput } from '../../../shared/transfer';
import { useApiClient } from '../../api/client-context';
import { useDebounced } from '../run/use-run';

const PLAN_DEBOUNCE_MS = 300;

export interface TransferChoice {
  source: ImageRef;
  targets: TransferTargetInput[];
}

export function useTransferPlan(choice: TransferChoice | null) {
  const client = useApiClient();
  const settled = useDebounced(choice, PLAN_DEBOUNCE_MS);
  const query = useQuery<TransferPlan, ApiError>({
    queryKey: ['transfer-plan', settled],
    queryFn: () => client.call('transfers.plan', settled!),
    enabled: settled !== null && settled.targets.length > 0,
    // Asked afresh each time the dialog opens: a copy made a moment ago changes what it says.
    staleTime: 0,
    gcTime: 0,
    retry: false,
    placeholderData: keepPreviousData,
  });
  const current = choice !== null && JSON.stringify(choice) === JSON.stringify(settled);
  return { ...query, current };
}

export function useStartTransfer() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation<TransferRecord, ApiError, TransferChoice>({
    mutationFn: (choice) => client.call('transfers.start', choice),
    onSuccess: (record) => {
      queryClient.setQueryData(['transfer', record.id], (known: TransferRecord | undefined) => known ?? record);
      void queryClient.invalidateQueries({ queryKey: ['transfers'] });
    },
  });
}

export function useCancelTransfer() {
  const client = useApiClient();
  const queryClient = useQueryClient();
  return useMutation<TransferRecord, ApiError, string>({
    mutationFn: (transferId) => client.call('transfers.cancel', { transferId }),
    onSuccess: (record) => queryClient.setQueryData(['transfer', record.id], record),
  });
}

export function useTransfer(transferId: string | null) {
  const client = useApiClient();
  return useQuery<TransferRecord, ApiError>({
    queryKey: ['transfer', transferId],
    queryFn: () => client.call('transfers.get', { transferId: transferId! }),
    enabled: transferId !== null,
    // Changes arrive as `transfer` events; no polling.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useTransfers() {
  const client = useApiClient();
  return useQuery<TransferRecord[], ApiError>({
    queryKey: ['transfers'],
    queryFn: () => client.call('transfers.list', {}),
  });
}
