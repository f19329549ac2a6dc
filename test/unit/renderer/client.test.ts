import { describe, expect, it, vi } from 'vitest';
import { createApiClient, STREAM_CREDIT_WINDOW } from '../../../renderer/api/client';
import { CreditWindow } from '../../../renderer/api/credit-window';
import { ApiError } from '../../../shared/errors';
import { engineStatus } from './fixtures';
import { FakeTransport } from './fake-transport';

const imagesChanged = (engineId = 'alpha') => ({ type: 'images-changed', engineId });

describe('createApiClient: calls', () => {
  it('answers the validated result of an ok envelope', async () => {
    const transport = new FakeTransport();
    transport.answer = () => ({ ok: true, result: [engineStatus()] });
    const client = createApiClient(transport);
    const engines = await client.call('engines.list', { refresh: true });
    expect(engines[0]?.label).toBe('Alpha');
    expect(transport.calls).toEqual([{ name: 'engines.list', request: { refresh: true } }]);
  });

  it('throws the ApiError of an error envelope', async () => {
    const transport = new FakeTransport();
    transport.answer = () => ({ ok: false, error: { kind: 'conflict', message: 'image is in use', engineId: 'alpha' } });
    const client = createApiClient(transport);
    const failure = await client.call('images.prune', { engineId: 'alpha' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ kind: 'conflict', message: 'image is in use', engineId: 'alpha' });
  });

  it('rejects a result that does not match the contract', async () => {
    const transport = new FakeTransport();
    transport.answer = () => ({ ok: true, result: [{ id: 'alpha' }] });
    const client = createApiClient(transport);
    await expect(client.call('engines.list', {})).rejects.toMatchObject({ name: 'ApiError', kind: 'internal' });
  });

  it('rejects an answer that is not an envelope at all', async () => {
    const transport = new FakeTransport();
    transport.answer = () => '<html>Bad gateway</html>';
    const client = createApiClient(transport);
    await expect(client.call('app.info', {})).rejects.toBeInstanceOf(ApiError);
  });
});

describe('createApiClient: streams and credit', () => {
  it('opens with the credit window and grants back in batches of half of it', () => {
    const transport = new FakeTransport();
    const client = createApiClient(transport);
    const onEvent = vi.fn();
    client.subscribe('changes.watch', {}, { onEvent });
    expect(transport.sent).toEqual([{ t: 'open', id: 1, name: 'changes.watch', request: {}, credit: STREAM_CREDIT_WINDOW }]);

    const half = STREAM_CREDIT_WINDOW / 2;
    for (let i = 0; i < half - 1; i += 1) transport.push({ t: 'event', id: 1, data: imagesChanged() });
    expect(transport.sent.filter((m) => m.t === 'credit')).toEqual([]);
    transport.push({ t: 'event', id: 1, data: imagesChanged() });
    expect(transport.sent.filter((m) => m.t === 'credit')).toEqual([{ t: 'credit', id: 1, n: half }]);
    expect(onEvent).toHaveBeenCalledTimes(half);
    expect(onEvent).toHaveBeenLastCalledWith(imagesChanged());
  });

  it('cancels on dispose, once, and ignores later messages', () => {
    const transport = new FakeTransport();
    const client = createApiClient(transport);
    const onEvent = vi.fn();
    const subscription = client.subscribe('changes.watch', {}, { onEvent });
    subscription.dispose();
    subscription.dispose();
    expect(transport.sent.filter((m) => m.t === 'cancel')).toEqual([{ t: 'cancel', id: 1 }]);
    transport.push({ t: 'event', id: 1, data: imagesChanged() });
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('routes messages by stream id', () => {
    const transport = new FakeTransport();
    const client = createApiClient(transport);
    const first = vi.fn();
    const second = vi.fn();
    client.subscribe('changes.watch', {}, { onEvent: first });
    client.subscribe('changes.watch', {}, { onEvent: second });
    transport.push({ t: 'event', id: 2, data: imagesChanged('beta') });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledWith(imagesChanged('beta'));
  });

  it('reports end and error, and does not cancel a stream the host finished', () => {
    const transport = new FakeTransport();
    const client = createApiClient(transport);
    const onEnd = vi.fn();
    const onError = vi.fn();
    const ended = client.subscribe('changes.watch', {}, { onEvent: () => {}, onEnd });
    client.subscribe('changes.watch', {}, { onEvent: () => {}, onError });
    transport.push({ t: 'end', id: 1 });
    transport.push({ t: 'error', id: 2, error: { kind: 'engine-unavailable', message: 'daemon stopped' } });
    expect(onEnd).toHaveBeenCalledOnce();
    expect(onError.mock.calls[0]?.[0]).toMatchObject({ kind: 'engine-unavailable', message: 'daemon stopped' });
    ended.dispose();
    expect(transport.sent.filter((m) => m.t === 'cancel')).toEqual([]);
  });

  it('cancels and reports an event that fails the contract', () => {
    const transport = new FakeTransport();
    const client = createApiClient(transport);
    const onEvent = vi.fn();
    const onError = vi.fn();
    client.subscribe('changes.watch', {}, { onEvent, onError });
    transport.push({ t: 'event', id: 1, data: { type: 'bogus' } });
    expect(onEvent).not.toHaveBeenCalled();
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(ApiError);
    expect(transport.sent.filter((m) => m.t === 'cancel')).toEqual([{ t: 'cancel', id: 1 }]);
  });

  it('still grants credit when a handler throws', () => {
    const transport = new FakeTransport();
    const client = createApiClient(transport);
    client.subscribe('changes.watch', {}, {
      onEvent: () => {
        throw new Error('handler bug');
      },
    });
    for (let i = 0; i < STREAM_CREDIT_WINDOW / 2; i += 1) {
      expect(() => transport.push({ t: 'event', id: 1, data: imagesChanged() })).toThrow('handler bug');
    }
    expect(transport.sent.filter((m) => m.t === 'credit')).toHaveLength(1);
  });
});

describe('createApiClient: handlers that answer a promise', () => {
  const output = (offset: number) => ({ type: 'output', stream: 'stdout', text: 'x', offset });
  const credits = (transport: FakeTransport) => transport.sent.filter((m) => m.t === 'credit');

  it('grants an event\'s credit only once its promise settled', async () => {
    const transport = new FakeTransport();
    const client = createApiClient(transport);
    const pending: Array<() => void> = [];
    const onEvent = vi.fn(() => new Promise<void>((resolve) => pending.push(resolve)));
    client.subscribe('jobs.output', { jobId: 'j-abcdefgh' }, { onEvent });
    const half = STREAM_CREDIT_WINDOW / 2;
    for (let i = 0; i < half; i += 1) transport.push({ t: 'event', id: 1, data: output(i + 1) });
    // Every event reached the handler at once; none was granted back yet.
    expect(onEvent).toHaveBeenCalledTimes(half);
    await Promise.resolve();
    expect(credits(transport)).toEqual([]);

    for (const resolve of pending.splice(0, half - 1)) resolve();
    await new Promise((done) => setTimeout(done, 0));
    expect(credits(transport)).toEqual([]);
    pending.shift()?.();
    await new Promise((done) => setTimeout(done, 0));
    expect(credits(transport)).toEqual([{ t: 'credit', id: 1, n: half }]);
  });

  it('grants the credit of a rejected promise too', async () => {
    const transport = new FakeTransport();
    const client = createApiClient(transport);
    client.subscribe('jobs.output', { jobId: 'j-abcdefgh' }, { onEvent: () => Promise.reject(new Error('terminal gone')) });
    for (let i = 0; i < STREAM_CREDIT_WINDOW / 2; i += 1) transport.push({ t: 'event', id: 1, data: output(i + 1) });
    await new Promise((done) => setTimeout(done, 0));
    expect(credits(transport)).toEqual([{ t: 'credit', id: 1, n: STREAM_CREDIT_WINDOW / 2 }]);
  });

  it('grants nothing for a stream disposed before its promises settled', async () => {
    const transport = new FakeTransport();
    const client = createApiClient(transport);
    const pending: Array<() => void> = [];
    const subscription = client.subscribe('jobs.output', { jobId: 'j-abcdefgh' }, {
      onEvent: () => new Promise<void>((resolve) => pending.push(resolve)),
    });
    for (let i = 0; i < STREAM_CREDIT_WINDOW / 2; i += 1) transport.push({ t: 'event', id: 1, data: output(i + 1) });
    subscription.dispose();
    for (const resolve of pending) resolve();
    await new Promise((done) => setTimeout(done, 0));
    expect(credits(transport)).toEqual([]);
  });

  it('keeps granting synchronously for handlers that answer nothing', () => {
    const transport = new FakeTransport();
    const client = createApiClient(transport);
    client.subscribe('jobs.output', { jobId: 'j-abcdefgh' }, { onEvent: () => undefined });
    for (let i = 0; i < STREAM_CREDIT_WINDOW / 2; i += 1) transport.push({ t: 'event', id: 1, data: output(i + 1) });
    expect(credits(transport)).toHaveLength(1);
  });
});

describe('CreditWindow', () => {
  it('grants back what was handled once half the window is used', () => {
    const window = new CreditWindow(4);
    expect(window.initial).toBe(4);
    expect(window.handled()).toBe(0);
    expect(window.handled()).toBe(2);
    expect(window.handled()).toBe(0);
    expect(window.handled()).toBe(2);
  });

  it('refuses a window too small to batch', () => {
    expect(() => new CreditWindow(1)).toThrow(RangeError);
  });
});
