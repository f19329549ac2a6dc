// The proof behind an engine's HasSIF: a test root file system written into a SIF file by
// writeSif and unpacked again by unpackSif, exactly as a SIF run goes, for the engine's test
// container to run. Made once under the engine's probe folder and reused while it is whole.
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../shared/errors';
import { probeExecutable, type ProbeArchitecture } from '../engines/docker-api/probe-image';
import { EMPTY_IMAGE_CONFIG } from '../transfer/image-config';
import { unpackSif } from './unpack';
import { writeSif } from './write';
import { entryExists } from '../storage/path-exists';

/** The unpacked probe SIF's root (holding `marker`, a path inside the test root), made when missing. */
export async function ensureProbeSifRoot(root: string, workDir: string, marker: string, signal: AbortSignal): Promise<string> {
  const unpacked = join(workDir, 'probe-sif-root');
  if (await entryExists(join(unpacked, marker))) return unpacked;
  const sifPath = join(workDir, 'probe.sif');
  const architecture = process.arch === 'x64' ? 'amd64' : process.arch;
  await writeSif({ rootfsDir: root, config: { ...EMPTY_IMAGE_CONFIG, architecture, cmd: [`/${marker}`] }, outPath: sifPath, signal });
  await rm(unpacked, { recursive: true, force: true });
  try {
    await unpackSif({ sifPath, destDir: unpacked, signal, keepMetadata: true });
  } catch (error) {
    // Another detection unpacked it meanwhile.
    if (error instanceof ApiError && error.kind === 'conflict' && (await entryExists(join(unpacked, marker)))) return unpacked;
    throw error;
  }
  return unpacked;
}

/**
 * A test root for engines that have none as a folder (udocker's is an imported image): the probe
 * program (exits 37) at /probe, and the one-line /etc/passwd and /etc/group udocker insists on.
 */
export async function ensureProbeRoot(workDir: string, arch: ProbeArchitecture): Promise<string> {
  const root = join(workDir, 'probe-root');
  if (await entryExists(join(root, 'probe'))) return root;
  await mkdir(join(root, 'etc'), { recursive: true, mode: 0o755 });
  for (const folder of ['tmp', 'proc', 'dev', 'sys']) await mkdir(join(root, folder), { recursive: true, mode: 0o755 });
  await writeFile(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/:/probe\n', { mode: 0o644 });
  await writeFile(join(root, 'etc', 'group'), 'root:x:0:\n', { mode: 0o644 });
  await writeFile(join(root, 'probe.new'), probeExecutable(arch), { mode: 0o755 });
  await chmod(join(root, 'probe.new'), 0o755);
  await rename(join(root, 'probe.new'), join(root, 'probe'));
  return root;
}

