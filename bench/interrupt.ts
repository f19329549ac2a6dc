// Cleanups that must run even when the bench is stopped with Ctrl-C or killed with SIGTERM: Node
// exits on those signals without running `finally` blocks, which would leave thousands of bench
// tags in Docker and Podman, and start-up hosts (in process groups of their own) running.
type Cleanup = () => Promise<unknown> | unknown;

const cleanups = new Set<Cleanup>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;
let stopping = false;

/**
 * True once a signal came: the bench's own flow (failing all over as Chromium and the hosts die)
 * must then neither exit nor write a report; the signal handler exits when its cleanups are done.
 */
export function isInterrupted(): boolean {
  return stopping;
}

/** Runs `cleanup` if the process is interrupted before the returned function is called. */
export function onInterrupt(cleanup: Cleanup): () => void {
  if (!installed) {
    installed = true;
    for (const signal of SIGNALS) process.on(signal, () => void interrupted(signal));
  }
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}

async function interrupted(signal: (typeof SIGNALS)[number]): Promise<void> {
  // A second Ctrl-C while tags are being removed must not cut the removal short (kill -9 still can).
  if (stopping) {
    process.stderr.write(`bench: ${signal} again; still cleaning up\n`);
    return;
  }
  stopping = true;
  process.stderr.write(`bench: ${signal}, cleaning up before exiting\n`);
  // Newest first, as `finally` blocks would have run.
  for (const cleanup of [...cleanups].reverse()) {
    try {
      await cleanup();
    } catch (error) {
      process.stderr.write(`bench: a cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  }
  process.exit(signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129);
}
