// Confirms removing one row: untag its reference, or delete the untagged image. When the engine
// says the image is in use, offers to force it.
import { useState } from 'react';
import { ApiError } from '../../../shared/errors';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { ImageRow } from '../../lib/image-rows';
import { describeRemoval, describeRemoveResult } from '../../lib/removal';
import { errorMessage, useRemoveImage } from './use-image-actions';

interface DeleteImageDialogProps {
  row: ImageRow;
  onClose(): void;
  onDone(message: string): void;
}

export function DeleteImageDialog({ row, onClose, onDone }: DeleteImageDialogProps) {
  const remove = useRemoveImage();
  const [force, setForce] = useState(false);
  const { title, sentence } = describeRemoval(row);
  const conflict = remove.error instanceof ApiError && remove.error.kind === 'conflict';

  const confirm = () =>
    remove.mutate(
      { row, force },
      { onSuccess: (result) => onDone(describeRemoveResult(row.engineLabel, result)) },
    );

  return (
    <ConfirmDialog
      title={title}
      confirmLabel="Delete"
      onConfirm={confirm}
      onCancel={onClose}
      busyText={remove.isPending ? `Asking ${row.engineLabel}…` : null}
      error={remove.isError ? errorMessage(remove.error) : null}
    >
      <p>{sentence}</p>
      {conflict || force ? (
        <label className="checkbox">
          <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} /> Force (the
          image is used by a container)
        </label>
      ) : null}
    </ConfirmDialog>
  );
}
