// Whether the Slurm tests can run here: sbatch on PATH and a controller that answers with a node
// that can take jobs (scripts/slurm-one-node.sh starts one). Under CI=true a missing Slurm fails.
import { execa } from 'execa';
import { findOnPath } from '../../electron/engines/docker-api/path-lookup';
import { isCi, type EngineRequirement } from './engines';

export async function requireSlurm(env: NodeJS.ProcessEnv = process.env): Promise<EngineRequirement> {
  const reason = await whySlurmMissing(env);
  if (reason === null) return { skip: false, reason: null };
  if (isCi(env)) throw new Error(`Slurm is required on CI, but ${reason}`);
  console.warn(`skipping Slurm tests: ${reason}`);
  return { skip: true, reason };
}

async function whySlurmMissing(env: NodeJS.ProcessEnv): Promise<string | null> {
  if (!(await findOnPath('sbatch', env))) return 'sbatch not found on PATH (apt-get install slurm-wlm munge)';
  const sinfo = await execa('sinfo', ['--noheader', '--format=%T'], { env, reject: false, timeout: 15_000 });
  if (sinfo.exitCode !== 0) return `slurmctld does not answer (${sinfo.stderr.trim() || `sinfo exit ${sinfo.exitCode}`}); run scripts/slurm-one-node.sh as root`;
  if (!/^(idle|mixed|allocated|completing)/m.test(sinfo.stdout)) return `no Slurm node can take jobs (sinfo: ${sinfo.stdout.trim() || 'no nodes'})`;
  return null;
}

/** Ends Slurm jobs a test left behind (by id; never other jobs). */
export async function cancelSlurmJobs(ids: Iterable<string>): Promise<void> {
  const list = [...new Set([...ids].map((id) => id.split('_')[0]!))];
  if (list.length > 0) await execa('scancel', list, { reject: false });
}
