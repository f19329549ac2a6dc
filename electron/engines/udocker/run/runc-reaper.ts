// The runc modes' container processes outlive a stopped or killed job unless they are found. runc
// starts the container in a PID namespace and a session of its own, so the job's session kill
// (spawnJob) reaches udocker and runc but not the container: killed, runc leaves it running,
// reparented to init (seen in the tests: both sleeps of `sleep N & sleep N` kept running). Before a
// stop or kill, the PID namespaces below the job's udocker process are noted (read from /proc);
// once the job ended, every process still in one of them is killed. Linux only; elsewhere (no
// /proc) nothing is found and nothing is done.
import { readdir, readFile, readlink } from 'node:fs/promises';
import type { RunningJob } from '../../../jobs/runner';

interface ProcessEntry {
  pid: number;
  ppid: number;
}

async function processes(): Promise<ProcessEntry[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const found = await Promise.all(
    entries
      .filter((entry) => /^\d+$/.test(entry))
      .map(async (entry) => {
        try {
          const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
          // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          return { pid: Number(entry), ppid: Number(fields[1]) };
        } catch {
          return null; // Ended meanwhile.
        }
      }),
  );
  return found.filter((entry): entry is ProcessEntry => entry !== null);
}

async function pidNamespace(pid: number | 'self'): Promise<string | null> {
  try {
    return await readlink(`/proc/${pid}/ns/pid`);
  } catch {
    return null;
  }
}

/** The PID namespaces of `leaderPid`'s descendants that are not Crossdock's own. */
export async function foreignPidNamespaces(leaderPid: number): Promise<Set<string>> {
  const own = await pidNamespace('self');
  const all = await processes();
  const children = new Map<number, number[]>();
  for (const entry of all) children.set(entry.ppid, [...(children.get(entry.ppid) ?? []), entry.pid]);
  const namespaces = new Set<string>();
  const queue = [...(children.get(leaderPid) ?? [])];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    const namespace = await pidNamespace(pid);
    if (namespace && namespace !== own) namespaces.add(namespace);
    queue.push(...(children.get(pid) ?? []));
  }
  return namespaces;
}

/** SIGKILLs every process in one of `namespaces`; returns how many were signalled. */
export async function killPidNamespaces(namespaces: ReadonlySet<string>): Promise<number> {
  if (namespaces.size === 0) return 0;
  let killed = 0;
  for (const entry of await processes()) {
    const namespace = await pidNamespace(entry.pid);
    if (!namespace || !namespaces.has(namespace)) continue;
    try {
      process.kill(entry.pid, 'SIGKILL');
      killed += 1;
    } catch {
      // Ended meanwhile.
    }
  }
  return killed;
}

/** `job` with its runc container's processes killed once it was stopped or killed and ended. */
export function reapingRuncContainer(job: RunningJob): RunningJob {
  const namespaces = new Set<string>();
  const remember = async (): Promise<void> => {
    if (job.handle.pid === null) return;
    for (const namespace of await foreignPidNamespaces(job.handle.pid)) namespaces.add(namespace);
  };
  const exit = job.exit.then(async (ended) => {
    await killPidNamespaces(namespaces).catch(() => 0);
    return ended;
  });
  let ended = false;
  void exit.then(() => {
    ended = true;
  });
  const wrapped: RunningJob = {
    handle: job.handle,
    output: job.output,
    exit,
    stop: async (graceMs) => {
      await remember();
      await job.stop(graceMs);
    },
    kill: async () => {
      await remember();
      await job.kill();
    },
    dispose: async () => {
      if (!ended) {
        await remember();
        await job.kill();
        await exit;
      }
      await job.dispose();
    },
  };
  if (job.write) wrapped.write = (data) => job.write?.(data);
  if (job.resize) wrapped.resize = (size) => job.resize?.(size);
  return wrapped;
}
