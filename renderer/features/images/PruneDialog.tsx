// Confirms removing one engine's dangling images, saying how many the list shows.
import type { EngineStatus } from '../../../shared/model';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { describePrune, describePruneResult } from '../../lib/removal';
import { errorMessage, usePruneImages } from './use-image-actions';

interface PruneDialogProps {
  engine: EngineStatus;
  danglingShown: number;
  onClose(): void;
  onDone(message: string): void;
}

export function PruneDialog({ engine, danglingShown, onClose, onDone }: PruneDialogProps) {
  const prune = usePruneImages();
  return (
    <ConfirmDialog
      title={`Remove dangling images of ${engine.label}?`}
      confirmLabel="Remove"
      onConfirm={() =>
        prune.mutate(engine.id, { onSuccess: (result) => onDone(describePruneResult(engine.label, result)) })
      }
      onCancel={onClose}
      busyText={prune.isPending ? `Removing dangling images in ${engine.label}…` : null}
      error={prune.isError ? errorMessage(prune.error) : null}
    >
      <p>{describePrune(engine.label, danglingShown)}</p>
    </ConfirmDialog>
  );
}
