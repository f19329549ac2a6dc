// The rows of the one image list: every listed engine's images, tagged with the engine, then
// filtered and sorted. Pure functions over plain data; they must stay fast at 10,000 rows.
import type { ImageSummary } from '../../shared/model';
import type { Settings } from '../../shared/settings';
import { referenceOf, shortImageId } from './format';
import { isCrossdockTestImage } from './test-image';

export type ImageSort = Settings['imageSort'];
export type SortColumn = ImageSort['column'];

export interface ImageRow {
  /** Unique among all rows; stable across refreshes of the same image and tag. */
  key: string;
  engineId: string;
  engineLabel: string;
  summary: ImageSummary;
  /** "repo:tag", or null for a dangling image. */
  reference: string | null;
  shortId: string;
  /** Crossdock's own probe image: listed like any other, but marked as Crossdock's. */
  testImage: boolean;
  /** Lower-cased text the filter matches against. */
  haystack: string;
}

export function toRows(engineId: string, engineLabel: string, images: readonly ImageSummary[]): ImageRow[] {
  const seen = new Map<string, number>();
  return images.map((summary) => {
    const reference = referenceOf(summary.repository, summary.tag);
    const base = `${engineId}\u0000${summary.id}\u0000${reference ?? ''}`;
    const repeats = seen.get(base) ?? 0;
    seen.set(base, repeats + 1);
    const shortId = shortImageId(summary.id);
    return {
      key: repeats === 0 ? base : `${base}\u0000${repeats}`,
      engineId,
      engineLabel,
      summary,
      reference,
      shortId,
      testImage: isCrossdockTestImage(summary.labels),
      // The repository alone too: file and folder images have a name but no tag.
      haystack: [engineLabel, reference ?? '<none>:<none>', summary.repository ?? '', summary.id, summary.location ?? '']
        .join('\u0000')
        .toLowerCase(),
    };
  });
}

/** Every word of the filter must appear in the engine label, "repository:tag", the repository, the id or the location. */
export function filterRows(rows: readonly ImageRow[], filter: string, hiddenEngines: ReadonlySet<string>): ImageRow[] {
  const words = filter.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
  return rows.filter(
    (row) => !hiddenEngines.has(row.engineId) && words.every((word) => row.haystack.includes(word)),
  );
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

type Compare = (a: ImageRow, b: ImageRow) => number;

/** Missing values (an untagged image, an unknown time) sort last whichever the direction. */
function nullsLast<T>(get: (row: ImageRow) => T | null, compare: (a: T, b: T) => number, sign: number): Compare {
  return (a, b) => {
    const x = get(a);
    const y = get(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return sign * compare(x, y);
  };
}

function columnCompare(column: SortColumn, sign: number): Compare {
  const text = collator.compare;
  switch (column) {
    case 'engine':
      return nullsLast((row) => row.engineLabel, text, sign);
    case 'repository':
      return nullsLast((row) => row.summary.repository, text, sign);
    case 'tag':
      return nullsLast((row) => row.summary.tag, text, sign);
    case 'id':
      return nullsLast((row) => row.shortId, text, sign);
    case 'size':
      return nullsLast((row) => row.summary.sizeBytes, (x, y) => x - y, sign);
    case 'created':
      return nullsLast((row) => row.summary.createdAt, (x, y) => Date.parse(x) - Date.parse(y), sign);
  }
}

/** Sorted copy; ties fall back to engine, repository, tag and id so the order never flickers. */
export function sortRows(rows: readonly ImageRow[], sort: ImageSort): ImageRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const order = [
    columnCompare(sort.column, sign),
    columnCompare('engine', 1),
    columnCompare('repository', 1),
    columnCompare('tag', 1),
    (a: ImageRow, b: ImageRow) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  ];
  return [...rows].sort((a, b) => {
    for (const compare of order) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  });
}

/** Clicking the sorted column flips it; another column starts the way people expect it. */
export function nextSort(current: ImageSort, column: SortColumn): ImageSort {
  if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: column === 'size' || column === 'created' ? 'desc' : 'asc' };
}

export function countDangling(rows: readonly ImageRow[], engineId: string): number {
  return rows.filter((row) => row.engineId === engineId && row.summary.dangling).length;
}
