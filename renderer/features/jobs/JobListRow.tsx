// One job in the list, positioned by the virtualiser and memoised; only active jobs re-render
// with the clock (their duration is live).
import { memo } from 'react';
import { isActiveJobState, type JobRecord } from '../../../shared/jobs';
import { formatAbsoluteTime, formatRelativeTime } from '../../lib/format';
import { describeJobState, formatDuration, jobDurationMs } from '../../lib/job-state';
import { quoteCommandLine } from '../../lib/shell-words';
import { JOB_ROW_HEIGHT } from './columns';

interface JobListRowProps {
  job: JobRecord;
  index: number;
  domId: string;
  selected: boolean;
  /** The clock; only used by active jobs and for relative start times. */
  now: number;
  onActivate(index: number): void;
}

export const JobListRow = memo(
  function JobListRow({ job, index, domId, selected, now, onActivate }: JobListRowProps) {
    const state = describeJobState(job);
    const duration = jobDurationMs(job, now);
    const command = job.spec.command.length > 0 ? quoteCommandLine(job.spec.command) : '(image default)';
    const started = job.startedAt ?? job.createdAt;
    return (
      <div
        role="row"
        id={domId}
        aria-rowindex={index + 2}
        aria-selected={selected}
        className={`image-grid__row image-grid__row--body job-grid__row${selected ? ' is-selected' : ''}`}
        style={{ height: JOB_ROW_HEIGHT, transform: `translateY(${index * JOB_ROW_HEIGHT}px)` }}
        data-testid="job-row"
        data-job-id={job.id}
        data-state={job.state}
        data-exit-code={job.exitCode ?? ''}
        onClick={() => onActivate(index)}
      >
        <div role="gridcell" className="image-grid__cell" title={job.message ?? state.text}>
          <span className={`state-badge state-badge--${state.tone}`} data-testid="job-state">
            <span aria-hidden="true">{state.icon}</span> {state.text}
          </span>
        </div>
        <div role="gridcell" className="image-grid__cell">
          <span className="engine-badge">{job.engineLabel}</span>
          {job.kind === 'exec' ? <span> · shell</span> : null}
          {job.batch ? (
            <span className="batch-mark" data-testid="job-batch" title={`Slurm job ${job.batch.jobId} on cluster ${job.batch.cluster}: ${job.batch.slurmState}${job.batch.reason ? ` (${job.batch.reason})` : ''}`}>
              {' '}
              · {job.batch.cluster} #{job.batch.jobId}
            </span>
          ) : null}
        </div>
        <div role="gridcell" className="image-grid__cell" title={job.imageLabel}>
          {job.imageLabel}
        </div>
        <div role="gridcell" className="image-grid__cell mono" title={command}>
          {command}
        </div>
        <div role="gridcell" className="image-grid__cell" title={formatAbsoluteTime(started)}>
          {formatRelativeTime(started, now)}
        </div>
        <div role="gridcell" className="image-grid__cell image-grid__cell--numeric">
          {duration === null ? <span className="muted">—</span> : formatDuration(duration)}
        </div>
      </div>
    );
  },
  // Finished jobs ignore the ticking clock; they change only with their record or selection.
  (before, after) =>
    before.job === after.job &&
    before.index === after.index &&
    before.selected === after.selected &&
    before.domId === after.domId &&
    before.onActivate === after.onActivate &&
    (before.now === after.now || (!isActiveJobState(after.job.state) && Math.abs(after.now - before.now) < 60_000)),
);
