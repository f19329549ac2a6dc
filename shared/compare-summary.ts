// What the result table, the chart and the exports say of a comparison: per target, the median
// and spread of each timing over the repeats, the exit codes seen, and whether stdout matched the
// other targets'. Computed from the record alone, so the window and the exports cannot disagree.
import type { ComparisonRecord, CompareTargetResult } from './compare';
import { summariseKnown, type Summary } from './stats';

/**
 * - identical: every finished attempt wrote the same stdout as the reference
 * - differs: some attempt wrote something else
 * - unknown: no finished attempt to compare (refused, failed, still running)
 */
export type StdoutAgreement = 'identical' | 'differs' | 'unknown';

export interface TargetSummary {
  index: number;
  label: string;
  imageLabel: string;
  finished: number;
  failed: number;
  /** Distinct exit codes of the finished attempts, ascending. */
  exitCodes: number[];
  firstOutput: Summary | null;
  wall: Summary | null;
  peakMemory: Summary | null;
  memoryNote: string;
  stdout: StdoutAgreement;
  /** The first failure's message, for a target none of whose attempts finished. */
  problem: string | null;
}

export interface ComparisonSummary {
  targets: TargetSummary[];
  /** The stdout every other target is compared against: the most common one. */
  referenceSha256: string | null;
  /** Whether every target that finished wrote the same stdout. */
  allIdentical: boolean;
}

export function summariseComparison(record: ComparisonRecord): ComparisonSummary {
  const referenceSha256 = mostCommon(record.results.flatMap((result) => finishedAttempts(result).map((a) => a.stdoutSha256)));
  const targets = record.results.map((result, index) => summariseTarget(result, index, referenceSha256));
  const known = targets.filter((target) => target.stdout !== 'unknown');
  return { targets, referenceSha256, allIdentical: known.length > 0 && known.every((target) => target.stdout === 'identical') };
}

function summariseTarget(result: CompareTargetResult, index: number, reference: string | null): TargetSummary {
  const finished = finishedAttempts(result);
  const failed = result.attempts.filter((attempt) => attempt.state === 'failed');
  const digests = finished.map((attempt) => attempt.stdoutSha256);
  let stdout: StdoutAgreement = 'unknown';
  if (finished.length > 0 && reference !== null) stdout = digests.every((digest) => digest === reference) ? 'identical' : 'differs';
  return {
    index,
    label: result.label,
    imageLabel: result.imageLabel,
    finished: finished.length,
    failed: failed.length,
    exitCodes: [...new Set(finished.map((attempt) => attempt.exitCode).filter((code): code is number => code !== null))].sort((a, b) => a - b),
    firstOutput: summariseKnown(finished.map((attempt) => attempt.firstOutputMs)),
    wall: summariseKnown(finished.map((attempt) => attempt.wallMs)),
    peakMemory: summariseKnown(finished.map((attempt) => attempt.peakMemoryBytes), 'bytes'),
    memoryNote: result.memoryNote,
    stdout,
    problem: finished.length === 0 ? (failed[0]?.message ?? null) : null,
  };
}

function finishedAttempts(result: CompareTargetResult) {
  return result.attempts.filter((attempt) => attempt.state === 'done');
}

/** The most frequent value (the earliest seen wins a tie), or null for none. */
function mostCommon(values: ReadonlyArray<string | null>): string | null {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | null = null;
  for (const [value, count] of counts) if (best === null || count > counts.get(best)!) best = value;
  return best;
}
