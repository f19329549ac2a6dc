// The images the transfer figures copy, one per engine, each made by that engine's own tools and
// never by Crossdock: Docker's is built (busybox plus one layer of random data, no registry), the
// others are made from it only when a chosen pair needs them, and under names of their own
// (crossdock-bench/transfer-src:ENGINE), so that a by-hand `docker load` of a Podman or udocker save
// adds a tag of its own instead of moving the source's. Why they are made late: an engine that
// already holds the layers being copied in skips writing them (Podman does), which would flatter
// whichever side came second; the pairs run in an order (transfer-pairs.ts) where no target holds
// the image it receives.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import { readSif } from '../electron/engines/apptainer/sif/reader';
import { encodeStorageName } from '../electron/engines/charliecloud/names';
import { markToolsPresent, udockerEnvironment } from '../electron/engines/udocker/environment';
import { parseUdockerVersion } from '../electron/engines/udocker/version';
import { importIntoDocker } from '../test/fixtures/busybox-image';
import type { ServedHost } from './served-host';
import type { ImageRef } from './transfer-host';
import type { Leftovers } from './transfer-leftovers';

const MB = 1024 * 1024;
export const ROOT_FLAG = process.getuid?.() === 0 ? ['--allow-root'] : [];

export type Endpoint = 'docker' | 'podman' | 'udocker' | 'charliecloud' | 'sif';
/** SIF files are the Apptainer engine's images (listed and written even where Apptainer is absent). */
export const ENGINE_ID: Record<Endpoint, string> = { docker: 'docker', podman: 'podman', udocker: 'udocker', charliecloud: 'charliecloud', sif: 'apptainer' };

export interface Workspace {
  home: string;
  /** Private stores: UDOCKER_DIR, CH_IMAGE_STORAGE under home; no UDOCKER_* of the user's. */
  env: NodeJS.ProcessEnv;
  /** The image folder Crossdock lists SIF files in (the SIF source), and where its SIF copies go. */
  sifDir: string;
  sifOutDir: string;
  host: ServedHost;
  leftovers: Leftovers;
}

export interface HeldSource {
  endpoint: Endpoint;
  /** What transfers.start is given. */
  ref: ImageRef;
  /** What the engine's own commands name it by: a reference, a folder (Charliecloud), a file (SIF). */
  byHand: string;
  /** SIF: where its squashfs partition starts, as `siftool list` shows it. */
  partitionOffset: number | null;
}

/** The environment, with UDOCKER_DIR `dir`, that Crossdock gives udocker: the system's proot/runc, tools marked present. */
export async function udockerAt(dir: string, env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const environment = await udockerEnvironment({ ...env, UDOCKER_DIR: dir });
  const version = await execa('udocker', [...ROOT_FLAG, 'version'], { env: environment.env, extendEnv: false, reject: false });
  await markToolsPresent(environment, parseUdockerVersion(version.stdout)?.tarballRelease ?? null);
  return environment.env;
}

export function privateStores(home: string): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('UDOCKER_')));
  return { ...clean, UDOCKER_DIR: join(home, 'udocker'), CH_IMAGE_STORAGE: join(home, 'ch'), USER: process.env.USER ?? 'root' };
}

export class TransferSources {
  private readonly made = new Map<Endpoint, Promise<HeldSource>>();

  constructor(
    private readonly workspace: Workspace,
    /** Docker's source, built by buildDockerSource. */
    readonly docker: HeldSource,
  ) {
    this.made.set('docker', Promise.resolve(docker));
  }

  get(endpoint: Endpoint): Promise<HeldSource> {
    let source = this.made.get(endpoint);
    if (!source) {
      source = this.make(endpoint);
      this.made.set(endpoint, source);
    }
    return source;
  }

  private make(endpoint: Endpoint): Promise<HeldSource> {
    switch (endpoint) {
      case 'podman':
        return this.podman();
      case 'udocker':
        return this.udocker();
      case 'charliecloud':
        return this.charliecloud();
      case 'sif':
        return this.sif();
      default:
        return Promise.resolve(this.docker);
    }
  }

  /** Docker's image under the name `name`, saved to `archive` (`docker tag`, `docker save -o`, untag). */
  private async saveAs(name: string, archive: string): Promise<void> {
    await execa('docker', ['tag', this.docker.byHand, name]);
    try {
      await execa('docker', ['save', '-o', archive, name]);
    } finally {
      await execa('docker', ['rmi', name], { reject: false });
    }
  }

  private async podman(): Promise<HeldSource> {
    const name = 'crossdock-bench/transfer-src:podman';
    const archive = join(this.workspace.home, 'podman-source.tar');
    this.workspace.leftovers.add(() => execa('podman', ['rmi', '--force', name], { reject: false }));
    try {
      await this.saveAs(name, archive);
      await execa('podman', ['load', '--quiet', '-i', archive]);
    } finally {
      rmSync(archive, { force: true });
    }
    const row = await this.row('podman', (candidate) => candidate.repoTags.some((tag) => tag === name || tag === `localhost/${name}`));
    return { endpoint: 'podman', ref: { engineId: 'podman', imageId: row.id, reference: row.repoTags[0] ?? null }, byHand: `localhost/${name}`, partitionOffset: null };
  }

  private async udocker(): Promise<HeldSource> {
    const name = 'crossdock-bench/transfer-src:udocker';
    const archive = join(this.workspace.home, 'udocker-source.tar');
    const env = await udockerAt(this.workspace.env.UDOCKER_DIR!, this.workspace.env);
    this.workspace.leftovers.add(() => execa('udocker', [...ROOT_FLAG, 'rmi', name], { env, extendEnv: false, reject: false }));
    try {
      await this.saveAs(name, archive);
      await execa('udocker', [...ROOT_FLAG, 'load', '-i', archive], { env, extendEnv: false });
    } finally {
      rmSync(archive, { force: true });
    }
    const row = await this.row('udocker', (candidate) => candidate.repoTags.includes(name));
    return { endpoint: 'udocker', ref: { engineId: 'udocker', imageId: row.id, reference: name }, byHand: name, partitionOffset: null };
  }

  /** A directory image in Charliecloud's storage: `docker export` of the image, unpacked with tar. */
  private async charliecloud(): Promise<HeldSource> {
    const folder = join(this.workspace.env.CH_IMAGE_STORAGE!, 'img', encodeStorageName('crossdock-bench/transfer-src:charliecloud'));
    this.workspace.leftovers.add(async () => rmSync(folder, { recursive: true, force: true }));
    await exportRootfs(this.docker.byHand, folder, this.workspace.leftovers);
    const row = await this.row('charliecloud', (candidate) => candidate.location === folder);
    return { endpoint: 'charliecloud', ref: { engineId: 'charliecloud', imageId: row.id, reference: null }, byHand: folder, partitionOffset: null };
  }

  /** A SIF file as engines-here.md makes one without Apptainer: mksquashfs of the root, siftool new + add. */
  private async sif(): Promise<HeldSource> {
    const file = join(this.workspace.sifDir, 'transfer-source.sif');
    this.workspace.leftovers.add(async () => rmSync(file, { force: true }));
    // Charliecloud's folder is the same root file system: made once, read by mksquashfs.
    const root = (await this.get('charliecloud')).byHand;
    await makeSif(root, file, join(this.workspace.home, 'sif-source.sqfs'));
    const read = await readSif(file);
    if (!read.ok) throw new Error(`${file}: ${read.reason}`);
    const partition = read.sif.partitions.find((candidate) => candidate.partType === 'primary');
    if (!partition) throw new Error(`${file} has no primary partition`);
    const row = await this.row('sif', (candidate) => candidate.location === file);
    return { endpoint: 'sif', ref: { engineId: 'apptainer', imageId: row.id, reference: null }, byHand: file, partitionOffset: partition.offset };
  }

  private async row(endpoint: Endpoint, matches: (row: ListedRow) => boolean): Promise<ListedRow> {
    const rows = (await this.workspace.host.call('images.list', { engineId: ENGINE_ID[endpoint] })) as ListedRow[];
    const row = rows.find(matches);
    if (!row) throw new Error(`${endpoint}'s source is not listed by Crossdock`);
    return row;
  }
}

interface ListedRow {
  id: string;
  repoTags: string[];
  location?: string | null;
}

/** busybox (the test fixture's import) plus one layer holding `sizeMb` MB of random bytes, built by `docker build`. */
export async function buildDockerSource(home: string, sizeMb: number, leftovers: Leftovers): Promise<HeldSource> {
  const base = await importIntoDocker(new Dockerode({ socketPath: '/var/run/docker.sock' }));
  leftovers.add(() => base.cleanup());
  const context = join(home, 'context');
  mkdirSync(context);
  const file = createWriteStream(join(context, 'random.bin'));
  for (let written = 0; written < sizeMb; written += 1) {
    if (!file.write(randomBytes(MB))) await once(file, 'drain');
  }
  file.end();
  await once(file, 'finish');
  writeFileSync(join(context, 'Dockerfile'), `FROM ${base.reference}\nCOPY random.bin /random.bin\n`);
  // Under crossdock-bench/: an interrupted run's leftover is removed by the next run's start.
  const reference = `crossdock-bench/transfer:${randomBytes(4).toString('hex')}`;
  leftovers.add(() => execa('docker', ['rmi', '--force', reference], { reject: false }));
  const built = await execa('docker', ['build', '--quiet', '--network', 'none', '-t', reference, context]);
  rmSync(context, { recursive: true, force: true });
  return { endpoint: 'docker', ref: { engineId: 'docker', imageId: built.stdout.trim(), reference }, byHand: reference, partitionOffset: null };
}

/** `docker create`, `docker export | tar -x -C folder`, `docker rm`: an image's root file system. */
export async function exportRootfs(reference: string, folder: string, leftovers: Leftovers): Promise<void> {
  mkdirSync(folder, { recursive: true });
  // --pull never: a missing image is "No such image", not an attempt to reach a registry.
  const container = (await execa('docker', ['create', '--pull', 'never', reference])).stdout.trim();
  const removeContainer = leftovers.add(() => execa('docker', ['rm', '--force', container], { reject: false }));
  try {
    // Not buffered: execa keeps a command's output up to 100 MB by default and kills it beyond.
    await execa('docker', ['export', container], { buffer: false }).pipe('tar', ['-x', '-C', folder]);
  } finally {
    await removeContainer();
  }
}

/** mksquashfs as Apptainer's build runs it (`-noappend -comp gzip`), then `siftool new` and `siftool add` of the partition. */
export async function makeSif(root: string, file: string, squashfs: string): Promise<void> {
  try {
    await execa('mksquashfs', [root, squashfs, '-noappend', '-comp', 'gzip', '-quiet', '-no-progress']);
    await execa('siftool', ['new', file]);
    await execa('siftool', ['add', file, squashfs, '--datatype', '4', '--parttype', '2', '--partfs', '1', '--partarch', process.arch === 'arm64' ? '4' : '2']);
  } finally {
    rmSync(squashfs, { force: true });
  }
}
