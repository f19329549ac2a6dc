// The one virtualised image list (role=grid). Focus stays on the grid; the selected row is its
// aria-activedescendant, so screen readers follow the selection while only ~30 rows exist in
// the DOM. Up/Down/Home/End/PageUp/PageDown move, Enter opens the detail, Delete asks to delete,
// R opens the run dialog for the selected image.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useId, useMemo, useRef, type KeyboardEvent } from 'react';
import type { ImageRow, ImageSort, SortColumn } from '../../lib/image-rows';
import { navigate } from '../../lib/list-navigation';
import { imageColumns, ROW_HEIGHT } from './columns';
import { ImageListHeader } from './ImageListHeader';
import { ImageListRow } from './ImageListRow';

interface ImageListProps {
  rows: ImageRow[];
  sort: ImageSort;
  onSort(column: SortColumn): void;
  selectedKey: string | null;
  onSelect(row: ImageRow): void;
  onOpen(row: ImageRow): void;
  onDelete(row: ImageRow): void;
  onRun(row: ImageRow): void;
  /** Shown in the list area when there is no row (never an empty-looking list). */
  placeholder: string;
}

export function ImageList({ rows, sort, onSort, selectedKey, onSelect, onOpen, onDelete, onRun, placeholder }: ImageListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const idPrefix = useId();
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 12,
  });
  const selectedIndex = useMemo(
    () => (selectedKey === null ? -1 : rows.findIndex((row) => row.key === selectedKey)),
    [rows, selectedKey],
  );
  const rowDomId = (index: number) => `${idPrefix}-row-${index}`;

  const activate = useCallback(
    (index: number) => {
      const row = rows[index];
      if (!row) return;
      onSelect(row);
      onOpen(row);
    },
    [rows, onSelect, onOpen],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget) return; // keys on the sort buttons are theirs
    const selected = selectedIndex >= 0 ? rows[selectedIndex] : undefined;
    if (event.key === 'Enter' && selected) {
      event.preventDefault();
      onOpen(selected);
      return;
    }
    if (event.key === 'Delete' && selected) {
      event.preventDefault();
      onDelete(selected);
      return;
    }
    if ((event.key === 'r' || event.key === 'R') && !event.ctrlKey && !event.metaKey && !event.altKey && selected) {
      event.preventDefault();
      onRun(selected);
      return;
    }
    const pageSize = Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1;
    const next = navigate(event.key, selectedIndex >= 0 ? selectedIndex : null, rows.length, pageSize);
    if (next === null) return;
    event.preventDefault();
    const row = rows[next];
    if (!row) return;
    onSelect(row);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  // One clock per answer, not per render, so memoised rows stay memoised.
  const now = useMemo(() => Date.now(), [rows]);
  const activeDescendant = selectedIndex >= 0 ? rowDomId(selectedIndex) : undefined;

  return (
    <div
      role="grid"
      aria-label="Images"
      aria-rowcount={rows.length + 1}
      aria-colcount={imageColumns.length}
      aria-activedescendant={activeDescendant}
      tabIndex={0}
      className="image-grid"
      data-testid="image-list"
      onKeyDown={onKeyDown}
    >
      <ImageListHeader sort={sort} onSort={onSort} />
      <div ref={scrollRef} role="rowgroup" className="image-grid__body">
        {rows.length === 0 ? (
          <div className="image-grid__placeholder">{placeholder}</div>
        ) : (
          <div className="image-grid__sizer" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const row = rows[item.index];
              if (!row) return null;
              return (
                <ImageListRow
                  key={row.key}
                  row={row}
                  index={item.index}
                  domId={rowDomId(item.index)}
                  selected={item.index === selectedIndex}
                  now={now}
                  onActivate={activate}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
