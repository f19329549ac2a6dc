// What Crossdock reads of a process in /proc, and how it knows a process again after a restart.
// A pid alone is not enough: pids are reused, so a Crossdock that was killed and started again
// could signal a stranger that got the pid of its old child. A process's start time never changes
// (not across exec either) and a reused pid gets a new one, so pid + start time name one process.
// Shared by the jobs (a job's orphaned process) and the transfers (udocker load, mksquashfs).
import { readFile } from 'node:fs/promises';

/** What Crossdock reads of a process's /proc/<pid>/stat. */
export interface ProcStat {
  pid: number;
  /** The executable's name as the kernel keeps it (at most 15 characters). */
  name: string;
  /** One letter: R running, S sleeping, D waiting on the disk, Z zombie (ended, not reaped), ... */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  /** When it started, in clock ticks since boot (field 22). */
  startTicks: number;
}

/** One process's stat (Linux /proc), or null when it is gone or unreadable. */
export async function procStat(pid: number): Promise<ProcStat | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return {
      pid,
      name: stat.slice(stat.indexOf('(') + 1, close),
      state: fields[0] ?? '',
      ppid: Number(fields[1]),
      pgrp: Number(fields[2]),
      session: Number(fields[3]),
      startTicks: Number(fields[19]),
    };
  } catch {
    return null; // Ended meanwhile.
  }
}

/** When a process started (ms since the epoch), from /proc; null when it is gone or unreadable. */
export async function processStartTime(pid: number): Promise<number | null> {
  const stat = await procStat(pid);
  return stat ? startTimeOf(stat) : null;
}

/** The start time (ms since the epoch) of a stat already read; null when /proc/stat is unreadable. */
export async function startTimeOf(stat: ProcStat): Promise<number | null> {
  const bootSeconds = Number(/^btime (\d+)$/m.exec(await readFile('/proc/stat', 'utf8').catch(() => ''))?.[1]);
  if (!Number.isFinite(stat.startTicks) || !Number.isFinite(bootSeconds)) return null;
  // Linux's USER_HZ is 100 on every architecture Crossdock runs on.
  return bootSeconds * 1000 + (stat.startTicks / 100) * 1000;
}

/**
 * How far two readings of one process's start time may differ: /proc/stat's boot time is whole
 * seconds and moves by one when the clock is adjusted. A reused pid would have to be handed out
 * again (after the whole pid range went round) within this second to be mistaken for the first.
 */
export const START_TIME_SLACK_MS = 1_000;

/**
 * The process `pid` if it is still the one that started at `startedAt` (ms since the epoch, as
 * processStartTime read it then) and has not ended; null when it is gone, a zombie (ended, its
 * parent has not reaped it: it can do nothing more) or another process that got the pid.
 */
export async function sameLiveProcess(pid: number, startedAt: number): Promise<ProcStat | null> {
  const stat = await procStat(pid);
  if (!stat || stat.state === 'Z') return null;
  const now = await startTimeOf(stat);
  if (now === null || Math.abs(now - startedAt) > START_TIME_SLACK_MS) return null;
  return stat;
}
