// Slurm's answers as Crossdock reads them: lines seen from Slurm 22.05 on the one-node cluster
// (sinfo, squeue -O with "|" suffixes, sbatch --parsable), and how each state reads in Crossdock.
import { describe, expect, it } from 'vitest';
import { parseClusterName, parsePartitions, parseQueue, parseSubmitted, slurmTime } from '../../../electron/batch/slurm/slurm-parse';
import { phaseOf } from '../../../electron/batch/slurm/slurm-states';
import { slurmFailure, slurmWords } from '../../../electron/batch/slurm/slurm-cli';

describe('Slurm output parsing', () => {
  it('reads partitions from sinfo, the default one marked', () => {
    const partitions = parsePartitions('debug*|up|infinite|1|2|22899|(null)\ngpu|up|1-00:00:00|2|64|512000|gpu:4\n');
    expect(partitions).toEqual([
      { name: 'debug', isDefault: true, availability: 'up', timeLimit: 'infinite', nodes: 1, cpusPerNode: 2, memoryMbPerNode: 22899, gres: null },
      { name: 'gpu', isDefault: false, availability: 'up', timeLimit: '1-00:00:00', nodes: 2, cpusPerNode: 64, memoryMbPerNode: 512000, gres: 'gpu:4' },
    ]);
  });

  it('reads squeue lines, array tasks by their own id, exit codes from the raw wait status', () => {
    const jobs = parseQueue(
      [
        '3|3|N/A|FAILED|NonZeroExitCode|2026-11-23T15:27:14|2026-11-23T15:27:15|vm|debug|768|',
        '4|4|N/A|FAILED|JobLaunchFailure|2026-11-23T15:27:15|2026-11-23T15:27:16|vm|debug|4021|',
        '13|12|1|PENDING|Resources|N/A|N/A||debug|0|',
      ].join('\n'),
    );
    expect(jobs[0]).toMatchObject({ id: '3', state: 'FAILED', reason: 'NonZeroExitCode', exitCode: 3, signal: 0, nodes: 'vm' });
    expect(jobs[0]!.startTime).toBe(new Date('2026-11-23T15:27:14').toISOString());
    expect(jobs[1]).toMatchObject({ id: '4', exitCode: 15, signal: 53 });
    expect(jobs[2]).toMatchObject({ id: '12_1', state: 'PENDING', startTime: null, nodes: null });
  });

  it('reads sbatch --parsable and the cluster name', () => {
    expect(parseSubmitted('42\n')).toEqual({ jobId: '42', cluster: null });
    expect(parseSubmitted('42;crossdock')).toEqual({ jobId: '42', cluster: 'crossdock' });
    expect(parseSubmitted('sbatch: error: x')).toBeNull();
    expect(parseClusterName('AuthType                = auth/munge\nClusterName             = crossdock\n')).toBe('crossdock');
    expect(slurmTime('Unknown')).toBeNull();
  });
});

describe('Slurm states in Crossdock', () => {
  const job = (state: string, extra: Partial<{ exitCode: number; signal: number; reason: string }> = {}) => ({
    id: '1', state, reason: extra.reason ?? null, startTime: null, endTime: null, nodes: null, partition: null, exitCode: extra.exitCode ?? 0, signal: extra.signal ?? 0,
  });
  const asked = { cancelRequested: false };

  it('maps queued and running states', () => {
    expect(phaseOf(job('PENDING'), asked)).toEqual({ ended: false, state: 'pending' });
    expect(phaseOf(job('CONFIGURING'), asked)).toEqual({ ended: false, state: 'pending' });
    expect(phaseOf(job('RUNNING'), asked)).toEqual({ ended: false, state: 'running' });
    expect(phaseOf(job('COMPLETING'), asked)).toEqual({ ended: false, state: 'running' });
  });

  it('maps completed, failed (code), timeout and cancelled', () => {
    expect(phaseOf(job('COMPLETED'), asked)).toMatchObject({ ended: true, exit: { state: 'exited', exitCode: 0 } });
    expect(phaseOf(job('FAILED', { exitCode: 3 }), asked)).toMatchObject({ ended: true, exit: { state: 'exited', exitCode: 3 } });
    expect(phaseOf(job('FAILED', { exitCode: 0, signal: 9 }), asked)).toMatchObject({ ended: true, exit: { state: 'exited', exitCode: 137, signal: 'SIGKILL' } });
    expect(phaseOf(job('FAILED', { reason: 'JobLaunchFailure', exitCode: 0, signal: 0 }), asked)).toMatchObject({ ended: true, exit: { state: 'failed', message: expect.stringMatching(/could not launch/) } });
    expect(phaseOf(job('TIMEOUT'), asked)).toMatchObject({ ended: true, exit: { state: 'timeout' } });
    expect(phaseOf(job('CANCELLED'), asked)).toMatchObject({ ended: true, exit: { state: 'cancelled', message: expect.stringMatching(/outside Crossdock/) } });
    expect(phaseOf(job('CANCELLED'), { cancelRequested: true })).toMatchObject({ ended: true, exit: { state: 'cancelled', message: expect.stringMatching(/from Crossdock/) } });
    expect(phaseOf(job('NODE_FAIL'), asked)).toMatchObject({ ended: true, exit: { state: 'engine-lost' } });
  });

  it('tells a controller that cannot be reached from a refusal, in Slurm\'s words', () => {
    const down = { exitCode: 1, stdout: '', stderr: 'sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)', spawnError: null, timedOut: false, cancelled: false };
    expect(slurmFailure('sbatch', down)).toMatchObject({ kind: 'engine-unavailable', message: expect.stringMatching(/controller cannot be reached.*Unable to contact slurm controller/) });
    const refused = { ...down, stderr: 'sbatch: error: invalid partition specified: nosuch\nsbatch: error: Batch job submission failed: Invalid partition name specified' };
    expect(slurmFailure('sbatch', refused)).toMatchObject({ kind: 'invalid-request' });
    expect(slurmWords(refused)).toBe('invalid partition specified: nosuch Batch job submission failed: Invalid partition name specified');
  });
});
