// The header row: one sort button per column, with aria-sort on the sorted one.
import type { ImageSort, SortColumn } from '../../lib/image-rows';
import { imageColumns } from './columns';

interface ImageListHeaderProps {
  sort: ImageSort;
  onSort(column: SortColumn): void;
}

export function ImageListHeader({ sort, onSort }: ImageListHeaderProps) {
  return (
    <div role="rowgroup" className="image-grid__head">
      <div role="row" aria-rowindex={1} className="image-grid__row">
        {imageColumns.map(({ column, label, numeric }) => {
          const sorted = sort.column === column;
          const ariaSort = sorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none';
          return (
            <div
              key={column}
              role="columnheader"
              aria-sort={ariaSort}
              className={`image-grid__cell${numeric ? ' image-grid__cell--numeric' : ''}`}
            >
              <button type="button" className="sort-button" onClick={() => onSort(column)}>
                {label}
                <span aria-hidden="true" className="sort-button__arrow">
                  {sorted ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
                </span>
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
}
