// What can be done with the selected job: stop, kill, re-run, re-run with edits, open a shell in
// its container (where the engine can), delete. Each button is disabled, with why in its title,
// when the job's state does not allow it.
import { isActiveJobState, type JobRecord } from '../../../shared/jobs';
import type { RunCapabilities } from '../../../shared/run';
import { Spinner } from '../../components/Spinner';
import { SlurmButton } from '../slurm/SlurmButton';
import { ExportButton } from '../export/ExportButton';

interface JobActionsProps {
  job: JobRecord | null;
  capabilities: RunCapabilities | null;
  busy: string | null;
  onStop(): void;
  onKill(): void;
  onRerun(): void;
  onEdit(): void;
  onShell(): void;
  onDelete(): void;
  /** The job's spec went to Slurm ("Submit to Slurm…"); the new records. */
  onSlurmSubmitted?(records: JobRecord[]): void;
}

export function JobActions({ job, capabilities, busy, onStop, onKill, onRerun, onEdit, onShell, onDelete, onSlurmSubmitted }: JobActionsProps) {
  const active = job !== null && isActiveJobState(job.state);
  const running = job?.state === 'running';
  const shellSupported = capabilities?.exec.supported ?? false;
  const shellWhy = !job
    ? undefined
    : !shellSupported
      ? (capabilities?.exec.note ?? `${job.engineLabel} cannot open a shell in a running job`)
      : !running
        ? 'Only while the job runs'
        : undefined;
  return (
    <div className="job-actions" role="toolbar" aria-label="Selected job">
      <button type="button" data-testid="job-stop" disabled={!active || job?.state === 'stopping'} onClick={onStop}>
        Stop
      </button>
      <button type="button" data-testid="job-kill" disabled={!active} onClick={onKill}>
        Kill
      </button>
      <button type="button" data-testid="job-rerun" disabled={!job || job.kind !== 'run'} onClick={onRerun}>
        Re-run
      </button>
      <button type="button" data-testid="job-edit" disabled={!job || job.kind !== 'run'} onClick={onEdit}>
        Re-run with edits…
      </button>
      <button type="button" data-testid="job-shell" disabled={!job || shellWhy !== undefined} title={shellWhy} onClick={onShell}>
        Open a shell
      </button>
      <ExportButton
        spec={job?.kind === 'run' ? job.spec : null}
        name={job?.imageLabel ?? ''}
        disabledReason={job ? 'Only runs can be exported (not a shell in a job)' : 'Select a job first'}
        testId="job-export"
      />
      {onSlurmSubmitted ? (
        <SlurmButton
          specs={job && job.kind === 'run' ? [job.spec] : null}
          what={job?.imageLabel ?? ''}
          disabledReason="Select a job that ran an image"
          testId="job-slurm"
          onSubmitted={onSlurmSubmitted}
        />
      ) : null}
      <button
        type="button"
        className="button--danger"
        data-testid="job-delete"
        disabled={!job || active}
        title={active ? 'Stop the job first' : undefined}
        onClick={onDelete}
      >
        Delete…
      </button>
      <span className="job-actions__busy muted" aria-live="polite">
        {busy ? (
          <>
            <Spinner /> {busy}
          </>
        ) : null}
      </span>
    </div>
  );
}
