import { describe, expect, it, vi } from 'vitest';
import { reconnectDelayMs } from '../../../renderer/api/backoff';
import { describeAttributes, describeProbe, withEngineStatus } from '../../../renderer/lib/engine-state';
import { formatBytes, formatRelativeTime, plural, shortImageId } from '../../../renderer/lib/format';
import { toRows } from '../../../renderer/lib/image-rows';
import { createKeyedDebounce } from '../../../renderer/lib/keyed-debounce';
import { navigate } from '../../../renderer/lib/list-navigation';
import { describePrune, describePruneResult, describeRemoval, describeRemoveResult } from '../../../renderer/lib/removal';
import { engineStatus, imageSummary } from './fixtures';

describe('format', () => {
  it('prints sizes in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(4_200_000)).toBe('4.20 MB');
    expect(formatBytes(77_900_000)).toBe('77.9 MB');
    expect(formatBytes(1_234_000_000)).toBe('1.23 GB');
  });

  it('shortens ids to 12 hex characters', () => {
    expect(shortImageId(`sha256:${'0123456789ab'.repeat(5)}abcd`)).toBe('0123456789ab');
    expect(shortImageId('fedcba9876543210')).toBe('fedcba987654');
  });

  it('writes relative times', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(formatRelativeTime('2026-11-20T12:00:00Z', now)).toBe('3 days ago');
    expect(formatRelativeTime('2026-11-23T11:59:30Z', now)).toBe('30 seconds ago');
    expect(formatRelativeTime('2024-11-23T12:00:00Z', now)).toBe('2 years ago');
    expect(formatRelativeTime(null, now)).toBe('unknown');
  });

  it('counts with separators and plurals', () => {
    expect(plural(1234, 'image')).toBe('1,234 images');
    expect(plural(1, 'engine')).toBe('1 engine');
  });
});

describe('describeProbe', () => {
  it('says how the test container ran, or why it did not', () => {
    expect(describeProbe(engineStatus().probe)).toBe('test container exited 37 in 180 ms');
    expect(
      describeProbe({ attempted: false, ok: false, expectedExitCode: 37, exitCode: null, durationMs: null, message: null }),
    ).toBe('test container not run (engine not reachable)');
    expect(
      describeProbe({ attempted: true, ok: false, expectedExitCode: 37, exitCode: 125, durationMs: 40, message: 'no such image' }),
    ).toBe('test container exited 125 in 40 ms, expected 37: no such image');
  });
});

describe('withEngineStatus', () => {
  it('replaces the engine with that id, or appends it', () => {
    const a = engineStatus({ id: 'alpha' });
    const b = engineStatus({ id: 'beta', label: 'Beta' });
    const degraded = engineStatus({ id: 'alpha', state: 'degraded' });
    expect(withEngineStatus([a, b], degraded)?.map((e) => e.state)).toEqual(['degraded', 'ready']);
    expect(withEngineStatus([a], b)?.map((e) => e.id)).toEqual(['alpha', 'beta']);
    // Before engines.list answered, one engine's status must not pose as the whole list.
    expect(withEngineStatus(undefined, a)).toBeUndefined();
  });
});

describe('navigate', () => {
  it('moves within bounds', () => {
    expect(navigate('ArrowDown', null, 5, 3)).toBe(0);
    expect(navigate('ArrowDown', 4, 5, 3)).toBe(4);
    expect(navigate('ArrowUp', 0, 5, 3)).toBe(0);
    expect(navigate('ArrowUp', null, 5, 3)).toBe(0);
    expect(navigate('End', 1, 5, 3)).toBe(4);
    expect(navigate('Home', 3, 5, 3)).toBe(0);
    expect(navigate('PageDown', 1, 5, 3)).toBe(4);
    expect(navigate('PageUp', 4, 5, 3)).toBe(1);
    expect(navigate('x', 1, 5, 3)).toBeNull();
    expect(navigate('ArrowDown', null, 0, 3)).toBeNull();
  });
});

describe('removal wording', () => {
  it('names an untag, and whether the image stays', () => {
    const shared = toRows('alpha', 'Alpha', [imageSummary({ repository: 'a', tag: '1', repoTags: ['a:1', 'a:2'] })])[0]!;
    expect(describeRemoval(shared).sentence).toMatch(/^Untag a:1 in Alpha\. The image [0-9a-f]{12} stays: it has 1 other tag\.$/);
    const only = toRows('alpha', 'Alpha', [imageSummary({ repository: 'a', tag: '1', repoTags: ['a:1'] })])[0]!;
    expect(describeRemoval(only).sentence).toContain('is deleted too');
    const dangling = toRows('alpha', 'Alpha', [imageSummary({ repository: null, tag: null, repoTags: [] })])[0]!;
    expect(describeRemoval(dangling).sentence).toBe(`Delete image ${dangling.shortId} from Alpha.`);
  });

  it('says how many dangling images the list shows and what was reclaimed', () => {
    expect(describePrune('Alpha', 3)).toContain('3 dangling images of Alpha');
    expect(describePruneResult('Alpha', { engineId: 'alpha', deleted: ['x', 'y'], layersDeleted: 0, reclaimedBytes: 2_500_000 })).toBe(
      'Alpha: removed 2 dangling images, reclaimed 2.50 MB.',
    );
    expect(describePruneResult('Alpha', { engineId: 'alpha', deleted: ['x', 'y', 'z'], layersDeleted: 5, reclaimedBytes: 12_000_000 })).toBe(
      'Alpha: removed 3 dangling images (5 layers), reclaimed 12.0 MB.',
    );
  });

  it('names the deleted image and counts its layers apart', () => {
    const id = `sha256:a1b2c3d4e5f6${'0'.repeat(52)}`;
    expect(describeRemoveResult('Alpha', { untagged: [], deleted: [id], layersDeleted: 1 })).toBe('Alpha: deleted image a1b2c3d4e5f6 and 1 layer.');
    expect(describeRemoveResult('Alpha', { untagged: ['a:1'], deleted: [id], layersDeleted: 0 })).toBe('Alpha: untagged a:1; deleted image a1b2c3d4e5f6.');
    expect(describeRemoveResult('Alpha', { untagged: ['a:1'], deleted: [], layersDeleted: 0 })).toBe('Alpha: untagged a:1.');
    expect(describeRemoveResult('Alpha', { untagged: [], deleted: [], layersDeleted: 0 })).toBe('Alpha: nothing was removed.');
  });
});

describe('createKeyedDebounce', () => {
  it('runs once per key after a burst', () => {
    vi.useFakeTimers();
    try {
      const run = vi.fn();
      const debounce = createKeyedDebounce(200, run);
      debounce.trigger('alpha');
      debounce.trigger('alpha');
      debounce.trigger('beta');
      vi.advanceTimersByTime(199);
      expect(run).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(run.mock.calls).toEqual([['alpha'], ['beta']]);
      debounce.trigger('alpha');
      debounce.cancelAll();
      vi.advanceTimersByTime(1000);
      expect(run).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('reconnectDelayMs', () => {
  it('grows and is capped', () => {
    const middle = () => 0.5;
    expect(reconnectDelayMs(0, middle)).toBe(250);
    expect(reconnectDelayMs(2, middle)).toBe(1000);
    expect(reconnectDelayMs(50, middle)).toBe(8000);
  });
});

describe('describeAttributes', () => {
  it('advertises true flags by name and values as "name: value", never false flags, in a stable order', () => {
    expect(describeAttributes({ HasSIF: true, Rootless: false, ExecModes: 'P1,P2', HasDocker: true, Cores: 2 })).toEqual([
      'Cores: 2',
      'ExecModes: P1,P2',
      'HasDocker',
      'HasSIF',
    ]);
    expect(describeAttributes({})).toEqual([]);
  });
});
