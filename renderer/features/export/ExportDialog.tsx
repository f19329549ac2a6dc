// "Export…": a job's spec as an HTCondor submit file or a Kubernetes Job manifest. The user picks
// the batch system and the resources; the host writes the text and checks it with the batch
// system's own logic (both shown, with what the spec's parts became), and the text can be copied,
// downloaded, or saved to a path on the host, which never replaces a file without asking.
// A modal <dialog> of its own, put in <body> (the run dialog is a form, and forms do not nest);
// its keys, Esc and submit stop here.
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type SyntheticEvent } from 'react';
import { createPortal } from 'react-dom';
import type { BatchExportFormat, ExportCheck } from '../../../shared/batch-export';
import type { RunSpec } from '../../../shared/run';
import { errorProps, FieldError } from '../../components/FieldError';
import { Spinner } from '../../components/Spinner';
import { useModalDialog } from '../../components/use-modal-dialog';
import { exportOptionsOf, fieldLabel, initialExportForm, type ExportField, type ExportForm } from './export-options';
import { useExportPreview, useSaveExport } from './use-export';

interface ExportDialogProps {
  spec: RunSpec;
  /** Suggested job name (the image's). */
  name: string;
  onClose(): void;
}

const FORMATS: Array<{ value: BatchExportFormat; label: string; note: string }> = [
  { value: 'htcondor', label: 'HTCondor submit file', note: 'container universe; checked with HTCondor’s submit logic' },
  { value: 'kubernetes', label: 'Kubernetes Job', note: 'batch/v1 YAML; checked against the Kubernetes API schemas' },
];

const OUTCOME_WORDS: Record<ExportCheck['outcome'], string> = { passed: 'Passed', failed: 'Failed', unavailable: 'Not checked' };

export function ExportDialog({ spec, name, onClose }: ExportDialogProps) {
  const firstField = useRef<HTMLInputElement>(null);
  const { dialogRef, dialogProps } = useModalDialog(onClose, firstField);
  const [form, setForm] = useState<ExportForm>(() => initialExportForm(name, spec.gpu));
  const [savePath, setSavePath] = useState('');
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const save = useSaveExport();

  const { options, errors } = exportOptionsOf(form);
  const choice = useMemo(() => (options ? { format: form.format, spec, options } : null), [form.format, spec, JSON.stringify(options)]);
  const preview = useExportPreview(choice);
  const result = preview.data;
  const previewError = preview.isError && preview.current ? preview.error.message : null;
  const failedCheck = result?.checks.find((check) => check.outcome === 'failed') ?? null;
  const conflict = save.isError && save.error.kind === 'conflict';
  const canSave = choice !== null && preview.current && preview.isSuccess && !failedCheck && savePath.trim() !== '' && !save.isPending;

  // A download of exactly the text shown; the URL is released once the text changes or the dialog goes.
  const downloadUrl = useMemo(() => (result ? URL.createObjectURL(new Blob([result.text], { type: result.contentType })) : null), [result]);
  useEffect(() => () => {
    if (downloadUrl) URL.revokeObjectURL(downloadUrl);
  }, [downloadUrl]);

  const change = (patch: Partial<ExportForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    save.reset();
  };

  const doSave = (overwrite: boolean) => {
    if (!choice || !canSave) return;
    save.mutate({ choice, savePath: savePath.trim(), overwrite });
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    doSave(false);
  };
  const copy = async () => {
    if (!result) return;
    try {
      await navigator.clipboard.writeText(result.text);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied(null), 2000);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    event.stopPropagation();
    dialogProps.onKeyDown(event);
  };
  const onCancel = (event: SyntheticEvent<HTMLDialogElement>) => {
    event.stopPropagation();
    dialogProps.onCancel(event);
  };

  const numberField = (field: Exclude<ExportField, 'name'>, note?: string) => (
    <div className="run-field">
      <label htmlFor={`export-${field}`}>{fieldLabel(field)}</label>
      <input
        id={`export-${field}`}
        type="number"
        inputMode="numeric"
        min={0}
        value={form[field]}
        data-testid={`export-${field}`}
        onChange={(event) => change({ [field]: event.target.value })}
        {...errorProps(`export-${field}-error`, errors[field])}
      />
      <FieldError id={`export-${field}-error`} message={errors[field]} />
      {note ? <p className="field-note">{note}</p> : null}
    </div>
  );

  return createPortal(
    <dialog
      ref={dialogRef}
      className="run-dialog export-dialog"
      data-testid="export-dialog"
      aria-labelledby="export-dialog-title"
      onKeyDown={onKeyDown}
      onCancel={onCancel}
    >
      <form onSubmit={submit} className="run-dialog__form" noValidate>
        <div className="run-dialog__head">
          <h2 id="export-dialog-title">Export for a batch system</h2>
          <button type="button" className="button--small" onClick={onClose}>
            Close<span className="visually-hidden"> the export dialog</span>
          </button>
        </div>
        <div className="run-dialog__body">
          <fieldset className="run-rows export-dialog__formats">
            <legend>Batch system</legend>
            {FORMATS.map((format) => (
              <label key={format.value} className="checkbox">
                <input
                  type="radio"
                  name="export-format"
                  value={format.value}
                  checked={form.format === format.value}
                  data-testid={`export-format-${format.value}`}
                  onChange={() => change({ format: format.value })}
                />{' '}
                {format.label} <span className="muted">({format.note})</span>
              </label>
            ))}
          </fieldset>
          <div className="run-dialog__grid export-dialog__options">
            <div className="run-field">
              <label htmlFor="export-name">Name</label>
              <input
                id="export-name"
                ref={firstField}
                value={form.name}
                data-testid="export-name"
                onChange={(event) => change({ name: event.target.value })}
                {...errorProps('export-name-error', errors.name)}
              />
              <FieldError id="export-name-error" message={errors.name} />
              <p className="field-note">For the file names{form.format === 'kubernetes' ? ' and the Job’s name' : ''}.</p>
            </div>
            {numberField('cpus')}
            {numberField('memoryMb')}
            {numberField('gpus')}
            {numberField('count', form.format === 'htcondor' ? 'queue N' : 'completions, all in parallel')}
            {form.format === 'kubernetes' ? numberField('backoffLimit', 'backoffLimit: failed pods retried') : null}
          </div>

          <section className="run-preview" aria-labelledby="export-text-heading">
            <div className="run-preview__head">
              <h3 id="export-text-heading">{result ? result.fileName : 'File'}</h3>
              <span className="muted run-preview__status" aria-live="polite">
                {preview.isFetching || (!preview.current && choice) ? (
                  <>
                    <Spinner /> updating…
                  </>
                ) : copied === 'copied' ? (
                  'Copied.'
                ) : copied === 'failed' ? (
                  'Could not copy: select the text instead.'
                ) : null}
              </span>
              <button type="button" className="button--small" data-testid="export-copy" disabled={!result} onClick={() => void copy()}>
                Copy
              </button>
              {result && downloadUrl ? (
                <a className="button-link button--small" href={downloadUrl} download={result.fileName} data-testid="export-download">
                  Download
                </a>
              ) : null}
            </div>
            <pre className={`run-preview__line export-dialog__text mono${preview.current ? '' : ' is-stale'}`} data-testid="export-text" tabIndex={0} aria-label="Exported file">
              {result ? result.text : <span className="muted">{previewError ?? (choice ? 'Writing…' : 'Correct the fields above.')}</span>}
            </pre>
            {previewError && result ? (
              <p className="error-strip" role="alert" data-testid="export-error">
                {previewError}
              </p>
            ) : null}
          </section>

          {result ? (
            <section aria-labelledby="export-checks-heading" className="export-dialog__section">
              <h3 id="export-checks-heading">Checks</h3>
              <ul className="export-checks" data-testid="export-checks">
                {result.checks.map((check) => (
                  <li key={check.checker} className={`export-check export-check--${check.outcome}`} data-testid="export-check" data-outcome={check.outcome}>
                    <strong>{OUTCOME_WORDS[check.outcome]}:</strong> {check.checker}. <span className="export-check__message">{check.message}</span>
                    {check.details.length > 0 ? (
                      <dl className="export-check__details mono">
                        {check.details.map((detail) => (
                          <div key={detail.key}>
                            <dt>{detail.key}</dt>
                            <dd>{detail.value}</dd>
                          </div>
                        ))}
                      </dl>
                    ) : null}
                  </li>
                ))}
              </ul>
              {result.notes.length > 0 ? (
                <>
                  <h3 id="export-notes-heading">What became of the job’s settings</h3>
                  <ul className="export-notes" data-testid="export-notes" aria-labelledby="export-notes-heading">
                    {result.notes.map((note) => (
                      <li key={note}>{note}</li>
                    ))}
                  </ul>
                </>
              ) : null}
            </section>
          ) : null}

          <div className="run-field">
            <label htmlFor="export-save-path">Save on the host as</label>
            <input
              id="export-save-path"
              className="mono"
              value={savePath}
              placeholder={result ? `~/${result.fileName}` : '~/job.sub'}
              data-testid="export-save-path"
              onChange={(event) => {
                setSavePath(event.target.value);
                save.reset();
              }}
            />
            <p className="field-note">An absolute path or one starting with ~/ on the machine Crossdock runs on; a folder saves under the file’s name. An existing file is never replaced without asking.</p>
          </div>
        </div>
        <div className="run-dialog__foot">
          <p className="run-dialog__status" role={save.isError ? 'alert' : undefined} aria-live="polite" data-testid="export-status">
            {save.isPending ? (
              <>
                <Spinner /> Saving…
              </>
            ) : save.isError ? (
              <span className="field-error">{save.error.message}</span>
            ) : save.data?.savedTo ? (
              <span>Saved to <span className="mono">{save.data.savedTo}</span>.</span>
            ) : failedCheck ? (
              <span className="field-error">Not saved while a check fails.</span>
            ) : null}
          </p>
          {conflict ? (
            <button type="button" className="button--danger" data-testid="export-replace" onClick={() => doSave(true)} disabled={!canSave}>
              Replace it
            </button>
          ) : null}
          <button type="button" onClick={onClose}>
            Close
          </button>
          <button type="submit" className="button--primary" data-testid="export-save" disabled={!canSave}>
            Save
          </button>
        </div>
      </form>
    </dialog>,
    document.body,
  );
}
