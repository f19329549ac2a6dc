import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/errors';
import { createFakeHost } from '../../helpers/fake-host';
import type { CallContext } from '../../../electron/host/router';

const context = (): CallContext => ({ transport: 'ipc', signal: new AbortController().signal });

describe('router', () => {
  it('answers a valid call with ok and the transport it came by', async () => {
    const { router } = createFakeHost();
    const envelope = await router.call('app.info', {}, context());
    expect(envelope).toMatchObject({ ok: true, result: { name: 'Crossdock', transport: 'ipc' } });
  });

  it('refuses an unknown method', async () => {
    const { router } = createFakeHost();
    const envelope = await router.call('images.destroyEverything', {}, context());
    expect(envelope).toMatchObject({ ok: false, error: { kind: 'unknown-method' } });
  });

  it('does not treat Object.prototype members as calls', async () => {
    const { router } = createFakeHost();
    for (const name of ['constructor', '__proto__', 'toString', 42, null]) {
      const envelope = await router.call(name, {}, context());
      expect(envelope).toMatchObject({ ok: false, error: { kind: 'unknown-method' } });
    }
  });

  it('lists the issues of an invalid request', async () => {
    const { router } = createFakeHost();
    const envelope = await router.call('images.list', { engineId: 'Not Valid!', extra: 1 }, context());
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.kind).toBe('invalid-request');
    expect(envelope.error.issues?.some((issue) => issue.startsWith('engineId:'))).toBe(true);
    expect(envelope.error.issues?.some((issue) => issue.includes('extra'))).toBe(true);
  });

  it("passes a handler's ApiError through with its kind and engine", async () => {
    const { router } = createFakeHost({
      'images.list': async () => {
        throw new ApiError('engine-unavailable', 'Docker is not running.', { engineId: 'docker' });
      },
    });
    const envelope = await router.call('images.list', { engineId: 'docker' }, context());
    expect(envelope).toEqual({
      ok: false,
      error: { kind: 'engine-unavailable', message: 'Docker is not running.', engineId: 'docker' },
    });
  });

  it('turns a plain Error into internal without leaking its stack, and logs the stack', async () => {
    const fake = createFakeHost({
      'images.list': async () => {
        throw new Error('socket exploded');
      },
    });
    const envelope = await fake.router.call('images.list', { engineId: 'docker' }, context());
    expect(envelope).toEqual({ ok: false, error: { kind: 'internal', message: 'socket exploded' } });
    expect(JSON.stringify(envelope)).not.toMatch(/\bat .*\.ts:\d+/);
    expect(fake.logs.join('\n')).toMatch(/images\.list failed: Error: socket exploded\n\s+at /);
  });

  it('refuses a response that fails its schema', async () => {
    const fake = createFakeHost({
      // A handler bug: the contract promises an array of images.
      'images.list': async () => [{ id: 42 }] as never,
    });
    const envelope = await fake.router.call('images.list', { engineId: 'docker' }, context());
    expect(envelope).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(JSON.stringify(envelope)).not.toContain('42');
    expect(fake.logs.some((line) => line.includes('answered outside its schema'))).toBe(true);
  });

  it('fills in request defaults before the handler sees them', async () => {
    let seen: unknown;
    const { router } = createFakeHost({
      'engines.list': async (request) => {
        seen = request;
        return [];
      },
    });
    await router.call('engines.list', undefined, context());
    expect(seen).toEqual({ refresh: false, waitForProbes: false });
  });
});
