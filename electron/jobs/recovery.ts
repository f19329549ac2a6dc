// After a restart: a job whose record still says it runs either kept running in a daemon engine
// (re-attach and follow it again) or ended with the Crossdock that ran it (say so). Nothing is
// left showing "running" for a job nobody follows.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ApiError } from '../../shared/errors';
import type { JobRecord } from '../../shared/jobs';
import type { EngineRegistry } from '../engines/registry';
import type { RunningJob } from './runner';

export interface RecoveryDeps {
  registry: EngineRegistry;
  log: (message: string) => void;
  adopt: (running: RunningJob) => void;
  conclude: (patch: Partial<JobRecord>) => Promise<void>;
}

export async function recoverJob(record: JobRecord, deps: RecoveryDeps): Promise<void> {
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
 * there, and /proc shows it is still that program (pids are reused), end its process group.
 */
async function stopOrphan(record: JobRecord): Promise<boolean> {
  const pid = record.handle.pid;
  const program = record.commandLine[0];
  if (!pid || !program) return false;
  try {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0')[0] ?? '';
    if (basename(cmdline) !== basename(program)) return false;
    process.kill(-pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
