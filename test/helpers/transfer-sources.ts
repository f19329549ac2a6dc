// One source image per engine for the transfer tests, each made by that engine's own tools (never
// by the transfer under test), and the ways to read any engine's copy back as a file tree and to
// run it there.
//
// What the tree comparison leaves out, and why:
// - Charliecloud's ch/ folder: ch-image's own metadata (metadata.json, environment), written
//   beside every image; not one of the image's files.
// - A SIF's /.singularity.d and Apptainer's root links (/environment, /singularity, /.run, ...):
//   Apptainer's metadata made from the image's configuration. Reading a SIF back drops them when
//   the configuration it holds says everything they say (electron/sif/unpack.ts, dropMetadata), so
//   a SIF Crossdock wrote unpacks to the tree it was made from; they never reach the comparison.
// Everything else (paths, types, modes, owners, sizes, file checksums, link targets) is compared
// by electron/transfer/tree-digest.ts.
import { execa } from 'execa';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import type { AppHost } from '../../electron/host/app-host';
import { encodeStorageName } from '../../electron/engines/charliecloud/names';
import { readSif } from '../../electron/engines/apptainer/sif/reader';
import { archiveToRootfs } from '../../electron/transfer/archive-to-rootfs';
import { resolveSource } from '../../electron/transfer/endpoints/resolve';
import { treeDigest } from '../../electron/transfer/tree-digest';
import { busyboxRootTar, importIntoDocker, importIntoPodman, randomTestReference } from '../fixtures/busybox-image';

export type EndpointId = 'docker' | 'podman' | 'udocker' | 'charliecloud' | 'apptainer';
export const ENDPOINTS: EndpointId[] = ['docker', 'podman', 'udocker', 'charliecloud', 'apptainer'];

export interface SourceImage {
  engineId: EndpointId;
  imageId: string;
  reference: string | null;
  cleanup(): Promise<void>;
}

export interface Workspace {
  base: string;
  env: NodeJS.ProcessEnv;
  sifDir: string;
  chStorage: string;
}

/** The folders a transfer test's host uses: private udocker, Charliecloud storage, SIF folder. */
export function workspaceEnv(base: string): Workspace {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('UDOCKER_')));
  const env: NodeJS.ProcessEnv = {
    ...clean,
    UDOCKER_DIR: join(base, 'udocker'),
    CROSSDOCK_CONFIG_DIR: join(base, 'config'),
    CROSSDOCK_DATA_DIR: join(base, 'data'),
    CROSSDOCK_RUNTIME_DIR: join(base, 'runtime'),
    CH_IMAGE_STORAGE: join(base, 'ch'),
    USER: process.env.USER ?? 'root',
  };
  return { base, env, sifDir: join(base, 'sif'), chStorage: join(base, 'ch') };
}

export function call<T>(host: AppHost, name: string, input: unknown, timeoutMs = 60_000): Promise<T> {
  return (host.router.call(name as never, input as never, { transport: 'web', signal: AbortSignal.timeout(timeoutMs) } as never) as Promise<{ result: T }>).then(
    (answer) => answer.result,
  );
}

interface Row {
  id: string;
  repoTags: string[];
  location?: string | null;
}

export async function listRows(host: AppHost, engineId: string): Promise<Row[]> {
  host.registry.imagesChanged(engineId);
  return call<Row[]>(host, 'images.list', { engineId });
}

/** udocker's environment as Crossdock's udocker engine sets it up (system proot, tools marked present). */
export function udockerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, UDOCKER_TARBALL: '', UDOCKER_USE_PROOT_EXECUTABLE: '/usr/bin/proot', UDOCKER_USE_RUNC_EXECUTABLE: '/usr/sbin/runc' };
}

/** Each engine's source, made by its own tools: docker/podman import, udocker load, tar into ch storage, siftool. */
export async function makeSource(engineId: EndpointId, host: AppHost, workspace: Workspace, client: Dockerode): Promise<SourceImage> {
  const { env, base } = workspace;
  if (engineId === 'docker') {
    const image = await importIntoDocker(client, { distinct: true });
    return { engineId, imageId: image.id, reference: image.reference, cleanup: image.cleanup };
  }
  if (engineId === 'podman') {
    const image = await importIntoPodman(process.env, { distinct: true });
    return { engineId, imageId: image.id, reference: image.reference, cleanup: image.cleanup };
  }
  if (engineId === 'udocker') {
    // docker save of a fresh import, then udocker's own load.
    const image = await importIntoDocker(client, { distinct: true });
    const archive = join(base, 'udocker-source.tar');
    try {
      await execa('docker', ['save', '-o', archive, image.reference!]);
      await mkdir(join(base, 'udocker', 'lib'), { recursive: true });
      const version = await execa('udocker', ['--allow-root', 'version'], { env: udockerEnv(env), extendEnv: false, reject: false });
      const release = /tarball_release:\s*(\S+)/.exec(version.stdout)?.[1] ?? '1.2.11';
      await writeFile(join(base, 'udocker', 'lib', 'VERSION'), release);
      await execa('udocker', ['--allow-root', 'load', '-i', archive], { env: udockerEnv(env), extendEnv: false });
    } finally {
      await rm(archive, { force: true });
      await image.cleanup();
    }
    const row = (await listRows(host, 'udocker')).find((candidate) => candidate.repoTags.includes(image.reference!));
    if (!row) throw new Error(`udocker load gave no row for ${image.reference}`);
    return { engineId, imageId: row.id, reference: image.reference, cleanup: async () => undefined };
  }
  if (engineId === 'charliecloud') {
    // A directory image as ch-convert makes one: the root tar unpacked into storage's img/.
    const name = randomTestReference();
    const folder = join(workspace.chStorage, 'img', encodeStorageName(name.reference));
    await mkdir(folder, { recursive: true });
    await execa('tar', ['-x', '-C', folder], { input: busyboxRootTar({ distinct: true }) });
    const row = (await listRows(host, 'charliecloud')).find((candidate) => candidate.location === folder);
    if (!row) throw new Error(`Charliecloud does not list ${folder}`);
    return { engineId, imageId: row.id, reference: null, cleanup: () => rm(folder, { recursive: true, force: true }) };
  }
  // A SIF made by sylabs' siftool from a mksquashfs partition, as engines-here.md shows.
  const root = join(base, 'sif-source-root');
  const squashfs = join(base, 'sif-source.sqfs');
  const labels = join(base, 'sif-source-labels.json');
  const sif = join(workspace.sifDir, `source-${Date.now().toString(36)}.sif`);
  await mkdir(root, { recursive: true });
  await mkdir(workspace.sifDir, { recursive: true });
  await execa('tar', ['-x', '-C', root], { input: busyboxRootTar({ distinct: true }) });
  await execa('mksquashfs', [root, squashfs, '-noappend', '-quiet', '-no-progress']);
  await writeFile(labels, JSON.stringify({ 'org.crossdock.test': '1' }));
  await execa('siftool', ['new', sif]);
  await execa('siftool', ['add', sif, labels, '--datatype', '3']);
  await execa('siftool', ['add', sif, squashfs, '--datatype', '4', '--parttype', '2', '--partfs', '1', '--partarch', '2']);
  await rm(root, { recursive: true, force: true });
  await rm(squashfs, { force: true });
  const row = (await listRows(host, 'apptainer')).find((candidate) => candidate.location === sif);
  if (!row) throw new Error(`the apptainer engine does not list ${sif}`);
  return { engineId, imageId: row.id, reference: null, cleanup: () => rm(sif, { force: true }) };
}

/**
 * The tree digest of an image in any engine. Docker and Podman: their own save stream, unpacked
 * layer by layer; udocker: its layer files applied in order; Charliecloud: the folder, less ch/;
 * SIF: its partition unsquashed (metadata dropped, see the header).
 */
export async function treeOfImage(host: AppHost, env: NodeJS.ProcessEnv, engineId: string, imageId: string, reference: string | null, scratch: string): Promise<string> {
  const engine = await host.registry.get(engineId);
  const source = await resolveSource(engine, { env, runtimeDir: host.paths.runtimeDir, imageFolders: async () => [], log: () => undefined }, imageId, reference, AbortSignal.timeout(120_000));
  const shape = source.shape;
  if (shape.kind === 'folder') return (await treeDigest(shape.rootDir, { exclude: shape.exclude })).digest;
  const dir = join(scratch, `tree-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
  await mkdir(join(scratch, 'spool'), { recursive: true });
  try {
    // Both readers take an existing empty folder (SIF's unpack replaces it).
    await mkdir(dir, { recursive: true });
    if (shape.kind === 'archive') {
      await archiveToRootfs({ archive: await shape.open(AbortSignal.timeout(120_000)), rootDir: dir, spoolDir: join(scratch, 'spool'), signal: AbortSignal.timeout(120_000) });
    } else {
      await shape.unpack(dir, AbortSignal.timeout(120_000), { onBytes: () => undefined, onLayer: () => undefined });
    }
    return (await treeDigest(dir)).digest;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `sh -c 'exit 37'` in the copy with the target's own tool; answers the exit code. */
export async function runOnTarget(engineId: EndpointId, workspace: Workspace, name: string, location: string | null, scratch: string): Promise<number | undefined> {
  const command = ['sh', '-c', 'exit 37'];
  if (engineId === 'docker' || engineId === 'podman') {
    return (await execa(engineId, ['run', '--rm', '--network', 'none', name, ...command], { reject: false })).exitCode;
  }
  if (engineId === 'udocker') {
    return (await execa('udocker', ['--allow-root', 'run', '--rm', '-w', '/', name, ...command], { env: udockerEnv(workspace.env), extendEnv: false, reject: false })).exitCode;
  }
  if (engineId === 'charliecloud') {
    // By name, as a user runs it: ch-run refuses a storage folder given as a path ("run by name").
    return (await execa('ch-run', [name, '--', ...command], { env: workspace.env, extendEnv: false, reject: false })).exitCode;
  }
  // SIF without Apptainer: the partition at the offset the header gives, unsquashed, run by ch-run.
  const read = await readSif(location!);
  if (!read.ok) throw new Error(read.reason);
  const partition = read.sif.partitions.find((candidate) => candidate.partType === 'primary')!;
  const dir = join(scratch, `sif-run-${Date.now().toString(36)}`);
  try {
    await execa('unsquashfs', ['-o', String(partition.offset), '-d', dir, '-no-progress', location!]);
    return (await execa('ch-run', [dir, '--', ...command], { env: workspace.env, extendEnv: false, reject: false })).exitCode;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
