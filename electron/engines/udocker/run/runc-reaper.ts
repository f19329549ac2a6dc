// The runc modes' container processes outlive a stopped or killed job unless they are found. runc
// starts the container in a PID namespace and a session of its own, so the job's session kill
// (spawnJob) reaches udocker and runc but not the container: killed, runc leaves it running,
// reparented to init (seen in the tests: both sleeps of `sleep N & sleep N` kept running). Before a
// stop or kill, the PID namespaces below the job's udocker process are noted (read from /proc);
// once the job ended, every process still in one of them is killed. Linux only; elsewhere (no
// /proc) nothing is found and nothing is done.
import { readlink } from 'node:fs/promises';
import { allProcStats } from '../../../jobs/process/process-tree';
import type { RunningJob } from '../../../jobs/runner';

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
  const all = await allProcStats();
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
  for (const entry of await allProcStats()) {
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
  if (job.watchMemory) wrapped.watchMemory = () => job.watchMemory!();
  return wrapped;
}
