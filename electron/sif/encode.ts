// The bytes of a SIF file's global header and descriptor table, the inverse of the reader in
// electron/engines/apptainer/sif/ (whose layout.ts holds the offsets, checked there against
// siftool). Written the way sylabs' and Apptainer's `sif` Go package creates a container: a
// 128-byte header, a table of 48 descriptors of 585 bytes at offset 4096, data objects one after
// the other from the end of the table, partitions aligned to 4096 bytes, every object in group 1.
import {
  ARCH_NAMES,
  DATA_PARTITION,
  DESCRIPTOR,
  DESCRIPTOR_SIZE,
  GROUP_MASK,
  HEADER,
  HEADER_SIZE,
  SIF_MAGIC,
} from '../engines/apptainer/sif/layout';

/** What Apptainer's build puts in the launch field: the file runs itself through run-singularity. */
export const LAUNCH_SCRIPT = '#!/usr/bin/env run-singularity\n';
export const DESCRIPTORS_OFFSET = 4096;
export const DESCRIPTOR_CAPACITY = 48;
export const DATA_OFFSET = DESCRIPTORS_OFFSET + DESCRIPTOR_CAPACITY * DESCRIPTOR_SIZE;
export const PARTITION_ALIGNMENT = 4096;
/** sif.DefaultObjectGroup: every object Apptainer adds belongs to group 1. */
const DEFAULT_GROUP = 1;

export const FS_SQUASHFS = 1;
export const PART_PRIMARY_SYSTEM = 2;

export interface PlannedObject {
  dataType: number;
  name: string;
  /** Small objects carry their bytes; the partition's are written by mksquashfs in place. */
  data: Buffer | null;
  /** Known up front for small objects; for the partition, filled in once mksquashfs finished. */
  size: number;
  offset: number;
  sizeWithPadding: number;
  partition?: { fsType: number; partType: number; arch: string };
}

/** Lays objects out from DATA_OFFSET, each after the previous, partitions aligned. */
export function planObjects(objects: Array<Omit<PlannedObject, 'offset' | 'sizeWithPadding'>>): PlannedObject[] {
  let end = DATA_OFFSET;
  return objects.map((object) => {
    const alignment = object.dataType === DATA_PARTITION ? PARTITION_ALIGNMENT : 1;
    const offset = Math.ceil(end / alignment) * alignment;
    const planned = { ...object, offset, sizeWithPadding: offset - end + object.size };
    end = offset + object.size;
    return planned;
  });
}

/** The two-digit code of a GOARCH name ("amd64" → "02"), or null for an architecture SIF lacks. */
export function archCode(arch: string): string | null {
  for (const [code, name] of Object.entries(ARCH_NAMES)) if (name === arch && code !== '00') return code;
  // loong64 came after the reader's table (sif.go's hdrArchLOONG64).
  return arch === 'loong64' ? '13' : null;
}

export interface HeaderFields {
  uuid: Buffer;
  /** Unix seconds. */
  time: number;
  arch: string;
  objects: PlannedObject[];
}

export function encodeHeader(fields: HeaderFields): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  header.write(LAUNCH_SCRIPT, HEADER.launch, 'latin1');
  header.write(`${SIF_MAGIC}\0`, HEADER.magic, 'latin1');
  header.write('01\0', HEADER.version, 'latin1');
  header.write(`${archCode(fields.arch) ?? '00'}\0`, HEADER.arch, 'latin1');
  fields.uuid.copy(header, HEADER.uuid, 0, 16);
  header.writeBigInt64LE(BigInt(fields.time), HEADER.created);
  header.writeBigInt64LE(BigInt(fields.time), HEADER.modified);
  header.writeBigInt64LE(BigInt(DESCRIPTOR_CAPACITY - fields.objects.length), HEADER.descriptorsFree);
  header.writeBigInt64LE(BigInt(DESCRIPTOR_CAPACITY), HEADER.descriptorsTotal);
  header.writeBigInt64LE(BigInt(DESCRIPTORS_OFFSET), HEADER.descriptorsOffset);
  header.writeBigInt64LE(BigInt(DESCRIPTOR_CAPACITY * DESCRIPTOR_SIZE), HEADER.descriptorsSize);
  header.writeBigInt64LE(BigInt(DATA_OFFSET), HEADER.dataOffset);
  const end = fields.objects.reduce((max, object) => Math.max(max, object.offset + object.size), DATA_OFFSET);
  header.writeBigInt64LE(BigInt(end - DATA_OFFSET), HEADER.dataSize);
  return header;
}

/** The whole descriptor table: the objects in order (ids from 1), the rest unused and zero. */
export function encodeDescriptors(objects: PlannedObject[], time: number): Buffer {
  if (objects.length > DESCRIPTOR_CAPACITY) throw new Error(`a SIF holds at most ${DESCRIPTOR_CAPACITY} objects`);
  const table = Buffer.alloc(DESCRIPTOR_CAPACITY * DESCRIPTOR_SIZE);
  objects.forEach((object, index) => {
    const raw = table.subarray(index * DESCRIPTOR_SIZE, (index + 1) * DESCRIPTOR_SIZE);
    raw.writeInt32LE(object.dataType, DESCRIPTOR.dataType);
    raw[DESCRIPTOR.used] = 1;
    raw.writeUInt32LE(index + 1, DESCRIPTOR.id);
    raw.writeUInt32LE((DEFAULT_GROUP | GROUP_MASK) >>> 0, DESCRIPTOR.groupId);
    raw.writeUInt32LE(0, DESCRIPTOR.linkedId);
    raw.writeBigInt64LE(BigInt(object.offset), DESCRIPTOR.offset);
    raw.writeBigInt64LE(BigInt(object.size), DESCRIPTOR.size);
    raw.writeBigInt64LE(BigInt(object.sizeWithPadding), DESCRIPTOR.sizeWithPadding);
    raw.writeBigInt64LE(BigInt(time), DESCRIPTOR.created);
    raw.writeBigInt64LE(BigInt(time), DESCRIPTOR.modified);
    // uid and gid (deprecated) stay 0, as the Go package writes them.
    const name = Buffer.from(object.name, 'utf8').subarray(0, DESCRIPTOR.nameLength - 1);
    name.copy(raw, DESCRIPTOR.name);
    if (object.partition) {
      raw.writeInt32LE(object.partition.fsType, DESCRIPTOR.extra);
      raw.writeInt32LE(object.partition.partType, DESCRIPTOR.extra + 4);
      raw.write(`${archCode(object.partition.arch) ?? '00'}\0`, DESCRIPTOR.extra + 8, 'latin1');
    }
  });
  return table;
}
