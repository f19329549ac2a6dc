// The event stream reader: recorded Docker and Podman image events, cut into awkward chunks,
// with noise lines; and the watch's onChange/onLost contract over a real HTTP stream.
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { isImageEvent, watchImageEvents } from '../../../electron/engines/docker-api/image-events';
import { NdjsonSplitter } from '../../../electron/engines/docker-api/ndjson';
import { recordedText } from './recorded';
import { startReplayServer, type ReplayServer } from './replay-server';

function splitAll(text: string, chunkSize: number): { values: unknown[]; bad: string[] } {
  const values: unknown[] = [];
  const bad: string[] = [];
  const splitter = new NdjsonSplitter((value) => values.push(value), (line) => bad.push(line));
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; offset += chunkSize) splitter.push(bytes.subarray(offset, offset + chunkSize));
  splitter.end();
  return { values, bad };
}

describe('NdjsonSplitter', () => {
  it.each([1, 7, 64, 100_000])('reads every recorded Docker event whatever the chunk size (%i bytes)', (size) => {
    const { values, bad } = splitAll(recordedText('docker-events-image.ndjson'), size);
    expect(bad).toEqual([]);
    expect(values.map((value) => (value as { Action: string }).Action)).toEqual(['tag', 'import', 'tag', 'untag', 'untag', 'delete']);
    expect(values.every(isImageEvent)).toBe(true);
  });

  it('reads Podman\'s events too', () => {
    const { values } = splitAll(recordedText('podman-compat-events-image.ndjson'), 13);
    expect(values).toHaveLength(6);
    expect(values.every(isImageEvent)).toBe(true);
  });

  it('survives CRLF, blank lines, a garbage line, a multi-byte character cut in two, and a last line without newline', () => {
    const text = '{"Type":"image","Action":"tag","name":"caf\u00e9"}\r\n\r\nnot json\n{"Type":"container"}\n{"Type":"image","Action":"delete"}';
    const { values, bad } = splitAll(text, 3);
    expect(bad).toEqual(['not json']);
    expect(values).toEqual([
      { Type: 'image', Action: 'tag', name: 'caf\u00e9' },
      { Type: 'container' },
      { Type: 'image', Action: 'delete' },
    ]);
    expect(values.map(isImageEvent)).toEqual([true, false, true]);
  });
});

describe('watchImageEvents', () => {
  let server: ReplayServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  const streamThenEnd = (): Promise<ReplayServer> =>
    startReplayServer({
      'GET /events': (request, response) => {
        expect(decodeURIComponent(request.url ?? '')).toContain('filters={"type":["image"]}');
        response.writeHead(200, { 'content-type': 'application/json' });
        const text = recordedText('docker-events-image.ndjson');
        // Two writes that split a line in the middle, then the engine goes away.
        response.write(text.slice(0, 150));
        setTimeout(() => {
          response.write(text.slice(150));
          setTimeout(() => response.end(), 20);
        }, 20);
      },
    });

  it('calls onChange per image event, then onLost once when the stream ends', async () => {
    server = await streamThenEnd();
    let changes = 0;
    const reasons: string[] = [];
    const watch = watchImageEvents(new Dockerode({ socketPath: server.socketPath }), { onChange: () => (changes += 1), onLost: (reason) => reasons.push(reason) }, () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(changes).toBe(6);
    expect(reasons).toHaveLength(1);
    await watch.dispose();
  });

  it('stays quiet after dispose', async () => {
    server = await streamThenEnd();
    let changes = 0;
    let lost = 0;
    const watch = watchImageEvents(new Dockerode({ socketPath: server.socketPath }), { onChange: () => (changes += 1), onLost: () => (lost += 1) }, () => undefined);
    await watch.dispose();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(changes).toBe(0);
    expect(lost).toBe(0);
  });

  it('reports onLost when the stream cannot be opened at all', async () => {
    const reasons: string[] = [];
    watchImageEvents(new Dockerode({ socketPath: '/nonexistent/engine.sock' }), { onChange: () => undefined, onLost: (reason) => reasons.push(reason) }, () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/could not open the event stream/);
  });
});
