// Slurm's answers, read from the formats Crossdock asks for: sinfo and squeue with explicit field
// lists separated by "|" (names Slurm itself refuses to hold "|": partitions, states, node lists),
// `sbatch --parsable`, and `scontrol show config`'s "Key = value" lines.
import type { SlurmPartitionInfo } from '../../../shared/batch';

/** sinfo's format for partitions: name (with "*" for the default), availability, limit, nodes, CPUs, memory, gres. */
export const SINFO_FORMAT = '%P|%a|%l|%D|%c|%m|%G';

export function parsePartitions(stdout: string): SlurmPartitionInfo[] {
  const byName = new Map<string, SlurmPartitionInfo>();
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split('|');
    if (fields.length < 7 || !fields[0]) continue;
    const [rawName, availability, timeLimit, nodes, cpus, memory, gres] = fields as [string, string, string, string, string, string, string];
    const isDefault = rawName.endsWith('*');
    const name = isDefault ? rawName.slice(0, -1) : rawName;
    // sinfo prints one line per node configuration: keep the largest node of each partition.
    const previous = byName.get(name);
    const info: SlurmPartitionInfo = {
      name,
      isDefault: isDefault || (previous?.isDefault ?? false),
      availability,
      timeLimit,
      nodes: (previous?.nodes ?? 0) + (Number.parseInt(nodes, 10) || 0),
      cpusPerNode: Math.max(previous?.cpusPerNode ?? 0, leadingNumber(cpus)),
      memoryMbPerNode: Math.max(previous?.memoryMbPerNode ?? 0, leadingNumber(memory)),
      gres: gres === '(null)' || gres === '' ? (previous?.gres ?? null) : gres,
    };
    byName.set(name, info);
  }
  return [...byName.values()];
}

/** "2", "2+", "24105" → the number; sinfo writes "+" when nodes differ. */
function leadingNumber(text: string): number {
  return Number.parseInt(text, 10) || 0;
}

/** `sbatch --parsable` prints "ID" or "ID;CLUSTER". */
export function parseSubmitted(stdout: string): { jobId: string; cluster: string | null } | null {
  const match = /^(\d+)(?:;(\S+))?\s*$/m.exec(stdout.trim());
  return match ? { jobId: match[1]!, cluster: match[2] ?? null } : null;
}

export function parseClusterName(configText: string): string | null {
  const match = /^ClusterName\s*=\s*(\S+)\s*$/m.exec(configText);
  return match ? match[1]! : null;
}

/** squeue's fields, one job or array task a line, "|" after each (squeue -O's suffix). */
export const SQUEUE_FIELDS = ['JobID', 'ArrayJobID', 'ArrayTaskID', 'State', 'Reason', 'StartTime', 'EndTime', 'NodeList', 'Partition', 'exit_code'] as const;
export const SQUEUE_FORMAT = SQUEUE_FIELDS.map((field) => `${field}:|`).join(',');

export interface QueuedJob {
  /** "12" for a job, "12_3" for an array task. */
  id: string;
  state: string;
  reason: string | null;
  /** ISO times, or null when Slurm has none yet ("N/A", "Unknown"). */
  startTime: string | null;
  endTime: string | null;
  nodes: string | null;
  partition: string | null;
  /** The job's exit code and the signal that ended it, from Slurm's raw wait status. */
  exitCode: number | null;
  signal: number | null;
}

export function parseQueue(stdout: string): QueuedJob[] {
  const jobs: QueuedJob[] = [];
  for (const line of stdout.split('\n')) {
    const fields = line.split('|').map((field) => field.trim());
    if (fields.length < SQUEUE_FIELDS.length) continue;
    const [jobId, arrayJobId, arrayTaskId, state, reason, start, end, nodes, partition, status] = fields as string[] as [
      string, string, string, string, string, string, string, string, string, string,
    ];
    if (!/^\d+/.test(jobId)) continue;
    const id = /^\d+$/.test(arrayTaskId) ? `${arrayJobId}_${arrayTaskId}` : jobId;
    const raw = Number.parseInt(status, 10);
    jobs.push({
      id,
      state: state.split(' ')[0] ?? state,
      reason: reason && reason !== 'None' && reason !== '(null)' ? reason : null,
      startTime: slurmTime(start),
      endTime: slurmTime(end),
      nodes: nodes || null,
      partition: partition || null,
      exitCode: Number.isFinite(raw) ? (raw >> 8) & 0xff : null,
      signal: Number.isFinite(raw) ? raw & 0x7f : null,
    });
  }
  return jobs;
}

/** Slurm prints local times without a zone ("2026-11-23T15:27:14"); "N/A", "Unknown" and "None" are none. */
export function slurmTime(text: string): string | null {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/.test(text)) return null;
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? null : time.toISOString();
}
