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
  /** Rows this engine lists for the same image (one per name): untagging one of several keeps the image. */
  namesOfImage: number;
}

export function toRows(engineId: string, engineLabel: string, images: readonly ImageSummary[]): ImageRow[] {
  const seen = new Map<string, number>();
  // A listing has a row per name, each carrying its own name only: an image's names are counted here.
  const names = new Map<string, number>();
  for (const summary of images) if (summary.repository !== null) names.set(summary.id, (names.get(summary.id) ?? 0) + 1);
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
      namesOfImage: Math.max(names.get(summary.id) ?? 0, summary.repoTags.length),
      // The repository alone too: file and folder images have a name but no tag.
      haystack: [engineLabel, reference ?? '<none>:<none>', summary.repository ?? '', summary.id, summary.location ?? '']
        .join('\u0000')
        .toLowerCase(),
    };
  });
}

/** Every word of the filter must appear in the engine label, "repository:tag", the repository, the id or the location. */
export function filterRows(rows: readonly ImageRow[], filter: string, hiddenEngines: ReadonlySet<string>): ImageRow[] {
  const words = filterWords(filter);
  return rows.filter(
    (row) => !hiddenEngines.has(row.engineId) && words.every((word) => row.haystack.includes(word)),
  );
}

export function filterWords(filter: string): string[] {
  return filter.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * What sorting needs of one list entry (a row, or several engines' copies shown as one). Text is
 * compared through ranks: each distinct value is collated once, then entries compare as numbers,
 * so 10,000 entries with equal times do not fall to 130,000 collator calls.
 */
export interface SortFields {
  key: string;
  engineText: string;
  repository: string | null;
  tag: string | null;
  shortId: string;
  sizeBytes: number;
  createdAt: string | null;
}

type Column = { values: Float64Array; sign: number };

/** Distinct texts collated once; NaN stands for "no value" (sorted last). */
function textColumn<T>(items: readonly T[], get: (item: T) => string | null, sign: number): Column {
  const distinct = new Map<string, number>();
  for (const item of items) {
    const value = get(item);
    if (value !== null) distinct.set(value, 0);
  }
  const ordered = [...distinct.keys()].sort(collator.compare);
  // Values the collator calls equal ("Alpha", "alpha") share a rank, as they did compared directly.
  let rank = 0;
  ordered.forEach((value, index) => {
    if (index > 0 && collator.compare(ordered[index - 1]!, value) !== 0) rank += 1;
    distinct.set(value, rank);
  });
  const values = new Float64Array(items.length);
  items.forEach((item, index) => {
    const value = get(item);
    values[index] = value === null ? Number.NaN : distinct.get(value)!;
  });
  return { values, sign };
}

function numberColumn<T>(items: readonly T[], get: (item: T) => number | null, sign: number): Column {
  const values = new Float64Array(items.length);
  items.forEach((item, index) => {
    const value = get(item);
    values[index] = value === null || !Number.isFinite(value) ? Number.NaN : value;
  });
  return { values, sign };
}

function sortColumn(items: readonly SortFields[], column: SortColumn, sign: number): Column {
  switch (column) {
    case 'engine':
      return textColumn(items, (item) => item.engineText, sign);
    case 'repository':
      return textColumn(items, (item) => item.repository, sign);
    case 'tag':
      return textColumn(items, (item) => item.tag, sign);
    case 'id':
      return textColumn(items, (item) => item.shortId, sign);
    case 'size':
      return numberColumn(items, (item) => item.sizeBytes, sign);
    case 'created':
      return numberColumn(items, (item) => (item.createdAt === null ? null : Date.parse(item.createdAt)), sign);
  }
}

/** Sorted copy; ties fall back to engine, repository, tag and key so the order never flickers. */
export function sortBy<T>(items: readonly T[], fields: (item: T) => SortFields, sort: ImageSort): T[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const order: SortColumn[] = [sort.column, ...(['engine', 'repository', 'tag'] as const).filter((column) => column !== sort.column)];
  const all = items.map(fields);
  const columns = order.map((column, index) => sortColumn(all, column, index === 0 ? sign : 1));
  const keys = all.map((item) => item.key);
  const indices = Array.from(items.keys());
  indices.sort((a, b) => {
    for (const { values, sign: direction } of columns) {
      const x = values[a]!;
      const y = values[b]!;
      if (x === y) continue;
      // Missing values sort last whichever the direction.
      if (Number.isNaN(x)) {
        if (Number.isNaN(y)) continue;
        return 1;
      }
      if (Number.isNaN(y)) return -1;
      return direction * (x - y);
    }
    const p = keys[a]!;
    const q = keys[b]!;
    return p < q ? -1 : p > q ? 1 : 0;
  });
  return indices.map((index) => items[index]!);
}

export function rowSortFields(row: ImageRow): SortFields {
  return {
    key: row.key,
    engineText: row.engineLabel,
    repository: row.summary.repository,
    tag: row.summary.tag,
    shortId: row.shortId,
    sizeBytes: row.summary.sizeBytes,
    createdAt: row.summary.createdAt,
  };
}

/** Sorted copy of engine rows (see sortBy). */
export function sortRows(rows: readonly ImageRow[], sort: ImageSort): ImageRow[] {
  return sortBy(rows, rowSortFields, sort);
}

/** Clicking the sorted column flips it; another column starts the way people expect it. */
export function nextSort(current: ImageSort, column: SortColumn): ImageSort {
  if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: column === 'size' || column === 'created' ? 'desc' : 'asc' };
}

export function countDangling(rows: readonly ImageRow[], engineId: string): number {
  return rows.filter((row) => row.engineId === engineId && row.summary.dangling).length;
}
