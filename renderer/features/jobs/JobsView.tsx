// The jobs view: every job (newest first) with the selected job's actions, and its terminal below.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { isActiveJobState, type JobRecord } from '../../../shared/jobs';
import type { RunSpec } from '../../../shared/run';
import { plural } from '../../lib/format';
import { useRunOptions } from '../run/use-run';
import { DeleteJobDialog } from './DeleteJobDialog';
import { JobActions } from './JobActions';
import { JobList } from './JobList';
import { useJobAction, useJobs, useStartJob } from './use-jobs';

interface JobsViewProps {
  selectedId: string | null;
  onSelect(jobId: string | null): void;
  onEdit(spec: RunSpec): void;
  onNotice(message: string): void;
  hidden?: boolean;
  /** A job just started from the dialog: its interactive terminal, or else the list, takes focus. */
  focusJobId?: string | null;
}

const noJobs: JobRecord[] = [];

// xterm is most of the window's script; it loads the first time a job's output is shown.
const JobTerminal = lazy(() => import('../terminal/JobTerminal').then((module) => ({ default: module.JobTerminal })));

export function JobsView({ selectedId, onSelect, onEdit, onNotice, hidden, focusJobId = null }: JobsViewProps) {
  const jobs = useJobs();
  const options = useRunOptions();
  const action = useJobAction();
  const start = useStartJob();
  const [toDelete, setToDelete] = useState<JobRecord | null>(null);
  const list = jobs.data ?? noJobs;
  const selected = useMemo(() => list.find((job) => job.id === selectedId) ?? null, [list, selectedId]);
  const capabilities = selected ? (options.data?.find((entry) => entry.engineId === selected.spec.engineId)?.capabilities ?? null) : null;
  const select = useCallback((job: JobRecord) => onSelect(job.id), [onSelect]);
  const listRef = useRef<HTMLDivElement>(null);
  const focusTerminal = selected !== null && selected.id === focusJobId && selected.spec.tty;
  useEffect(() => {
    if (focusJobId !== null && focusJobId === selectedId && !focusTerminal && !hidden) listRef.current?.focus();
  }, [focusJobId, selectedId, focusTerminal, hidden]);

  const act = (kind: 'stop' | 'kill' | 'shell') => {
    if (!selected) return;
    action.mutate(
      { action: kind, jobId: selected.id },
      {
        onSuccess: (job) => {
          if (kind === 'shell') onSelect(job.id);
        },
        onError: (error) => onNotice(error.message),
      },
    );
  };
  const rerun = () => {
    if (!selected) return;
    start.mutate(selected.spec, { onSuccess: (job) => onSelect(job.id), onError: (error) => onNotice(error.message) });
  };

  const busy = action.isPending
    ? { stop: 'Stopping…', kill: 'Killing…', shell: 'Opening a shell…' }[action.variables.action]
    : start.isPending
      ? 'Starting…'
      : null;

  return (
    <main className="jobs-view" id="jobs-view" aria-labelledby="jobs-heading" hidden={hidden}>
      <div className="jobs-view__top">
        <div className="panel-heading">
          <h2 id="jobs-heading">Jobs</h2>
          <p className="image-count" aria-live="polite">
            {jobs.isPending ? 'Loading…' : plural(list.length, 'job')}
          </p>
        </div>
        {jobs.isError ? (
          <p className="error-strip" role="alert">
            Could not list jobs: {jobs.error.message}{' '}
            <button type="button" onClick={() => void jobs.refetch()}>
              Retry
            </button>
          </p>
        ) : null}
      </div>
      <JobActions
        job={selected}
        capabilities={capabilities}
        busy={busy}
        onStop={() => act('stop')}
        onKill={() => act('kill')}
        onRerun={rerun}
        onEdit={() => selected && onEdit(selected.spec)}
        onShell={() => act('shell')}
        onDelete={() => selected && setToDelete(selected)}
        onSlurmSubmitted={(records) => records[0] && onSelect(records[0].id)}
      />
      <JobList
        ref={listRef}
        jobs={list}
        selectedId={selectedId}
        onSelect={select}
        onDelete={(job) => {
          if (!isActiveJobState(job.state)) setToDelete(job);
        }}
        placeholder={jobs.isPending ? 'Loading jobs…' : 'No jobs yet. Run an image from its row (R) or with New run.'}
      />
      <div className="jobs-view__terminal">
        {selected ? (
          <Suspense fallback={<p className="muted jobs-view__placeholder">Opening the terminal…</p>}>
            <JobTerminal key={selected.id} job={selected} autoFocus={focusTerminal} />
          </Suspense>
        ) : (
          <p className="muted jobs-view__placeholder">Select a job to see its output.</p>
        )}
      </div>
      {toDelete ? (
        <DeleteJobDialog
          job={toDelete}
          onClose={() => setToDelete(null)}
          onDone={(message) => {
            if (toDelete.id === selectedId) onSelect(null);
            setToDelete(null);
            onNotice(message);
          }}
        />
      ) : null}
    </main>
  );
}
