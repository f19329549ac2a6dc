// The run dialog: an image (fixed when opened from one, chosen otherwise), the engine to run it on
// (only engines that are ready and hold it; the others listed disabled with why), the command and
// options, the exact command line the engine will run, and Run, which waits for no problem left.
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../../shared/errors';
import type { ComparisonRecord } from '../../../shared/compare';
import type { JobRecord } from '../../../shared/jobs';
import type { EngineStatus } from '../../../shared/model';
import type { RunSpec } from '../../../shared/run';
import { errorProps, FieldError } from '../../components/FieldError';
import { Spinner } from '../../components/Spinner';
import { useModalDialog } from '../../components/use-modal-dialog';
import type { ImageRow } from '../../lib/image-rows';
import {
  emptyForm,
  engineChoices,
  fieldErrorsOfIssues,
  formFromSpec,
  runsSif,
  specFromForm,
  type FieldErrors,
  type RunForm,
} from '../../lib/run-form';
import { RunAllButton } from '../compare/RunAllButton';
import { SlurmButton } from '../slurm/SlurmButton';
import { ExportButton } from '../export/ExportButton';
import { useStartJob } from '../jobs/use-jobs';
import { BindRows } from './BindRows';
import { CommandField } from './CommandField';
import { CommandPreview } from './CommandPreview';
import { EnvRows } from './EnvRows';
import { PortRows } from './PortRows';
import { RecentRuns } from './RecentRuns';
import { RunOptionsFields } from './RunOptionsFields';
import { useRecentRuns, useRunOptions, useRunPreview } from './use-run';

/** How the dialog was opened: from an image, empty ("New run"), or filled from an earlier spec. */
export type RunSeed = { kind: 'image'; row: ImageRow } | { kind: 'empty' } | { kind: 'spec'; spec: RunSpec };

interface RunDialogProps {
  seed: RunSeed;
  engines: readonly EngineStatus[];
  /** Every listed image row of every engine. */
  rows: readonly ImageRow[];
  onClose(): void;
  onStarted(job: JobRecord): void;
  /** "Run on all engines" started a comparison of this spec. */
  onCompareStarted(record: ComparisonRecord): void;
}

const fieldLabels: Record<string, string> = {
  engine: 'Engine',
  image: 'Image',
  command: 'Command',
  workdir: 'Working directory',
  user: 'User',
  network: 'Network',
  gpu: 'GPU',
  tty: 'TTY',
  executionMode: 'Execution mode',
  form: 'Request',
};

function labelOfField(key: string): string {
  const env = /^env\.(\d+)\.(name|value)$/.exec(key);
  if (env) return `Variable ${Number(env[1]) + 1} ${env[2]}`;
  const bind = /^binds\.(\d+)\.(hostPath|containerPath)$/.exec(key);
  if (bind) return `Bind ${Number(bind[1]) + 1} ${bind[2] === 'hostPath' ? 'host path' : 'container path'}`;
  const port = /^ports\.(\d+)\.(hostPort|containerPort|protocol)$/.exec(key);
  if (port) return `Port ${Number(port[1]) + 1} ${port[2] === 'hostPort' ? 'host port' : port[2] === 'containerPort' ? 'container port' : 'protocol'}`;
  return fieldLabels[key] ?? key;
}

function initialForm(seed: RunSeed): RunForm {
  switch (seed.kind) {
    case 'image':
      return emptyForm(seed.row.engineId, { imageId: seed.row.summary.id, reference: seed.row.reference });
    case 'spec':
      return formFromSpec(seed.spec);
    case 'empty':
      return emptyForm();
  }
}

export function RunDialog({ seed, engines, rows, onClose, onStarted, onCompareStarted }: RunDialogProps) {
  const engineRef = useRef<HTMLSelectElement>(null);
  const { dialogRef, dialogProps } = useModalDialog(onClose, engineRef);
  const [form, setForm] = useState<RunForm>(() => initialForm(seed));
  const [hostErrors, setHostErrors] = useState<FieldErrors>({});
  const [submitError, setSubmitError] = useState<string | null>(null);
  const options = useRunOptions();
  const start = useStartJob();

  // Opened from an image, that image stays; the engine choice follows who holds it.
  const fixedImage = seed.kind === 'image' ? { imageId: seed.row.summary.id, reference: seed.row.reference } : null;
  const runnable = useMemo(() => new Set((options.data ?? []).map((entry) => entry.engineId)), [options.data]);
  const choices = useMemo(
    () => engineChoices(engines, runnable, rows, fixedImage),
    // fixedImage is derived from the seed, which never changes while the dialog is open.
    [engines, runnable, rows],
  );
  const choice = choices.find((entry) => entry.engineId === form.engineId) ?? null;
  const capabilities = options.data?.find((entry) => entry.engineId === form.engineId)?.capabilities ?? null;
  const engineLabel = choice?.label ?? engines.find((engine) => engine.id === form.engineId)?.label ?? 'this engine';

  // "New run": the first engine that may run anything, once the options answered.
  if (form.engineId === '' && seed.kind === 'empty') {
    const first = choices.find((entry) => entry.disabledReason === null);
    if (first) setForm((current) => ({ ...current, engineId: first.engineId }));
  }

  // An engine that runs SIF files through Crossdock is offered the SIF files other engines list too.
  const withSif = runsSif(engines.find((engine) => engine.id === form.engineId) ?? { attributes: {} });
  const engineImages = useMemo(
    () =>
      rows
        .filter((row) => row.engineId === form.engineId || (withSif && row.summary.format === 'sif'))
        .sort((a, b) => (a.reference ?? `~${a.shortId}`).localeCompare(b.reference ?? `~${b.shortId}`)),
    [rows, form.engineId, withSif],
  );

  const result = useMemo(() => specFromForm(form), [form]);
  const errors: FieldErrors = { ...hostErrors, ...result.errors };
  if (choice?.disabledReason) errors.engine = `${choice.label}: ${choice.disabledReason}`;
  if (form.engineId !== '' && options.isSuccess && !runnable.has(form.engineId)) errors.engine = `${engineLabel} cannot run jobs`;
  const spec = errors.engine ? null : result.spec;
  const preview = useRunPreview(spec);
  const previewError = preview.isError && preview.current ? preview.error.message : null;
  // The host judged the spec invalid: its issues go beside the fields they name.
  if (preview.isError && preview.current && preview.error.issues) {
    for (const [key, message] of Object.entries(fieldErrorsOfIssues(preview.error.issues, form))) errors[key] ??= message;
  }
  const previewProblems = spec && preview.current && preview.data ? preview.data.problems : [];
  const problems = [
    ...Object.entries(errors).map(([key, message]) => `${labelOfField(key)}: ${message}`),
    ...previewProblems,
    ...(previewError && spec ? [previewError] : []),
  ];
  const recent = useRecentRuns(form.engineId, form.imageId);

  const change = (patch: Partial<RunForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    setHostErrors({});
    setSubmitError(null);
  };

  const chooseEngine = (engineId: string) => {
    const next = choices.find((entry) => entry.engineId === engineId);
    if (fixedImage) change({ engineId, ...(next?.image ?? fixedImage), executionMode: '' });
    else change({ engineId, imageId: '', reference: null, executionMode: '' });
  };

  const chooseImage = (key: string) => {
    const row = engineImages.find((candidate) => candidate.key === key);
    change({ imageId: row?.summary.id ?? '', reference: row?.reference ?? null });
  };

  const applyRecent = (recentSpec: RunSpec) => change({ ...formFromSpec(recentSpec), engineId: form.engineId, imageId: form.imageId, reference: form.reference });

  const canRun = spec !== null && problems.length === 0 && preview.current && preview.isSuccess && !preview.isFetching && !start.isPending;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!canRun || !spec) return;
    start.mutate(spec, {
      onSuccess: (job) => onStarted(job),
      onError: (error) => {
        if (error instanceof ApiError && error.issues && error.issues.length > 0) {
          setHostErrors(fieldErrorsOfIssues(error.issues, form));
        }
        setSubmitError(error.message);
      },
    });
  };

  // "Choose an engine / an image" is listed under the command line, not shouted at a field the
  // user has not reached yet.
  const engineFieldError = form.engineId === '' ? undefined : errors.engine;
  const imageFieldError = form.imageId === '' ? undefined : errors.image;
  const selectedImageKey =
    engineImages.find((row) => row.summary.id === form.imageId && row.reference === form.reference)?.key ??
    engineImages.find((row) => row.summary.id === form.imageId)?.key ??
    '';
  const title = fixedImage ? `Run ${seed.kind === 'image' ? (seed.row.reference ?? seed.row.shortId) : ''}` : 'New run';

  return (
    <dialog ref={dialogRef} className="run-dialog" data-testid="run-dialog" aria-labelledby="run-dialog-title" {...dialogProps}>
      <form onSubmit={submit} className="run-dialog__form" noValidate>
        <div className="run-dialog__head">
          <h2 id="run-dialog-title">{title}</h2>
          <button type="button" className="button--small" onClick={onClose}>
            Close<span className="visually-hidden"> the run dialog</span>
          </button>
        </div>
        <div className="run-dialog__body">
          <div className="run-dialog__grid">
            <div className="run-field">
              <label htmlFor="run-engine">Engine</label>
              <select
                id="run-engine"
                ref={engineRef}
                value={form.engineId}
                data-testid="run-engine"
                onChange={(event) => chooseEngine(event.target.value)}
                {...errorProps('run-engine-error', engineFieldError)}
              >
                {form.engineId === '' ? <option value="">{options.isPending ? 'Asking the engines…' : 'No engine can run it'}</option> : null}
                {choices.map((entry) => (
                  <option key={entry.engineId} value={entry.engineId} disabled={entry.disabledReason !== null}>
                    {entry.label}
                    {entry.disabledReason ? ` — ${entry.disabledReason}` : ''}
                  </option>
                ))}
              </select>
              <FieldError id="run-engine-error" message={engineFieldError} />
              {options.isError ? <p className="field-note">Could not ask what the engines can run: {options.error.message}</p> : null}
            </div>
            <div className="run-field">
              <label htmlFor="run-image">Image</label>
              {fixedImage ? (
                <p id="run-image" className="run-field__value mono" data-testid="run-image">
                  {seed.kind === 'image' ? (seed.row.reference ?? seed.row.shortId) : ''}
                  {choice?.image && choice.image.imageId !== fixedImage.imageId ? (
                    <span className="muted"> ({engineLabel}: {choice.image.reference ?? choice.image.imageId.slice(0, 19)})</span>
                  ) : null}
                </p>
              ) : (
                <select
                  id="run-image"
                  value={selectedImageKey}
                  data-testid="run-image"
                  disabled={form.engineId === ''}
                  onChange={(event) => chooseImage(event.target.value)}
                  {...errorProps('run-image-error', imageFieldError)}
                >
                  <option value="">{engineImages.length === 0 ? 'No image listed for this engine' : 'Choose an image'}</option>
                  {engineImages.map((row) => (
                    <option key={row.key} value={row.key}>
                      {row.reference ?? `<none> ${row.shortId}`}
                    </option>
                  ))}
                </select>
              )}
              <FieldError id="run-image-error" message={fixedImage ? undefined : imageFieldError} />
            </div>
          </div>
          <CommandField value={form.commandText} argv={result.argv} error={errors.command} onChange={(commandText) => change({ commandText })} />
          <RecentRuns specs={recent.data ?? []} onUse={applyRecent} />
          <EnvRows rows={form.env} errors={errors} onChange={(env) => change({ env })} />
          <BindRows rows={form.binds} errors={errors} readOnly={capabilities?.readOnlyBinds ?? null} onChange={(binds) => change({ binds })} />
          <PortRows
            rows={form.ports}
            errors={errors}
            support={capabilities?.ports ?? null}
            engineLabel={engineLabel}
            onChange={(ports) => change({ ports })}
          />
          <RunOptionsFields form={form} errors={errors} capabilities={capabilities} engineLabel={engineLabel} onChange={change} />
          <CommandPreview
            preview={spec ? preview.data : undefined}
            current={preview.current}
            loading={spec !== null && (preview.isFetching || !preview.current)}
            error={previewError}
            problems={problems}
          />
        </div>
        <div className="run-dialog__foot">
          <p className="run-dialog__status" role={submitError ? 'alert' : undefined} aria-live="polite">
            {start.isPending ? (
              <>
                <Spinner /> Starting on {engineLabel}…
              </>
            ) : submitError ? (
              <span className="field-error">{submitError}</span>
            ) : null}
          </p>
          <RunAllButton spec={result.spec} engines={engines} rows={rows} onStarted={onCompareStarted} />
          <SlurmButton
            specs={spec && problems.length === 0 ? [spec] : null}
            what={engineImages.find((row) => row.summary.id === form.imageId)?.reference ?? 'this run'}
            disabledReason="Complete the form first (an image, a valid command)"
            onSubmitted={(records) => records[0] && onStarted(records[0])}
          />
          <ExportButton
            spec={result.spec}
            name={engineImages.find((row) => row.summary.id === form.imageId)?.reference ?? ''}
            disabledReason="Complete the form first (an image, a valid command)"
            testId="run-export"
          />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button--primary" data-testid="run-submit" disabled={!canRun}>
            Run
          </button>
        </div>
      </form>
    </dialog>
  );
}
