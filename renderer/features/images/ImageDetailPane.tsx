// The right-hand pane: the opened row's image, inspected. A skeleton of the same shape holds the
// space while it loads, so nothing jumps.
import type { ImageRow } from '../../lib/image-rows';
import { Spinner } from '../../components/Spinner';
import { ImageDetailBody } from './ImageDetailBody';
import { useImageDetail } from './use-image-actions';

interface ImageDetailPaneProps {
  row: ImageRow | null;
  onDelete(row: ImageRow): void;
  onRun(row: ImageRow): void;
  hidden?: boolean;
}

export function ImageDetailPane({ row, onDelete, onRun, hidden }: ImageDetailPaneProps) {
  const detail = useImageDetail(row);
  return (
    <aside className="detail-pane" data-testid="image-detail" aria-labelledby="detail-heading" tabIndex={-1} id="image-detail" hidden={hidden}>
      <div className="panel-heading">
        <h2 id="detail-heading">{row ? (row.reference ?? row.summary.repository ?? `<none> ${row.shortId}`) : 'Image details'}</h2>
        {row ? (
          <span className="detail-pane__actions">
            <button type="button" className="button--primary" data-testid="image-run" onClick={() => onRun(row)}>
              Run…
            </button>
            <button type="button" className="button--danger" onClick={() => onDelete(row)}>
              Delete…
            </button>
          </span>
        ) : null}
      </div>
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
