// "Submit to Slurm…": partition (from sinfo), time limit, CPUs, memory, GPUs, job name, array size
// and output folder; the batch script Crossdock will submit, editable; and the sbatch line. A
// modal <dialog> of its own in <body> (a form may not hold another form). When Slurm is not there
// (no sbatch, the controller down) it says so in Slurm's words and offers nothing to submit.
import { useRef, useState, type FormEvent, type KeyboardEvent, type SyntheticEvent } from 'react';
import { createPortal } from 'react-dom';
import type { JobRecord } from '../../../shared/jobs';
import type { RunSpec } from '../../../shared/run';
import { errorProps, FieldError } from '../../components/FieldError';
import { Spinner } from '../../components/Spinner';
import { useModalDialog } from '../../components/use-modal-dialog';
import { quoteCommandLine } from '../../lib/shell-words';
import { initialSlurmForm, jobNameOf, requestFromForm, type SlurmForm } from './slurm-form';
import { useSlurmInfo, useSlurmPreview, useSlurmSubmit } from './use-slurm';

interface SlurmSubmitDialogProps {
  /** One spec, or one per array task ("run on all engines"). */
  specs: RunSpec[];
  /** What the title names ("busybox:1.36", "4 engines"). */
  what: string;
  onClose(): void;
  onSubmitted(records: JobRecord[]): void;
}

export function SlurmSubmitDialog({ specs, what, onClose, onSubmitted }: SlurmSubmitDialogProps) {
  const firstField = useRef<HTMLSelectElement | null>(null);
  const { dialogRef, dialogProps } = useModalDialog(onClose, firstField);
  const info = useSlurmInfo();
  const submitCall = useSlurmSubmit();
  const [form, setForm] = useState<SlurmForm>(() => initialSlurmForm(jobNameOf(what)));
  /** The script as the user edited it; null while it is Crossdock's own. */
  const [editedScript, setEditedScript] = useState<string | null>(null);
  const [submitError, setSubmitError] = useState<string | null>(null);

  const oneSpec = specs.length === 1;
  const { request, errors } = requestFromForm(form, oneSpec);
  const available = info.data?.available === true;
  const submission = available && request ? { specs, request } : null;
  const preview = useSlurmPreview(submission);
  const script = editedScript ?? (preview.current ? (preview.data?.script ?? '') : (preview.data?.script ?? ''));
  const problems = [
    ...Object.entries(errors).map(([field, message]) => `${field}: ${message}`),
    ...(preview.data?.problems ?? []),
    ...(preview.isError ? [preview.error.message] : []),
  ];
  const canSubmit = submission !== null && preview.current && preview.isSuccess && !preview.isFetching && problems.length === 0 && script.trim() !== '' && !submitCall.isPending;

  const change = (patch: Partial<SlurmForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    setSubmitError(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    if (!canSubmit || !submission) return;
    submitCall.mutate(
      { ...submission, script: editedScript },
      { onSuccess: onSubmitted, onError: (error) => setSubmitError(error.message) },
    );
  };
  // Keys and Esc stay in this dialog, not the run dialog it was opened over.
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    event.stopPropagation();
    dialogProps.onKeyDown(event);
  };
  const onCancel = (event: SyntheticEvent<HTMLDialogElement>) => {
    event.stopPropagation();
    dialogProps.onCancel(event);
  };

  const field = (key: keyof SlurmForm, label: string, hint: string, inputMode: 'numeric' | 'text' = 'numeric') => (
    <label className="field">
      <span>{label}</span>
      <input
        type="text"
        inputMode={inputMode}
        value={form[key]}
        placeholder={hint}
        data-testid={`slurm-${key}`}
        onChange={(event) => change({ [key]: event.target.value })}
        {...errorProps(`slurm-${key}-error`, errors[key])}
      />
      <FieldError id={`slurm-${key}-error`} message={errors[key]} />
    </label>
  );

  return createPortal(
    <dialog ref={dialogRef} className="run-dialog slurm-dialog" data-testid="slurm-dialog" aria-labelledby="slurm-dialog-title" onKeyDown={onKeyDown} onCancel={onCancel}>
      <form onSubmit={submit} className="run-dialog__form" noValidate>
        <div className="run-dialog__head">
          <h2 id="slurm-dialog-title">Submit to Slurm: {what}</h2>
          <button type="button" className="button--small" onClick={onClose}>
            Close
          </button>
        </div>
        <div className="run-dialog__body">
          {info.isPending ? (
            <p>
              <Spinner /> Asking Slurm for its partitions…
            </p>
          ) : !available ? (
            <p className="field-error" role="alert" data-testid="slurm-unavailable">
              {info.data?.message ?? info.error?.message ?? 'Slurm is not available.'}
            </p>
          ) : (
            <p className="muted" data-testid="slurm-cluster">
              Cluster {info.data?.cluster ?? '(unnamed)'}
              {oneSpec ? '' : `: one array task per engine (${specs.length} tasks)`}
            </p>
          )}
          <label className="field">
            <span>Partition</span>
            <select ref={firstField} value={form.partition} data-testid="slurm-partition" disabled={!available} onChange={(event) => change({ partition: event.target.value })}>
              <option value="">The cluster's default</option>
              {(info.data?.partitions ?? []).map((partition) => (
                <option key={partition.name} value={partition.name}>
                  {partition.name}
                  {partition.isDefault ? ' (default)' : ''} · {partition.availability} · {partition.nodes} node{partition.nodes === 1 ? '' : 's'}, {partition.cpusPerNode} CPUs, {partition.memoryMbPerNode} MB
                  {partition.gres ? `, ${partition.gres}` : ''} · limit {partition.timeLimit}
                </option>
              ))}
            </select>
          </label>
          <div className="slurm-dialog__grid">
            {field('timeLimit', 'Time limit (minutes)', "partition's default")}
            {field('cpus', 'CPUs', '1')}
            {field('memoryMb', 'Memory (MB)', "cluster's default")}
            {field('gpus', 'GPUs (gres)', '0')}
            {field('jobName', 'Job name', 'crossdock', 'text')}
            {oneSpec ? field('arraySize', 'Array size', '1') : null}
          </div>
          {field('outputDir', 'Output folder (optional)', "Crossdock's data folder", 'text')}
          <label className="field">
            <span>
              Batch script {editedScript !== null ? '(edited)' : ''}{' '}
              {editedScript !== null ? (
                <button type="button" className="button--small" onClick={() => setEditedScript(null)}>
                  Undo my edits
                </button>
              ) : null}
            </span>
            <textarea
              className="mono slurm-dialog__script"
              rows={14}
              spellCheck={false}
              value={script}
              data-testid="slurm-script"
              disabled={!available}
              onChange={(event) => setEditedScript(event.target.value)}
            />
          </label>
          {preview.data ? (
            <p className="mono muted" data-testid="slurm-sbatch">
              {quoteCommandLine(preview.data.sbatchArgv)}
            </p>
          ) : null}
          {(preview.data?.notes ?? []).map((note) => (
            <p key={note} className="muted">
              {note}
            </p>
          ))}
          {available && problems.length > 0 ? (
            <ul className="field-error" data-testid="slurm-problems">
              {problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          ) : null}
        </div>
        <div className="run-dialog__foot">
          <p className="run-dialog__status" role={submitError ? 'alert' : undefined} aria-live="polite">
            {submitCall.isPending ? (
              <>
                <Spinner /> Submitting with sbatch…
              </>
            ) : submitError ? (
              <span className="field-error" data-testid="slurm-error">
                {submitError}
              </span>
            ) : null}
          </p>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button--primary" data-testid="slurm-submit" disabled={!canSubmit}>
            Submit
          </button>
        </div>
      </form>
    </dialog>,
    document.body,
  );
}
