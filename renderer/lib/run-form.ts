// The run dialog's form as plain data: turning it into a RunSpec (with every problem tied to the
// field it belongs to), filling it from a spec (re-run with edits, a recent run), and which engines
// may run the chosen image. Pure, so the dialog only wires it up.
import type { EngineStatus } from '../../shared/model';
import { NetworkModeSchema, RunSpecSchema, type NetworkMode, type Port, type RunSpec, type RunSpecInput } from '../../shared/run';
import type { ImageRow } from './image-rows';
import { quoteCommandLine, splitShellWords } from './shell-words';

export interface EnvRow {
  name: string;
  value: string;
}

export interface BindRow {
  hostPath: string;
  containerPath: string;
  readOnly: boolean;
}

/** A published port as typed: the numbers stay text until the form is turned into a spec. */
export interface PortRow {
  hostPort: string;
  containerPort: string;
  protocol: Port['protocol'];
}

export interface RunForm {
  engineId: string;
  /** '' until an image is chosen. */
  imageId: string;
  reference: string | null;
  commandText: string;
  env: EnvRow[];
  binds: BindRow[];
  ports: PortRow[];
  workdir: string;
  user: string;
  network: NetworkMode;
  gpu: boolean;
  tty: boolean;
  remove: boolean;
  /** '' is the engine's default mode. */
  executionMode: string;
}

/** Field keys problems are shown beside: "command", "env.0.name", "binds.1.hostPath", "ports.0.hostPort", ... */
export type FieldErrors = Record<string, string>;

export function emptyForm(engineId = '', image: { imageId: string; reference: string | null } | null = null): RunForm {
  return {
    engineId,
    imageId: image?.imageId ?? '',
    reference: image?.reference ?? null,
    commandText: '',
    env: [],
    binds: [],
    ports: [],
    workdir: '',
    user: '',
    network: 'default',
    gpu: false,
    tty: false,
    remove: true,
    executionMode: '',
  };
}

export function formFromSpec(spec: RunSpec): RunForm {
  return {
    engineId: spec.engineId,
    imageId: spec.image.imageId,
    reference: spec.image.reference,
    commandText: quoteCommandLine(spec.command),
    env: spec.env.map(({ name, value }) => ({ name, value })),
    binds: spec.binds.map(({ hostPath, containerPath, readOnly }) => ({ hostPath, containerPath, readOnly })),
    ports: spec.ports.map(({ hostPort, containerPort, protocol }) => ({ hostPort: String(hostPort), containerPort: String(containerPort), protocol })),
    workdir: spec.workdir ?? '',
    user: spec.user ?? '',
    network: spec.network,
    gpu: spec.gpu,
    tty: spec.tty,
    remove: spec.remove,
    executionMode: spec.executionMode ?? '',
  };
}

export interface FormResult {
  /** The spec when the form is valid as far as the window can tell, else null. */
  spec: RunSpec | null;
  argv: string[];
  errors: FieldErrors;
}

/** The form as a spec, checked against the contract's own schema, problems by field. */
export function specFromForm(form: RunForm): FormResult {
  const errors: FieldErrors = {};
  const split = splitShellWords(form.commandText);
  if (split.error) errors.command = split.error;
  if (!form.engineId) errors.engine = 'choose an engine';
  if (!form.imageId) errors.image = 'choose an image';
  form.env.forEach((row, index) => {
    if (row.name === '' && row.value !== '') errors[`env.${index}.name`] = 'a variable needs a name';
  });
  form.binds.forEach((row, index) => {
    if (row.hostPath === '' && row.containerPath !== '') errors[`binds.${index}.hostPath`] = 'a bind needs the host path too';
    if (row.containerPath === '' && row.hostPath !== '') errors[`binds.${index}.containerPath`] = 'a bind needs the container path too';
  });
  form.ports.forEach((row, index) => {
    if (!portRowKept(row)) return;
    for (const [field, side] of [['hostPort', 'host'], ['containerPort', 'container']] as const) {
      const text = row[field].trim();
      if (text === '') errors[`ports.${index}.${field}`] = `a published port needs the ${side} port too`;
      else if (Number.isNaN(parsePort(text))) errors[`ports.${index}.${field}`] = portRangeMessage;
    }
  });
  const input: RunSpecInput = {
    engineId: form.engineId,
    image: { imageId: form.imageId, reference: form.reference },
    command: split.words,
    // A row left entirely empty is not a variable yet; it is ignored rather than refused.
    env: form.env.filter((row) => row.name !== '' || row.value !== ''),
    binds: form.binds.filter((row) => row.hostPath !== '' || row.containerPath !== ''),
    ports: form.ports.filter(portRowKept).map((row) => ({
      hostPort: parsePort(row.hostPort.trim()),
      containerPort: parsePort(row.containerPort.trim()),
      protocol: row.protocol,
    })),
    workdir: form.workdir.trim() === '' ? null : form.workdir.trim(),
    user: form.user.trim() === '' ? null : form.user.trim(),
    network: form.network,
    gpu: form.gpu,
    tty: form.tty,
    remove: form.remove,
    executionMode: form.executionMode === '' ? null : form.executionMode,
  };
  const parsed = RunSpecSchema.safeParse(input);
  if (!parsed.success) {
    const envIndex = indexMap(form.env, (row) => row.name !== '' || row.value !== '');
    const bindIndex = indexMap(form.binds, (row) => row.hostPath !== '' || row.containerPath !== '');
    const portIndex = indexMap(form.ports, portRowKept);
    for (const issue of parsed.error.issues) {
      const key = fieldOfPath(issue.path.map(String), envIndex, bindIndex, portIndex);
      errors[key] ??= issue.message;
    }
  }
  const valid = parsed.success && Object.keys(errors).length === 0;
  return { spec: valid ? parsed.data : null, argv: split.words, errors };
}

const portRangeMessage = 'a port is a whole number from 1 to 65535';

/** A port row with neither number typed is not a port yet (its protocol alone does not count). */
function portRowKept(row: PortRow): boolean {
  return row.hostPort.trim() !== '' || row.containerPort.trim() !== '';
}

/** Digits only, 1–65535; anything else is NaN (which the schema refuses too). */
function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text)) return Number.NaN;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : Number.NaN;
}

/** Positions of kept rows in the form (the spec leaves empty rows out). */
function indexMap<T>(rows: readonly T[], kept: (row: T) => boolean): number[] {
  const map: number[] = [];
  rows.forEach((row, index) => {
    if (kept(row)) map.push(index);
  });
  return map;
}

function fieldOfPath(path: string[], envIndex: number[] = [], bindIndex: number[] = [], portIndex: number[] = []): string {
  const [head, index, leaf] = path;
  if (head === 'env' && index !== undefined) return `env.${envIndex[Number(index)] ?? index}.${leaf ?? 'name'}`;
  if (head === 'binds' && index !== undefined) return `binds.${bindIndex[Number(index)] ?? index}.${leaf ?? 'hostPath'}`;
  if (head === 'ports' && index !== undefined) return `ports.${portIndex[Number(index)] ?? index}.${leaf ?? 'hostPort'}`;
  if (head === 'image') return 'image';
  if (head === 'engineId') return 'engine';
  if (head === 'command') return 'command';
  return head ?? 'form';
}

/**
 * The host's validation issues ("spec.env.0.name: must ...") by field. Rows the spec left out
 * (empty ones) are counted as the form counts them. Issues naming no field are kept under "form".
 */
export function fieldErrorsOfIssues(issues: readonly string[], form: RunForm): FieldErrors {
  const envIndex = indexMap(form.env, (row) => row.name !== '' || row.value !== '');
  const bindIndex = indexMap(form.binds, (row) => row.hostPath !== '' || row.containerPath !== '');
  const portIndex = indexMap(form.ports, portRowKept);
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const colon = issue.indexOf(': ');
    const path = colon < 0 ? '' : issue.slice(0, colon);
    const message = colon < 0 ? issue : issue.slice(colon + 2);
    const parts = path.split('.').filter((part) => part !== '');
    if (parts[0] === 'spec') parts.shift();
    const key = parts.length === 0 || parts[0] === '(request)' ? 'form' : fieldOfPath(parts, envIndex, bindIndex, portIndex);
    errors[key] = errors[key] ? `${errors[key]}; ${message}` : message;
  }
  return errors;
}

export interface EngineChoice {
  engineId: string;
  label: string;
  /** Null when the engine may run it; otherwise why not, shown beside the disabled option. */
  disabledReason: string | null;
  /** The engine's own row for the chosen image (its id differs from engine to engine). */
  image: { imageId: string; reference: string | null } | null;
}

/** "docker.io/library/busybox:1.36", "localhost/busybox:1.36" and "busybox:1.36" are one name. */
export function normalizeReference(reference: string): string {
  let name = reference;
  for (const prefix of ['docker.io/', 'localhost/', 'library/']) {
    if (name.startsWith(prefix)) name = name.slice(prefix.length);
  }
  return name;
}

const bareId = (id: string) => (id.startsWith('sha256:') ? id.slice('sha256:'.length) : id);

/**
 * Every engine that can run jobs, each either offered or disabled with why. With an image chosen,
 * an engine holds it when one of its rows has the same id or the same name.
 */
export function engineChoices(
  engines: readonly EngineStatus[],
  runnable: ReadonlySet<string>,
  rows: readonly ImageRow[],
  image: { imageId: string; reference: string | null } | null,
): EngineChoice[] {
  return engines
    .filter((engine) => runnable.has(engine.id))
    .map((engine) => {
      // An engine that runs SIF files through Crossdock (HasSIF) may run a SIF file another engine lists.
      const holder = image ? (findHolder(rows, engine.id, image) ?? (runsSif(engine) ? findSifFile(rows, image) : null)) : null;
      let disabledReason: string | null = null;
      if (engine.state !== 'ready') disabledReason = `not ready: ${engine.message ?? engine.state}`;
      else if (image && !holder) disabledReason = 'does not hold this image';
      const viaCrossdock = holder !== null && holder.engineId !== engine.id;
      return {
        engineId: engine.id,
        label: viaCrossdock ? `${engine.label} (SIF file unpacked by Crossdock)` : engine.label,
        disabledReason,
        image: holder ? { imageId: holder.summary.id, reference: holder.reference } : null,
      };
    });
}

/** Engines that run SIF files another engine lists, from Crossdock's unpacked copy (not the one that lists them). */
export function runsSif(engine: Pick<EngineStatus, 'attributes'>): boolean {
  return engine.attributes['HasSIF'] === true && typeof engine.attributes['SifVia'] === 'string';
}

function findSifFile(rows: readonly ImageRow[], image: { imageId: string; reference: string | null }): ImageRow | null {
  const id = bareId(image.imageId);
  return rows.find((row) => row.summary.format === 'sif' && bareId(row.summary.id) === id) ?? null;
}

function findHolder(rows: readonly ImageRow[], engineId: string, image: { imageId: string; reference: string | null }): ImageRow | null {
  const id = bareId(image.imageId);
  const name = image.reference ? normalizeReference(image.reference) : null;
  const own = rows.filter((row) => row.engineId === engineId);
  return (
    (name ? own.find((row) => row.reference !== null && normalizeReference(row.reference) === name) : undefined) ??
    own.find((row) => bareId(row.summary.id) === id) ??
    null
  );
}

export const networkModes: ReadonlyArray<{ mode: NetworkMode; label: string }> = NetworkModeSchema.options.map((mode) => ({
  mode,
  label: mode === 'default' ? 'Engine default' : mode === 'none' ? 'None' : 'Host',
}));
