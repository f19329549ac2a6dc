// Words for a transfer's progress and states, shared by the live progress and the past list.
import type { TransferProgress, TransferRecord, TransferState } from '../../../shared/transfer';
import { formatBytes } from '../../lib/format';

export const STATE_WORDS: Record<TransferState, string> = {
  pending: 'Waiting',
  running: 'Copying',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export function isFinished(state: TransferState | TransferRecord['state']): boolean {
  return state !== 'running' && state !== 'pending';
}

export function bytesText(progress: TransferProgress): string {
  const done = formatBytes(progress.bytesDone);
  if (progress.bytesTotal === null) return done;
  // The archive streamed is a little larger than the image's size (tar headers, its manifest).
  if (progress.bytesDone > progress.bytesTotal) return `${done} (image ${formatBytes(progress.bytesTotal)})`;
  return `${done} of ${formatBytes(progress.bytesTotal)}`;
}

export function layersText(progress: TransferProgress): string | null {
  if (progress.layersTotal === null && progress.layersDone === 0) return null;
  return progress.layersTotal === null ? `${progress.layersDone} layers` : `${progress.layersDone} of ${progress.layersTotal} layers`;
}

export function rateText(progress: TransferProgress): string | null {
  return progress.rateBytesPerSecond === null ? null : `${formatBytes(progress.rateBytesPerSecond)}/s`;
}

export function timeLeftText(progress: TransferProgress): string | null {
  const left = progress.secondsLeft;
  if (left === null) return null;
  if (left < 60) return `${Math.ceil(left)} s left`;
  const minutes = Math.floor(left / 60);
  return minutes < 60 ? `${minutes} min ${Math.round(left % 60)} s left` : `${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

/** 0..1 when the total is known. */
export function fractionDone(progress: TransferProgress): number | null {
  if (!progress.bytesTotal) return null;
  return Math.min(1, progress.bytesDone / progress.bytesTotal);
}
