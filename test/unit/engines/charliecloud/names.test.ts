import { describe, expect, it } from 'vitest';
import { decodeStorageName, encodeStorageName, splitReference } from '../../../../electron/engines/charliecloud/names';

describe('Charliecloud storage names', () => {
  it('decodes "%" to "/" and "+" to ":" as ch-image writes them', () => {
    expect(decodeStorageName('crossdock-test%busybox+abc')).toBe('crossdock-test/busybox:abc');
    expect(decodeStorageName('localhost+5000%group%app+1.2')).toBe('localhost:5000/group/app:1.2');
    expect(decodeStorageName('alpine')).toBe('alpine');
  });

  it('encodes back to the same folder name', () => {
    for (const name of ['crossdock-test%busybox+abc', 'localhost+5000%group%app+1.2', 'alpine']) {
      expect(encodeStorageName(decodeStorageName(name))).toBe(name);
    }
  });

  it('splits a reference into repository and tag; a port is not a tag', () => {
    expect(splitReference('crossdock-test/busybox:abc')).toEqual({ repository: 'crossdock-test/busybox', tag: 'abc' });
    expect(splitReference('localhost:5000/app')).toEqual({ repository: 'localhost:5000/app', tag: null });
    expect(splitReference('localhost:5000/app:2')).toEqual({ repository: 'localhost:5000/app', tag: '2' });
    expect(splitReference('alpine')).toEqual({ repository: 'alpine', tag: null });
    expect(splitReference(`alpine@sha256:${'a'.repeat(64)}`)).toEqual({ repository: 'alpine', tag: null });
  });
});
