// The on-disk layout of a SIF file (Singularity Image Format), as sylabs' published Go package
// github.com/sylabs/sif/v2 (pkg/sif/sif.go, descriptor.go) writes it with encoding/binary:
// little-endian, packed, no padding between fields. Checked byte for byte against files made by
// siftool 2.8.3 (`siftool header`, `siftool list`, `siftool info`, and a hexdump):
//
//   global header, 128 bytes at offset 0
//     launch [32]  magic [10] "SIF_MAGIC\0"  version [3] "01\0"  arch [3] "02\0"  uuid [16]
//     created int64  modified int64  descriptors free int64, total int64
//     descriptors offset int64, size int64  data offset int64, size int64
//
//   rawDescriptor, 585 bytes each, `total` of them from `descriptors offset` (4096 by default)
//     datatype int32  used bool(1)  id uint32  groupid uint32  linkid uint32
//     offset int64  size int64  sizeWithPadding int64  created int64  modified int64
//     uid int64 (deprecated)  gid int64 (deprecated)  name [128]  extra [384]
//
//   extra of a partition: fstype int32, parttype int32, arch [3]
//   extra of a signature: hashtype int32, entity [256] (an OpenPGP fingerprint, 20 bytes used)

export const SIF_MAGIC = 'SIF_MAGIC';
export const HEADER_SIZE = 128;
export const DESCRIPTOR_SIZE = 585;

export const HEADER = {
  launch: 0,
  launchLength: 32,
  magic: 32,
  magicLength: 10,
  version: 42,
  arch: 45,
  uuid: 48,
  created: 64,
  modified: 72,
  descriptorsFree: 80,
  descriptorsTotal: 88,
  descriptorsOffset: 96,
  descriptorsSize: 104,
  dataOffset: 112,
  dataSize: 120,
} as const;

export const DESCRIPTOR = {
  dataType: 0,
  used: 4,
  id: 5,
  groupId: 9,
  linkedId: 13,
  offset: 17,
  size: 25,
  sizeWithPadding: 33,
  created: 41,
  modified: 49,
  name: 73,
  nameLength: 128,
  extra: 201,
  extraLength: 384,
} as const;

/** Group and link ids carry this mask; a group id of exactly the mask means "no group". */
export const GROUP_MASK = 0xf0000000;

/** Data object types: DataDeffile = 0x4001, then in order (sif.go). */
export const DATA_TYPE_NAMES: Record<number, string> = {
  0x4001: 'Deffile',
  0x4002: 'EnvVar',
  0x4003: 'Labels',
  0x4004: 'Partition',
  0x4005: 'Signature',
  0x4006: 'GenericJSON',
  0x4007: 'Generic',
  0x4008: 'CryptoMessage',
  0x4009: 'SBOM',
  0x400a: 'OCIRootIndex',
  0x400b: 'OCIBlob',
};

export const DATA_DEFFILE = 0x4001;
export const DATA_ENVVAR = 0x4002;
export const DATA_LABELS = 0x4003;
export const DATA_PARTITION = 0x4004;
export const DATA_SIGNATURE = 0x4005;

export const FS_TYPE_NAMES: Record<number, string> = {
  1: 'squashfs',
  2: 'ext3',
  3: 'archive',
  4: 'raw',
  5: 'encrypted-squashfs',
};

export const PART_TYPE_NAMES: Record<number, string> = {
  1: 'system',
  2: 'primary',
  3: 'data',
  4: 'overlay',
};

export const HASH_TYPE_NAMES: Record<number, string> = {
  1: 'SHA256',
  2: 'SHA384',
  3: 'SHA512',
  4: 'BLAKE2s_256',
  5: 'BLAKE2b_256',
};

/** The two-digit architecture codes of the header and of partitions, as Go's GOARCH names. */
export const ARCH_NAMES: Record<string, string> = {
  '00': 'unknown',
  '01': '386',
  '02': 'amd64',
  '03': 'arm',
  '04': 'arm64',
  '05': 'ppc64',
  '06': 'ppc64le',
  '07': 'mips',
  '08': 'mipsle',
  '09': 'mips64',
  '10': 'mips64le',
  '11': 's390x',
  '12': 'riscv64',
};
