// The Docker-API mappers against answers recorded from Docker 20.10 and Podman 4.3's compatible
// API, and the CLI adapters against `podman images/inspect/history --format json`.
import { describe, expect, it } from 'vitest';
import { ImageDetailSchema, ImageSummarySchema } from '../../../shared/model';
import { mapImageDetail } from '../../../electron/engines/docker-api/image-detail';
import { mapImageList } from '../../../electron/engines/docker-api/image-summary';
import type { RawHistoryEntry, RawImageInspect, RawImageListEntry } from '../../../electron/engines/docker-api/raw-types';
import { fromCliHistory, fromCliImages, fromCliInspect, type PodmanCliHistoryEntry, type PodmanCliImage } from '../../../electron/engines/podman/cli-mapping';
import { recorded } from './recorded';

describe('image list mapping', () => {
  it('Docker: a row per tag, one row with null repository/tag for a dangling image, "<none>" names dropped', () => {
    const rows = mapImageList(recorded<RawImageListEntry[]>('docker-images.json'), 'docker');
    for (const row of rows) ImageSummarySchema.parse(row);
    expect(rows.map((row) => [row.repository, row.tag, row.dangling])).toEqual([
      [null, null, true],
      ['rec/busybox', '1', false],
      ['rec/busybox', 'two', false],
    ]);
    const dangling = rows[0]!;
    expect(dangling).toMatchObject({
      id: 'sha256:925d86338623ca46c7c65e943e2ce9a8617f7fdee87b6a81b0d483c77ff0217d',
      repoTags: [],
      repoDigests: [],
      sizeBytes: 1982359,
      containers: -1,
      labels: {},
      createdAt: new Date(1795424795 * 1000).toISOString(),
    });
    // Each row carries its own name only: the answer grows with the names, not their square.
    expect(rows[1]).toMatchObject({ repoTags: ['rec/busybox:1'], labels: { 'org.example.x': 'y' }, engineId: 'docker' });
    expect(rows[2]).toMatchObject({ repoTags: ['rec/busybox:two'] });
  });

  it('stays linear in the tags of one image: a row holds its own name and its own repository\'s digests', () => {
    const digest = (repository: string) => `${repository}@sha256:${'d'.repeat(64)}`;
    const tags = Array.from({ length: 1000 }, (_, i) => `many/tags:t${i}`);
    const rows = mapImageList(
      [{ Id: `sha256:${'e'.repeat(64)}`, RepoTags: [...tags, 'other/repo:1'], RepoDigests: [digest('many/tags'), digest('other/repo')], Created: 1, Size: 1, Labels: null, Containers: 0 }],
      'docker',
    );
    expect(rows).toHaveLength(1001);
    expect(rows.every((row) => row.repoTags.length === 1 && row.repoTags[0] === `${row.repository}:${row.tag}`)).toBe(true);
    expect(rows[0]!.repoDigests).toEqual([digest('many/tags')]);
    expect(rows[1000]!.repoDigests).toEqual([digest('other/repo')]);
    // 1,001 rows of a few hundred bytes each, not 1,001 copies of 1,001 names.
    expect(JSON.stringify(rows).length).toBeLessThan(1001 * 600);
  });

  it('Podman compatible API: "localhost/" names kept as the engine wrote them, null RepoTags is dangling', () => {
    const rows = mapImageList(recorded<RawImageListEntry[]>('podman-compat-images.json'), 'podman');
    for (const row of rows) ImageSummarySchema.parse(row);
    expect(rows.map((row) => [row.repository, row.tag, row.dangling, row.containers])).toEqual([
      ['localhost/rec/busybox', '1', false, 0],
      ['localhost/rec/busybox', 'two', false, 0],
      [null, null, true, 0],
    ]);
    expect(rows[0]!.repoDigests).toHaveLength(1);
  });

  it('podman CLI: the image podman lists once per name becomes one image, a row per name', () => {
    const raw = recorded<PodmanCliImage[]>('podman-cli-images.json');
    expect(raw).toHaveLength(3);
    const rows = mapImageList(fromCliImages(raw), 'podman');
    for (const row of rows) ImageSummarySchema.parse(row);
    expect(rows.map((row) => [row.id, row.repository, row.tag])).toEqual([
      ['sha256:0f91eb56d0fa3843cfa36eb4a4e3dfc2e243dc333abe5f62ab5410c6eddf89d4', 'localhost/rec/busybox', '1'],
      ['sha256:0f91eb56d0fa3843cfa36eb4a4e3dfc2e243dc333abe5f62ab5410c6eddf89d4', 'localhost/rec/busybox', 'two'],
      ['sha256:a1c3cc4282a6e5a17b967a9cdacb78cee0446d7480d00be8694b477b05c2e64f', null, null],
    ]);
    expect(rows[2]).toMatchObject({ dangling: true, sizeBytes: 1997895 });
  });
});

describe('image detail mapping', () => {
  it('Docker: command, environment, labels, architecture, layers and history', () => {
    const detail = mapImageDetail(
      recorded<RawImageInspect>('docker-image-inspect.json'),
      recorded<RawHistoryEntry[]>('docker-image-history.json'),
      'docker',
    );
    ImageDetailSchema.parse(detail);
    expect(detail).toMatchObject({
      architecture: 'amd64',
      os: 'linux',
      variant: null,
      author: null,
      entrypoint: null,
      cmd: ['/bin/sh'],
      env: ['FOO=bar'],
      workingDir: null,
      user: null,
      exposedPorts: [],
      labels: { 'org.example.x': 'y' },
      layers: ['sha256:2a22bba75de2b91e5b4cb6aa2ed01a8261b361fe648d86e14ab4cf58323f8a74'],
    });
    expect(detail.summary).toMatchObject({ repository: 'rec/busybox', tag: '1', createdAt: '2026-11-23T09:06:34.867Z', containers: -1 });
    // The detail names the whole image: every name it has.
    expect(detail.summary.repoTags).toEqual(['rec/busybox:1', 'rec/busybox:two']);
    expect(detail.history).toEqual([
      { createdAt: new Date(1795424794 * 1000).toISOString(), createdBy: '', sizeBytes: 1982359, comment: 'Imported from -', emptyLayer: false },
    ]);
  });

  it('Podman compatible API: the same shape', () => {
    const detail = mapImageDetail(
      recorded<RawImageInspect>('podman-compat-image-inspect.json'),
      recorded<RawHistoryEntry[]>('podman-compat-image-history.json'),
      'podman',
    );
    ImageDetailSchema.parse(detail);
    expect(detail.summary).toMatchObject({ repository: 'localhost/rec/busybox', tag: '1' });
    expect(detail.cmd).toEqual(['/bin/sh']);
    expect(detail.labels).toEqual({});
    expect(detail.history[0]!.createdBy).toMatch(/ADD file:/);
  });

  it('podman CLI: inspect without "sha256:" and RFC 3339 history times', () => {
    const [inspect] = recorded<RawImageInspect[]>('podman-cli-image-inspect.json');
    const history = fromCliHistory(recorded<PodmanCliHistoryEntry[]>('podman-cli-image-history.json'));
    const detail = mapImageDetail(fromCliInspect(inspect!), history, 'podman');
    ImageDetailSchema.parse(detail);
    expect(detail.summary.id).toBe('sha256:0f91eb56d0fa3843cfa36eb4a4e3dfc2e243dc333abe5f62ab5410c6eddf89d4');
    expect(detail.env).toEqual(['FOO=bar']);
    expect(detail.history).toEqual([
      {
        createdAt: '2026-11-23T09:06:37.000Z',
        createdBy: '/bin/sh -c #(nop) ADD file:2a22bba75de2b91e5b4cb6aa2ed01a8261b361fe648d86e14ab4cf58323f8a74 in /',
        sizeBytes: 1996800,
        comment: 'imported from tarball',
        emptyLayer: false,
      },
    ]);
  });
});
