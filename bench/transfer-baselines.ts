// The by-hand side of each transfer figure: the command sequence an expert would type for the
// same copy with the engines' own tools, timed the way Crossdock's copy is (start to a usable copy,
// its temporary files removed). What it leaves in an engine is registered before it is made and
// removed after the run, untimed, as Crossdock's copies are. Where no engine tool does the whole
// copy, the note says which route was taken and why.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Leftovers } from './transfer-leftovers';
import { exportRootfs, makeSif, ROOT_FLAG, type HeldSource } from './transfer-sources';
import type { PairKey } from './transfer-pairs';

export interface ByHand {
  source: HeldSource;
  /** A fresh folder for the run, removed after it. */
  scratch: string;
  /** The name the copy gets where the commands let one choose it (crossdock-bench/…). */
  name: string;
  /** Private stores (UDOCKER_DIR, CH_IMAGE_STORAGE). */
  env: NodeJS.ProcessEnv;
  /**
   * udocker's environment as Crossdock gives it (the system's proot/runc, tools marked present),
   * made before the clock starts: a fresh repository in `scratch` when udocker is the target, the
   * source's own repository when it is the source.
   */
  udockerEnv: NodeJS.ProcessEnv;
  /** What the commands make outside `scratch` (an image in an engine), registered first, removed after the run. */
  leftovers: Leftovers;
}

export interface Baseline {
  label: string;
  /** Which route, where the commands are a choice among several (or stand in for a missing tool). */
  note: string | null;
  run(call: ByHand): Promise<void>;
}

/** Not buffered: execa keeps a command's output up to 100 MB by default and kills it beyond. */
const STREAMED = { buffer: false } as const;

/** `ENGINE save REF | OTHER load`: the daemon engines' own stream. */
function saveIntoLoad(from: 'docker' | 'podman', to: 'docker' | 'podman'): Baseline {
  return {
    label: `\`${from} save | ${to} load\``,
    note: null,
    async run({ source, leftovers }) {
      // The copy gets the source's name in the target: that tag is what goes after.
      leftovers.add(() => execa(to, ['rmi', source.byHand], { reject: false }));
      await execa(from, ['save', source.byHand], STREAMED).pipe(to, ['load', '--quiet']);
    },
  };
}

/** `ENGINE save -o f.tar` + `udocker load -i f.tar` + `rm f.tar`, udocker with the environment Crossdock gives it. */
function saveThenUdockerLoad(from: 'docker' | 'podman'): Baseline {
  return {
    label: `\`${from} save -o f.tar\` + \`udocker load -i f.tar\` + \`rm f.tar\``,
    note: "udocker in a fresh repository with the system's proot/runc (udockerEnvironment), as Crossdock runs it",
    async run({ source, scratch, udockerEnv }) {
      const archive = join(scratch, 'f.tar');
      await execa(from, ['save', '-o', archive, source.byHand]);
      await execa('udocker', [...ROOT_FLAG, 'load', '-i', archive], { env: udockerEnv, extendEnv: false });
      rmSync(archive, { force: true });
    },
  };
}

/** `ch-convert -i docker|podman -o dir REF DIR`: Charliecloud's documented converter. */
function chConvertToDir(from: 'docker' | 'podman'): Baseline {
  return {
    label: `\`ch-convert -i ${from} -o dir\``,
    note: null,
    async run({ source, scratch, env }) {
      await execa('ch-convert', ['-i', from, '-o', 'dir', source.byHand, join(scratch, 'image')], { env, extendEnv: false });
    },
  };
}

/** The SIF's partition unsquashed into `dir` (the offset `siftool list` shows). */
async function unsquashSif(source: HeldSource, dir: string): Promise<void> {
  await execa('unsquashfs', ['-o', String(source.partitionOffset ?? 0), '-d', dir, '-no-progress', source.byHand]);
}

const BASELINES: Record<PairKey, Baseline> = {
  'docker>podman': saveIntoLoad('docker', 'podman'),
  'podman>docker': saveIntoLoad('podman', 'docker'),
  'docker>udocker': saveThenUdockerLoad('docker'),
  'podman>udocker': saveThenUdockerLoad('podman'),
  'docker>charliecloud': chConvertToDir('docker'),
  'podman>charliecloud': chConvertToDir('podman'),
  'docker>sif': {
    label: '`docker create` + `docker export | tar -x` + `mksquashfs -comp gzip` + `siftool new` + `siftool add`',
    note: "no Apptainer here and mksquashfs 4.5 has no -tar: the root exported and squashed as Apptainer's build does, the partition put in a SIF by sylabs' siftool, temporaries removed",
    async run({ source, scratch, leftovers }) {
      const root = join(scratch, 'root');
      await exportRootfs(source.byHand, root, leftovers);
      await makeSif(root, join(scratch, 'image.sif'), join(scratch, 'image.sqfs'));
      rmSync(root, { recursive: true, force: true });
    },
  },
  'sif>docker': {
    label: '`unsquashfs -o OFFSET -d dir` + `tar -C dir -c . | docker import -` + `rm -r dir`',
    note: 'no Apptainer here: the partition at the offset `siftool list` shows',
    async run({ source, scratch, name, leftovers }) {
      const root = join(scratch, 'root');
      leftovers.add(() => execa('docker', ['rmi', name], { reject: false }));
      await unsquashSif(source, root);
      await execa('tar', ['-C', root, '-c', '.'], STREAMED).pipe('docker', ['import', '-', name]);
      rmSync(root, { recursive: true, force: true });
    },
  },
  'sif>charliecloud': {
    label: '`unsquashfs -o OFFSET -d dir`',
    note: 'a directory image is the unsquashed partition',
    async run({ source, scratch }) {
      await unsquashSif(source, join(scratch, 'image'));
    },
  },
  'sif>udocker': {
    label: '`unsquashfs -o OFFSET -d dir` + `tar -C dir -c . | udocker import -` + `rm -r dir`',
    note: "udocker in a fresh repository with the system's proot/runc, as Crossdock runs it",
    async run({ source, scratch, name, udockerEnv }) {
      const root = join(scratch, 'root');
      await unsquashSif(source, root);
      await execa('tar', ['-C', root, '-c', '.'], STREAMED).pipe('udocker', [...ROOT_FLAG, 'import', '-', name], { env: udockerEnv, extendEnv: false });
      rmSync(root, { recursive: true, force: true });
    },
  },
  'charliecloud>docker': {
    label: '`ch-convert -i dir -o docker`',
    note: null,
    async run({ source, name, env, leftovers }) {
      leftovers.add(() => execa('docker', ['rmi', name], { reject: false }));
      await execa('ch-convert', ['-i', 'dir', '-o', 'docker', source.byHand, name], { env, extendEnv: false });
    },
  },
  'udocker>docker': {
    label: '`udocker save -o f.tar` + `docker load -i f.tar` + `rm f.tar`',
    note: "udocker's own image export (`save`, a docker-save archive)",
    async run({ source, scratch, udockerEnv, leftovers }) {
      const archive = join(scratch, 'f.tar');
      leftovers.add(() => execa('docker', ['rmi', source.byHand], { reject: false }));
      await execa('udocker', [...ROOT_FLAG, 'save', '-o', archive, source.byHand], { env: udockerEnv, extendEnv: false });
      await execa('docker', ['load', '--quiet', '-i', archive]);
      rmSync(archive, { force: true });
    },
  },
};

export function baselineOf(pair: PairKey): Baseline {
  return BASELINES[pair];
}
