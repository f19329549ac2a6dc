// A job that is one local program (ch-run, apptainer, podman run, udocker run): started with an
// argument array (never a shell) and an explicit environment, as the leader of a session of its
// own, so that stop and kill reach everything it started. Without a terminal it runs with execa
// (stdin closed, stdout and stderr kept apart); with one, in a pty of node-pty (one merged stream,
// keystrokes and resizes). Its output is one back-pressured iteration: a consumer that does not
// pull leaves the pipes (or the pty) unread, so the program blocks on its next write.
import { constants as osConstants } from 'node:os';
import { constants as fsConstants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import type { IPty } from 'node-pty';
import { ApiError } from '../../../shared/errors';
import type { JobHandle, TerminalSize } from '../../../shared/jobs';
import { spawnErrorOf } from '../../engines/cli-runner';
import type { JobExit, RunningJob } from '../runner';
import { OutputQueue } from './output-queue';
import { signalSession } from './process-tree';
import { watchSessionMemory } from './session-memory';

export interface ProcessExitFacts {
  exitCode: number | null;
  signal: string | null;
  /** The last bytes (4 KB) of stderr, or of the terminal's stream for a tty job. */
  stderrTail: string;
}

export interface ProcessJobSpec {
  file: string;
  args: string[];
  /** The whole environment (nothing of Crossdock's own is added). */
  env: NodeJS.ProcessEnv;
  cwd?: string;
  tty: boolean;
  size: TerminalSize;
  /** runs after the process ended (e.g. delete a container it created) */
  cleanup?: () => Promise<void>;
  /** lets an engine turn its own refusal (exit code + stderr tail) into outcome 'failed' */
  classifyExit?: (exit: ProcessExitFacts) => JobExit | null;
  /** The handle's containerId, for engines whose program makes a named container (podman run --name). */
  containerId?: string | null;
}

/** What a running process job offers beyond RunningJob, for tests and diagnostics. */
export interface ProcessJob extends RunningJob {
  /** Bytes read from the program and not yet pulled by the consumer. */
  readonly queuedBytes: number;
  /** Whether reading is paused because the consumer fell behind. */
  readonly readingPaused: boolean;
}

const STDERR_TAIL_BYTES = 4096;
/** How long the exit waits for the rest of stderr once the program ended (a pipe held by an escaped process). */
const STDERR_SETTLE_MS = 2000;

export async function spawnJob(spec: ProcessJobSpec): Promise<ProcessJob> {
  // The program as found on the PATH given (node-pty's execvp would use Crossdock's own).
  const file = await checkExecutable(spec.file, spec.env);
  return spec.tty ? spawnTty(spec, file, await loadPty()) : spawnPipes(spec, file);
}

async function loadPty(): Promise<typeof import('node-pty').spawn> {
  try {
    return (await import('node-pty')).spawn;
  } catch (error) {
    throw new ApiError('internal', `Terminals are not available: node-pty could not be loaded (${error instanceof Error ? error.message : String(error)}).`);
  }
}

/** Refuses up front what would fail to start (ENOENT, EACCES), in words a person can act on. */
async function checkExecutable(file: string, env: NodeJS.ProcessEnv): Promise<string> {
  const candidates = file.includes('/') ? [file] : (env.PATH ?? '').split(delimiter).filter((folder) => folder !== '').map((folder) => join(folder, file));
  let denied: string | null = null;
  for (const candidate of candidates) {
    try {
      if (!(await stat(candidate)).isFile()) continue;
    } catch {
      continue;
    }
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      denied ??= candidate;
    }
  }
  if (denied) throw new ApiError('engine-unavailable', `${denied} cannot be run (EACCES: it is not executable for this user).`);
  throw new ApiError(
    'engine-unavailable',
    file.includes('/') ? `${file} does not exist (ENOENT).` : `${file} was not found on PATH (ENOENT): is it installed?`,
  );
}

/** A bounded tail of text (the last `max` bytes), for classifying an exit. */
class Tail {
  private buffer = Buffer.alloc(0);
  constructor(private readonly max: number) {}
  add(data: Buffer): void {
    this.buffer = data.length >= this.max ? Buffer.from(data.subarray(data.length - this.max)) : Buffer.concat([this.buffer, data]).subarray(-this.max);
  }
  text(): string {
    return this.buffer.toString('utf8');
  }
}

function signalNumber(name: string): number | null {
  const number = (osConstants.signals as Record<string, number | undefined>)[name];
  return typeof number === 'number' ? number : null;
}

function signalName(number: number): string | null {
  for (const [name, value] of Object.entries(osConstants.signals)) if (value === number) return name;
  return null;
}

/** 128 + n for a signal, as shells and engines report it. */
function exitFacts(code: number | null, signal: string | null): { exitCode: number | null; signal: string | null } {
  if (signal) {
    const number = signalNumber(signal);
    return { exitCode: number === null ? null : 128 + number, signal };
  }
  return { exitCode: code, signal: null };
}

interface Controls {
  pid: number;
  queue: OutputQueue;
  tail: Tail;
  /** Resolves with the program's own exit once it ended and its output was read (or gave up waiting). */
  ended: Promise<{ exitCode: number | null; signal: string | null }>;
  write?: (data: string) => void;
  resize?: (size: TerminalSize) => void;
}

function makeJob(spec: ProcessJobSpec, controls: Controls): ProcessJob {
  const { pid, queue } = controls;
  let done = false;
  let killTimer: NodeJS.Timeout | null = null;

  const exit: Promise<JobExit> = controls.ended.then(async (facts) => {
    done = true;
    if (killTimer) clearTimeout(killTimer);
    // The job is over: what it left running in its session (a `cmd &`) goes too.
    if (spec.tty) await signalSession(pid, 'SIGKILL').catch(() => false);
    const classified = spec.classifyExit?.({ ...facts, stderrTail: controls.tail.text() }) ?? null;
    return classified ?? { outcome: 'exited' as const, exitCode: facts.exitCode, signal: facts.signal, message: null };
  });

  let disposed: Promise<void> | null = null;
  const handle: JobHandle = { containerId: spec.containerId ?? null, pid };
  const job: ProcessJob = {
    handle,
    output: queue,
    exit,
    get queuedBytes() {
      return queue.bytes;
    },
    get readingPaused() {
      return queue.isPaused;
    },
    async stop(graceMs: number) {
      if (done) return;
      await signalSession(pid, 'SIGTERM');
      if (killTimer || done) return;
      killTimer = setTimeout(() => {
        killTimer = null;
        if (!done) void signalSession(pid, 'SIGKILL');
      }, Math.max(0, graceMs));
      killTimer.unref();
    },
    async kill() {
      if (done) return;
      await signalSession(pid, 'SIGKILL');
    },
    // The job is a session of its own: its processes are what it costs (session-memory.ts).
    watchMemory: () => watchSessionMemory(pid),
    dispose() {
      disposed ??= (async () => {
        if (!done) {
          await signalSession(pid, 'SIGKILL');
          await exit;
        }
        await spec.cleanup?.();
      })();
      return disposed;
    },
  };
  if (controls.write) job.write = controls.write;
  if (controls.resize) job.resize = controls.resize;
  return job;
}

async function spawnPipes(spec: ProcessJobSpec, file: string): Promise<ProcessJob> {
  const child = execa(file, spec.args, {
    env: spec.env,
    extendEnv: false,
    ...(spec.cwd ? { cwd: spec.cwd } : {}),
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    detached: true,
    buffer: false,
    reject: false,
    encoding: 'buffer',
    stripFinalNewline: false,
  });
  if (child.pid === undefined) {
    const result = await child;
    const code = spawnErrorOf(result.cause);
    throw new ApiError('engine-unavailable', `${spec.file} could not be started (${code})${spec.cwd && code === 'ENOENT' ? ` (or the folder ${spec.cwd} is missing)` : ''}.`);
  }
  // The outcome is read from the child's events; the promise only must not go unhandled.
  child.catch(() => undefined);
  const pid = child.pid;
  const stdout = child.stdout as Readable;
  const stderr = child.stderr as Readable;
  const queue = new OutputQueue({
    count: 2,
    pause: () => {
      stdout.pause();
      stderr.pause();
    },
    resume: () => {
      stdout.resume();
      stderr.resume();
    },
  });
  const tail = new Tail(STDERR_TAIL_BYTES);
  let sourcesOpen = 2;
  let allEnded: () => void = () => undefined;
  const outputEnded = new Promise<void>((resolve) => {
    allEnded = resolve;
  });
  const follow = (stream: Readable, kind: 'stdout' | 'stderr'): void => {
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      queue.endSource();
      sourcesOpen -= 1;
      if (sourcesOpen === 0) allEnded();
    };
    stream.on('data', (data: Buffer) => {
      if (kind === 'stderr') tail.add(data);
      queue.push({ stream: kind, data });
    });
    stream.once('end', end);
    stream.once('close', end);
    stream.once('error', end);
  };
  follow(stdout, 'stdout');
  follow(stderr, 'stderr');

  const ended = new Promise<{ exitCode: number | null; signal: string | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      const facts = exitFacts(code, signal);
      // The job is over: what it left running in its session (a `cmd &`, holding the pipes) goes too.
      void signalSession(pid, 'SIGKILL').catch(() => false);
      // Let the rest of stderr arrive before the exit is classified, but do not wait on a pipe
      // that an escaped process keeps open, nor on a consumer that stopped pulling.
      let timer: NodeJS.Timeout | null = null;
      void Promise.race([
        outputEnded,
        new Promise<void>((settle) => {
          timer = setTimeout(settle, STDERR_SETTLE_MS);
        }),
      ]).then(() => {
        if (timer) clearTimeout(timer);
        resolve(facts);
      });
    });
  });
  return makeJob(spec, { pid, queue, tail, ended });
}

/**
 * node-pty is a native module, loaded on the first terminal job only: code that merely imports an
 * engine (a bundled detection, a test) does not need its binary.
 */
function spawnTty(spec: ProcessJobSpec, file: string, spawnPty: typeof import('node-pty').spawn): ProcessJob {
  let pty: IPty;
  try {
    pty = spawnPty(file, spec.args, {
      name: spec.env.TERM || 'xterm-256color',
      cols: spec.size.cols,
      rows: spec.size.rows,
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
      env: spec.env as Record<string, string>,
      // Buffers, not strings: a UTF-8 character cut between two reads stays whole.
      encoding: null,
    });
  } catch (error) {
    throw new ApiError('engine-unavailable', `${spec.file} could not be started in a terminal: ${error instanceof Error ? error.message : String(error)}`);
  }
  const pid = pty.pid;
  const queue = new OutputQueue({ count: 1, pause: () => pty.pause(), resume: () => pty.resume() });
  const tail = new Tail(STDERR_TAIL_BYTES);
  let exited = false;
  pty.onData((data: string | Buffer) => {
    const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    tail.add(buffer);
    queue.push({ stream: 'tty', data: buffer });
  });
  // node-pty reports the exit once the terminal's stream closed (all of its output was read), or
  // 200 ms after the program ended when something else holds the terminal open.
  const ended = new Promise<{ exitCode: number | null; signal: string | null }>((resolve) => {
    pty.onExit(({ exitCode, signal }) => {
      exited = true;
      queue.endSource();
      if (signal) {
        const name = signalName(signal);
        resolve({ exitCode: 128 + signal, signal: name ?? `signal ${signal}` });
      } else {
        resolve({ exitCode, signal: null });
      }
    });
  });
  return makeJob(spec, {
    pid,
    queue,
    tail,
    ended,
    write: (data: string) => {
      if (!exited) pty.write(data);
    },
    resize: (size: TerminalSize) => {
      if (exited) return;
      try {
        pty.resize(size.cols, size.rows);
      } catch {
        // The terminal closed meanwhile.
      }
    },
  });
}
