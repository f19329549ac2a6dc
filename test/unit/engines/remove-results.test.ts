// DELETE /images and POST /images/prune answers, as Docker 20.10 and Podman 4.3 wrote them.
// Docker lists the deleted image's layers under "Deleted" too; they must be counted, not shown as images.
import { describe, expect, it } from 'vitest';
import type { RawDeleteItem, RawPruneResponse } from '../../../electron/engines/docker-api/raw-types';
import { isFullImageId, mapPruneResult, mapRemoveResult, splitDeleted } from '../../../electron/engines/docker-api/remove-results';
import { parseRmiOutput } from '../../../electron/engines/podman/cli-mapping';
import { recorded } from './recorded';

const dockerImage = 'sha256:ea540532910a988b4e76bcea8c00a7bc1e6efe61adc7575cba87ac314cea2830';
const podmanImage = 'sha256:0f91eb56d0fa3843cfa36eb4a4e3dfc2e243dc333abe5f62ab5410c6eddf89d4';
// In the recorded prune, 925d… is the dangling image (docker-images.json) and 2a22… its layer (RootFS).
const dockerDangling = 'sha256:925d86338623ca46c7c65e943e2ce9a8617f7fdee87b6a81b0d483c77ff0217d';
const podmanDangling = 'sha256:a1c3cc4282a6e5a17b967a9cdacb78cee0446d7480d00be8694b477b05c2e64f';

describe('remove and prune results', () => {
  it('untagging one of two tags untags only', () => {
    expect(mapRemoveResult(recorded<RawDeleteItem[]>('docker-image-delete-untag.json'), dockerImage)).toEqual({
      untagged: ['rec/busybox:two'],
      deleted: [],
      layersDeleted: 0,
    });
    expect(mapRemoveResult(recorded<RawDeleteItem[]>('podman-compat-image-delete-untag.json'), podmanImage)).toEqual({
      untagged: ['localhost/rec/busybox:two'],
      deleted: [],
      layersDeleted: 0,
    });
  });

  it('removing the last name deletes the image; Podman\'s bare hex id matches the "sha256:" one', () => {
    expect(mapRemoveResult(recorded<RawDeleteItem[]>('docker-image-delete.json'), dockerImage)).toEqual({
      untagged: ['rec/busybox:1'],
      deleted: [dockerImage],
      layersDeleted: 0,
    });
    expect(mapRemoveResult(recorded<RawDeleteItem[]>('podman-compat-image-delete.json'), podmanImage)).toEqual({
      untagged: ['localhost/rec/busybox:1'],
      deleted: ['0f91eb56d0fa3843cfa36eb4a4e3dfc2e243dc333abe5f62ab5410c6eddf89d4'],
      layersDeleted: 0,
    });
  });

  it('the layers Docker deletes with an image are counted apart', () => {
    const layer = `sha256:${'b'.repeat(64)}`;
    const answer: RawDeleteItem[] = [{ Untagged: 'rec/x:1' }, { Deleted: dockerImage }, { Deleted: layer }];
    expect(mapRemoveResult(answer, dockerImage)).toEqual({ untagged: ['rec/x:1'], deleted: [dockerImage], layersDeleted: 1 });
  });

  it('prune counts as images only the dangling images listed before; the rest are layers', () => {
    expect(mapPruneResult(recorded<RawPruneResponse>('docker-images-prune.json'), 'docker', [dockerDangling])).toEqual({
      engineId: 'docker',
      deleted: [dockerDangling],
      layersDeleted: 1,
      reclaimedBytes: 1982359,
    });
    expect(mapPruneResult(recorded<RawPruneResponse>('podman-compat-images-prune.json'), 'podman', [podmanDangling])).toEqual({
      engineId: 'podman',
      deleted: ['a1c3cc4282a6e5a17b967a9cdacb78cee0446d7480d00be8694b477b05c2e64f'],
      layersDeleted: 0,
      reclaimedBytes: 1997895,
    });
    // Docker answers null when there was nothing to prune.
    expect(mapPruneResult({ ImagesDeleted: null, SpaceReclaimed: 0 }, 'docker', [])).toEqual({
      engineId: 'docker',
      deleted: [],
      layersDeleted: 0,
      reclaimedBytes: 0,
    });
  });

  it('only a full id is taken as is; a prefix must be resolved', () => {
    expect(isFullImageId(dockerImage)).toBe(true);
    expect(isFullImageId(dockerImage.slice('sha256:'.length))).toBe(true);
    expect(isFullImageId('ea540532910a')).toBe(false);
    // A prefix never matches by accident: ids are compared whole.
    expect(splitDeleted([dockerImage], ['ea540532910a'])).toEqual({ deleted: [], layersDeleted: 1 });
  });

  it('reads `podman rmi` output lines', () => {
    expect(parseRmiOutput('Untagged: localhost/rec/x:1\nDeleted: df817bf29f73c7d26d396a77347374bedc2b37e8fd4f2af96d28562c8841bb81')).toEqual({
      untagged: ['localhost/rec/x:1'],
      deleted: ['df817bf29f73c7d26d396a77347374bedc2b37e8fd4f2af96d28562c8841bb81'],
    });
  });
});
