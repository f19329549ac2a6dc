// An ImageConfig read back from a SIF file and its unpacked root, in order of trust:
//  1. the "oci-config.json" object Apptainer (and Crossdock) keep when an image came from Docker or
//     OCI: its Env, Entrypoint, Cmd, WorkingDir, User and Labels exactly;
//  2. otherwise the files Apptainer's build writes: /.singularity.d/env/10-docker2singularity.sh
//     (one export per variable), the runscript's OCI_ENTRYPOINT / OCI_CMD lines, labels.json;
//  3. an image built from a definition file has a runscript of its own and environment code that
//     is not a list of variables: its command is then its run action, and the metadata is kept.
// The architecture is the primary partition's.
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SifImage, SifPartition } from '../engines/apptainer/sif/reader';
import type { ImageConfig } from '../transfer/image-config';
import { ENV_SCRIPT, METADATA_DIR, OCI_CONFIG_NAME } from './metadata';

const MAX_JSON_BYTES = 1024 * 1024;
const MAX_SCRIPT_BYTES = 1024 * 1024;
const DATA_GENERIC_JSON = 0x4006;

export interface ReadBack {
  config: ImageConfig;
  /** True when the config says all the metadata did, so /.singularity.d may be dropped from the tree. */
  complete: boolean;
}

export async function configFromSif(sif: SifImage, partition: SifPartition, root: string, notes: string[]): Promise<ReadBack> {
  const architecture = partition.arch.startsWith('unknown') ? (sif.arch.startsWith('unknown') ? null : sif.arch) : partition.arch;
  if (!architecture) notes.push('The SIF file does not say which architecture it is for; amd64 was assumed.');
  const base: ImageConfig = {
    architecture: architecture ?? 'amd64',
    os: 'linux',
    env: [],
    entrypoint: null,
    cmd: null,
    workingDir: null,
    user: null,
    labels: {},
  };

  const oci = await ociConfigObject(sif, notes);
  if (oci) {
    return {
      config: {
        ...base,
        env: stringArray(oci['Env']) ?? [],
        entrypoint: stringArray(oci['Entrypoint']),
        cmd: stringArray(oci['Cmd']),
        workingDir: typeof oci['WorkingDir'] === 'string' && oci['WorkingDir'] !== '' ? oci['WorkingDir'] : null,
        user: typeof oci['User'] === 'string' && oci['User'] !== '' ? oci['User'] : null,
        labels: stringRecord(oci['Labels']) ?? {},
      },
      complete: true,
    };
  }

  const labels = (await labelsFile(root)) ?? sif.labels ?? {};
  const env = parseEnvScript((await readSmall(join(root, ENV_SCRIPT))) ?? '');
  const script = await readSmall(join(root, METADATA_DIR, 'runscript'));
  const ociRun = script === null ? null : parseOciRunscript(script);
  if (ociRun) return { config: { ...base, env, labels, entrypoint: ociRun.entrypoint, cmd: ociRun.cmd }, complete: true };
  if (script !== null) {
    notes.push("The image's runscript is its own (built from a definition file): its command is Apptainer's run action, and /.singularity.d is kept.");
    return { config: { ...base, env, labels, cmd: ['/.singularity.d/actions/run'] }, complete: false };
  }
  return { config: { ...base, env, labels }, complete: false };
}

/** The "oci-config.json" object's JSON, when the file has one that parses as an object. */
async function ociConfigObject(sif: SifImage, notes: string[]): Promise<Record<string, unknown> | null> {
  const descriptor = sif.descriptors.find((candidate) => candidate.dataType === DATA_GENERIC_JSON && candidate.name === OCI_CONFIG_NAME);
  if (!descriptor) return null;
  if (descriptor.size > MAX_JSON_BYTES) {
    notes.push(`The SIF's ${OCI_CONFIG_NAME} is ${descriptor.size} bytes, more than Crossdock reads; the image's files were read instead.`);
    return null;
  }
  const handle = await open(sif.path, 'r');
  try {
    const buffer = Buffer.alloc(descriptor.size);
    await handle.read(buffer, 0, descriptor.size, descriptor.offset);
    const parsed: unknown = JSON.parse(buffer.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Falls through to the note.
  } finally {
    await handle.close();
  }
  notes.push(`The SIF's ${OCI_CONFIG_NAME} could not be read as a JSON object; the image's files were read instead.`);
  return null;
}

async function labelsFile(root: string): Promise<Record<string, string> | null> {
  const text = await readSmall(join(root, METADATA_DIR, 'labels.json'));
  if (text === null) return null;
  try {
    return stringRecord(JSON.parse(text));
  } catch {
    return null;
  }
}

async function readSmall(path: string): Promise<string | null> {
  try {
    const handle = await open(path, 'r');
    try {
      const info = await handle.stat();
      if (!info.isFile() || info.size > MAX_SCRIPT_BYTES) return null;
    } finally {
      await handle.close();
    }
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

function stringArray(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string') ? (value as string[]) : null;
}

function stringRecord(value: unknown): Record<string, string> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const record: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) record[key] = typeof entry === 'string' ? entry : JSON.stringify(entry);
  return record;
}

/** Undoes escapeDoubleQuoted: a backslash before \ " ` $ stands for that character. */
function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\([\\"`$])/g, '$1');
}

/**
 * 10-docker2singularity.sh's exports, as Apptainer writes them (and Singularity 3 did, without
 * the outer quotes): `export PATH="v"`, `export N="${N:-"v"}"`, `export N="${N:-}"`.
 */
export function parseEnvScript(text: string): string[] {
  const env: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^export ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, name, raw] = match as unknown as [string, string, string];
    const fallback = /^"?\$\{([A-Za-z_][A-Za-z0-9_]*):-(?:"((?:[^"\\]|\\.)*)")?\}"?$/.exec(raw);
    if (fallback && fallback[1] === name) env.push(`${name}=${unescapeDoubleQuoted(fallback[2] ?? '')}`);
    else {
      const plain = /^"((?:[^"\\]|\\.)*)"$/.exec(raw);
      if (plain) env.push(`${name}=${unescapeDoubleQuoted(plain[1]!)}`);
    }
  }
  return env;
}

/** OCI_ENTRYPOINT='...' and OCI_CMD='...' from a runscript Apptainer (or Crossdock) made from an OCI config. */
export function parseOciRunscript(text: string): { entrypoint: string[] | null; cmd: string[] | null } | null {
  const entrypoint = assignment(text, 'OCI_ENTRYPOINT');
  const cmd = assignment(text, 'OCI_CMD');
  if (entrypoint === null || cmd === null) return null;
  const entrypointArgs = quotedArgs(entrypoint);
  const cmdArgs = quotedArgs(cmd);
  if (entrypointArgs === null || cmdArgs === null) return null;
  return { entrypoint: entrypointArgs.length > 0 ? entrypointArgs : null, cmd: cmdArgs.length > 0 ? cmdArgs : null };
}

/** The value of NAME='...' (a single-quoted word, with '"'"' for a quote inside), or null. */
function assignment(text: string, name: string): string | null {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}=`)) continue;
    const word = line.slice(name.length + 1);
    let value = '';
    let index = 0;
    while (index < word.length) {
      const quote = word[index];
      if (quote !== "'" && quote !== '"') return null;
      const end = word.indexOf(quote, index + 1);
      if (end < 0) return null;
      value += word.slice(index + 1, end);
      index = end + 1;
    }
    return value;
  }
  return null;
}

/** `"a" "b c"` (each double-quoted and escaped, as shell.ArgsQuoted writes them) → ["a", "b c"]. */
function quotedArgs(text: string): string[] | null {
  const args: string[] = [];
  const pattern = /\s*"((?:[^"\\]|\\.)*)"/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(text)) !== null) {
    args.push(unescapeDoubleQuoted(match[1]!));
    consumed = pattern.lastIndex;
  }
  return text.slice(consumed).trim() === '' ? args : null;
}
