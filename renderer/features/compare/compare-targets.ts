// Who "Run on all engines" can run the spec on: every engine that runs jobs, and for an engine with
// execution modes (udocker) every mode detection saw work, each with that engine's images and the
// one proposed as the same image (ids and names differ from store to store). Pure, so the panel
// only wires it up and the unit tests pin down what is offered and what starts ticked.
import type { CompareTargetInput } from '../../../shared/compare';
import { matchImage } from '../../../shared/image-match';
import type { EngineStatus, ImageSummary } from '../../../shared/model';
import type { RunCapabilities, RunSpec } from '../../../shared/run';
import type { ImageRow } from '../../lib/image-rows';

export interface TargetChoice {
  /** "docker", "udocker-P1": unique, and what the target's test id ends with. */
  key: string;
  engineId: string;
  executionMode: string | null;
  /** "Docker", "udocker, mode P1 (…)" */
  label: string;
  /** Null when it may be ticked; otherwise why not. */
  disabledReason: string | null;
  /** The engine's images, as the picker lists them. */
  images: ImageRow[];
  /** The same image as the run dialog's, found in this engine's store; null when none matched. */
  proposed: ImageRow | null;
}

export interface TargetSelection {
  checked: boolean;
  /** The chosen row's key; '' while none is chosen. */
  imageKey: string;
  /** The user changed it: later answers (a store listed late) no longer overwrite it. */
  touched: boolean;
}

const byName = (a: ImageRow, b: ImageRow) => (a.reference ?? `~${a.shortId}`).localeCompare(b.reference ?? `~${b.shortId}`);

/**
 * What of the spec this engine cannot honour, each with the engine's reason: the job manager
 * would refuse it there, so the target is offered disabled with why, as the run dialog does.
 */
export function unsupportedBySpec(spec: RunSpec, capabilities: RunCapabilities): string[] {
  const problems: string[] = [];
  const lacks = (asked: boolean, support: { supported: boolean; note: string | null }, what: string) => {
    if (asked && !support.supported) problems.push(`${what}${support.note ? ` (${support.note})` : ''}`);
  };
  lacks(spec.gpu, capabilities.gpu, 'GPU');
  lacks(spec.user !== null, capabilities.user, 'user');
  lacks(spec.workdir !== null, capabilities.workdir, 'working directory');
  lacks(spec.binds.some((bind) => bind.readOnly), capabilities.readOnlyBinds, 'read-only binds');
  lacks(spec.ports.length > 0, capabilities.ports, 'published ports');
  if (!capabilities.networks.includes(spec.network)) problems.push(`network "${spec.network}"`);
  return problems;
}

export function buildTargetChoices(
  engines: readonly EngineStatus[],
  options: ReadonlyArray<{ engineId: string; capabilities: RunCapabilities }>,
  rows: readonly ImageRow[],
  source: ImageSummary | null,
  spec: RunSpec | null = null,
): TargetChoice[] {
  const choices: TargetChoice[] = [];
  for (const engine of engines) {
    const capabilities = options.find((entry) => entry.engineId === engine.id)?.capabilities;
    if (!capabilities) continue; // cannot run jobs at all
    const images = rows.filter((row) => row.engineId === engine.id).sort(byName);
    const matched = source ? matchImage(source, images.map((row) => row.summary)) : null;
    const proposed = matched ? (images.find((row) => row.summary === matched) ?? images.find((row) => row.summary.id === matched.id) ?? null) : null;
    const unsupported = spec ? unsupportedBySpec(spec, capabilities) : [];
    const notReady =
      engine.state !== 'ready'
        ? `not working here: ${engine.message ?? engine.state}`
        : unsupported.length > 0
          ? `cannot honour this run: ${unsupported.join('; ')}`
          : null;
    const base = { engineId: engine.id, images, proposed };
    if (capabilities.modes.length === 0) {
      choices.push({ ...base, key: engine.id, executionMode: null, label: engine.label, disabledReason: notReady });
      continue;
    }
    const ready = capabilities.modes.filter((mode) => mode.ready);
    if (ready.length === 0) {
      choices.push({ ...base, key: engine.id, executionMode: null, label: engine.label, disabledReason: notReady ?? 'no execution mode worked here' });
      continue;
    }
    for (const mode of ready) {
      choices.push({
        ...base,
        key: `${engine.id}-${mode.id}`,
        executionMode: mode.id,
        label: modeLabel(engine.label, mode),
        disabledReason: notReady,
      });
    }
  }
  return choices;
}

/** "udocker, mode P1: proot, …" (the engine's own label of a mode usually starts with its id). */
export function modeLabel(engineLabel: string, mode: { id: string; label: string }): string {
  if (mode.label === '' || mode.label === mode.id) return `${engineLabel}, mode ${mode.id}`;
  if (mode.label.startsWith(mode.id)) return `${engineLabel}, mode ${mode.label}`;
  return `${engineLabel}, mode ${mode.id} (${mode.label})`;
}

/**
 * How the picker names an image: its reference, or for a file or folder image (a SIF file, a
 * sandbox, a directory image: no tag) its name and format, so it is not a bare id.
 */
export function imageOptionLabel(row: ImageRow): string {
  if (row.reference) return row.reference;
  const { repository, format } = row.summary;
  if (repository) return `${repository}${format ? ` (${format})` : ''}`;
  return `<none> ${row.shortId}`;
}

/** A target starts ticked when it works here and holds the same image. */
export function defaultSelection(choice: TargetChoice): TargetSelection {
  return { checked: choice.disabledReason === null && choice.proposed !== null, imageKey: choice.proposed?.key ?? '', touched: false };
}

/**
 * Selections for the current choices: a new target gets its default, one the user has not touched
 * follows a late answer (its store listed after the panel opened), a touched one stays.
 */
export function mergeSelections(previous: Readonly<Record<string, TargetSelection>>, choices: readonly TargetChoice[]): Record<string, TargetSelection> {
  const next: Record<string, TargetSelection> = {};
  for (const choice of choices) {
    const before = previous[choice.key];
    let selection = before && before.touched ? before : defaultSelection(choice);
    // A target that cannot run is never sent, whatever was ticked before it stopped working.
    if (choice.disabledReason !== null && selection.checked) selection = { ...selection, checked: false };
    next[choice.key] = before && !before.touched && sameSelection(before, selection) ? before : selection;
  }
  return next;
}

function sameSelection(a: TargetSelection, b: TargetSelection): boolean {
  return a.checked === b.checked && a.imageKey === b.imageKey && a.touched === b.touched;
}

export interface TargetPlan {
  targets: CompareTargetInput[];
  /** Ticked targets that cannot be sent yet, each with why ("udocker, mode P1: pick an image"). */
  problems: string[];
}

/** The targets to send, from the ticked choices, and what stops a start. */
export function planTargets(choices: readonly TargetChoice[], selections: Readonly<Record<string, TargetSelection>>): TargetPlan {
  const targets: CompareTargetInput[] = [];
  const problems: string[] = [];
  for (const choice of choices) {
    const selection = selections[choice.key];
    if (!selection?.checked || choice.disabledReason !== null) continue;
    const row = choice.images.find((candidate) => candidate.key === selection.imageKey);
    if (!row) {
      problems.push(`${choice.label}: pick an image`);
      continue;
    }
    targets.push({ engineId: choice.engineId, executionMode: choice.executionMode, image: { imageId: row.summary.id, reference: row.reference } });
  }
  if (targets.length === 0 && problems.length === 0) problems.push('Tick at least one engine');
  return { targets, problems };
}

/** Why this spec cannot be compared at all, or null. The host refuses the same. */
export function whyNotComparable(spec: RunSpec): string | null {
  if (spec.tty) return 'An interactive terminal (TTY) cannot be compared: its output is a terminal’s and it waits for input. Untick TTY in the run dialog.';
  return null;
}

export const REPEAT_MIN = 1;

/** The repeat count typed, or why it is not one. */
export function parseRepeat(text: string, max: number): { value: number | null; error: string | null } {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return { value: null, error: `a whole number from ${REPEAT_MIN} to ${max}` };
  const value = Number(trimmed);
  if (value < REPEAT_MIN || value > max) return { value: null, error: `a whole number from ${REPEAT_MIN} to ${max}` };
  return { value, error: null };
}
