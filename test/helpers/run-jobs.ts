// Driving a RunningJob in tests: read its output to the end, or follow a terminal and wait for a
// piece of text to appear (polling, no fixed sleeps).
import type { JobExit, OutputChunk, RunningJob } from '../../electron/jobs/runner';
import { sessionGroups } from '../../electron/jobs/process/process-tree';
import { waitFor } from './waiting';

export interface Finished {
  stdout: string;
  stderr: string;
  tty: string;
  chunks: OutputChunk[];
  exit: JobExit;
}

/** Reads the job's whole output, then its exit, then disposes of it. */
export async function finish(job: RunningJob): Promise<Finished> {
  const chunks: OutputChunk[] = [];
  for await (const chunk of job.output) chunks.push(chunk);
  const exit = await job.exit;
  await job.dispose();
  const text = (stream: OutputChunk['stream']) => Buffer.concat(chunks.filter((chunk) => chunk.stream === stream).map((chunk) => chunk.data)).toString('utf8');
  return { stdout: text('stdout'), stderr: text('stderr'), tty: text('tty'), chunks, exit };
}

export interface Follower {
  readonly text: string;
  /** The current end of the text, to wait for what comes after it. */
  mark(): number;
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves once the output ended. */
  done: Promise<void>;
}

/** Follows a job's output as it arrives (all streams as one text). */
export function follow(job: RunningJob): Follower {
  let text = '';
  const done = (async () => {
    for await (const chunk of job.output) text += chunk.data.toString('utf8');
  })();
  return {
    get text() {
      return text;
    },
    mark: () => text.length,
    async waitFor(pattern: RegExp, from = 0, timeoutMs = 30_000): Promise<RegExpMatchArray> {
      await waitFor(() => pattern.test(text.slice(from)), timeoutMs, `${String(pattern)} in the output (got ${JSON.stringify(text.slice(from).slice(-400))})`);
      return text.slice(from).match(pattern)!;
    },
    done,
  };
}

/** Whether a process with this pid runs (a zombie counts as gone only once reaped). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Waits until the job's session has `count` process groups: an interactive shell has started a
 * foreground command (2), or is back at its prompt (1). Ctrl-C typed before that reaches the shell.
 */
export async function waitForSessionGroups(sid: number, count: number, timeoutMs = 30_000): Promise<void> {
  let groups: number[] = [];
  let pending = false;
  await waitFor(
    () => {
      if (!pending) {
        pending = true;
        void sessionGroups(sid).then((found) => {
          groups = found;
          pending = false;
        });
      }
      return groups.length === count;
    },
    timeoutMs,
    `${count} process group(s) in the job's session`,
  );
}

/**
 * Types Ctrl-C until `interrupted` holds (the prompt is back), again every 250 ms: a Ctrl-C typed
 * in the instant between the shell starting its foreground command and handing it the terminal
 * reaches the shell instead, and is lost.
 */
export async function interrupt(job: RunningJob, interrupted: () => boolean | Promise<boolean>, describe?: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    job.write!('\x03');
    const until = Date.now() + 250;
    while (Date.now() < until) {
      if (await interrupted()) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for Ctrl-C to interrupt the foreground command${describe ? `: ${describe()}` : ""}`);
  }
}
