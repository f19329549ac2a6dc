// Reads a SIF file natively: its global header, its descriptor table, and the small data objects
// worth showing (labels, definition file, environment). No Apptainer needed. Every read is bounded
// by a constant, never by a size taken from the file, and every failure is a value with a reason
// (a truncated file, a file that only has a .sif name, an absurd descriptor table, a folder that
// cannot be read), never an exception.
import { open, type FileHandle } from 'node:fs/promises';
import {
  ARCH_NAMES,
  DATA_DEFFILE,
  DATA_ENVVAR,
  DATA_LABELS,
  DATA_PARTITION,
  DATA_SIGNATURE,
  DATA_TYPE_NAMES,
  DESCRIPTOR,
  DESCRIPTOR_SIZE,
  FS_TYPE_NAMES,
  GROUP_MASK,
  HASH_TYPE_NAMES,
  HEADER,
  HEADER_SIZE,
  PART_TYPE_NAMES,
  SIF_MAGIC,
} from './layout';

/** More descriptors than any SIF carries (the default table has 48); a larger count is refused. */
export const MAX_DESCRIPTORS = 4096;
/** The definition file and the environment are shown up to this many bytes. */
export const MAX_TEXT_BYTES = 64 * 1024;
/** A labels object larger than this is not parsed. */
export const MAX_LABELS_BYTES = 1024 * 1024;

export interface SifPartition {
  descriptorId: number;
  /** "squashfs", "ext3", "archive", "raw", "encrypted-squashfs", or "unknown (N)". */
  fsType: string;
  /** "system", "primary" (the primary system partition), "data", "overlay", or "unknown (N)". */
  partType: string;
  /** GOARCH name: amd64, arm64, ... */
  arch: string;
  offset: number;
  size: number;
}

export interface SifDescriptor {
  id: number;
  dataType: number;
  /** Deffile, EnvVar, Labels, Partition, Signature, GenericJSON, Generic, CryptoMessage, SBOM, OCIRootIndex, OCIBlob, or "Unknown (0x...)". */
  typeName: string;
  /** Null when the object belongs to no group. */
  groupId: number | null;
  /** The object or group it is linked to (a signature links to what it signs); null for none. */
  linkedId: number | null;
  linkedToGroup: boolean;
  offset: number;
  size: number;
  sizeWithPadding: number;
  createdAt: Date | null;
  modifiedAt: Date | null;
  name: string;
  partition?: SifPartition;
  signature?: { hash: string; fingerprint: string | null };
}

export interface SifImage {
  path: string;
  fileSize: number;
  launch: string;
  version: string;
  /** GOARCH name of the primary partition's architecture ("amd64"), "unknown" for "00". */
  arch: string;
  /** The uuid as 8-4-4-4-12 hex. */
  uuid: string;
  createdAt: Date | null;
  modifiedAt: Date | null;
  descriptorsFree: number;
  descriptorsTotal: number;
  descriptorsOffset: number;
  descriptorsSize: number;
  dataOffset: number;
  dataSize: number;
  /** The descriptors in use, in table order. */
  descriptors: SifDescriptor[];
  partitions: SifPartition[];
  /** The labels object's key/values (non-string values as JSON); null when the file has none. */
  labels: Record<string, string> | null;
  /** Why the labels object could not be read, when it could not. */
  labelsProblem: string | null;
  definition: string | null;
  definitionTruncated: boolean;
  /** The EnvVar object's text, when present (bounded like the definition file). */
  environment: string | null;
  signed: boolean;
}

export type SifResult = { ok: true; sif: SifImage } | { ok: false; reason: string };

export interface ReadSifOptions {
  /** Skip reading labels, definition file and environment (listing needs only the labels). */
  contents?: 'all' | 'labels';
}

/** True when the file's first bytes carry the SIF magic (for cache files with no .sif name). */
export async function hasSifMagic(path: string): Promise<boolean> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(path, 'r');
    const bytes = Buffer.alloc(HEADER.magic + HEADER.magicLength);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
    return bytesRead === bytes.length && magicOf(bytes) === SIF_MAGIC;
  } catch {
    return false;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export async function readSif(path: string, options: ReadSifOptions = {}): Promise<SifResult> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return { ok: false, reason: `cannot open the file: ${describeFsError(error)}` };
  }
  try {
    return await readOpen(handle, path, options.contents ?? 'all');
  } catch (error) {
    return { ok: false, reason: `cannot read the file: ${describeFsError(error)}` };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function readOpen(handle: FileHandle, path: string, contents: 'all' | 'labels'): Promise<SifResult> {
  const stats = await handle.stat();
  if (!stats.isFile()) return fail('not a SIF file: it is not a regular file');
  const fileSize = stats.size;
  if (fileSize === 0) return fail('not a SIF file: the file is empty');

  const header = Buffer.alloc(HEADER_SIZE);
  const { bytesRead } = await handle.read(header, 0, HEADER_SIZE, 0);
  if (bytesRead < HEADER.magic + HEADER.magicLength || magicOf(header) !== SIF_MAGIC) {
    return fail('not a SIF file: the magic is missing');
  }
  if (bytesRead < HEADER_SIZE) return fail(`truncated: the global header needs ${HEADER_SIZE} bytes, the file has ${fileSize}`);

  const total = int64(header, HEADER.descriptorsTotal);
  const free = int64(header, HEADER.descriptorsFree);
  const descriptorsOffset = int64(header, HEADER.descriptorsOffset);
  const descriptorsSize = int64(header, HEADER.descriptorsSize);
  const dataOffset = int64(header, HEADER.dataOffset);
  const dataSize = int64(header, HEADER.dataSize);
  if (total === null || total < 0 || total > MAX_DESCRIPTORS) {
    return fail(`corrupt header: ${describeCount(header)} descriptors (at most ${MAX_DESCRIPTORS} are accepted)`);
  }
  if (free === null || free < 0 || free > total) return fail('corrupt header: the count of free descriptors is impossible');
  if (descriptorsOffset === null || descriptorsOffset < HEADER_SIZE) return fail('corrupt header: the descriptor table offset is impossible');
  if (dataOffset === null || dataOffset < 0 || dataSize === null || dataSize < 0 || descriptorsSize === null || descriptorsSize < 0) {
    return fail('corrupt header: a negative or oversized offset or size');
  }
  const tableEnd = descriptorsOffset + total * DESCRIPTOR_SIZE;
  if (tableEnd > fileSize) {
    return fail(`truncated: the descriptor table ends at byte ${tableEnd}, the file has ${fileSize} bytes`);
  }

  // total <= MAX_DESCRIPTORS, so this allocation is bounded (2.4 MB at most).
  const table = Buffer.alloc(total * DESCRIPTOR_SIZE);
  const tableRead = await handle.read(table, 0, table.length, descriptorsOffset);
  if (tableRead.bytesRead < table.length) return fail('truncated: the descriptor table could not be read whole');

  const descriptors: SifDescriptor[] = [];
  for (let index = 0; index < total; index += 1) {
    const raw = table.subarray(index * DESCRIPTOR_SIZE, (index + 1) * DESCRIPTOR_SIZE);
    if (raw[DESCRIPTOR.used] === 0) continue;
    const parsed = parseDescriptor(raw);
    if (typeof parsed === 'string') return fail(`corrupt descriptor ${index + 1}: ${parsed}`);
    if (parsed.offset + parsed.size > fileSize) {
      return fail(
        `truncated: data object ${parsed.id} (${parsed.typeName}) ends at byte ${parsed.offset + parsed.size}, the file has ${fileSize} bytes`,
      );
    }
    descriptors.push(parsed);
  }

  const sif: SifImage = {
    path,
    fileSize,
    launch: cString(header.subarray(HEADER.launch, HEADER.launch + HEADER.launchLength)),
    version: cString(header.subarray(HEADER.version, HEADER.version + 3)),
    arch: archName(header.subarray(HEADER.arch, HEADER.arch + 3)),
    uuid: formatUuid(header.subarray(HEADER.uuid, HEADER.uuid + 16)),
    createdAt: unixTime(header.readBigInt64LE(HEADER.created)),
    modifiedAt: unixTime(header.readBigInt64LE(HEADER.modified)),
    descriptorsFree: free,
    descriptorsTotal: total,
    descriptorsOffset,
    descriptorsSize,
    dataOffset,
    dataSize,
    descriptors,
    partitions: descriptors.flatMap((descriptor) => (descriptor.partition ? [descriptor.partition] : [])),
    labels: null,
    labelsProblem: null,
    definition: null,
    definitionTruncated: false,
    environment: null,
    signed: descriptors.some((descriptor) => descriptor.dataType === DATA_SIGNATURE),
  };

  const labelsObject = descriptors.find((descriptor) => descriptor.dataType === DATA_LABELS);
  if (labelsObject) {
    if (labelsObject.size > MAX_LABELS_BYTES) {
      sif.labelsProblem = `the labels object is ${labelsObject.size} bytes, more than the ${MAX_LABELS_BYTES} read`;
    } else {
      const parsed = parseLabels((await readSlice(handle, labelsObject.offset, labelsObject.size)).toString('utf8'));
      if (typeof parsed === 'string') sif.labelsProblem = parsed;
      else sif.labels = parsed;
    }
  }
  if (contents === 'all') {
    const deffile = descriptors.find((descriptor) => descriptor.dataType === DATA_DEFFILE);
    if (deffile) {
      sif.definition = (await readSlice(handle, deffile.offset, Math.min(deffile.size, MAX_TEXT_BYTES))).toString('utf8');
      sif.definitionTruncated = deffile.size > MAX_TEXT_BYTES;
    }
    const environment = descriptors.find((descriptor) => descriptor.dataType === DATA_ENVVAR);
    if (environment) {
      sif.environment = (await readSlice(handle, environment.offset, Math.min(environment.size, MAX_TEXT_BYTES))).toString('utf8');
    }
  }
  return { ok: true, sif };
}

function parseDescriptor(raw: Buffer): SifDescriptor | string {
  const dataType = raw.readInt32LE(DESCRIPTOR.dataType);
  const offset = int64(raw, DESCRIPTOR.offset);
  const size = int64(raw, DESCRIPTOR.size);
  const sizeWithPadding = int64(raw, DESCRIPTOR.sizeWithPadding);
  if (offset === null || offset < 0) return 'its data offset is negative or beyond any file';
  if (size === null || size < 0) return 'its data size is negative or beyond any file';
  const groupRaw = raw.readUInt32LE(DESCRIPTOR.groupId);
  const linkRaw = raw.readUInt32LE(DESCRIPTOR.linkedId);
  const linkedToGroup = (linkRaw & GROUP_MASK) >>> 0 === GROUP_MASK;
  const linkedId = (linkRaw & ~GROUP_MASK) >>> 0;
  const groupId = (groupRaw & ~GROUP_MASK) >>> 0;
  const descriptor: SifDescriptor = {
    id: raw.readUInt32LE(DESCRIPTOR.id),
    dataType,
    typeName: DATA_TYPE_NAMES[dataType] ?? `Unknown (0x${(dataType >>> 0).toString(16)})`,
    groupId: groupId === 0 ? null : groupId,
    linkedId: linkedId === 0 ? null : linkedId,
    linkedToGroup: linkedId !== 0 && linkedToGroup,
    offset,
    size,
    sizeWithPadding: sizeWithPadding ?? size,
    createdAt: unixTime(raw.readBigInt64LE(DESCRIPTOR.created)),
    modifiedAt: unixTime(raw.readBigInt64LE(DESCRIPTOR.modified)),
    name: cString(raw.subarray(DESCRIPTOR.name, DESCRIPTOR.name + DESCRIPTOR.nameLength)),
  };
  const extra = raw.subarray(DESCRIPTOR.extra, DESCRIPTOR.extra + DESCRIPTOR.extraLength);
  if (dataType === DATA_PARTITION) {
    const fsCode = extra.readInt32LE(0);
    const partCode = extra.readInt32LE(4);
    descriptor.partition = {
      descriptorId: descriptor.id,
      fsType: FS_TYPE_NAMES[fsCode] ?? `unknown (${fsCode})`,
      partType: PART_TYPE_NAMES[partCode] ?? `unknown (${partCode})`,
      arch: archName(extra.subarray(8, 11)),
      offset,
      size,
    };
  } else if (dataType === DATA_SIGNATURE) {
    const hashCode = extra.readInt32LE(0);
    const fingerprint = extra.subarray(4, 24);
    descriptor.signature = {
      hash: HASH_TYPE_NAMES[hashCode] ?? `unknown (${hashCode})`,
      fingerprint: fingerprint.every((byte) => byte === 0) ? null : fingerprint.toString('hex').toUpperCase(),
    };
  }
  return descriptor;
}

function parseLabels(text: string): Record<string, string> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'the labels object is not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the labels object is not a JSON object';
  const labels: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    labels[key] = typeof entry === 'string' ? entry : JSON.stringify(entry);
  }
  return labels;
}

/** Reads `length` bytes (already bounded by the caller) at `offset`. */
async function readSlice(handle: FileHandle, offset: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, offset);
  return buffer.subarray(0, bytesRead);
}

function fail(reason: string): SifResult {
  return { ok: false, reason };
}

function magicOf(header: Buffer): string {
  return cString(header.subarray(HEADER.magic, HEADER.magic + HEADER.magicLength));
}

/** A signed 64-bit field as a number, or null when it does not fit a safe integer. */
function int64(buffer: Buffer, offset: number): number | null {
  const value = buffer.readBigInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) return null;
  return Number(value);
}

function describeCount(header: Buffer): string {
  return header.readBigInt64LE(HEADER.descriptorsTotal).toString();
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('latin1');
}

function archName(bytes: Buffer): string {
  const code = cString(bytes);
  return ARCH_NAMES[code] ?? `unknown (${code})`;
}

function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function unixTime(seconds: bigint): Date | null {
  // Date's range is ±8.64e15 ms; anything outside (or zero, "unset") is no time at all.
  if (seconds <= 0n || seconds > 8_640_000_000_000n) return null;
  return new Date(Number(seconds) * 1000);
}

function describeFsError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : null;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
