// Confirms deleting a finished comparison: its record goes, its jobs stay in the job list.
import type { ComparisonRecord } from '../../../shared/compare';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useRemoveComparison } from './use-compare';

interface DeleteComparisonDialogProps {
  record: ComparisonRecord;
  onClose(): void;
  onDone(message: string): void;
}

export function DeleteComparisonDialog({ record, onClose, onDone }: DeleteComparisonDialogProps) {
  const remove = useRemoveComparison();
  return (
    <ConfirmDialog
      title="Delete this comparison?"
      confirmLabel="Delete"
      onConfirm={() => remove.mutate(record.id, { onSuccess: () => onDone('Deleted the comparison.') })}
      onCancel={onClose}
      busyText={remove.isPending ? 'Deleting…' : null}
      error={remove.isError ? remove.error.message : null}
    >
      <p>
        The results of this comparison on {record.results.length} target{record.results.length === 1 ? '' : 's'} will be deleted. Its
        jobs stay in the job list. This cannot be undone.
      </p>
    </ConfirmDialog>
  );
}
