// DELETE /images and POST /images/prune answers, as Docker 20.10 and Podman 4.3 wrote them.
import { describe, expect, it } from 'vitest';
import type { RawDeleteItem, RawPruneResponse } from '../../../electron/engines/docker-api/raw-types';
import { mapPruneResult, mapRemoveResult } from '../../../electron/engines/docker-api/remove-results';
import { parseRmiOutput } from '../../../electron/engines/podman/cli-mapping';
import { recorded } from './recorded';

describe('remove and prune results', () => {
  it('untagging one of two tags untags only', () => {
    expect(mapRemoveResult(recorded<RawDeleteItem[]>('docker-image-delete-untag.json'))).toEqual({ untagged: ['rec/busybox:two'], deleted: [] });
    expect(mapRemoveResult(recorded<RawDeleteItem[]>('podman-compat-image-delete-untag.json'))).toEqual({
      untagged: ['localhost/rec/busybox:two'],
      deleted: [],
    });
  });

  it('removing the last name deletes the image', () => {
    expect(mapRemoveResult(recorded<RawDeleteItem[]>('docker-image-delete.json'))).toEqual({
      untagged: ['rec/busybox:1'],
      deleted: ['sha256:ea540532910a988b4e76bcea8c00a7bc1e6efe61adc7575cba87ac314cea2830'],
    });
    expect(mapRemoveResult(recorded<RawDeleteItem[]>('podman-compat-image-delete.json'))).toEqual({
      untagged: ['localhost/rec/busybox:1'],
      deleted: ['0f91eb56d0fa3843cfa36eb4a4e3dfc2e243dc333abe5f62ab5410c6eddf89d4'],
    });
  });

  it('prune reports what it deleted and the space it reclaimed; nothing pruned is an empty result', () => {
    const docker = mapPruneResult(recorded<RawPruneResponse>('docker-images-prune.json'), 'docker');
    expect(docker.reclaimedBytes).toBe(1982359);
    expect(docker.deleted).toContain('sha256:925d86338623ca46c7c65e943e2ce9a8617f7fdee87b6a81b0d483c77ff0217d');
    expect(mapPruneResult(recorded<RawPruneResponse>('podman-compat-images-prune.json'), 'podman')).toEqual({
      engineId: 'podman',
      deleted: ['a1c3cc4282a6e5a17b967a9cdacb78cee0446d7480d00be8694b477b05c2e64f'],
      reclaimedBytes: 1997895,
    });
    // Docker answers null when there was nothing to prune.
    expect(mapPruneResult({ ImagesDeleted: null, SpaceReclaimed: 0 }, 'docker')).toEqual({ engineId: 'docker', deleted: [], reclaimedBytes: 0 });
  });

  it('reads `podman rmi` output lines', () => {
    expect(parseRmiOutput('Untagged: localhost/rec/x:1\nDeleted: df817bf29f73c7d26d396a77347374bedc2b37e8fd4f2af96d28562c8841bb81')).toEqual({
      untagged: ['localhost/rec/x:1'],
      deleted: ['df817bf29f73c7d26d396a77347374bedc2b37e8fd4f2af96d28562c8841bb81'],
    });
  });
});
