import { beforeAll, describe, expect, it, vi } from 'vitest';
import { BRIDGE_GLOBAL, IPC_CALL_CHANNEL, IPC_STREAM_CHANNEL, type CrossdockBridge } from '../../../shared/bridge';
import { callNames, streamNames } from '../../../shared/contract';
import * as electron from '../../fakes/electron-fake';

vi.mock('electron', () => import('../../fakes/electron-fake'));

let bridge: CrossdockBridge;

beforeAll(async () => {
  await import('../../../electron/preload');
  expect([...electron.exposed.keys()]).toEqual([BRIDGE_GLOBAL]);
  bridge = electron.exposed.get(BRIDGE_GLOBAL) as CrossdockBridge;
});

describe('preload', () => {
  it('exposes exactly calls, streams and control', () => {
    expect(Object.keys(bridge).sort()).toEqual(['calls', 'control', 'streams']);
    expect(Object.keys(bridge.calls).sort()).toEqual([...callNames].sort());
    expect(Object.keys(bridge.streams).sort()).toEqual([...streamNames].sort());
    expect(Object.keys(bridge.control).sort()).toEqual(['cancel', 'credit', 'onMessage']);
    for (const fn of [...Object.values(bridge.calls), ...Object.values(bridge.streams), ...Object.values(bridge.control)]) {
      expect(typeof fn).toBe('function');
    }
  });

  it('cannot be changed by the page', () => {
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.calls)).toBe(true);
    expect(Object.isFrozen(bridge.streams)).toBe(true);
    expect(Object.isFrozen(bridge.control)).toBe(true);
  });

  it('turns a call into an invoke on the call channel with (name, request)', async () => {
    const answer = await bridge.calls['images.list']({ engineId: 'docker' });
    expect(electron.invocations.at(-1)).toEqual({ channel: IPC_CALL_CHANNEL, args: ['images.list', { engineId: 'docker' }] });
    expect(answer).toEqual({ ok: true, result: { echoed: ['images.list', { engineId: 'docker' }] } });
  });

  it('sends open, credit and cancel messages on the stream channel', () => {
    bridge.streams['changes.watch'](5, {}, 16);
    bridge.control.credit(5, 8);
    bridge.control.cancel(5);
    expect(electron.sent.slice(-3)).toEqual([
      { channel: IPC_STREAM_CHANNEL, args: [{ t: 'open', id: 5, name: 'changes.watch', request: {}, credit: 16 }] },
      { channel: IPC_STREAM_CHANNEL, args: [{ t: 'credit', id: 5, n: 8 }] },
      { channel: IPC_STREAM_CHANNEL, args: [{ t: 'cancel', id: 5 }] },
    ]);
  });

  it('delivers stream messages without the IPC event, and stops when unsubscribed', () => {
    const received: unknown[] = [];
    const stop = bridge.control.onMessage((message) => received.push(message));
    electron.emitFromMain(IPC_STREAM_CHANNEL, { t: 'end', id: 5 });
    stop();
    electron.emitFromMain(IPC_STREAM_CHANNEL, { t: 'end', id: 6 });
    expect(received).toEqual([{ t: 'end', id: 5 }]);
  });
});
