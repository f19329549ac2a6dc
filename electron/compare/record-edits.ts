// Pure edits of a comparison record. Records are replaced whole, never mutated: the copy the
// window was sent, the one on disk and the one being edited can then never be half of each other.
import type { CompareAttempt, CompareTarget, CompareTargetResult, ComparisonRecord, ComparisonState } from '../../shared/compare';
import type { RunSpec } from '../../shared/run';

/** What an attempt says when Crossdock stopped while it ran or waited (found at the next start). */
export const STOPPED_MESSAGE = 'Crossdock stopped while the comparison ran; this run did not finish.';
export const CANCELLED_RUNNING = 'Cancelled while it ran: its job was killed.';
export const CANCELLED_PENDING = 'Cancelled before it ran.';

export interface TargetLabels {
  label: string;
  imageLabel: string;
}

export function pendingAttempt(round: number): CompareAttempt {
  return {
    round,
    state: 'pending',
    jobId: null,
    exitCode: null,
    firstOutputMs: null,
    wallMs: null,
    peakMemoryBytes: null,
    stdoutSha256: null,
    stdoutBytes: null,
    message: null,
  };
}

export function newRecord(
  id: string,
  request: { spec: RunSpec; targets: CompareTarget[]; repeat: number },
  labels: TargetLabels[],
  now = new Date(),
): ComparisonRecord {
  return {
    id,
    spec: request.spec,
    repeat: request.repeat,
    state: 'running',
    createdAt: now.toISOString(),
    endedAt: null,
    results: request.targets.map((target, index) => ({
      target,
      label: labels[index]?.label ?? target.engineId,
      imageLabel: labels[index]?.imageLabel ?? target.image.imageId,
      memoryNote: 'not measured yet',
      attempts: Array.from({ length: request.repeat }, (_, round) => pendingAttempt(round)),
    })),
  };
}

export function withAttempt(record: ComparisonRecord, target: number, round: number, patch: Partial<Omit<CompareAttempt, 'round'>>): ComparisonRecord {
  return withTarget(record, target, (result) => ({
    ...result,
    attempts: result.attempts.map((attempt) => (attempt.round === round ? { ...attempt, ...patch } : attempt)),
  }));
}

export function withTarget(record: ComparisonRecord, target: number, edit: (result: CompareTargetResult) => CompareTargetResult): ComparisonRecord {
  return { ...record, results: record.results.map((result, index) => (index === target ? edit(result) : result)) };
}

/** The comparison is over: what still ran or waited is cancelled, each with its reason. */
export function ended(
  record: ComparisonRecord,
  state: Exclude<ComparisonState, 'running'>,
  messages: { running: string; pending: string },
  now = new Date(),
): ComparisonRecord {
  return {
    ...record,
    state,
    endedAt: record.endedAt ?? now.toISOString(),
    results: record.results.map((result) => ({
      ...result,
      attempts: result.attempts.map((attempt) => {
        if (attempt.state === 'running') return { ...attempt, state: 'cancelled' as const, message: messages.running };
        if (attempt.state === 'pending') return { ...attempt, state: 'cancelled' as const, message: messages.pending };
        return attempt;
      }),
    })),
  };
}

/**
 * A record found "running" at start-up, or left running when Crossdock quits: its comparison can
 * never go on (its timings would mean nothing across a restart), so it is interrupted.
 */
export function markInterrupted(record: ComparisonRecord, now = new Date()): ComparisonRecord {
  if (record.state !== 'running') return record;
  return ended(record, 'interrupted', { running: STOPPED_MESSAGE, pending: STOPPED_MESSAGE }, now);
}
