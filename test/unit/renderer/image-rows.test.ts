import { describe, expect, it } from 'vitest';
import { countDangling, filterRows, nextSort, sortRows, toRows, type ImageRow } from '../../../renderer/lib/image-rows';
import { imageSummary } from './fixtures';

function rowsOf(): ImageRow[] {
  return [
    ...toRows('alpha', 'Alpha', [
      imageSummary({ repository: 'busybox', tag: '1.36', sizeBytes: 4_000_000, createdAt: '2025-01-01T00:00:00Z' }),
      imageSummary({ repository: 'python', tag: '3.12', sizeBytes: 900_000_000, createdAt: '2026-01-01T00:00:00Z' }),
      imageSummary({ repository: null, tag: null, repoTags: [], dangling: true, sizeBytes: 10, createdAt: null }),
    ]),
    ...toRows('beta', 'Beta', [
      imageSummary({ engineId: 'beta', repository: 'alpine', tag: '3.20', sizeBytes: 7_000_000, createdAt: '2024-06-01T00:00:00Z' }),
    ]),
  ];
}

const names = (rows: ImageRow[]) => rows.map((row) => row.reference ?? '<none>');

describe('toRows', () => {
  it('tags every row with its engine, reference and short id', () => {
    const [row] = toRows('alpha', 'Alpha', [imageSummary({ id: `sha256:${'ab'.repeat(32)}` })]);
    expect(row).toMatchObject({ engineId: 'alpha', engineLabel: 'Alpha', reference: 'library/busybox:latest', shortId: 'abababababab' });
  });

  it('marks Crossdock\'s own test image by its label, and no other', () => {
    const [probe, user] = toRows('alpha', 'Alpha', [
      imageSummary({ repository: 'crossdock-probe', tag: '1', labels: { 'org.crossdock.probe': '1' } }),
      imageSummary({ repository: 'crossdock-probe', tag: '1', labels: { 'org.example.other': '1' } }),
    ]);
    expect(probe!.testImage).toBe(true);
    // The name alone proves nothing: anyone may call an image that.
    expect(user!.testImage).toBe(false);
  });

  it('gives repeated rows distinct keys', () => {
    const image = imageSummary();
    const rows = toRows('alpha', 'Alpha', [image, image]);
    expect(new Set(rows.map((row) => row.key)).size).toBe(2);
  });
});

describe('filterRows', () => {
  it('matches every word against engine, repository, tag and id', () => {
    const rows = rowsOf();
    expect(names(filterRows(rows, 'python', new Set()))).toEqual(['python:3.12']);
    expect(names(filterRows(rows, 'beta', new Set()))).toEqual(['alpine:3.20']);
    expect(names(filterRows(rows, 'ALPHA 1.36', new Set()))).toEqual(['busybox:1.36']);
    expect(names(filterRows(rows, rows[1]!.shortId, new Set()))).toEqual(['python:3.12']);
    expect(names(filterRows(rows, 'busybox:1.36', new Set()))).toEqual(['busybox:1.36']);
    expect(names(filterRows(rows, '<none>', new Set()))).toEqual(['<none>']);
    expect(filterRows(rows, '  ', new Set())).toHaveLength(4);
  });

  it('leaves out hidden engines', () => {
    expect(names(filterRows(rowsOf(), '', new Set(['alpha'])))).toEqual(['alpine:3.20']);
  });
});

describe('sortRows', () => {
  it('sorts by size both ways', () => {
    const rows = rowsOf();
    expect(names(sortRows(rows, { column: 'size', direction: 'desc' }))).toEqual(['python:3.12', 'alpine:3.20', 'busybox:1.36', '<none>']);
    expect(names(sortRows(rows, { column: 'size', direction: 'asc' }))).toEqual(['<none>', 'busybox:1.36', 'alpine:3.20', 'python:3.12']);
  });

  it('puts missing values last whichever the direction', () => {
    const rows = rowsOf();
    expect(names(sortRows(rows, { column: 'created', direction: 'desc' })).at(-1)).toBe('<none>');
    expect(names(sortRows(rows, { column: 'created', direction: 'asc' })).at(-1)).toBe('<none>');
    expect(names(sortRows(rows, { column: 'repository', direction: 'asc' }))).toEqual(['alpine:3.20', 'busybox:1.36', 'python:3.12', '<none>']);
  });

  it('breaks ties by engine then repository', () => {
    const rows = rowsOf();
    expect(names(sortRows(rows, { column: 'engine', direction: 'desc' }))).toEqual(['alpine:3.20', 'busybox:1.36', 'python:3.12', '<none>']);
  });

  it('does not change its input', () => {
    const rows = rowsOf();
    const before = names(rows);
    sortRows(rows, { column: 'tag', direction: 'asc' });
    expect(names(rows)).toEqual(before);
  });

  it('sorts 10,000 rows with many equal times by their names, as the collator orders them', () => {
    // Speed belongs to the bench; here, that the ranked comparison orders like the collator.
    const many = toRows('alpha', 'Alpha', Array.from({ length: 10_000 }, (_, i) => imageSummary({ repository: `repo-${i % 997}`, tag: `${i}` })));
    const sorted = sortRows(many, { column: 'created', direction: 'desc' });
    const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
    const misordered: string[] = [];
    for (let i = 1; i < sorted.length; i += 1) {
      const [a, b] = [sorted[i - 1]!.summary, sorted[i]!.summary];
      if ((collator.compare(a.repository!, b.repository!) || collator.compare(a.tag!, b.tag!)) > 0) misordered.push(`${a.repository}:${a.tag} before ${b.repository}:${b.tag}`);
    }
    expect(misordered).toEqual([]);
    expect(sorted[0]!.summary.repository).toBe('repo-0');
    expect(sorted.slice(0, 3).map((row) => row.summary.tag)).toEqual(['0', '997', '1994']);
    expect(filterRows(many, 'repo-5', new Set()).length).toBeGreaterThan(0);
  });

  it('treats names the collator calls equal as ties, broken by the next column', () => {
    const rows = toRows('alpha', 'Alpha', [
      imageSummary({ repository: 'Busybox', tag: '2' }),
      imageSummary({ repository: 'busybox', tag: '10' }),
      imageSummary({ repository: 'busybox', tag: '1' }),
    ]);
    expect(names(sortRows(rows, { column: 'repository', direction: 'asc' }))).toEqual(['busybox:1', 'Busybox:2', 'busybox:10']);
  });
});

describe('nextSort', () => {
  it('flips the sorted column and starts others in their natural direction', () => {
    expect(nextSort({ column: 'size', direction: 'desc' }, 'size')).toEqual({ column: 'size', direction: 'asc' });
    expect(nextSort({ column: 'size', direction: 'desc' }, 'repository')).toEqual({ column: 'repository', direction: 'asc' });
    expect(nextSort({ column: 'tag', direction: 'asc' }, 'created')).toEqual({ column: 'created', direction: 'desc' });
  });
});

describe('countDangling', () => {
  it('counts the dangling rows of one engine', () => {
    expect(countDangling(rowsOf(), 'alpha')).toBe(1);
    expect(countDangling(rowsOf(), 'beta')).toBe(0);
  });
});
