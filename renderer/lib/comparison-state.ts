// Comparisons kept in the cache, like jobs (job-state.ts): the list newest first, one record
// replaced or added as change events arrive, and never an older record put back over a newer one.
import type { CompareAttemptState, ComparisonRecord } from '../../shared/compare';

/** Newest first, as compare.list answers; ties broken by id so the order never flickers. */
export function compareComparisons(a: ComparisonRecord, b: ComparisonRecord): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

const attemptRank: Record<CompareAttemptState, number> = { pending: 0, running: 1, done: 2, failed: 2, cancelled: 2 };

/**
 * How far a record has come: attempts only move forward (pending, running, ended) and a
 * comparison only ends once. A record answered by a call that was on its way while a newer change
 * event arrived has come less far, and is not kept.
 */
export function comparisonProgressRank(record: ComparisonRecord): number {
  const attempts = record.results.reduce((sum, result) => sum + result.attempts.reduce((inner, attempt) => inner + attemptRank[attempt.state], 0), 0);
  // An ended comparison outranks every running one, whatever its attempts say.
  return (record.state === 'running' ? 0 : 1_000_000) + attempts;
}

export function newerComparison(existing: ComparisonRecord | undefined, incoming: ComparisonRecord): ComparisonRecord {
  if (!existing) return incoming;
  return comparisonProgressRank(incoming) >= comparisonProgressRank(existing) ? incoming : existing;
}

/** The cached list with one record replaced or added; undefined stays undefined (not listed yet). */
export function withComparison(list: readonly ComparisonRecord[] | undefined, record: ComparisonRecord): ComparisonRecord[] | undefined {
  if (!list) return undefined;
  const index = list.findIndex((existing) => existing.id === record.id);
  if (index >= 0) {
    const kept = newerComparison(list[index], record);
    if (kept === list[index]) return list as ComparisonRecord[];
    return list.map((existing, i) => (i === index ? kept : existing));
  }
  const next = [...list];
  let at = next.findIndex((existing) => compareComparisons(record, existing) < 0);
  if (at < 0) at = next.length;
  next.splice(at, 0, record);
  return next;
}

export function withoutComparison(list: readonly ComparisonRecord[] | undefined, comparisonId: string): ComparisonRecord[] | undefined {
  if (!list) return undefined;
  return list.some((record) => record.id === comparisonId) ? list.filter((record) => record.id !== comparisonId) : (list as ComparisonRecord[]);
}
