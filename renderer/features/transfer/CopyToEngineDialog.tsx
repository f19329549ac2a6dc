// "Copy to engine…": the image chosen in the detail pane copied into one or more other engines.
// Before: every other engine with the plan's word on it (can it receive the image, the name it
// gets, space, architecture, a name that exists with an explicit "Replace it"). After Start: each
// target's progress live from `transfer` events, with Cancel; the dialog can close meanwhile (the
// transfer goes on and is listed under "Past transfers"). A modal <dialog> in <body>, like the
// other dialogs; Esc closes it.
import { useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type SyntheticEvent } from 'react';
import { createPortal } from 'react-dom';
import { ImageReferenceSchema } from '../../../shared/model';
import { MAX_TRANSFER_TARGETS, type TransferTargetInput } from '../../../shared/transfer';
import { Spinner } from '../../components/Spinner';
import { useModalDialog } from '../../components/use-modal-dialog';
import { formatBytes } from '../../lib/format';
import type { ImageRow } from '../../lib/image-rows';
import { useEngines } from '../engines/use-engines';
import { PastTransfers } from './PastTransfers';
import { TransferProgress } from './TransferProgress';
import { TransferTargetRow, type TargetChoice, type TargetSelection } from './TransferTargetRow';
import { isFinished } from './transfer-format';
import { useCancelTransfer, useStartTransfer, useTransfer, useTransferPlan, type TransferChoice } from './use-transfers';

interface CopyToEngineDialogProps {
  row: ImageRow;
  onClose(): void;
}

const EMPTY_SELECTION: TargetSelection = { checked: false, name: '', replace: false };

function nameErrorOf(name: string): string | undefined {
  if (name.trim() === '') return undefined;
  const parsed = ImageReferenceSchema.safeParse(name.trim());
  return parsed.success ? undefined : (parsed.error.issues[0]?.message ?? 'not an image name');
}

export function CopyToEngineDialog({ row, onClose }: CopyToEngineDialogProps) {
  const firstCheckbox = useRef<HTMLInputElement | null>(null);
  const { dialogRef, dialogProps } = useModalDialog(onClose, firstCheckbox);
  const engines = useEngines();
  const [selections, setSelections] = useState<Record<string, TargetSelection>>({});
  const [transferId, setTransferId] = useState<string | null>(null);
  const start = useStartTransfer();
  const cancel = useCancelTransfer();
  const transfer = useTransfer(transferId);
  const record = transfer.data ?? null;

  const source = useMemo(() => ({ engineId: row.engineId, imageId: row.summary.id, reference: row.reference }), [row.engineId, row.summary.id, row.reference]);
  const candidates = useMemo(
    () => (engines.data ?? []).filter((engine) => engine.id !== row.engineId).slice(0, MAX_TRANSFER_TARGETS),
    [engines.data, row.engineId],
  );
  const selectionOf = (engineId: string) => selections[engineId] ?? EMPTY_SELECTION;

  // Every other ready engine is planned, ticked or not, so the ones that cannot receive say why.
  const planned = candidates.filter((engine) => engine.state === 'ready' || engine.state === 'degraded');
  const planTargets: TransferTargetInput[] = planned.map((engine) => {
    const selection = selectionOf(engine.id);
    const name = selection.name.trim();
    return { engineId: engine.id, name: name !== '' && !nameErrorOf(name) ? name : null, replace: selection.replace, folder: null };
  });
  const planChoice: TransferChoice | null = planTargets.length > 0 && transferId === null ? { source, targets: planTargets } : null;
  const plan = useTransferPlan(planChoice);

  const choices: TargetChoice[] = candidates.map((engine) => {
    const entry = plan.data?.entries.find((candidate) => candidate.target.engineId === engine.id) ?? null;
    const selection = selectionOf(engine.id);
    let disabledReason: string | null = null;
    if (engine.state !== 'ready' && engine.state !== 'degraded') disabledReason = `${engine.label} is not ready${engine.message ? `: ${engine.message}` : '.'}`;
    // Problems with the source's own name are problems of the engine; a typed name can be fixed.
    else if (entry && !entry.canReceive && !entry.nameExists && selection.name.trim() === '') disabledReason = entry.problems.join(' ');
    return { engineId: engine.id, label: engine.label, disabledReason, entry, nameError: nameErrorOf(selection.name) };
  });
  const ticked = choices.filter((choice) => choice.disabledReason === null && selectionOf(choice.engineId).checked);
  const tickedReady =
    ticked.length > 0 &&
    plan.current &&
    plan.isSuccess &&
    ticked.every((choice) => choice.nameError === undefined && choice.entry?.canReceive === true);
  const canStart = transferId === null && tickedReady && !start.isPending;
  const firstEnabled = choices.find((choice) => choice.disabledReason === null)?.engineId;

  const change = (engineId: string, selection: TargetSelection) => {
    setSelections((current) => ({ ...current, [engineId]: selection }));
    start.reset();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    if (!canStart) return;
    const targets = ticked.map((choice) => {
      const selection = selectionOf(choice.engineId);
      return { engineId: choice.engineId, name: selection.name.trim() || null, replace: selection.replace, folder: null };
    });
    start.mutate({ source, targets }, { onSuccess: (started) => setTransferId(started.id) });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    event.stopPropagation();
    dialogProps.onKeyDown(event);
  };
  const onCancel = (event: SyntheticEvent<HTMLDialogElement>) => {
    event.stopPropagation();
    dialogProps.onCancel(event);
  };
  const running = record !== null && !isFinished(record.state);
  const sourceName = row.reference ?? row.shortId;

  return createPortal(
    <dialog ref={dialogRef} className="run-dialog transfer-dialog" data-testid="transfer-dialog" aria-labelledby="transfer-dialog-title" onKeyDown={onKeyDown} onCancel={onCancel}>
      <form onSubmit={submit} className="run-dialog__form" noValidate>
        <div className="run-dialog__head">
          <h2 id="transfer-dialog-title">Copy to engine</h2>
          <button type="button" className="button--small" onClick={onClose}>
            Close<span className="visually-hidden"> the copy dialog</span>
          </button>
        </div>
        <div className="run-dialog__body">
          <p className="transfer-dialog__what">
            Copies <span className="mono">{sourceName}</span> from {row.engineLabel}
            {plan.data?.sourceSizeBytes ? ` (${formatBytes(plan.data.sourceSizeBytes)})` : ''}.
          </p>
          {record ? (
            <section aria-labelledby="transfer-progress-heading">
              <h3 id="transfer-progress-heading">Progress</h3>
              <TransferProgress record={record} />
            </section>
          ) : (
            <fieldset className="run-rows transfer-dialog__targets">
              <legend>Target engines and names</legend>
              {engines.isPending ? (
                <p className="muted">
                  <Spinner /> Reading the engines…
                </p>
              ) : choices.length === 0 ? (
                <p className="muted">No other engine is here to copy into.</p>
              ) : (
                <ul className="transfer-targets">
                  {choices.map((choice) => (
                    <TransferTargetRow
                      key={choice.engineId}
                      choice={choice}
                      selection={selectionOf(choice.engineId)}
                      onChange={(selection) => change(choice.engineId, selection)}
                      checkboxRef={
                        choice.engineId === firstEnabled
                          ? (element) => {
                              firstCheckbox.current = element;
                            }
                          : undefined
                      }
                    />
                  ))}
                </ul>
              )}
              <p className="muted transfer-dialog__plan-status" aria-live="polite">
                {plan.isFetching || (!plan.current && planChoice) ? (
                  <>
                    <Spinner /> Checking the targets…
                  </>
                ) : plan.isError ? (
                  <span className="field-error">Could not check the targets: {plan.error.message}</span>
                ) : null}
              </p>
            </fieldset>
          )}
          <PastTransfers exceptId={transferId} />
        </div>
        <div className="run-dialog__foot">
          <p className="run-dialog__status" role={start.isError || cancel.isError ? 'alert' : undefined} aria-live="polite" data-testid="transfer-status">
            {start.isPending ? (
              <>
                <Spinner /> Starting…
              </>
            ) : start.isError ? (
              <span className="field-error">{start.error.message}</span>
            ) : cancel.isError ? (
              <span className="field-error">{cancel.error.message}</span>
            ) : record && running ? (
              <span>Copying; closing this dialog does not stop it.</span>
            ) : record ? (
              <span>
                {record.state === 'done' ? 'Finished.' : record.state === 'cancelled' ? 'Cancelled.' : record.state === 'interrupted' ? 'Interrupted.' : 'Finished with failures.'}
              </span>
            ) : ticked.length === 0 ? (
              <span className="muted">Tick at least one engine.</span>
            ) : null}
          </p>
          {record && running ? (
            <button type="button" className="button--danger" data-testid="transfer-cancel" disabled={cancel.isPending} onClick={() => cancel.mutate(record.id)}>
              Cancel transfer
            </button>
          ) : null}
          <button type="button" onClick={onClose}>
            Close
          </button>
          {record === null ? (
            <button type="submit" className="button--primary" data-testid="transfer-start" disabled={!canStart}>
              Start
            </button>
          ) : null}
        </div>
      </form>
    </dialog>,
    document.body,
  );
}
