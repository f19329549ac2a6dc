// After a restart: a job whose record still says it runs either kept running in a daemon engine
// (re-attach and follow it again) or ended with the Crossdock that ran it (say so). Nothing is
// left showing "running" for a job nobody follows.
import { ApiError } from '../../shared/errors';
import type { JobRecord } from '../../shared/jobs';
import type { EngineRegistry } from '../engines/registry';
import { processStartTime } from '../process/proc-stat';
import { signalSession } from './process/process-tree';
import type { RunningJob } from './runner';

export interface RecoveryDeps {
  registry: EngineRegistry;
  log: (message: string) => void;
  adopt: (running: RunningJob) => void;
  conclude: (patch: Partial<JobRecord>) => Promise<void>;
}

export async function recoverJob(record: JobRecord, deps: RecoveryDeps): Promise<void> {
  // Reached first: an engine's runner may depend on how it was reached (Podman's API or CLI).
  await deps.registry.list().catch(() => []);
  const engine = await deps.registry.get(record.spec.engineId).catch(() => null);
  const runner = engine?.runner;
  if (record.handle.containerId && runner?.reattach && runner.capabilities().reattach && record.kind === 'run') {
    try {
      const running = await runner.reattach(record.handle, record.spec, AbortSignal.timeout(30_000));
      if (running) {
        deps.adopt(running);
        return;
      }
      await deps.conclude({
        state: 'interrupted',
        message: 'The container was removed while Crossdock was not running; its exit code is unknown. The output up to then is kept.',
      });
    } catch (error) {
      const why = error instanceof ApiError ? error.message : String(error);
      await deps.conclude({ state: 'engine-lost', message: `Could not re-attach after Crossdock restarted: ${why}` });
    }
    return;
  }
  const leftover = await stopOrphan(record);
  await deps.conclude({
    state: 'interrupted',
    message:
      'Crossdock stopped while this job ran; jobs of engines without a daemon end with it.' +
      (leftover ? ` Its process (${record.handle.pid}) was still running and has been stopped.` : ''),
  });
}

/**
 * A Crossdock that was killed (not quit) cannot end its children. If the job's process is still
 * there and is still the job's (pids are reused: its start time must match the job's, within the
 * time the engine took to start it), end its whole session.
 */
async function stopOrphan(record: JobRecord): Promise<boolean> {
  const pid = record.handle.pid;
  if (!pid || !record.startedAt) return false;
  const startedAt = await processStartTime(pid);
  if (startedAt === null) return false;
  const recorded = Date.parse(record.startedAt);
  if (startedAt > recorded + 1_000 || startedAt < recorded - 30_000) return false;
  return signalSession(pid, 'SIGKILL');
}
