// The diff view: two targets' stdout (the first finished run of each, from compare.stdout) as a
// line diff. It opens by itself when some target's stdout differs; otherwise on request. Removed
// and added lines carry "-" and "+" in their text, and the counts are said in words.
import { useMemo, useState } from 'react';
import type { ComparisonRecord } from '../../../shared/compare';
import type { ComparisonSummary } from '../../../shared/compare-summary';
import { Spinner } from '../../components/Spinner';
import { lineDiff } from './line-diff';
import { useAttemptStdout } from './use-compare';

/** More lines than this are not drawn (the start is); the counts still cover everything. */
const MAX_SHOWN_LINES = 5000;

interface Candidate {
  index: number;
  label: string;
  round: number;
}

function candidatesOf(record: ComparisonRecord): Candidate[] {
  const found: Candidate[] = [];
  record.results.forEach((result, index) => {
    const done = result.attempts.find((attempt) => attempt.state === 'done');
    if (done) found.push({ index, label: result.label, round: done.round });
  });
  return found;
}

/** The reference (most common output) against the first target that differs, else the first two. */
function defaultPair(candidates: readonly Candidate[], summary: ComparisonSummary): [number, number] | null {
  if (candidates.length < 2) return null;
  const stdoutOf = (index: number) => summary.targets[index]?.stdout;
  const differing = candidates.find((candidate) => stdoutOf(candidate.index) === 'differs');
  const reference = candidates.find((candidate) => stdoutOf(candidate.index) === 'identical');
  if (differing && reference) return [reference.index, differing.index];
  return [candidates[0]!.index, candidates[1]!.index];
}

export function StdoutDiff({ record, summary }: { record: ComparisonRecord; summary: ComparisonSummary }) {
  const candidates = useMemo(() => candidatesOf(record), [record]);
  const someDiffer = summary.targets.some((target) => target.stdout === 'differs');
  const fallback = defaultPair(candidates, summary);
  const [picked, setPicked] = useState<[number, number] | null>(null);
  const [asked, setAsked] = useState(false);
  const pair = picked ?? fallback;
  const show = pair !== null && pair[0] !== pair[1] && (asked || someDiffer);
  const of = (index: number | undefined) => candidates.find((candidate) => candidate.index === index);
  const left = show ? of(pair[0]) : undefined;
  const right = show ? of(pair[1]) : undefined;
  const before = useAttemptStdout(left ? { comparisonId: record.id, target: left.index, round: left.round } : null);
  const after = useAttemptStdout(right ? { comparisonId: record.id, target: right.index, round: right.round } : null);
  const diff = useMemo(() => (before.data && after.data ? lineDiff(before.data.text, after.data.text) : null), [before.data, after.data]);

  if (candidates.length < 2) {
    return (
      <section className="compare-diff" data-testid="compare-diff" aria-labelledby="compare-diff-heading">
        <h4 id="compare-diff-heading">Stdout diff</h4>
        <p className="muted">Two targets need a finished run before their outputs can be compared.</p>
      </section>
    );
  }

  const choose = (side: 0 | 1, value: string) => {
    const next: [number, number] = [...(pair ?? [0, 0])];
    next[side] = Number(value);
    setPicked(next);
  };
  const loading = show && (before.isPending || after.isPending);
  const error = before.error ?? after.error;
  const truncated = before.data?.truncated || after.data?.truncated;

  return (
    <section className="compare-diff" data-testid="compare-diff" aria-labelledby="compare-diff-heading">
      <h4 id="compare-diff-heading">Stdout diff</h4>
      <div className="compare-diff__pickers">
        {([0, 1] as const).map((side) => (
          <label key={side} className="run-field">
            {side === 0 ? 'From (lines only here are marked -)' : 'To (lines only here are marked +)'}
            <select value={pair?.[side] ?? ''} data-testid={`compare-diff-${side === 0 ? 'from' : 'to'}`} onChange={(event) => choose(side, event.target.value)}>
              {candidates.map((candidate) => (
                <option key={candidate.index} value={candidate.index}>
                  {candidate.label}
                </option>
              ))}
            </select>
          </label>
        ))}
        {!someDiffer ? (
          <button type="button" disabled={asked || pair === null || pair[0] === pair[1]} onClick={() => setAsked(true)}>
            Show the diff
          </button>
        ) : null}
      </div>
      <p className="compare-diff__status" aria-live="polite">
        {!show ? (
          pair !== null && pair[0] === pair[1] ? (
            'Choose two different targets.'
          ) : (
            <span className="muted">Every target that finished wrote the same stdout; the diff is shown on request.</span>
          )
        ) : loading ? (
          <>
            <Spinner /> Reading both outputs…
          </>
        ) : error ? (
          <span className="field-error">Could not read the output: {error.message}</span>
        ) : diff?.tooDifferent ? (
          'The outputs differ in too many lines to show a readable diff.'
        ) : diff ? (
          diff.added === 0 && diff.removed === 0 ? (
            'The two outputs are identical.'
          ) : (
            `${diff.removed} line${diff.removed === 1 ? '' : 's'} removed (-), ${diff.added} added (+).${
              diff.onlyLineEndings ? ' They differ only in line endings: \\r marks the carriage returns a terminal adds.' : ''
            }${truncated ? ' Only the start of a long output was compared.' : ''}`
          )
        ) : null}
      </p>
      {show && diff && !diff.tooDifferent && (diff.added > 0 || diff.removed > 0) ? (
        <pre className="compare-diff__lines mono" tabIndex={0} aria-label={`Line diff of ${left?.label ?? ''} and ${right?.label ?? ''}`}>
          {diff.lines.slice(0, MAX_SHOWN_LINES).map((line, index) => (
            <span key={index} className={`diff-line diff-line--${line.mark === '+' ? 'added' : line.mark === '-' ? 'removed' : 'same'}`}>
              {line.mark} {line.text}
              {'\n'}
            </span>
          ))}
          {diff.lines.length > MAX_SHOWN_LINES ? `… ${diff.lines.length - MAX_SHOWN_LINES} more lines not shown\n` : null}
        </pre>
      ) : null}
    </section>
  );
}
