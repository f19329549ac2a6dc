// The pieces of a comparison that need no engine: the request's rules, the stdout digest read back
// from a job's framed log, the memory note, the engine stats folded into a peak, and the /proc
// sampler of a process job's session (against a real process of its own session).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_DIFF_BYTES } from '../../../shared/compare';
import { ApiError } from '../../../shared/errors';
import { RunSpecSchema } from '../../../shared/run';
import { memoryNote } from '../../../electron/compare/memory-note';
import { checkRequest, targetSpec } from '../../../electron/compare/request-checks';
import { digestStdout, readStdoutStart } from '../../../electron/compare/stdout-log';
import { MemoryPeak } from '../../../electron/engines/docker-api/run/memory-stats';
import { OutputLog } from '../../../electron/jobs/output-log';
import { sessionPeakResident, watchSessionMemory } from '../../../electron/jobs/process/session-memory';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function logPath(): string {
  const folder = mkdtempSync(join(tmpdir(), 'crossdock-compare-log-'));
  folders.push(folder);
  return join(folder, 'output.log');
}

const spec = (patch: object = {}) => RunSpecSchema.parse({ engineId: 'docker', image: { imageId: 'abcdef123456', reference: null }, command: ['echo', 'hi'], ...patch });
const target = (engineId: string, executionMode: string | null = null, imageId = 'abcdef123456') => ({ engineId, executionMode, image: { imageId, reference: null } });

function refusal(work: () => void): ApiError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected a refusal');
}

describe('comparison requests', () => {
  it('refuses a terminal: a comparison runs without one', () => {
    const error = refusal(() => checkRequest({ spec: spec({ tty: true }), targets: [target('docker')], repeat: 1 }));
    expect(error.kind).toBe('invalid-request');
    expect(error.message).toMatch(/without a terminal/);
  });

  it('refuses the same target twice, and accepts another mode or image of one engine', () => {
    const error = refusal(() => checkRequest({ spec: spec(), targets: [target('docker'), target('podman'), target('docker')], repeat: 1 }));
    expect(error).toMatchObject({ kind: 'invalid-request', issues: ['targets.2: the same engine, mode and image as target 0'] });
    expect(() => checkRequest({ spec: spec(), targets: [target('udocker', 'P1'), target('udocker', 'F1'), target('udocker', 'P1', '123456abcdef')], repeat: 1 })).not.toThrow();
  });

  it("runs the dialog's spec with each target's engine, image and mode", () => {
    const dialog = spec({ env: [{ name: 'A', value: 'b' }], executionMode: 'P2' });
    const onTarget = targetSpec(dialog, { engineId: 'udocker', executionMode: 'P1', image: { imageId: 'fedcba', reference: 'busybox:1' } });
    expect(onTarget).toEqual({ ...dialog, engineId: 'udocker', executionMode: 'P1', image: { imageId: 'fedcba', reference: 'busybox:1' } });
    expect(targetSpec(dialog, target('docker')).executionMode).toBeNull();
  });
});

describe("a job's stdout, read back from its log", () => {
  it('digests stdout and terminal frames only, in order, whatever the framing', async () => {
    const log = new OutputLog(logPath());
    await log.append('stdout', Buffer.from('hello '));
    await log.append('stderr', Buffer.from('a warning the engine printed\n'));
    await log.append('tty', Buffer.from('world\n'));
    await log.append('notice', Buffer.from('[exited 0]'));
    await log.close();
    const expected = createHash('sha256').update('hello world\n').digest('hex');
    expect(await digestStdout(log.path)).toEqual({ sha256: expected, bytes: 12 });
    expect(await readStdoutStart(log.path, MAX_DIFF_BYTES)).toEqual({ text: 'hello world\n', truncated: false });
  });

  it("reads a terminal's CRLF back as the LF the program wrote, also across frames, and leaves stdout's alone", async () => {
    const log = new OutputLog(logPath());
    await log.append('tty', Buffer.from('one\r\ntwo\r'));
    await log.append('tty', Buffer.from('\nthree\r'));
    await log.append('stdout', Buffer.from('keep\r\n'));
    await log.append('tty', Buffer.from('lone cr\r'));
    await log.close();
    expect(await readStdoutStart(log.path, MAX_DIFF_BYTES)).toEqual({ text: 'one\ntwo\nthree\rkeep\r\nlone cr\r', truncated: false });
  });

  it('gives the start of a long stdout, cut between characters, and says it was cut', async () => {
    const log = new OutputLog(logPath());
    // 600 KB: more than one frame and more than one read block.
    const line = 'é'.repeat(100_000);
    for (let index = 0; index < 3; index += 1) await log.append('stdout', Buffer.from(line));
    await log.close();
    const start = await readStdoutStart(log.path, 5);
    expect(start).toEqual({ text: 'éé', truncated: true });
    const big = await readStdoutStart(log.path, MAX_DIFF_BYTES);
    expect(big.truncated).toBe(true);
    expect(big.text).toBe('é'.repeat(MAX_DIFF_BYTES / 2));
    expect((await digestStdout(log.path)).bytes).toBe(600_000);
  });

  it('digests an empty stdout as the digest of nothing', async () => {
    const log = new OutputLog(logPath());
    await log.append('stderr', Buffer.from('only stderr'));
    await log.close();
    expect(await digestStdout(log.path)).toEqual({ sha256: createHash('sha256').digest('hex'), bytes: 0 });
  });
});

describe('memory figures', () => {
  it("takes the engine's recorded peak where it gives one, else the highest sample", () => {
    const v1 = new MemoryPeak('Docker');
    v1.add({ memory_stats: {} }); // a container not running (yet): no reading
    v1.add({ memory_stats: { usage: 1_000, max_usage: 4_000 } });
    v1.add({ memory_stats: { usage: 2_000, max_usage: 3_000 } });
    expect(v1.reading()).toMatchObject({ peakBytes: 4_000, missing: null, method: expect.stringMatching(/max_usage/) });
    const sampled = new MemoryPeak('Podman');
    sampled.add({ memory_stats: { usage: 500, limit: 9_999_999 } });
    sampled.add({ memory_stats: { usage: 700 } });
    expect(sampled.reading()).toMatchObject({ peakBytes: 700, method: expect.stringMatching(/^Podman's container stats: the highest usage sampled/) });
    expect(new MemoryPeak('Docker').reading()).toMatchObject({ peakBytes: null, missing: expect.stringMatching(/ended before Docker reported/) });
  });

  it('says how a target was measured, and how many runs gave no figure', () => {
    const reading = (peakBytes: number | null) => ({ peakBytes, method: 'sampled', missing: peakBytes === null ? 'the job ended before the first sample' : null });
    expect(memoryNote('Docker', [reading(1), reading(2)])).toBe('sampled');
    expect(memoryNote('Docker', [reading(1), reading(null)])).toBe('sampled; no figure for 1 of 2 run(s): the job ended before the first sample');
    expect(memoryNote('Podman (rootful)', ['not-exposed'])).toMatch(/^not exposed: Podman \(rootful\)/);
    expect(memoryNote('Docker', [])).toMatch(/no run of this target started/);
    expect(memoryNote('x', [{ peakBytes: null, method: 'm'.repeat(600), missing: null }]).length).toBeLessThanOrEqual(512);
  });

  it("samples a process job's session from /proc: its processes' peak resident sizes, added up", async () => {
    // A session of its own holding about 64 MB, as spawn-job starts a job's program.
    const child = spawn(process.execPath, ['-e', 'const b = Buffer.alloc(64 * 1024 * 1024, 1); console.log("ready"); setInterval(() => b[0]++, 1000);'], {
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      const sid = child.pid!;
      expect(await sessionPeakResident(sid)).toBeGreaterThan(64 * 1024 * 1024);
      const watch = watchSessionMemory(sid, 20);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const reading = await watch.stop();
      expect(reading.peakBytes).toBeGreaterThan(64 * 1024 * 1024);
      expect(reading.method).toMatch(/VmHWM/);
    } finally {
      child.kill('SIGKILL');
    }
    // Nobody in the session any more: no figure, and it says why.
    await new Promise((resolve) => child.once('exit', resolve));
    const after = await watchSessionMemory(child.pid!, 20).stop();
    expect(after).toMatchObject({ peakBytes: null, missing: expect.stringMatching(/ended before the first sample/) });
  });
});
