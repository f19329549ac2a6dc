// Where a comparison stands, in words: which attempt runs now and how many of all have ended.
// Pure, from the record alone, so the progress line cannot disagree with the table.
import type { ComparisonRecord } from '../../../shared/compare';

export interface ComparisonProgress {
  /** Every attempt the comparison will make: targets × repeats. */
  total: number;
  /** Attempts that ended, whichever way (done, failed, cancelled). */
  ended: number;
  running: { target: number; round: number; label: string } | null;
  /** One line for the progress bar's label. */
  text: string;
}

export function comparisonProgress(record: ComparisonRecord): ComparisonProgress {
  const planned = record.results.length * record.repeat;
  const attempts = record.results.reduce((sum, result) => sum + result.attempts.length, 0);
  const total = Math.max(planned, attempts);
  let ended = 0;
  let failed = 0;
  let running: ComparisonProgress['running'] = null;
  for (const [target, result] of record.results.entries()) {
    for (const attempt of result.attempts) {
      if (attempt.state === 'done' || attempt.state === 'failed' || attempt.state === 'cancelled') ended += 1;
      if (attempt.state === 'failed') failed += 1;
      if (attempt.state === 'running' && running === null) running = { target, round: attempt.round, label: result.label };
    }
  }
  const failedText = failed > 0 ? `, ${failed} failed` : '';
  let text: string;
  switch (record.state) {
    case 'running': {
      const now = running;
      text = now
        ? `Running ${now.label}, run ${now.round + 1} of ${record.repeat}: ${ended} of ${total} runs ended${failedText}`
        : `Starting the next run: ${ended} of ${total} runs ended${failedText}`;
      break;
    }
    case 'done':
      text = `Done: ${ended} of ${total} runs ended${failedText}`;
      break;
    case 'cancelled':
      text = `Cancelled after ${ended} of ${total} runs${failedText}`;
      break;
    case 'interrupted':
      text = `Interrupted (Crossdock stopped) after ${ended} of ${total} runs${failedText}`;
      break;
  }
  return { total, ended, running, text };
}
