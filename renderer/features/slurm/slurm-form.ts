// The Slurm dialog's fields as typed text, and the request they make. Pure: empty means "the
// cluster's default"; a number that is not one is said beside its field.
import { MAX_SLURM_ARRAY, SlurmRequestSchema, type SlurmRequestInput } from '../../../shared/batch';

export interface SlurmForm {
  partition: string;
  timeLimit: string;
  cpus: string;
  memoryMb: string;
  gpus: string;
  jobName: string;
  arraySize: string;
  outputDir: string;
}

export const initialSlurmForm = (jobName: string): SlurmForm => ({
  partition: '',
  timeLimit: '',
  cpus: '1',
  memoryMb: '',
  gpus: '0',
  jobName,
  arraySize: '1',
  outputDir: '',
});

/** A job name from the image ("busybox:1.36" → "busybox-1.36"), for the field's first value. */
export function jobNameOf(imageLabel: string): string {
  const name = imageLabel.split('/').pop()?.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') ?? '';
  return name ? `crossdock-${name}`.slice(0, 128) : 'crossdock';
}

export function requestFromForm(form: SlurmForm, arrayAllowed: boolean): { request: SlurmRequestInput | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const whole = (key: keyof SlurmForm, text: string, min: number, max: number, optional: boolean): number | null => {
    const trimmed = text.trim();
    if (trimmed === '') {
      if (!optional) errors[key] = 'required';
      return null;
    }
    if (!/^\d+$/.test(trimmed) || Number(trimmed) < min || Number(trimmed) > max) {
      errors[key] = `a whole number from ${min} to ${max}`;
      return null;
    }
    return Number(trimmed);
  };
  const request: SlurmRequestInput = {
    partition: form.partition === '' ? null : form.partition,
    timeLimitMinutes: whole('timeLimit', form.timeLimit, 1, 366 * 24 * 60, true),
    cpus: whole('cpus', form.cpus, 1, 4096, false) ?? 1,
    memoryMb: whole('memoryMb', form.memoryMb, 1, 1024 * 1024 * 1024, true),
    gpus: whole('gpus', form.gpus, 0, 64, false) ?? 0,
    jobName: form.jobName.trim(),
    arraySize: arrayAllowed ? (whole('arraySize', form.arraySize, 1, MAX_SLURM_ARRAY, false) ?? 1) : 1,
    outputDir: form.outputDir.trim() === '' ? null : form.outputDir.trim(),
  };
  const parsed = SlurmRequestSchema.safeParse(request);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? 'request');
      const field = key === 'timeLimitMinutes' ? 'timeLimit' : key;
      errors[field] ??= issue.message;
    }
  }
  return { request: Object.keys(errors).length === 0 ? request : null, errors };
}
