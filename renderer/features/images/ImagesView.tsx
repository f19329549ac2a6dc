// The middle of the window: filter, per-engine listing state, the list and its counts. Rows are
// grouped (one entry per image, badges for the engines holding it), sorted, then filtered; each
// step is memoised on what it reads, so typing in the filter does not sort again.
import { useMemo, useState } from 'react';
import { plural } from '../../lib/format';
import { filterGroups, groupRows, sortGroups } from '../../lib/image-groups';
import { nextSort, type ImageRow, type SortColumn } from '../../lib/image-rows';
import { useSettings, useUpdateSettings } from '../settings/use-settings';
import { ImageList } from './ImageList';
import { ImageToolbar } from './ImageToolbar';
import { ListingStatus } from './ListingStatus';
import type { ImageListings } from './use-image-listings';

interface ImagesViewProps {
  listings: ImageListings;
  enginesPending: boolean;
  selectedKey: string | null;
  onSelect(row: ImageRow): void;
  onOpen(row: ImageRow): void;
  onDelete(row: ImageRow): void;
  onRun(row: ImageRow): void;
  hidden?: boolean;
}

export function ImagesView({ listings, enginesPending, selectedKey, onSelect, onOpen, onDelete, onRun, hidden }: ImagesViewProps) {
  const settings = useSettings();
  const updateSettings = useUpdateSettings();
  const [filter, setFilter] = useState('');
  const hiddenEngines = useMemo(() => new Set(settings.hiddenEngines), [settings.hiddenEngines]);
  const engines = listings.listings.map(({ engine }) => engine);

  const groups = useMemo(() => groupRows(listings.rows), [listings.rows]);
  const shared = useMemo(() => groups.filter((group) => group.rows.length > 1).length, [groups]);
  const sorted = useMemo(() => sortGroups(groups, settings.imageSort), [groups, settings.imageSort]);
  const shown = useMemo(() => filterGroups(sorted, filter, hiddenEngines), [sorted, filter, hiddenEngines]);

  const toggleEngine = (engineId: string) => {
    const next = hiddenEngines.has(engineId)
      ? settings.hiddenEngines.filter((id) => id !== engineId)
      : [...settings.hiddenEngines, engineId];
    updateSettings({ hiddenEngines: next });
  };
  const sortBy = (column: SortColumn) => updateSettings({ imageSort: nextSort(settings.imageSort, column) });

  return (
    <main className="images-view" id="images-view" aria-labelledby="images-heading" hidden={hidden}>
      <div className="panel-heading">
        <h2 id="images-heading">Images</h2>
        <p className="image-count" data-testid="image-count" aria-live="polite">
          {countLine(listings.rows.length, engines.length, shown.length, shared)}
        </p>
      </div>
      <ImageToolbar
        filter={filter}
        onFilterChange={setFilter}
        engines={engines}
        hiddenEngines={hiddenEngines}
        onToggleEngine={toggleEngine}
      />
      <ListingStatus listings={listings.listings} />
      <ImageList
        entries={shown}
        sort={settings.imageSort}
        onSort={sortBy}
        selectedKey={selectedKey}
        onSelect={onSelect}
        onOpen={onOpen}
        onDelete={onDelete}
        onRun={onRun}
        placeholder={placeholderText(listings, enginesPending, listings.rows.length > 0)}
      />
    </main>
  );
}

/** Starts with every engine's rows counted (scripts and the bench read that number first). */
function countLine(total: number, engineCount: number, shown: number, shared: number): string {
  const sharing = shared > 0 ? ` · ${plural(shared, 'image')} in several engines` : '';
  return `${plural(total, 'image')} on ${plural(engineCount, 'engine')}${sharing} · ${shown.toLocaleString('en')} shown`;
}

function placeholderText(listings: ImageListings, enginesPending: boolean, anyRows: boolean): string {
  if (enginesPending) return 'Looking for engines…';
  const stillListing = listings.listings.filter(({ query }) => query.isPending).map(({ engine }) => engine.label);
  if (stillListing.length > 0) return `Still listing ${stillListing.join(', ')}…`;
  if (listings.listings.length === 0) return 'No engine is ready. The engines panel says why.';
  if (anyRows) return 'No image matches the filter or the engines chosen.';
  return 'No images.';
}
