// Which processes a piece of work started, told to whoever asked, however deep the spawning code
// sits. A transfer starts `udocker load` or `mksquashfs` several calls below itself, through code
// the jobs and the SIF cache share; passing a callback down every layer would touch all of them.
// Instead the transfer runs its work inside a watch (AsyncLocalStorage follows the awaits), and the
// few places that spawn a long-lived child report its pid: inside a watch it is recorded, outside
// one (a job, the SIF cache) nothing happens.
import { AsyncLocalStorage } from 'node:async_hooks';

export type ChildListener = (pid: number) => void;

const listeners = new AsyncLocalStorage<ChildListener>();

/** Runs `work`; every child process reported while it runs (in its async calls) goes to `onChild`. */
export function watchChildProcesses<T>(onChild: ChildListener, work: () => Promise<T>): Promise<T> {
  return listeners.run(onChild, work);
}

/** Called right after a child is spawned (pid undefined: it could not be started). */
export function reportChildProcess(pid: number | undefined): void {
  if (pid === undefined) return;
  listeners.getStore()?.(pid);
}
