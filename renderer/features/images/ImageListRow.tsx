// One row of the image list. Positioned by the virtualiser; memoised so scrolling re-renders
// only the rows that enter the view.
import { memo } from 'react';
import { formatAbsoluteTime, formatBytes, formatRelativeTime } from '../../lib/format';
import type { ImageRow } from '../../lib/image-rows';
import { TestImageTag } from './TestImageTag';
import { ROW_HEIGHT } from './columns';

interface ImageListRowProps {
  row: ImageRow;
  index: number;
  domId: string;
  selected: boolean;
  now: number;
  onActivate(index: number): void;
}

export const ImageListRow = memo(function ImageListRow({ row, index, domId, selected, now, onActivate }: ImageListRowProps) {
  const { summary } = row;
  return (
    <div
      role="row"
      id={domId}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`image-grid__row image-grid__row--body${selected ? ' is-selected' : ''}`}
      style={{ height: ROW_HEIGHT, transform: `translateY(${index * ROW_HEIGHT}px)` }}
      data-testid="image-row"
      data-engine={row.engineId}
      data-image-id={summary.id}
      data-reference={row.reference ?? ''}
      onClick={() => onActivate(index)}
    >
      <div role="gridcell" className="image-grid__cell">
        <span className="engine-badge">{row.engineLabel}</span>
      </div>
      <div role="gridcell" className="image-grid__cell image-grid__cell--with-tag" title={summary.repository ?? undefined}>
        {/* The name gives way (ellipsis) before the test-image mark does. */}
        <span className="image-grid__text">{summary.repository ?? <span className="muted">&lt;none&gt;</span>}</span>
        {row.testImage ? <TestImageTag /> : null}
      </div>
      <div role="gridcell" className="image-grid__cell" title={summary.tag ?? undefined}>
        {summary.tag ?? <span className="muted">&lt;none&gt;</span>}
      </div>
      <div role="gridcell" className="image-grid__cell mono" title={summary.id}>
        {row.shortId}
      </div>
      <div role="gridcell" className="image-grid__cell image-grid__cell--numeric">
        {formatBytes(summary.sizeBytes)}
      </div>
      <div role="gridcell" className="image-grid__cell" title={formatAbsoluteTime(summary.createdAt)}>
        {formatRelativeTime(summary.createdAt, now)}
      </div>
    </div>
  );
});
