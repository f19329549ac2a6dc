// The probe image Crossdock makes for itself, since no registry may be reachable: a root file
// system holding one file, /probe, a hand-assembled static ELF executable that does exit(37).
// An engine is "ready" only when a container of this image reports 37 back, which proves that
// it runs containers *and* keeps their exit codes (an engine that swallows codes answers 0 or 1).
import { buildTar } from './tar-archive';

export const PROBE_IMAGE_REPOSITORY = 'crossdock-probe';
export const PROBE_IMAGE_TAG = '1';
export const PROBE_IMAGE_REFERENCE = `${PROBE_IMAGE_REPOSITORY}:${PROBE_IMAGE_TAG}`;
export { PROBE_LABEL } from '../../../shared/probe';
export const PROBE_EXIT_CODE = 37;

export type ProbeArchitecture = 'x64' | 'arm64';

/** Machine code for exit(37) via the raw system call; nothing else, no libc. */
const EXIT_37_CODE: Record<ProbeArchitecture, { machine: number; code: number[] }> = {
  x64: {
    machine: 62, // EM_X86_64
    code: [
      0xbf, 0x25, 0x00, 0x00, 0x00, // mov edi, 37      (first argument: the status)
      0xb8, 0x3c, 0x00, 0x00, 0x00, // mov eax, 60      (SYS_exit)
      0x0f, 0x05, //                   syscall
    ],
  },
  arm64: {
    machine: 183, // EM_AARCH64
    code: [
      0xa0, 0x04, 0x80, 0xd2, // mov x0, #37         (movz; first argument: the status)
      0xa8, 0x0b, 0x80, 0xd2, // mov x8, #93         (SYS_exit)
      0x01, 0x00, 0x00, 0xd4, // svc #0
    ],
  },
};

const ELF_HEADER_SIZE = 64;
const PROGRAM_HEADER_SIZE = 56;
const LOAD_ADDRESS = 0x400000n;

/** The host's architecture in the names above, or null for one the probe has no code for. */
export function probeArchitecture(arch: string = process.arch): ProbeArchitecture | null {
  return arch === 'x64' || arch === 'arm64' ? arch : null;
}

/**
 * A complete ELF64 executable: file header, one PT_LOAD program header mapping the whole file
 * read+execute at 0x400000, then the code. The entry point is the first byte after the headers.
 */
export function probeExecutable(arch: ProbeArchitecture): Buffer {
  const { machine, code } = EXIT_37_CODE[arch];
  const codeOffset = ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE;
  const fileSize = codeOffset + code.length;
  const elf = Buffer.alloc(fileSize);

  // e_ident: magic, 64-bit, little-endian, version 1, System V ABI.
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(elf, 0);
  elf.writeUInt16LE(2, 16); // e_type: ET_EXEC
  elf.writeUInt16LE(machine, 18); // e_machine
  elf.writeUInt32LE(1, 20); // e_version
  elf.writeBigUInt64LE(LOAD_ADDRESS + BigInt(codeOffset), 24); // e_entry
  elf.writeBigUInt64LE(BigInt(ELF_HEADER_SIZE), 32); // e_phoff
  elf.writeBigUInt64LE(0n, 40); // e_shoff: no section headers
  elf.writeUInt32LE(0, 48); // e_flags
  elf.writeUInt16LE(ELF_HEADER_SIZE, 52); // e_ehsize
  elf.writeUInt16LE(PROGRAM_HEADER_SIZE, 54); // e_phentsize
  elf.writeUInt16LE(1, 56); // e_phnum
  elf.writeUInt16LE(64, 58); // e_shentsize
  elf.writeUInt16LE(0, 60); // e_shnum
  elf.writeUInt16LE(0, 62); // e_shstrndx

  const ph = ELF_HEADER_SIZE;
  elf.writeUInt32LE(1, ph); // p_type: PT_LOAD
  elf.writeUInt32LE(5, ph + 4); // p_flags: read + execute
  elf.writeBigUInt64LE(0n, ph + 8); // p_offset
  elf.writeBigUInt64LE(LOAD_ADDRESS, ph + 16); // p_vaddr
  elf.writeBigUInt64LE(LOAD_ADDRESS, ph + 24); // p_paddr
  elf.writeBigUInt64LE(BigInt(fileSize), ph + 32); // p_filesz
  elf.writeBigUInt64LE(BigInt(fileSize), ph + 40); // p_memsz
  elf.writeBigUInt64LE(0x1000n, ph + 48); // p_align

  Buffer.from(code).copy(elf, codeOffset);
  return elf;
}

/** The probe image's root file system as a tar archive, ready for `docker import`. */
export function probeImageTar(arch: ProbeArchitecture): Buffer {
  return buildTar([{ type: 'file', path: 'probe', content: probeExecutable(arch), mode: 0o755 }]);
}
