// What the tests of transfers stopped halfway share: a busybox image with a 100 MB random layer (so
// that a copy lasts long enough to be killed in the middle), a `crossdock serve` host on a test
// workspace that can be SIGKILLed, and the ways to see what a killed transfer left behind (its
// temporary files, processes still naming the workspace).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type Dockerode from 'dockerode';
import type { TransferRecord } from '../../shared/transfer';
import { importIntoDocker, type TestImage } from '../fixtures/busybox-image';
import { readUntil, servedUrl, URL_PREFIX } from './cli';
import type { Workspace } from './transfer-sources';

/** Polls an async check until it holds; fails after `timeoutMs`, naming `what`. */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface BigImage {
  reference: string;
  cleanup(): Promise<void>;
}

/** busybox plus a 100 MB layer of random data, built by `docker build` from a local context (no registry). */
export async function buildBigImage(client: Dockerode, scratch: string): Promise<BigImage> {
  const busybox: TestImage = await importIntoDocker(client, { distinct: true });
  const context = join(scratch, 'context');
  const reference = `crossdock-test/big:${Date.now().toString(36)}`;
  try {
    await execa('mkdir', ['-p', context]);
    await execa('head', ['-c', String(100 * 1024 * 1024), '/dev/urandom'], { stdout: { file: join(context, 'random.bin') } });
    await writeFile(join(context, 'Dockerfile'), `FROM ${busybox.reference}\nCOPY random.bin /random.bin\n`);
    await execa('docker', ['build', '-q', '-t', reference, context], { env: { ...process.env, DOCKER_BUILDKIT: '0' } });
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  return {
    reference,
    cleanup: async () => {
      await execa('docker', ['rmi', '--force', reference], { reject: false });
      await busybox.cleanup();
    },
  };
}

export interface ServedHost {
  child: ChildProcessWithoutNullStreams;
  api: <T>(name: string, body: unknown) => Promise<T>;
}

/** `crossdock serve` (the built `cli`) on the workspace's folders, and a caller of its API. */
export async function serveWorkspace(cli: string, workspace: Workspace): Promise<ServedHost> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0'], { env: { ...workspace.env, DISPLAY: '', WAYLAND_DISPLAY: '' }, stdio: 'pipe' });
  const url = servedUrl(await readUntil(child, URL_PREFIX, 60_000));
  const token = url.searchParams.get('token')!;
  const api = async <T,>(name: string, body: unknown): Promise<T> => {
    const response = await fetch(new URL(`/api/call/${name}`, url.origin), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const envelope = (await response.json()) as { ok: boolean; result?: T; error?: { message: string } };
    if (!envelope.ok) throw new Error(envelope.error?.message);
    return envelope.result as T;
  };
  return { child, api };
}

/** Waits, through the host's API, until its one target runs in a phase matching `phase` with bytes copied. */
export async function waitForPhase(host: ServedHost, transferId: string, phase: RegExp, what: string): Promise<TransferRecord> {
  let seen: TransferRecord | null = null;
  await waitUntil(
    async () => {
      seen = await host.api<TransferRecord>('transfers.get', { transferId });
      const target = seen.targets[0]!;
      if (target.state !== 'running' && target.state !== 'pending') throw new Error(`the transfer ended before it could be killed: ${JSON.stringify(target)}`);
      return target.progress.bytesDone > 0 && phase.test(target.progress.phase ?? '');
    },
    120_000,
    what,
  );
  return seen!;
}

/** Running processes whose command line names `text` (read from /proc; nothing is signalled). */
export async function processesNaming(text: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const state = /\) (\S) /.exec(await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => ''))?.[1];
    // The Podman service a host starts outlives it by design (its socket is in the runtime folder);
    // a zombie has ended (nobody reaped it yet).
    if (command.includes(text) && !command.includes('system\0service') && state !== 'Z') found.push(Number(entry));
  }
  return found;
}

/** What a half-made copy could leave: temp folders in the runtime folder, Charliecloud's storage, the SIF folder. */
export async function temporaries(workspace: Workspace): Promise<string[]> {
  const list = async (dir: string, keep: (name: string) => boolean) => (await readdir(dir).catch(() => [] as string[])).filter(keep).map((name) => join(dir, name));
  return [
    ...(await list(join(workspace.base, 'runtime', 'transfers'), () => true)),
    ...(await list(workspace.chStorage, (name) => name.startsWith('.'))),
    ...(await list(workspace.sifDir, (name) => name.startsWith('.'))),
  ];
}

/** Ends, by its id, the Podman service a killed host left (it names the workspace's folder). */
export async function stopLeftPodmanService(workspace: Workspace): Promise<void> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const command = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (command.includes('system\0service') && command.includes(workspace.base)) process.kill(Number(entry), 'SIGTERM');
  }
}
