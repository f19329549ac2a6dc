// Names as engines write them, and the last check before an id or reference reaches an engine.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/errors';
import { checkedImageId, checkedReference, isNoneName, splitReference } from '../../../electron/engines/docker-api/references';

describe('splitReference', () => {
  it.each([
    ['busybox:1.36', 'busybox', '1.36'],
    ['localhost/rec/busybox:two', 'localhost/rec/busybox', 'two'],
    ['registry.example:5000/team/tool:2', 'registry.example:5000/team/tool', '2'],
    ['registry.example:5000/team/tool', 'registry.example:5000/team/tool', null],
    ['tool@sha256:' + 'a'.repeat(64), 'tool', null],
  ])('%s -> %s / %s', (reference, repository, tag) => {
    expect(splitReference(reference)).toEqual({ repository, tag });
  });

  it('knows Docker\'s placeholders for "no name"', () => {
    expect(isNoneName('<none>:<none>')).toBe(true);
    expect(isNoneName('<none>@<none>')).toBe(true);
    expect(isNoneName('none:latest')).toBe(false);
  });
});

describe('reference and id validation', () => {
  it('accepts real references and ids', () => {
    expect(checkedReference('localhost/crossdock-test/busybox:abc', 'podman')).toBe('localhost/crossdock-test/busybox:abc');
    expect(checkedImageId('sha256:' + 'f'.repeat(64), 'docker')).toBe('sha256:' + 'f'.repeat(64));
    expect(checkedImageId('0f91eb56d0fa', 'docker')).toBe('0f91eb56d0fa');
  });

  it.each(['-rf', '--all', '$(reboot)', 'a b', 'x;rm', '', 'x'.repeat(600)])('rejects reference %j as invalid-request', (reference) => {
    expect(() => checkedReference(reference, 'podman')).toThrow(ApiError);
    try {
      checkedReference(reference, 'podman');
    } catch (error) {
      expect((error as ApiError).kind).toBe('invalid-request');
      expect((error as ApiError).engineId).toBe('podman');
    }
  });

  it.each(['-f', 'busybox', 'sha256:xyz', '../../etc'])('rejects image id %j', (id) => {
    expect(() => checkedImageId(id, 'docker')).toThrow(/is not an image id/);
  });
});
