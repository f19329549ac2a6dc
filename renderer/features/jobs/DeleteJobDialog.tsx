// Confirms deleting a finished job: its record and its saved output go.
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { JobRecord } from '../../../shared/jobs';
import { formatBytes } from '../../lib/format';
import { useRemoveJob } from './use-jobs';

interface DeleteJobDialogProps {
  job: JobRecord;
  onClose(): void;
  onDone(message: string): void;
}

export function DeleteJobDialog({ job, onClose, onDone }: DeleteJobDialogProps) {
  const remove = useRemoveJob();
  return (
    <ConfirmDialog
      title="Delete this job?"
      confirmLabel="Delete"
      onConfirm={() => remove.mutate(job.id, { onSuccess: () => onDone(`Deleted the job of ${job.imageLabel}.`) })}
      onCancel={onClose}
      busyText={remove.isPending ? 'Deleting…' : null}
      error={remove.isError ? remove.error.message : null}
    >
      <p>
        The record of this run of {job.imageLabel} on {job.engineLabel} and its saved output ({formatBytes(job.outputBytes)}) will be
        deleted. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
