// Runs squashfs-tools' mksquashfs and unsquashfs for the SIF writer and unpacker: an argument array
// (never a shell), the caller's abort signal (the program is killed: it starts no children, only
// threads), progress read from the bar both print on stdout ("[===|   ] 1234/5678  21%"), and the
// program's own words when it fails.
import { execa } from 'execa';
import { ApiError } from '../../shared/errors';
import { findOnPath } from '../engines/docker-api/path-lookup';
import { reportChildProcess } from '../process/child-report';

/** Debian puts squashfs-tools in /usr/bin; other systems in /usr/sbin, which users' PATH may lack. */
const SBIN_PATH = { PATH: '/usr/sbin:/sbin:/usr/bin:/bin' };

export async function findSquashfsTool(name: 'mksquashfs' | 'unsquashfs', env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const found = (await findOnPath(name, env)) ?? (await findOnPath(name, SBIN_PATH));
  if (!found) {
    throw new ApiError('engine-unavailable', `${name} is not installed: SIF files need squashfs-tools (Debian and Ubuntu: apt install squashfs-tools).`);
  }
  return found;
}

export interface SquashfsRun {
  file: string;
  args: string[];
  signal: AbortSignal;
  /** Called with the bar's done/total counts as they change. */
  onBar?: (done: number, total: number) => void;
}

const BAR = /\]\s+(\d+)\/(\d+)\s+\d+%/;

/** Runs the program to its end; throws ApiError('cancelled') on abort, ApiError('internal') with its words on failure. */
export async function runSquashfsTool(run: SquashfsRun): Promise<void> {
  run.signal.throwIfAborted();
  const name = run.file.split('/').pop() ?? run.file;
  const child = execa(run.file, run.args, {
    reject: false,
    stdin: 'ignore',
    cancelSignal: run.signal,
    // mksquashfs ignores nothing it is sent, but give it no grace: a cancelled copy is thrown away.
    killSignal: 'SIGKILL',
    buffer: { stdout: false, stderr: true },
    maxBuffer: { stderr: 1024 * 1024 },
    env: { LC_ALL: 'C' },
  });
  // A transfer records it, so that a restart after a crash can end it (electron/process/child-report.ts).
  reportChildProcess(child.pid);
  let tail = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-4096);
    if (!run.onBar) return;
    const pieces = tail.split(/[\r\n]/);
    for (let index = pieces.length - 1; index >= 0; index -= 1) {
      const match = BAR.exec(pieces[index]!);
      if (match) {
        run.onBar(Number(match[1]), Number(match[2]));
        break;
      }
    }
  });
  const result = await child;
  if (result.isCanceled || run.signal.aborted) throw new ApiError('cancelled', `${name} was cancelled.`);
  if (result.exitCode !== 0) {
    const words = String(result.stderr ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .slice(-3)
      .join(' ');
    const how = result.exitCode === undefined ? `could not be started (${result.signal ?? result.shortMessage})` : `failed (exit ${result.exitCode})`;
    throw new ApiError('internal', `${name} ${how}${words ? `: ${words.slice(0, 1000)}` : ''}`);
  }
}
