import { describe, expect, it } from 'vitest';
import { StreamSessions } from '../../../electron/host/stream-sessions';
import type { ServerStreamMessage } from '../../../shared/stream-protocol';
import { createFakeHost } from '../../helpers/fake-host';
import { waitFor } from '../../helpers/waiting';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function sessionsWith(eventCount = 100) {
  const fake = createFakeHost({}, eventCount);
  const sent: ServerStreamMessage[] = [];
  const sessions = new StreamSessions(fake.streamHandlers, (message) => sent.push(message), fake.log);
  return { fake, sent, sessions };
}

describe('StreamSessions', () => {
  it('sends no more events than the credit granted, and resumes on more credit', async () => {
    const { fake, sent, sessions } = sessionsWith(100);
    sessions.receive({ t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 3 });
    await waitFor(() => sent.length === 3, 1000, 'three events');
    await settle();
    expect(sent).toHaveLength(3);
    expect(sent.every((message) => message.t === 'event' && message.id === 1)).toBe(true);
    // The source was not read ahead of the credit either.
    expect(fake.sources[0]!.produced).toBe(3);

    sessions.receive({ t: 'credit', id: 1, n: 2 });
    await waitFor(() => sent.length === 5, 1000, 'two more events');
    await settle();
    expect(sent).toHaveLength(5);
    sessions.dispose();
  });

  it('ends a finite source with an end message', async () => {
    const { sent, sessions } = sessionsWith(2);
    sessions.receive({ t: 'open', id: 7, name: 'changes.watch', request: {}, credit: 10 });
    await waitFor(() => sent.some((message) => message.t === 'end'), 1000, 'end');
    expect(sent.map((message) => message.t)).toEqual(['event', 'event', 'end']);
    expect(sessions.size).toBe(0);
  });

  it("cancel stops the source and calls its iterator's return", async () => {
    const { fake, sent, sessions } = sessionsWith(Infinity);
    sessions.receive({ t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 2 });
    await waitFor(() => sent.length === 2, 1000, 'two events');
    sessions.receive({ t: 'cancel', id: 1 });
    await waitFor(() => fake.sources[0]!.returned, 1000, 'return()');
    sessions.receive({ t: 'credit', id: 1, n: 50 });
    await settle();
    expect(sent).toHaveLength(2);
    expect(sessions.size).toBe(0);
  });

  it('dispose stops every open stream', async () => {
    const { fake, sessions } = sessionsWith(Infinity);
    sessions.receive({ t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 1 });
    sessions.receive({ t: 'open', id: 2, name: 'changes.watch', request: {}, credit: 1 });
    await waitFor(() => fake.sources.length === 2 && fake.sources.every((source) => source.produced === 1));
    sessions.dispose();
    await waitFor(() => fake.sources.every((source) => source.returned), 1000, 'both returned');
    expect(sessions.size).toBe(0);
  });

  it('answers invalid messages with errors naming their id', async () => {
    const { sent, sessions } = sessionsWith();
    sessions.receive({ t: 'open', id: 3, name: 'changes.watch', request: {}, credit: 0 });
    sessions.receive({ t: 'open', id: 4, name: 'nope.watch', request: {}, credit: 1 });
    sessions.receive({ t: 'open', id: 5, name: 'changes.watch', request: { surprise: true }, credit: 1 });
    sessions.receive({ t: 'launch', id: 6 });
    expect(sent).toEqual([
      expect.objectContaining({ t: 'error', id: 3, error: expect.objectContaining({ kind: 'invalid-request' }) }),
      expect.objectContaining({ t: 'error', id: 4, error: expect.objectContaining({ kind: 'unknown-method' }) }),
      expect.objectContaining({ t: 'error', id: 5, error: expect.objectContaining({ kind: 'invalid-request' }) }),
      expect.objectContaining({ t: 'error', id: 6, error: expect.objectContaining({ kind: 'invalid-request' }) }),
    ]);
    sessions.dispose();
  });

  it('drops messages without a usable id, and survives non-objects', () => {
    const { fake, sent, sessions } = sessionsWith();
    for (const raw of [null, 'open', 42, [], { t: 'open' }, { id: -1 }]) sessions.receive(raw);
    expect(sent).toEqual([]);
    expect(fake.logs.length).toBeGreaterThan(0);
  });

  it('refuses a second stream with the same id', async () => {
    const { sent, sessions } = sessionsWith(Infinity);
    sessions.receive({ t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 1 });
    sessions.receive({ t: 'open', id: 1, name: 'changes.watch', request: {}, credit: 1 });
    await waitFor(() => sent.length === 2);
    expect(sent.filter((message) => message.t === 'error')).toHaveLength(1);
    sessions.dispose();
  });

  it('refuses more than 256 open streams', async () => {
    const { sent, sessions } = sessionsWith(Infinity);
    for (let id = 1; id <= 257; id += 1) sessions.receive({ t: 'open', id, name: 'changes.watch', request: {}, credit: 1 });
    const refused = sent.filter((message) => message.t === 'error');
    expect(refused).toEqual([
      expect.objectContaining({ id: 257, error: expect.objectContaining({ message: expect.stringContaining('Too many') }) }),
    ]);
    expect(sessions.size).toBe(256);
    sessions.dispose();
  });

  it('reports a failing source as an error and forgets the stream', async () => {
    const fake = createFakeHost();
    const sent: ServerStreamMessage[] = [];
    const sessions = new StreamSessions(
      {
        'changes.watch': () => ({
          [Symbol.asyncIterator]: () => ({
            next: async () => {
              throw new Error('feed broke');
            },
          }),
        }),
        'jobs.output': fake.streamHandlers['jobs.output'],
      },
      (message) => sent.push(message),
      fake.log,
    );
    sessions.receive({ t: 'open', id: 9, name: 'changes.watch', request: {}, credit: 1 });
    await waitFor(() => sent.length === 1);
    expect(sent[0]).toEqual({ t: 'error', id: 9, error: { kind: 'internal', message: 'feed broke' } });
    expect(sessions.size).toBe(0);
  });
});
