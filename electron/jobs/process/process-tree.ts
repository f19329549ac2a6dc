// Signals to a job's whole process tree. A job's program is started as the leader of a session of
// its own (execa's `detached` and node-pty both call setsid), so its pid is also its session id
// and its first process group id. An interactive shell in a pty puts each foreground command in a
// process group of its own within that session, so signalling the leader's group alone would miss
// `sleep 30` typed at the prompt: on Linux every process group of the session is signalled,
// found in /proc; elsewhere (or when /proc cannot be read) the leader's group only.
import { readdir } from 'node:fs/promises';
import { procStat, type ProcStat } from '../../process/proc-stat';

// The reading of one process lives in electron/process/proc-stat.ts (the transfers need it too).
export { procStat, type ProcStat };

/** Every process's stat (Linux /proc), or [] when /proc cannot be read. */
export async function allProcStats(): Promise<ProcStat[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const found = await Promise.all(entries.filter((entry) => /^\d+$/.test(entry)).map((entry) => procStat(Number(entry))));
  return found.filter((entry): entry is ProcStat => entry !== null);
}

/** The process group ids of the processes in session `sid` (Linux /proc), or [] when unknown. */
export async function sessionGroups(sid: number): Promise<number[]> {
  const groups = new Set<number>();
  for (const { pgrp, session } of await allProcStats()) {
    if (session === sid && Number.isInteger(pgrp) && pgrp > 0) groups.add(pgrp);
  }
  return [...groups];
}

/** Sends `signal` to the process group `pgid`; false when there was none. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether any process (a zombie included) is left in group `pgid`. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    // EPERM: there is one, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Sends `signal` to the session led by `leaderPid`: its own group, then every other group of the
 * session. Returns whether anything was signalled.
 */
export async function signalSession(leaderPid: number, signal: NodeJS.Signals): Promise<boolean> {
  let any = signalGroup(leaderPid, signal);
  for (const pgid of await sessionGroups(leaderPid)) {
    if (pgid !== leaderPid && pgid !== process.pid) any = signalGroup(pgid, signal) || any;
  }
  return any;
}
