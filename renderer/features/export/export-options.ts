// The export dialog's fields as typed, turned into the options the host takes (or a message per
// field): whole numbers in the ranges shared/batch-export.ts allows.
import { MAX_EXPORT_COUNT, MAX_EXPORT_MEMORY_MB, type BatchExportFormat, type KubernetesExportOptions } from '../../../shared/batch-export';

export interface ExportForm {
  format: BatchExportFormat;
  name: string;
  cpus: string;
  memoryMb: string;
  gpus: string;
  count: string;
  backoffLimit: string;
}

export type ExportField = 'name' | 'cpus' | 'memoryMb' | 'gpus' | 'count' | 'backoffLimit';

export function initialExportForm(name: string, wantsGpu: boolean): ExportForm {
  return { format: 'htcondor', name, cpus: '1', memoryMb: '1024', gpus: wantsGpu ? '1' : '0', count: '1', backoffLimit: '0' };
}

const LIMITS: Record<Exclude<ExportField, 'name'>, { min: number; max: number; what: string }> = {
  cpus: { min: 1, max: 1024, what: 'CPUs' },
  memoryMb: { min: 1, max: MAX_EXPORT_MEMORY_MB, what: 'Memory (MB)' },
  gpus: { min: 0, max: 64, what: 'GPUs' },
  count: { min: 1, max: MAX_EXPORT_COUNT, what: 'Copies' },
  backoffLimit: { min: 0, max: 100, what: 'Retries' },
};

/** The options, or null with a message for each field that is not right. */
export function exportOptionsOf(form: ExportForm): { options: KubernetesExportOptions | null; errors: Partial<Record<ExportField, string>> } {
  const errors: Partial<Record<ExportField, string>> = {};
  const number = (field: Exclude<ExportField, 'name'>): number => {
    const { min, max } = LIMITS[field];
    const text = form[field].trim();
    if (!/^\d+$/.test(text)) {
      errors[field] = `a whole number from ${min} to ${max}`;
      return min;
    }
    const value = Number(text);
    if (value < min || value > max) errors[field] = `from ${min} to ${max}`;
    return value;
  };
  const name = form.name.trim();
  if (name.length > 200) errors.name = 'at most 200 characters';
  const options: KubernetesExportOptions = {
    name: name === '' ? null : name,
    cpus: number('cpus'),
    memoryMb: number('memoryMb'),
    gpus: number('gpus'),
    count: number('count'),
    backoffLimit: form.format === 'kubernetes' ? number('backoffLimit') : 0,
  };
  return { options: Object.keys(errors).length === 0 ? options : null, errors };
}

/** What the host takes for the format: HTCondor has no retry count. */
export function requestOptions(format: BatchExportFormat, options: KubernetesExportOptions) {
  if (format === 'kubernetes') return options;
  const { backoffLimit: _unused, ...htcondor } = options;
  return htcondor;
}

export function fieldLabel(field: ExportField): string {
  return field === 'name' ? 'Name' : LIMITS[field].what;
}
