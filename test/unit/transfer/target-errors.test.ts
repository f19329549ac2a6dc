// How a target's failure is worded: a full disk names the target and the folder (and tells the
// target's storage from Crossdock's own staging folder); a dropped socket is recognised by its
// errno or Node's words; ApiErrors and other errors pass through unchanged.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/errors';
import { explainTargetFailure, isConnectionLost, isInside, saysOutOfSpace, withPath } from '../../../electron/transfer/target-errors';

const errno = (code: string, extra: Record<string, unknown> = {}): Error & { code: string; path?: string } =>
  Object.assign(new Error(`${code}: something, write`), { code, ...extra });
const staging = join(tmpdir(), 'runtime', 'transfers', 't-1', '0');

describe('explainTargetFailure', () => {
  it('a full disk in the target names the target and its folder, and keeps no raw errno text', async () => {
    const error = withPath(errno('ENOSPC'), '/srv/ch/.crossdock-transfer-1/random.bin');
    const explained = await explainTargetFailure(error, { label: 'Charliecloud', where: '/srv/ch', stagingDir: staging });
    expect(explained).toBeInstanceOf(ApiError);
    expect((explained as ApiError).message).toMatch(/^Charliecloud ran out of space in \/srv\/ch: the file system there is full/);
    expect((explained as ApiError).message).toContain('while writing /srv/ch/.crossdock-transfer-1/random.bin');
    expect((explained as ApiError).message).not.toContain('ENOSPC:');
  });

  it('a full disk under the staging folder blames Crossdock’s runtime folder, not the target', async () => {
    const error = withPath(errno('ENOSPC'), join(staging, 'image.tar'));
    const explained = (await explainTargetFailure(error, { label: 'udocker', where: '/root/.udocker', stagingDir: staging })) as ApiError;
    expect(explained.message).toMatch(/^Crossdock's runtime folder ran out of space while preparing the copy for udocker/);
  });

  it('a quota says so', async () => {
    const explained = (await explainTargetFailure(errno('EDQUOT', { path: '/home/u/x' }), { label: 'SIF file', where: '/home/u', stagingDir: staging })) as ApiError;
    expect(explained.message).toContain('the disk quota there is used up');
  });

  it('leaves ApiErrors and other errors as they were', async () => {
    const api = new ApiError('conflict', 'exists');
    expect(await explainTargetFailure(api, { label: 'x', where: null, stagingDir: staging })).toBe(api);
    const other = errno('EACCES');
    expect(await explainTargetFailure(other, { label: 'x', where: null, stagingDir: staging })).toBe(other);
  });
});

describe('the recognisers', () => {
  it('withPath names the path only where Node gave none', () => {
    expect(withPath(errno('ENOSPC', { path: '/a' }), '/b').path).toBe('/a');
    expect(withPath(errno('ENOSPC'), '/b').path).toBe('/b');
    expect(withPath(errno('EIO'), '/b').path).toBeUndefined();
  });

  it('a dropped socket, by code or by Node’s words; a refused connect only on connect', () => {
    expect(isConnectionLost(errno('ECONNRESET'))).toBe(true);
    expect(isConnectionLost(errno('EPIPE'))).toBe(true);
    expect(isConnectionLost(new Error('socket hang up'))).toBe(true);
    expect(isConnectionLost(errno('ECONNREFUSED', { syscall: 'connect' }))).toBe(true);
    expect(isConnectionLost(errno('ENOENT', { syscall: 'open' }))).toBe(false);
    expect(isConnectionLost(new ApiError('internal', 'socket hang up'))).toBe(false);
  });

  it('tools’ words for a full disk; folders by whole path segments', () => {
    expect(saysOutOfSpace('Write failed because No space left on device')).toBe(true);
    expect(saysOutOfSpace('Disk quota exceeded')).toBe(true);
    expect(saysOutOfSpace('Permission denied')).toBe(false);
    expect(isInside('/a/b/c', '/a/b')).toBe(true);
    expect(isInside('/a/bc', '/a/b')).toBe(false);
  });
});
