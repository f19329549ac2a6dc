// One image held by several engines is one entry with a badge per engine (issue 8): rows of one
// content digest and one name (however each engine spells it) merge; rows without a digest stay
// alone; the engine filter keeps an entry while any engine holding it is shown.
import { describe, expect, it } from 'vitest';
import { statusChangeRelists } from '../../../renderer/api/use-change-feed';
import { copiesOf, filterGroups, groupRows, indexOfRowKey, sortGroups, type ImageGroup } from '../../../renderer/lib/image-groups';
import { toRows, type ImageRow } from '../../../renderer/lib/image-rows';
import { describeRemoval } from '../../../renderer/lib/removal';
import { engineStatus, imageSummary } from './fixtures';

const digest = (c: string) => `sha256:${c.repeat(64)}`;

function listing(): ImageRow[] {
  const busybox = digest('b');
  return [
    ...toRows('docker', 'Docker', [
      imageSummary({ engineId: 'docker', id: busybox, contentDigest: busybox, repository: 'crossdock-test/busybox', tag: 'x1', repoTags: ['crossdock-test/busybox:x1'], createdAt: '2026-01-02T00:00:00.000Z' }),
      // The same image under a second name: a row of its own (names are not merged with each other).
      imageSummary({ engineId: 'docker', id: busybox, contentDigest: busybox, repository: 'crossdock-test/busybox', tag: 'other', repoTags: ['crossdock-test/busybox:other'] }),
      imageSummary({ engineId: 'docker', id: digest('a'), contentDigest: digest('a'), repository: 'alpine', tag: '3', repoTags: ['alpine:3'] }),
      imageSummary({ engineId: 'docker', id: digest('d'), contentDigest: digest('d'), repository: null, tag: null, repoTags: [], dangling: true }),
    ]),
    ...toRows('podman', 'Podman', [
      imageSummary({ engineId: 'podman', id: busybox, contentDigest: busybox, repository: 'docker.io/crossdock-test/busybox', tag: 'x1', repoTags: ['docker.io/crossdock-test/busybox:x1'] }),
      // Same content, another name: not the same entry (a user looks for names).
      imageSummary({ engineId: 'podman', id: busybox, contentDigest: busybox, repository: 'localhost/renamed', tag: 'x1', repoTags: ['localhost/renamed:x1'] }),
      // Same name, other content: not the same image.
      imageSummary({ engineId: 'podman', id: digest('e'), contentDigest: digest('e'), repository: 'alpine', tag: '3', repoTags: ['alpine:3'] }),
      imageSummary({ engineId: 'podman', id: digest('d'), contentDigest: digest('d'), repository: null, tag: null, repoTags: [], dangling: true }),
    ]),
    ...toRows('udocker', 'udocker', [
      // A copy Crossdock made: its own id, the source's content digest.
      imageSummary({ engineId: 'udocker', id: 'crossdock-test/busybox:x1', contentDigest: busybox, repository: 'crossdock-test/busybox', tag: 'x1', repoTags: ['crossdock-test/busybox:x1'] }),
      // No digest: alone, whatever its name.
      imageSummary({ engineId: 'udocker', id: 'alpine:3', repository: 'alpine', tag: '3', repoTags: ['alpine:3'] }),
    ]),
  ];
}

const describeGroup = (group: ImageGroup) => `${group.primary.reference ?? '<none>'} [${group.engines.map((engine) => engine.id).join(' ')}]`;

describe('groupRows', () => {
  it('merges one digest and one name across engines into one entry, a badge per engine', () => {
    const groups = groupRows(listing());
    expect(groups.map(describeGroup).sort()).toEqual([
      '<none> [docker podman]',
      'alpine:3 [docker]',
      'alpine:3 [podman]',
      'alpine:3 [udocker]',
      'crossdock-test/busybox:other [docker]',
      'crossdock-test/busybox:x1 [docker podman udocker]',
      'localhost/renamed:x1 [podman]',
    ]);
    const busybox = groups.find((group) => group.engines.length === 3)!;
    // The copies, each engine's own row, in the order of the engines' labels; the first stands for it.
    expect(busybox.rows.map((row) => row.reference)).toEqual(['crossdock-test/busybox:x1', 'docker.io/crossdock-test/busybox:x1', 'crossdock-test/busybox:x1']);
    expect(busybox.primary.engineId).toBe('docker');
    expect(new Set(groups.map((group) => group.key)).size).toBe(groups.length);
  });

  it('keeps every row when each digest is in one engine only (the usual list), and keeps keys stable', () => {
    const rows = toRows('docker', 'Docker', Array.from({ length: 50 }, (_, i) => imageSummary({ contentDigest: digest(String(i % 10)), repository: `r${i}`, tag: 't' })));
    const groups = groupRows(rows);
    expect(groups).toHaveLength(50);
    expect(groups.map((group) => group.key).sort()).toEqual(rows.map((row) => row.key).sort());
    expect(groupRows(rows).map((group) => group.key)).toEqual(groups.map((group) => group.key));
  });

  it('puts two spellings of one name in one engine together only beside another engine\'s copy', () => {
    const same = digest('f');
    const rows = [
      ...toRows('podman', 'Podman', [
        imageSummary({ engineId: 'podman', id: same, contentDigest: same, repository: 'localhost/x', tag: '1' }),
        imageSummary({ engineId: 'podman', id: same, contentDigest: same, repository: 'docker.io/library/x', tag: '1' }),
      ]),
    ];
    expect(groupRows(rows)).toHaveLength(2);
    const withDocker = [...rows, ...toRows('docker', 'Docker', [imageSummary({ engineId: 'docker', id: same, contentDigest: same, repository: 'x', tag: '1' })])];
    const [group] = groupRows(withDocker);
    expect(groupRows(withDocker)).toHaveLength(1);
    expect(group!.engines.map((engine) => engine.id)).toEqual(['docker', 'podman']);
    expect(group!.rows).toHaveLength(3);
  });
});

describe('filterGroups and sortGroups', () => {
  it('shows a merged entry while any engine holding it is shown', () => {
    const groups = groupRows(listing());
    const shown = (hidden: string[], filter = '') => filterGroups(groups, filter, new Set(hidden)).map(describeGroup).sort();
    expect(shown(['docker'])).toContain('docker.io/crossdock-test/busybox:x1 [docker podman udocker]');
    expect(shown(['docker', 'podman'])).toEqual(['alpine:3 [udocker]', 'crossdock-test/busybox:x1 [docker podman udocker]']);
    expect(shown(['docker', 'podman', 'udocker'])).toEqual([]);
    expect(shown([])).toHaveLength(groups.length);
    // With Docker hidden, the entry stands for Podman's copy (what it opens), and still shows every badge.
    const merged = filterGroups(groups, 'x1', new Set(['docker'])).find((group) => group.engines.length === 3)!;
    expect(merged.primary.engineId).toBe('podman');
    expect(merged.engines.map((engine) => engine.id)).toEqual(['docker', 'podman', 'udocker']);
  });

  it('matches the filter against every copy: engine names and each engine\'s spelling', () => {
    const groups = groupRows(listing());
    const shown = (filter: string) => filterGroups(groups, filter, new Set()).map(describeGroup).sort();
    expect(shown('udocker busybox')).toEqual(['crossdock-test/busybox:x1 [docker podman udocker]']);
    expect(shown('docker.io/crossdock-test')).toEqual(['crossdock-test/busybox:x1 [docker podman udocker]']);
    expect(shown('renamed')).toEqual(['localhost/renamed:x1 [podman]']);
  });

  it('sorts entries by engine names, name, and time like rows', () => {
    const groups = groupRows(listing());
    const byEngine = sortGroups(groups, { column: 'engine', direction: 'asc' }).map(describeGroup);
    expect(byEngine[0]).toBe('alpine:3 [docker]');
    // "Docker, Podman" sorts after "Docker" and before "Podman".
    expect(byEngine.indexOf('<none> [docker podman]')).toBeGreaterThan(byEngine.indexOf('crossdock-test/busybox:other [docker]'));
    expect(byEngine.indexOf('crossdock-test/busybox:x1 [docker podman udocker]')).toBeLessThan(byEngine.indexOf('alpine:3 [podman]'));
    expect(sortGroups(groups, { column: 'created', direction: 'desc' }).map(describeGroup)[0]).toBe('crossdock-test/busybox:x1 [docker podman udocker]');
  });

  it('finds the entry of a selected copy, whichever engine\'s copy it is', () => {
    const rows = listing();
    const groups = groupRows(rows);
    const podmanCopy = rows.find((row) => row.engineId === 'podman' && row.reference === 'docker.io/crossdock-test/busybox:x1')!;
    expect(groups[indexOfRowKey(groups, podmanCopy.key)]!.engines).toHaveLength(3);
    expect(indexOfRowKey(groups, null)).toBe(-1);
    expect(indexOfRowKey(groups, 'nothing')).toBe(-1);
  });
});

describe('copiesOf', () => {
  it('gives the detail pane every engine\'s copy of the opened image, the opened one first', () => {
    const rows = listing();
    const podmanCopy = rows.find((row) => row.engineId === 'podman' && row.reference === 'docker.io/crossdock-test/busybox:x1')!;
    expect(copiesOf(rows, podmanCopy).map((row) => row.engineId)).toEqual(['podman', 'docker', 'udocker']);
    const alone = rows.find((row) => row.reference === 'localhost/renamed:x1')!;
    expect(copiesOf(rows, alone)).toEqual([alone]);
    const noDigest = rows.find((row) => row.engineId === 'udocker' && row.reference === 'alpine:3')!;
    expect(copiesOf(rows, noDigest)).toEqual([noDigest]);
  });
});

describe('removal wording with a row per name', () => {
  it('counts the image\'s other names from the listing\'s rows, each carrying only its own', () => {
    const rows = listing();
    const x1 = rows.find((row) => row.engineId === 'docker' && row.reference === 'crossdock-test/busybox:x1')!;
    expect(x1.summary.repoTags).toEqual(['crossdock-test/busybox:x1']);
    expect(describeRemoval(x1).sentence).toMatch(/stays: it has 1 other tag\./);
    const alpine = rows.find((row) => row.engineId === 'docker' && row.reference === 'alpine:3')!;
    expect(describeRemoval(alpine).sentence).toContain('is deleted too');
  });
});

describe('statusChangeRelists', () => {
  it('re-lists on a change of state, never for the status a new window already had', () => {
    const ready = engineStatus({ id: 'docker', state: 'ready' });
    expect(statusChangeRelists(undefined, ready)).toBe(false);
    expect(statusChangeRelists(ready, { ...ready, checkedAt: '2026-11-23T11:00:00.000Z', detectMs: 3 })).toBe(false);
    expect(statusChangeRelists({ ...ready, state: 'checking' }, ready)).toBe(true);
    expect(statusChangeRelists({ ...ready, state: 'unreachable' }, ready)).toBe(true);
    expect(statusChangeRelists(ready, { ...ready, version: '99.0' })).toBe(true);
  });
});
