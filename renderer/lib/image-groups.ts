// One image held by several engines is one entry of the list, with an engine badge each: rows of
// one content digest (the same image, whatever each engine calls its id) and one name (however
// each engine spells it: "busybox:1", "docker.io/library/busybox:1", "localhost/busybox:1") are
// merged. Rows without a content digest stay alone. Actions still act on one engine's copy.
import { normalReference } from '../../shared/image-match';
import { filterWords, sortBy, type ImageRow, type ImageSort, type SortFields } from './image-rows';

export interface ImageGroup {
  /** The row's own key when alone; stable across refreshes either way. */
  key: string;
  /** Every engine's copy, in the order of the engines' labels; at least one. */
  rows: readonly ImageRow[];
  /** The copy the entry shows and actions start from: rows[0]. */
  primary: ImageRow;
  /** The engines holding it, each once, in the order of rows. */
  engines: ReadonlyArray<{ id: string; label: string }>;
  sort: SortFields;
}

const byEngineLabel = (a: ImageRow, b: ImageRow) =>
  a.engineLabel < b.engineLabel ? -1 : a.engineLabel > b.engineLabel ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

function groupOf(key: string, rows: ImageRow[]): ImageGroup {
  if (rows.length > 1) rows.sort(byEngineLabel);
  const primary = rows[0]!;
  const engines: Array<{ id: string; label: string }> = [];
  for (const row of rows) if (!engines.some((engine) => engine.id === row.engineId)) engines.push({ id: row.engineId, label: row.engineLabel });
  return {
    key,
    rows,
    primary,
    engines,
    sort: {
      key,
      engineText: engines.map((engine) => engine.label).join(', '),
      repository: primary.summary.repository,
      tag: primary.summary.tag,
      shortId: primary.shortId,
      sizeBytes: primary.summary.sizeBytes,
      createdAt: primary.summary.createdAt,
    },
  };
}

/** The name two engines' rows must share to be one entry: the same reference however spelled, or none. */
export function sameNameKey(row: ImageRow): string {
  return row.reference === null ? '' : normalReference(row.reference);
}

/**
 * Rows -> list entries. Only a digest seen in more than one engine costs a name comparison, so a
 * list of 10,000 images in one engine is a single pass.
 */
export function groupRows(rows: readonly ImageRow[]): ImageGroup[] {
  const byDigest = new Map<string, ImageRow[]>();
  const groups: ImageGroup[] = [];
  for (const row of rows) {
    const digest = row.summary.contentDigest;
    if (digest === undefined) {
      groups.push(groupOf(row.key, [row]));
      continue;
    }
    const same = byDigest.get(digest);
    if (same) same.push(row);
    else byDigest.set(digest, [row]);
  }
  for (const [digest, same] of byDigest) {
    if (same.length === 1 || same.every((row) => row.engineId === same[0]!.engineId)) {
      for (const row of same) groups.push(groupOf(row.key, [row]));
      continue;
    }
    const byName = new Map<string, ImageRow[]>();
    for (const row of same) {
      const name = sameNameKey(row);
      const named = byName.get(name);
      if (named) named.push(row);
      else byName.set(name, [row]);
    }
    for (const [name, named] of byName) {
      const merged = named.some((row) => row.engineId !== named[0]!.engineId);
      if (merged) groups.push(groupOf(`merged\u0000${digest}\u0000${name}`, named));
      else for (const row of named) groups.push(groupOf(row.key, [row]));
    }
  }
  return groups;
}

export function sortGroups(groups: readonly ImageGroup[], sort: ImageSort): ImageGroup[] {
  return sortBy(groups, (group) => group.sort, sort);
}

const haystacks = new WeakMap<ImageGroup, string>();

function haystackOf(group: ImageGroup): string {
  let haystack = haystacks.get(group);
  if (haystack === undefined) {
    haystack = group.rows.length === 1 ? group.primary.haystack : group.rows.map((row) => row.haystack).join('\u0000');
    haystacks.set(group, haystack);
  }
  return haystack;
}

/**
 * Every word of the filter must appear in one of its copies (engine label, name, id, location); a
 * hidden engine hides an entry only when every engine holding it is hidden.
 */
export function filterGroups(groups: readonly ImageGroup[], filter: string, hiddenEngines: ReadonlySet<string>): ImageGroup[] {
  const words = filterWords(filter);
  if (words.length === 0 && hiddenEngines.size === 0) return groups as ImageGroup[];
  const shown = groups.filter((group) => {
    if (hiddenEngines.size > 0 && group.engines.every((engine) => hiddenEngines.has(engine.id))) return false;
    if (words.length === 0) return true;
    const haystack = haystackOf(group);
    return words.every((word) => haystack.includes(word));
  });
  return hiddenEngines.size === 0 ? shown : shown.map((group) => standingForShownEngine(group, hiddenEngines));
}

/** With its first engine hidden, an entry stands for (and opens) the first shown engine's copy; the badges stay. */
function standingForShownEngine(group: ImageGroup, hiddenEngines: ReadonlySet<string>): ImageGroup {
  if (!hiddenEngines.has(group.primary.engineId)) return group;
  const primary = group.rows.find((row) => !hiddenEngines.has(row.engineId)) ?? group.primary;
  const shifted = { ...group, primary, rows: [primary, ...group.rows.filter((row) => row !== primary)] };
  haystacks.set(shifted, haystackOf(group));
  return shifted;
}

/** The entry holding the row with this key (the selection is a row: one engine's copy). */
export function indexOfRowKey(groups: readonly ImageGroup[], rowKey: string | null): number {
  if (rowKey === null) return -1;
  return groups.findIndex((group) => group.key === rowKey || group.rows.some((row) => row.key === rowKey));
}

/** Every copy of the image a row is (as groupRows merges them), the row itself first: for the detail pane. */
export function copiesOf(rows: readonly ImageRow[], row: ImageRow): ImageRow[] {
  const digest = row.summary.contentDigest;
  if (digest === undefined) return [row];
  const name = sameNameKey(row);
  const same = rows.filter((other) => other.key !== row.key && other.summary.contentDigest === digest && sameNameKey(other) === name);
  if (same.every((other) => other.engineId === row.engineId)) return [row];
  return [row, ...same.sort(byEngineLabel)];
}
