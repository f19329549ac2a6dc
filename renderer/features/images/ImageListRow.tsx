// One row of the image list: one image, with a badge for each engine holding it. Positioned by
// the virtualiser; memoised so scrolling re-renders only the rows that enter the view.
import { memo } from 'react';
import { formatAbsoluteTime, formatBytes, formatRelativeTime } from '../../lib/format';
import type { ImageGroup } from '../../lib/image-groups';
import { EngineBadges } from './EngineBadges';
import { TestImageTag } from './TestImageTag';
import { ROW_HEIGHT } from './columns';

interface ImageListRowProps {
  entry: ImageGroup;
  index: number;
  domId: string;
  selected: boolean;
  now: number;
  onActivate(index: number): void;
}

export const ImageListRow = memo(function ImageListRow({ entry, index, domId, selected, now, onActivate }: ImageListRowProps) {
  const row = entry.primary;
  const { summary } = row;
  const merged = entry.rows.length > 1;
  return (
    <div
      role="row"
      id={domId}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`image-grid__row image-grid__row--body${selected ? ' is-selected' : ''}`}
      style={{ height: ROW_HEIGHT, transform: `translateY(${index * ROW_HEIGHT}px)` }}
      data-testid="image-row"
      // The first copy's engine and name, and (space-separated: ids and references have no
      // spaces) every copy's, for tests and scripts that look for one engine's image.
      data-engine={row.engineId}
      data-engines={merged ? entry.engines.map((engine) => engine.id).join(' ') : row.engineId}
      data-image-id={summary.id}
      data-reference={row.reference ?? ''}
      data-references={merged ? entry.rows.map((copy) => copy.reference ?? '').join(' ') : (row.reference ?? '')}
      data-merged={merged ? 'true' : undefined}
      onClick={() => onActivate(index)}
    >
      <div role="gridcell" className="image-grid__cell image-grid__cell--engines">
        <EngineBadges engines={entry.engines} />
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
