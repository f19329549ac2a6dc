// Crossdock's side of one Slurm cluster (the one this machine's Slurm commands talk to): what it
// offers (sinfo), the batch script and sbatch options a submission becomes, the submission itself,
// and finding its jobs again after a restart. Jobs are recorded and followed by the job manager,
// like local ones; their state comes from one shared squeue poll (slurm-queue.ts).
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchJob, SlurmInfo, SlurmPreview, SlurmSubmission } from '../../../shared/batch';
import { ApiError } from '../../../shared/errors';
import type { JobRecord } from '../../../shared/jobs';
import type { RunSpec } from '../../../shared/run';
import { findOnPath } from '../../engines/docker-api/path-lookup';
import type { BatchPlan, BatchRecovery, JobManager } from '../../jobs/job-manager';
import type { RunningJob } from '../../jobs/runner';
import { batchScript, containerNameOf, NAME_PLACEHOLDER } from './batch-script';
import { outputPathOf, outputPattern, sbatchArgs } from './sbatch-args';
import { runSlurm, slurmFailure, slurmWords, type SlurmCli } from './slurm-cli';
import { parseClusterName, parsePartitions, parseSubmitted, SINFO_FORMAT } from './slurm-parse';
import { SlurmQueue } from './slurm-queue';
import { SlurmTaskJob } from './slurm-task-job';

export interface SlurmClusterDeps {
  env: NodeJS.ProcessEnv;
  dataDir: string;
  log: (message: string) => void;
  /** squeue's interval while jobs are followed (default 2 s). */
  pollIntervalMs?: number;
}

/** Shown in place of the script's path before there is one. */
const SCRIPT_PATH_PREVIEW = '<the script below, saved in Crossdock\'s data folder>';

export class SlurmCluster implements BatchRecovery {
  readonly queue: SlurmQueue;
  private readonly cli: SlurmCli;
  private clusterName: string | null = null;

  constructor(private readonly deps: SlurmClusterDeps) {
    this.cli = { env: deps.env };
    this.queue = new SlurmQueue(this.cli, { intervalMs: deps.pollIntervalMs ?? 2_000, log: deps.log });
  }

  /** Whether jobs can be submitted, and the partitions to choose from. Never throws. */
  async info(signal?: AbortSignal): Promise<SlurmInfo> {
    const none = (message: string): SlurmInfo => ({ available: false, message, cluster: null, partitions: [] });
    if (!(await findOnPath('sbatch', this.deps.env))) {
      return none('Slurm is not available here: sbatch is not on PATH (install Slurm\'s client commands, or run Crossdock on a login node).');
    }
    try {
      const outcome = await runSlurm(this.cli, 'sinfo', ['--noheader', `--format=${SINFO_FORMAT}`], signal);
      if (outcome.exitCode !== 0) return none(slurmFailure('sinfo', outcome).message);
      const partitions = parsePartitions(outcome.stdout);
      if (partitions.length === 0) return none('Slurm answered, but lists no partition to submit to.');
      return { available: true, message: null, cluster: await this.cluster(signal), partitions };
    } catch (error) {
      return none(error instanceof Error ? error.message : String(error));
    }
  }

  async preview(submission: SlurmSubmission, jobs: JobManager, signal: AbortSignal): Promise<SlurmPreview> {
    const { plans, tasks } = await this.plan(submission, jobs, signal);
    const problems = plans.flatMap((plan) => plan.problems.map((problem) => `${plan.engineLabel}: ${problem}`));
    const outputDir = submission.request.outputDir ?? '<Crossdock\'s data folder>/slurm/<submission>';
    return {
      script: problems.length > 0 ? '' : this.script(plans, submission),
      sbatchArgv: ['sbatch', ...sbatchArgs(submission.request, { scriptPath: SCRIPT_PATH_PREVIEW, outputPattern: outputPattern(outputDir, tasks), workdir: outputDir, tasks })],
      problems,
      notes: submission.specs.some((spec) => spec.tty) ? ['A batch job has no terminal to type into: it runs without one.'] : [],
    };
  }

  /**
   * Submits with sbatch and answers one record per job or array task ("pending"). A refusal
   * (Slurm's words: unknown partition, a request no node can satisfy, the controller down) is an
   * ApiError and nothing is recorded: nothing was submitted.
   */
  async submit(submission: SlurmSubmission, jobs: JobManager): Promise<JobRecord[]> {
    const { request } = submission;
    const { plans, tasks } = await this.plan(submission, jobs, AbortSignal.timeout(60_000));
    const problems = plans.flatMap((plan) => plan.problems.map((problem) => `${plan.engineLabel}: ${problem}`));
    if (problems.length > 0) throw new ApiError('invalid-request', `This cannot go to Slurm: ${problems.join('; ')}`, { issues: problems });
    if (!(await findOnPath('sbatch', this.deps.env))) {
      throw new ApiError('engine-unavailable', 'Slurm is not available here: sbatch is not on PATH.');
    }

    const folder = join(this.deps.dataDir, 'slurm', `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}`);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const outputDir = request.outputDir ?? folder;
    await checkWritableFolder(outputDir);
    const scriptPath = join(folder, 'job.sh');
    await writeFile(scriptPath, submission.script ?? this.script(plans, submission), { mode: 0o700 });
    const pattern = outputPattern(outputDir, tasks);
    const outcome = await runSlurm(this.cli, 'sbatch', sbatchArgs(request, { scriptPath, outputPattern: pattern, workdir: outputDir, tasks }));
    const submitted = outcome.exitCode === 0 ? parseSubmitted(outcome.stdout) : null;
    if (!submitted) {
      if (outcome.exitCode === 0) throw new ApiError('internal', `sbatch answered without a job id: ${slurmWords(outcome)}`);
      throw slurmFailure('sbatch', outcome);
    }
    this.deps.log(`slurm: submitted job ${submitted.jobId} (${tasks} task${tasks === 1 ? '' : 's'}), script ${scriptPath}`);
    const cluster = submitted.cluster ?? (await this.cluster().catch(() => null)) ?? 'slurm';
    const submittedAt = new Date().toISOString();
    const records: JobRecord[] = [];
    for (let index = 0; index < tasks; index++) {
      const spec = submission.specs[submission.specs.length > 1 ? index : 0]!;
      const plan = plans[submission.specs.length > 1 ? index : 0]!;
      const batch: BatchJob = {
        system: 'slurm',
        cluster,
        jobId: tasks > 1 ? `${submitted.jobId}_${index}` : submitted.jobId,
        slurmState: 'PENDING',
        reason: null,
        partition: request.partition,
        nodes: null,
        outputPath: outputPathOf(pattern, submitted.jobId, tasks > 1 ? index : null),
        scriptPath,
        request,
        submittedAt,
      };
      const name = containerNameOf(submitted.jobId, tasks > 1 ? index : 0);
      const running = new SlurmTaskJob({ cli: this.cli, queue: this.queue, batch, knownState: 'pending', log: this.deps.log });
      records.push(
        await jobs.followBatch(
          spec,
          { engineLabel: plan.engineLabel, imageLabel: plan.imageLabel, commandLine: plan.commandLine.map((word) => word.replaceAll(NAME_PLACEHOLDER, name)), batch },
          running,
        ),
      );
    }
    this.queue.pollSoon();
    return records;
  }

  /** BatchRecovery: a job found in its record after a restart, followed again (output re-read). */
  async reattach(record: JobRecord): Promise<RunningJob> {
    if (!record.batch) throw new ApiError('internal', 'not a batch job');
    return new SlurmTaskJob({
      cli: this.cli,
      queue: this.queue,
      batch: record.batch,
      knownState: record.state === 'running' || record.state === 'stopping' ? 'running' : 'pending',
      log: this.deps.log,
    });
  }

  dispose(): void {
    this.queue.dispose();
  }

  private async plan(submission: SlurmSubmission, jobs: JobManager, signal: AbortSignal): Promise<{ plans: BatchPlan[]; tasks: number }> {
    const { specs, request } = submission;
    if (specs.length > 1 && request.arraySize > 1) {
      throw new ApiError('invalid-request', 'An array over several engines has one task per engine: leave the array size at 1.');
    }
    const plans: BatchPlan[] = [];
    for (const spec of specs) plans.push(await planOf(jobs, spec, signal));
    return { plans, tasks: specs.length > 1 ? specs.length : request.arraySize };
  }

  private script(plans: BatchPlan[], submission: SlurmSubmission): string {
    return batchScript(
      plans.map((plan) => ({ title: `${plan.engineLabel}, ${plan.imageLabel}`, steps: plan.steps! })),
      { jobName: submission.request.jobName },
    );
  }

  private async cluster(signal?: AbortSignal): Promise<string | null> {
    if (this.clusterName) return this.clusterName;
    const outcome = await runSlurm(this.cli, 'scontrol', ['show', 'config'], signal);
    if (outcome.exitCode === 0) this.clusterName = parseClusterName(outcome.stdout);
    return this.clusterName;
  }
}

/** An engine that cannot be used now is a problem of the plan, not a failure of the preview. */
async function planOf(jobs: JobManager, spec: RunSpec, signal: AbortSignal): Promise<BatchPlan> {
  try {
    return await jobs.batchPlan(spec, NAME_PLACEHOLDER, signal);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { engineLabel: spec.engineId, imageLabel: spec.image.reference ?? spec.image.imageId, commandLine: [], commandLineIsEquivalent: false, steps: null, problems: [error.message] };
  }
}

/** The output folder must exist and be writable here (on a cluster, also on the nodes: Slurm says so if not). */
async function checkWritableFolder(dir: string): Promise<void> {
  try {
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    await access(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'ENOTDIR' ? 'it is not a folder' : code === 'EACCES' || code === 'EROFS' ? 'it cannot be written' : code;
    throw new ApiError('invalid-request', `Slurm's output cannot go to ${dir}: ${why}. Nothing was submitted.`);
  }
}
