// "Run on all engines": opened over the run dialog, it lists every engine that works here (and
// every udocker mode that does) with the image each would run, a repeat count, and Start. It is a
// modal <dialog> of its own, put in <body> through a portal (a form may not hold another form);
// React still bubbles its events through the run dialog, so its keys, Esc and submit stop here.
import { useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type SyntheticEvent } from 'react';
import { createPortal } from 'react-dom';
import { MAX_COMPARE_REPEAT, type ComparisonRecord } from '../../../shared/compare';
import type { EngineStatus } from '../../../shared/model';
import type { RunSpec } from '../../../shared/run';
import { errorProps, FieldError } from '../../components/FieldError';
import { Spinner } from '../../components/Spinner';
import { useModalDialog } from '../../components/use-modal-dialog';
import type { ImageRow } from '../../lib/image-rows';
import { quoteCommandLine } from '../../lib/shell-words';
import { useRunOptions } from '../run/use-run';
import { buildTargetChoices, imageOptionLabel, mergeSelections, parseRepeat, planTargets, whyNotComparable, type TargetSelection } from './compare-targets';
import { SlurmButton } from '../slurm/SlurmButton';
import { TargetRow } from './TargetRow';
import { useStartComparison } from './use-compare';

interface CompareSetupDialogProps {
  spec: RunSpec;
  engines: readonly EngineStatus[];
  rows: readonly ImageRow[];
  onClose(): void;
  onStarted(record: ComparisonRecord): void;
}

export function CompareSetupDialog({ spec, engines, rows, onClose, onStarted }: CompareSetupDialogProps) {
  const firstCheckbox = useRef<HTMLInputElement | null>(null);
  const { dialogRef, dialogProps } = useModalDialog(onClose, firstCheckbox);
  const options = useRunOptions();
  const start = useStartComparison();
  const [repeatText, setRepeatText] = useState('3');
  const [touched, setTouched] = useState<Record<string, TargetSelection>>({});

  const source = useMemo(
    () => rows.find((row) => row.engineId === spec.engineId && row.summary.id === spec.image.imageId && row.reference === spec.image.reference) ??
      rows.find((row) => row.engineId === spec.engineId && row.summary.id === spec.image.imageId) ??
      null,
    [rows, spec],
  );
  const choices = useMemo(() => buildTargetChoices(engines, options.data ?? [], rows, source?.summary ?? null, spec), [engines, options.data, rows, source, spec]);
  // Defaults follow the choices as answers arrive; what the user changed stays.
  const selections = useMemo(() => mergeSelections(touched, choices), [touched, choices]);
  const plan = planTargets(choices, selections);
  const repeat = parseRepeat(repeatText, MAX_COMPARE_REPEAT);
  const refusal = whyNotComparable(spec);
  const problems = [...(refusal ? [refusal] : []), ...plan.problems, ...(repeat.error ? [`Repeat: ${repeat.error}`] : [])];
  const canStart = problems.length === 0 && repeat.value !== null && !start.isPending && options.isSuccess;

  const change = (key: string, selection: TargetSelection) => setTouched((current) => ({ ...mergeSelections(current, choices), [key]: selection }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    if (!canStart || repeat.value === null) return;
    start.mutate({ spec, targets: plan.targets, repeat: repeat.value }, { onSuccess: onStarted });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    event.stopPropagation();
    dialogProps.onKeyDown(event);
  };
  const onCancel = (event: SyntheticEvent<HTMLDialogElement>) => {
    event.stopPropagation();
    dialogProps.onCancel(event);
  };

  const command = spec.command.length > 0 ? quoteCommandLine(spec.command) : 'the image’s own command';
  const ticked = plan.targets.length;
  const firstEnabled = choices.find((choice) => choice.disabledReason === null)?.key;

  return createPortal(
    <dialog
      ref={dialogRef}
      className="run-dialog compare-setup"
      data-testid="compare-setup"
      aria-labelledby="compare-setup-title"
      aria-describedby="compare-setup-what"
      onKeyDown={onKeyDown}
      onCancel={onCancel}
    >
      <form onSubmit={submit} className="run-dialog__form" noValidate>
        <div className="run-dialog__head">
          <h2 id="compare-setup-title">Run on all engines</h2>
          <button type="button" className="button--small" onClick={onClose}>
            Close<span className="visually-hidden"> run on all engines</span>
          </button>
        </div>
        <div className="run-dialog__body">
          <p id="compare-setup-what" className="compare-setup__what">
            Runs <span className="mono">{command}</span> from <span className="mono">{source ? imageOptionLabel(source) : spec.image.imageId}</span>{' '}
            on each ticked engine, one after another, with the rest of the run dialog’s settings.
          </p>
          {refusal ? (
            <p className="error-strip" role="alert" data-testid="compare-refusal">
              {refusal}
            </p>
          ) : null}
          <fieldset className="run-rows compare-setup__targets">
            <legend>Engines and execution modes</legend>
            {options.isPending ? (
              <p className="muted compare-setup__placeholder">
                <Spinner /> Asking the engines what they can run…
              </p>
            ) : options.isError ? (
              <p className="field-error">Could not ask what the engines can run: {options.error.message}</p>
            ) : choices.length === 0 ? (
              <p className="muted compare-setup__placeholder">No engine here can run jobs.</p>
            ) : (
              <ul className="compare-targets">
                {choices.map((choice) => (
                  <TargetRow
                    key={choice.key}
                    choice={choice}
                    selection={selections[choice.key]!}
                    onChange={(selection) => change(choice.key, selection)}
                    checkboxRef={
                      choice.key === firstEnabled
                        ? (element) => {
                            firstCheckbox.current = element;
                          }
                        : undefined
                    }
                  />
                ))}
              </ul>
            )}
          </fieldset>
          <div className="run-field compare-setup__repeat">
            <label htmlFor="compare-repeat">Repeat each run</label>
            <input
              id="compare-repeat"
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_COMPARE_REPEAT}
              value={repeatText}
              data-testid="compare-repeat"
              onChange={(event) => setRepeatText(event.target.value)}
              {...errorProps('compare-repeat-error', repeat.error ?? undefined)}
            />
            <FieldError id="compare-repeat-error" message={repeat.error ?? undefined} />
            <p className="field-note">Times are shown as the median and spread of the repeats: single timings are noisy.</p>
          </div>
          <ul className="run-problems" aria-label="Problems" aria-live="polite" data-testid="compare-problems">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
        <div className="run-dialog__foot">
          <p className="run-dialog__status" role={start.isError ? 'alert' : undefined} aria-live="polite">
            {start.isPending ? (
              <>
                <Spinner /> Starting the comparison…
              </>
            ) : start.isError ? (
              <span className="field-error">{start.error.message}</span>
            ) : repeat.value !== null && ticked > 0 ? (
              <span className="muted">
                {ticked} target{ticked === 1 ? '' : 's'} × {repeat.value} = {ticked * repeat.value} runs
              </span>
            ) : null}
          </p>
          <SlurmButton
            specs={refusal === null && plan.problems.length === 0 ? plan.targets.map((target) => ({ ...spec, engineId: target.engineId, executionMode: target.executionMode ?? null, image: { imageId: target.image.imageId, reference: target.image.reference ?? null } })) : null}
            what={`${ticked} engine${ticked === 1 ? '' : 's'}`}
            label="Submit to Slurm as one array…"
            disabledReason="Tick at least one engine with an image"
            testId="compare-slurm"
            onSubmitted={onClose}
          />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button--primary" data-testid="compare-start" disabled={!canStart}>
            Start
          </button>
        </div>
      </form>
    </dialog>,
    document.body,
  );
}
