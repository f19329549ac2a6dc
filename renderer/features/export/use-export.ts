// What the export dialog asks the host: the text of an export for the current choices (debounced
// while typing, never saved), and the save itself.
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { BatchExportFormat, BatchExportResult } from '../../../shared/batch-export';
import type { ApiError } from '../../../shared/errors';
import type { RunSpec } from '../../../shared/run';
import { useApiClient } from '../../api/client-context';
import { useDebounced } from '../run/use-run';
import { requestOptions } from './export-options';
import type { KubernetesExportOptions } from '../../../shared/batch-export';

const PREVIEW_DEBOUNCE_MS = 250;

export interface ExportChoice {
  format: BatchExportFormat;
  spec: RunSpec;
  options: KubernetesExportOptions;
}

function callExport(client: ReturnType<typeof useApiClient>, choice: ExportChoice, save: { savePath: string; overwrite: boolean } | null): Promise<BatchExportResult> {
  const base = { spec: choice.spec, ...(save ? { savePath: save.savePath, overwrite: save.overwrite } : {}) };
  return choice.format === 'kubernetes'
    ? client.call('export.kubernetes', { ...base, options: choice.options })
    : client.call('export.htcondor', { ...base, options: requestOptions('htcondor', choice.options) });
}

export function useExportPreview(choice: ExportChoice | null) {
  const client = useApiClient();
  const settled = useDebounced(choice, PREVIEW_DEBOUNCE_MS);
  const query = useQuery<BatchExportResult, ApiError>({
    queryKey: ['export-preview', settled],
    queryFn: () => callExport(client, settled!, null),
    enabled: settled !== null,
    staleTime: 30_000,
    retry: false,
    placeholderData: keepPreviousData,
  });
  const current = choice !== null && JSON.stringify(choice) === JSON.stringify(settled);
  return { ...query, current };
}

export function useSaveExport() {
  const client = useApiClient();
  return useMutation<BatchExportResult, ApiError, { choice: ExportChoice; savePath: string; overwrite: boolean }>({
    mutationFn: ({ choice, savePath, overwrite }) => callExport(client, choice, { savePath, overwrite }),
  });
}
