// The busybox test image in every engine that can take one here, for the job benchmarks: Docker and
// Podman through the test fixtures' imports, udocker through `udocker import` into a private
// repository, Charliecloud as a directory image in an image folder. Each comes with its cleanup.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { execa } from 'execa';
import { busyboxRootTar, importIntoDocker, importIntoPodman, randomTestReference } from '../test/fixtures/busybox-image';

export interface PreparedImages {
  /** Environment for the host: the private udocker repository. */
  env: NodeJS.ProcessEnv;
  imageFolders: string[];
  /** engine id → the reference to find the image by in that engine's list (null: by folder). */
  references: Map<string, string | null>;
  cleanup(): Promise<void>;
}

export async function prepareImages(home: string): Promise<PreparedImages> {
  const cleanups: Array<() => Promise<void>> = [];
  const references = new Map<string, string | null>();
  const env: NodeJS.ProcessEnv = { ...process.env, UDOCKER_DIR: join(home, 'udocker') };

  const docker = await importIntoDocker(new Dockerode({ socketPath: '/var/run/docker.sock' })).catch(() => null);
  if (docker) {
    references.set('docker', docker.reference);
    cleanups.push(docker.cleanup);
  }
  const podman = await importIntoPodman(process.env).catch(() => null);
  if (podman) {
    references.set('podman', podman.reference);
    cleanups.push(podman.cleanup);
  }
  const tar = join(home, 'busybox.tar');
  writeFileSync(tar, busyboxRootTar());
  const udockerRef = randomTestReference().reference;
  const imported = await execa('udocker', ['--allow-root', 'import', tar, udockerRef], { env, reject: false });
  if (imported.exitCode === 0) references.set('udocker', udockerRef);

  const folder = join(home, 'images');
  mkdirSync(join(folder, 'busybox'), { recursive: true });
  await execa('tar', ['-x', '-C', join(folder, 'busybox')], { input: busyboxRootTar() });
  references.set('charliecloud', null);

  return {
    env,
    imageFolders: [folder],
    references,
    async cleanup() {
      for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    },
  };
}
