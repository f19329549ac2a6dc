// The job log on disk and the paced reader that feeds terminals from it, against real files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobOutputEvent } from '../../../shared/jobs';
import { exportOutput } from '../../../electron/jobs/output-export';
import { FrameIndex, OutputLog } from '../../../electron/jobs/output-log';
import { readOutput, type LogSource } from '../../../electron/jobs/output-reader';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function logPath(): string {
  const folder = mkdtempSync(join(tmpdir(), 'crossdock-log-'));
  folders.push(folder);
  return join(folder, 'output.log');
}

function sourceOf(log: OutputLog): LogSource {
  return { path: log.path, index: log.index, flushed: () => log.flushed, live: () => !log.isClosed, changed: () => log.changed() };
}

async function collect(events: AsyncIterable<JobOutputEvent>): Promise<JobOutputEvent[]> {
  const all: JobOutputEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

async function exported(path: string, includeNotices = false): Promise<string> {
  const pieces: Buffer[] = [];
  for await (const piece of exportOutput(path, { includeNotices })) pieces.push(piece);
  return Buffer.concat(pieces).toString('utf8');
}

describe('job output log', () => {
  it('keeps stdout and stderr apart, in arrival order', async () => {
    const log = new OutputLog(logPath());
    await log.append('stdout', Buffer.from('one\n'));
    await log.append('stderr', Buffer.from('two\n'));
    await log.append('stdout', Buffer.from('three\n'));
    await log.close();
    const events = await collect(readOutput(sourceOf(log), 0, new AbortController().signal));
    const outputs = events.filter((event) => event.type === 'output');
    expect(outputs.map((event) => [event.stream, event.text])).toEqual([
      ['stdout', 'one\n'],
      ['stderr', 'two\n'],
      ['stdout', 'three\n'],
    ]);
    expect(outputs.at(-1)?.offset).toBe(log.flushed);
    expect(await exported(log.path)).toBe('one\ntwo\nthree\n');
  });

  it('decodes a UTF-8 character cut between two pieces of output', async () => {
    const log = new OutputLog(logPath());
    const snow = Buffer.from('☃ done', 'utf8');
    await log.append('stdout', snow.subarray(0, 1));
    await log.append('stdout', snow.subarray(1));
    await log.close();
    const text = (await collect(readOutput(sourceOf(log), 0, new AbortController().signal)))
      .map((event) => (event.type === 'output' ? event.text : ''))
      .join('');
    expect(text).toBe('☃ done');
  });

  it('resumes from an offset a window was given', async () => {
    const log = new OutputLog(logPath());
    await log.append('stdout', Buffer.from('first\n'));
    await log.append('stdout', Buffer.from('second\n'));
    await log.close();
    const all = await collect(readOutput(sourceOf(log), 0, new AbortController().signal));
    expect(all).toHaveLength(1); // consecutive stdout pieces merge into one event
    const middle = 8 + 'first\n'.length;
    const rest = await collect(readOutput(sourceOf(log), middle, new AbortController().signal));
    expect(rest).toEqual([{ type: 'output', stream: 'stdout', text: 'second\n', offset: log.flushed }]);
    // An offset inside a frame is moved to the next boundary, never read as a header.
    const inside = await collect(readOutput(sourceOf(log), 3, new AbortController().signal));
    expect(inside).toEqual(rest);
  });

  it('jumps to the tail of a window that fell far behind, and the saved output keeps everything', async () => {
    const log = new OutputLog(logPath());
    const line = Buffer.from(`${'x'.repeat(1023)}\n`);
    for (let i = 0; i < 20 * 1024; i += 1) await log.append('stdout', line); // 20 MB
    await log.append('stdout', Buffer.from('THE END\n'));
    await log.close();
    const events = await collect(readOutput(sourceOf(log), 0, new AbortController().signal, { skipThreshold: 8 << 20, tailBytes: 256 << 10 }));
    expect(events[0]?.type).toBe('skipped');
    const skipped = events[0]?.type === 'skipped' ? events[0].bytes : 0;
    expect(skipped).toBeGreaterThan(19 << 20);
    const shown = events.reduce((sum, event) => sum + (event.type === 'output' ? event.text.length : 0), 0);
    expect(shown).toBeLessThanOrEqual(300 << 10);
    const last = events.at(-1);
    expect(last?.type === 'output' && last.text.endsWith('THE END\n')).toBe(true);
    expect((await exported(log.path)).length).toBe(20 * 1024 * 1024 + 'THE END\n'.length);
  });

  it('shows a firehose as tails, pausing after each jump, instead of parsing it all', async () => {
    const log = new OutputLog(logPath());
    const events: JobOutputEvent[] = [];
    const reading = (async () => {
      const options = { skipThreshold: 1 << 20, tailBytes: 64 << 10, jumpPauseMs: 30 };
      for await (const event of readOutput(sourceOf(log), 0, new AbortController().signal, options)) {
        events.push(event);
        await new Promise((resolve) => setTimeout(resolve, 1)); // a window slower than the job
      }
    })();
    const line = Buffer.from(`${'y'.repeat(1023)}\n`);
    for (let i = 0; i < 40 * 1024; i += 1) await log.append('stdout', line); // 40 MB
    await log.append('stdout', Buffer.from('LAST\n'));
    await log.close();
    await reading;
    const shown = events.reduce((sum, event) => sum + (event.type === 'output' ? event.text.length : 0), 0);
    const skipped = events.reduce((sum, event) => sum + (event.type === 'skipped' ? event.bytes : 0), 0);
    expect(skipped).toBeGreaterThan(20 << 20);
    expect(shown).toBeLessThan(20 << 20);
    const last = events.filter((event) => event.type === 'output').at(-1);
    expect(last?.type === 'output' && last.text.endsWith('LAST\n')).toBe(true);
  });

  it('stays on tails after a jump: what a fast job printed during the pause is jumped over too, until the window catches up', async () => {
    const log = new OutputLog(logPath());
    const line = Buffer.from(`${'z'.repeat(1023)}\n`);
    const frame = 8 + line.length;
    const write = async (megabytes: number) => {
      for (let i = 0; i < megabytes * 1024; i += 1) await log.append('stdout', line);
    };
    await write(10);
    await expect.poll(() => log.flushed).toBe(10 * 1024 * frame);
    const options = { skipThreshold: 4 << 20, tailBytes: 64 << 10, jumpPauseMs: 0 };
    const reader = readOutput(sourceOf(log), 0, new AbortController().signal, options);
    const first = await reader.next();
    expect(first.value?.type).toBe('skipped');
    // The job goes on printing while the window takes the tail: 2 MB, under skipThreshold.
    await write(2);
    await log.append('stdout', Buffer.from('AFTER\n'));
    await expect.poll(() => log.flushed).toBe(12 * 1024 * frame + 8 + 'AFTER\n'.length);
    const events: JobOutputEvent[] = [];
    for (;;) {
      const next = await reader.next();
      if (next.done) break;
      events.push(next.value);
      if (next.value.type === 'output' && next.value.text.endsWith('AFTER\n')) break;
    }
    await reader.return(undefined);
    await log.close();
    const skipped = events.filter((event) => event.type === 'skipped');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.type === 'skipped' && skipped[0].bytes).toBeGreaterThan(1 << 20);
    const shown = events.reduce((sum, event) => sum + (event.type === 'output' ? event.text.length : 0), 0);
    expect(shown).toBeLessThanOrEqual(2 * (70 << 10));
  });

  it('follows a log while it is written and ends when it closes', async () => {
    const log = new OutputLog(logPath());
    const seen: string[] = [];
    const reading = (async () => {
      for await (const event of readOutput(sourceOf(log), 0, new AbortController().signal)) {
        if (event.type === 'output') seen.push(event.text);
      }
    })();
    await log.append('stdout', Buffer.from('early\n'));
    await expect.poll(() => seen.join('')).toBe('early\n');
    await log.append('stderr', Buffer.from('late\n'));
    await log.close();
    await reading;
    expect(seen.join('')).toBe('early\nlate\n');
  });

  it('stops at damage instead of printing it', async () => {
    const path = logPath();
    writeFileSync(path, Buffer.from('this is not a framed log at all'));
    const events = await collect(
      readOutput({ path, index: new FrameIndex(), flushed: () => 31, live: () => false, changed: async () => undefined }, 0, new AbortController().signal),
    );
    expect(events).toEqual([expect.objectContaining({ type: 'output', stream: 'notice', text: expect.stringContaining('damaged') })]);
  });

  it('leaves Crossdock\'s own notices out of the saved output unless asked', async () => {
    const log = new OutputLog(logPath());
    await log.append('stdout', Buffer.from('program\n'));
    await log.append('notice', Buffer.from('[exited 3]\n'));
    await log.close();
    expect(await exported(log.path)).toBe('program\n');
    expect(await exported(log.path, true)).toBe('program\n[exited 3]\n');
  });

  it('stops reading when the window cancels', async () => {
    const log = new OutputLog(logPath());
    await log.append('stdout', Buffer.from('x\n'));
    const abort = new AbortController();
    const events: JobOutputEvent[] = [];
    const reading = (async () => {
      for await (const event of readOutput(sourceOf(log), 0, abort.signal)) events.push(event);
    })();
    await expect.poll(() => events.some((event) => event.type === 'caught-up')).toBe(true);
    abort.abort();
    await reading; // ends although the log is still open
    await log.close();
  });
});
