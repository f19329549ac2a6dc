import { describe, expect, it } from 'vitest';
import { ChangeFeed } from '../../../electron/host/change-feed';
import type { ChangeEvent } from '../../../shared/changes';

const changed = (engineId: string): ChangeEvent => ({ type: 'images-changed', engineId });

describe('ChangeFeed', () => {
  it('delivers events published after watching, in order', async () => {
    const feed = new ChangeFeed();
    const controller = new AbortController();
    const iterator = feed.watch(controller.signal)[Symbol.asyncIterator]();
    const first = iterator.next();
    feed.publish(changed('a'));
    expect(await first).toEqual({ done: false, value: changed('a') });
    feed.publish(changed('b'));
    feed.publish(changed('c'));
    expect((await iterator.next()).value).toEqual(changed('b'));
    expect((await iterator.next()).value).toEqual(changed('c'));
    controller.abort();
  });

  it('keeps one pending notification per key however slow the watcher is', async () => {
    const feed = new ChangeFeed();
    const controller = new AbortController();
    const iterator = feed.watch(controller.signal)[Symbol.asyncIterator]();
    for (let i = 0; i < 10_000; i += 1) feed.publish(changed(i % 2 === 0 ? 'a' : 'b'));
    const seen = [(await iterator.next()).value, (await iterator.next()).value];
    expect(seen).toEqual([changed('a'), changed('b')]);
    const third = iterator.next();
    controller.abort();
    expect(await third).toEqual({ done: true, value: undefined });
  });

  it('forgets a watcher when its signal aborts or it returns', async () => {
    const feed = new ChangeFeed();
    const controller = new AbortController();
    const iterator = feed.watch(controller.signal)[Symbol.asyncIterator]();
    const other = feed.watch(new AbortController().signal)[Symbol.asyncIterator]();
    expect(feed.watcherCount).toBe(2);
    controller.abort();
    await other.return?.();
    expect(feed.watcherCount).toBe(0);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
  });
});

describe('ChangeFeed snapshot', () => {
  it('starts a watcher with the snapshot, and lets a newer event of the same key replace it', async () => {
    const feed = new ChangeFeed();
    const controller = new AbortController();
    const old = changed('a');
    const iterator = feed.watch(controller.signal, () => [old, changed('b')])[Symbol.asyncIterator]();
    feed.publish(changed('c'));
    const seen = [(await iterator.next()).value, (await iterator.next()).value, (await iterator.next()).value];
    expect(seen).toEqual([changed('a'), changed('b'), changed('c')]);
    controller.abort();
  });
});
