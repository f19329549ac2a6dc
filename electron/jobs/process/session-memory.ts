// The peak memory of a process job (ch-run, udocker, apptainer, ...), sampled from /proc: engines
// without a daemon keep no container statistics, but the job is a session of its own (spawn-job.ts),
// so its processes are found by their session id, the same set that stop and kill reach. Every
// SAMPLE_MS the peak resident sizes (VmHWM) of the session's live processes are added up and the
// highest total is kept. The engine's own processes (udocker's Python, proot) count: they are what
// the job costs on this engine. A process that came and went between two samples is missed, and
// a job that ends before the first sample has no figure (null, said so).
import { readFile } from 'node:fs/promises';
import type { MemoryReading, MemoryWatch } from '../runner';
import { allProcStats } from './process-tree';

export const SAMPLE_MS = 100;

/** The VmHWM of one process in bytes, or null when it is gone, a zombie or unreadable. */
async function peakResident(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The sum of the VmHWM of the processes in session `sid`; null when none is there (any more). */
export async function sessionPeakResident(sid: number): Promise<number | null> {
  const members = (await allProcStats()).filter((entry) => entry.session === sid);
  const sizes = await Promise.all(members.map((entry) => peakResident(entry.pid)));
  const known = sizes.filter((size): size is number => size !== null);
  return known.length > 0 ? known.reduce((sum, size) => sum + size, 0) : null;
}

export function watchSessionMemory(sid: number, intervalMs = SAMPLE_MS): MemoryWatch {
  let peak: number | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> = Promise.resolve();

  const sample = async (): Promise<void> => {
    const total = await sessionPeakResident(sid);
    if (total === null) return;
    peak = Math.max(peak ?? 0, total);
  };
  const tick = (): void => {
    // One sample at a time: a slow /proc read delays the next rather than piling up.
    inFlight = sample()
      .catch(() => undefined)
      .finally(() => {
        if (stopped) return;
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      });
  };
  tick();

  return {
    async stop(): Promise<MemoryReading> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
      return {
        peakBytes: peak,
        method: `sampled from /proc every ${intervalMs} ms: the summed peak resident size (VmHWM) of the job's processes, the engine's own included`,
        missing: peak === null ? 'the job ended before the first sample' : null,
      };
    },
  };
}
