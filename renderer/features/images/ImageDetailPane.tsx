// The right-hand pane: the opened image, inspected. An image several engines hold shows which
// ones, and the engine whose copy is shown is chosen here: Run and Delete act on that copy only,
// and say which. A skeleton of the same shape holds the space while it loads, so nothing jumps.
import { useMemo, useState } from 'react';
import { copiesOf } from '../../lib/image-groups';
import type { ImageRow } from '../../lib/image-rows';
import { Spinner } from '../../components/Spinner';
import { CopyToEngineButton } from '../transfer/CopyToEngineButton';
import { EngineCopyChooser } from './EngineCopyChooser';
import { ImageDetailBody } from './ImageDetailBody';
import { useImageDetail } from './use-image-actions';

interface ImageDetailPaneProps {
  row: ImageRow | null;
  /** Every listed row, to find the other engines' copies of the opened image. */
  rows?: readonly ImageRow[];
  onDelete(row: ImageRow): void;
  onRun(row: ImageRow): void;
  hidden?: boolean;
}

export function ImageDetailPane({ row: opened, rows, onDelete, onRun, hidden }: ImageDetailPaneProps) {
  // Fresh copies from the current listing: one may have gone, or another engine gained one.
  const copies = useMemo(() => (opened ? copiesOf(rows ?? [opened], opened) : []), [opened, rows]);
  const [chosenKey, setChosenKey] = useState<string | null>(null);
  const row = copies.find((copy) => copy.key === chosenKey) ?? copies[0] ?? null;
  const several = copies.length > 1;
  const detail = useImageDetail(row);
  return (
    <aside className="detail-pane" data-testid="image-detail" aria-labelledby="detail-heading" tabIndex={-1} id="image-detail" hidden={hidden}>
      <div className="panel-heading">
        <h2 id="detail-heading">{row ? (row.reference ?? row.summary.repository ?? `<none> ${row.shortId}`) : 'Image details'}</h2>
        {row ? (
          <span className="detail-pane__actions">
            <button type="button" className="button--primary" data-testid="image-run" onClick={() => onRun(row)}>
              {several ? `Run in ${row.engineLabel}…` : 'Run…'}
            </button>
            <CopyToEngineButton row={row} />
            <button type="button" className="button--danger" data-testid="image-delete" onClick={() => onDelete(row)}>
              {several ? `Delete from ${row.engineLabel}…` : 'Delete…'}
            </button>
          </span>
        ) : null}
      </div>
      {row && several ? <EngineCopyChooser copies={copies} chosen={row} onChoose={(copy) => setChosenKey(copy.key)} /> : null}
      {row === null ? (
        <p className="muted">Select an image to see its layers, history, labels and environment.</p>
      ) : detail.isPending ? (
        <DetailSkeleton engineLabel={row.engineLabel} />
      ) : detail.isError ? (
        detail.error.kind === 'not-found' ? (
          <p className="notice" role="status">
            This image is no longer in {row.engineLabel} (removed outside Crossdock?)
          </p>
        ) : (
          <p className="error-strip" role="alert">
            {detail.error.message}{' '}
            <button type="button" onClick={() => void detail.refetch()}>
              Retry
            </button>
          </p>
        )
      ) : (
        <ImageDetailBody detail={detail.data} engineLabel={row.engineLabel} />
      )}
    </aside>
  );
}

function DetailSkeleton({ engineLabel }: { engineLabel: string }) {
  return (
    <div className="detail-skeleton" aria-busy="true">
      <p role="status" aria-live="polite" className="muted">
        <Spinner /> Inspecting in {engineLabel}…
      </p>
      {Array.from({ length: 9 }, (_, index) => (
        <div key={index} className="skeleton-line" />
      ))}
    </div>
  );
}
