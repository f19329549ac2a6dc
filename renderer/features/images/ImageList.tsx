// The one virtualised image list (role=grid). Focus stays on the grid; the selected row is its
// aria-activedescendant, so screen readers follow the selection while only ~30 rows exist in
// the DOM. Up/Down/Home/End/PageUp/PageDown move, Enter opens the detail, Delete asks to delete,
// R opens the run dialog for the selected image. An image several engines hold is one row with a
// badge each: Delete and R then open its detail, where the engine's copy is chosen explicitly.
//
// Scrolling re-renders this component (the virtualiser's state lives here), so everything the
// virtualiser or the rows receive is memoised: a new getItemKey would make the virtualiser
// recompute every row's position on each scroll event, a new callback would redraw every row.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useId, useMemo, useRef, type KeyboardEvent } from 'react';
import type { ImageGroup } from '../../lib/image-groups';
import { indexOfRowKey } from '../../lib/image-groups';
import type { ImageRow, ImageSort, SortColumn } from '../../lib/image-rows';
import { navigate } from '../../lib/list-navigation';
import { imageColumns, ROW_HEIGHT } from './columns';
import { ImageListHeader } from './ImageListHeader';
import { ImageListRow } from './ImageListRow';

interface ImageListProps {
  entries: ImageGroup[];
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

const estimateSize = () => ROW_HEIGHT;

export function ImageList({ entries, sort, onSort, selectedKey, onSelect, onOpen, onDelete, onRun, placeholder }: ImageListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const idPrefix = useId();
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const getItemKey = useCallback((index: number) => entries[index]?.key ?? index, [entries]);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement,
    estimateSize,
    getItemKey,
    // Rows are drawn in the scroll event itself (the virtualiser flushes synchronously), so rows
    // beyond the view only help a scroll that outruns a frame; every extra row is mounted again
    // on each viewport-sized jump (dragging the scrollbar), where it costs most.
    overscan: 4,
  });
  // The selection is one engine's copy (a row key); its entry is the one holding that copy.
  const selectedIndex = useMemo(() => indexOfRowKey(entries, selectedKey), [entries, selectedKey]);
  const rowDomId = (index: number) => `${idPrefix}-row-${index}`;

  const activate = useCallback(
    (index: number) => {
      const entry = entries[index];
      if (!entry) return;
      // A click lands on the body (a tab stop of its own): the grid takes focus, so the
      // selection is announced (aria-activedescendant) and the keys keep working.
      gridRef.current?.focus({ preventScroll: true });
      onSelect(entry.primary);
      onOpen(entry.primary);
    },
    [entries, onSelect, onOpen],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys on the sort buttons are theirs; the grid and its scrolling body share the rest.
    if (event.target !== event.currentTarget && event.target !== scrollRef.current) return;
    const selected = selectedIndex >= 0 ? entries[selectedIndex] : undefined;
    const copy = selected?.rows.find((row) => row.key === selectedKey) ?? selected?.primary;
    if (event.key === 'Enter' && copy) {
      event.preventDefault();
      onOpen(copy);
      return;
    }
    // Acting on one of several engines' copies is chosen in the detail pane, never guessed here.
    const act = (action: (row: ImageRow) => void) => {
      event.preventDefault();
      if (selected && copy && selected.rows.length > 1) onOpen(copy);
      else if (copy) action(copy);
    };
    if (event.key === 'Delete' && copy) {
      act(onDelete);
      return;
    }
    if ((event.key === 'r' || event.key === 'R') && !event.ctrlKey && !event.metaKey && !event.altKey && copy) {
      act(onRun);
      return;
    }
    const pageSize = Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1;
    const next = navigate(event.key, selectedIndex >= 0 ? selectedIndex : null, entries.length, pageSize);
    if (next === null) return;
    event.preventDefault();
    const entry = entries[next];
    if (!entry) return;
    onSelect(entry.primary);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  // One clock per answer, not per render, so memoised rows stay memoised.
  const now = useMemo(() => Date.now(), [entries]);
  const activeDescendant = selectedIndex >= 0 ? rowDomId(selectedIndex) : undefined;

  return (
    <div
      ref={gridRef}
      role="grid"
      aria-label="Images"
      aria-rowcount={entries.length + 1}
      aria-colcount={imageColumns.length}
      aria-activedescendant={activeDescendant}
      tabIndex={0}
      className="image-grid"
      data-testid="image-list"
      onKeyDown={onKeyDown}
    >
      <ImageListHeader sort={sort} onSort={onSort} />
      {/* The scrolling body is a tab stop of its own (arrow keys then scroll it natively), as
          axe's scrollable-region-focusable asks once the rows overflow; the grid before it is
          where the selection moves. */}
      <div ref={scrollRef} role="rowgroup" className="image-grid__body" tabIndex={0} aria-label="Image rows">
        {entries.length === 0 ? (
          <div className="image-grid__placeholder">{placeholder}</div>
        ) : (
          <div className="image-grid__sizer" style={{ height: virtualizer.getTotalSize() }}>
            {virtualizer.getVirtualItems().map((item) => {
              const entry = entries[item.index];
              if (!entry) return null;
              return (
                <ImageListRow
                  key={entry.key}
                  entry={entry}
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
