// The listing reads folders only: ch-image's storage and the user's image folders. What cannot be
// read is skipped and logged, never a failure of the whole list. As root nothing is refused, so
// besides a real chmod 000 the EACCES and "vanished" paths are injected through FsOps.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImageDetailSchema, ImageSummarySchema } from '../../../../shared/model';
import { CharliecloudEngine } from '../../../../electron/engines/charliecloud/engine';
import { nodeFs, type FsOps } from '../../../../electron/engines/charliecloud/fs-ops';
import { listImages } from '../../../../electron/engines/charliecloud/images';
import { imageIdOf } from '../../../../electron/engines/file-image';
import { looksLikeRootFs } from '../../../../electron/engines/charliecloud/rootfs';
import { directorySize } from '../../../../electron/engines/charliecloud/size';
import { parseEnvironmentFile, parseMetadata } from '../../../../electron/engines/charliecloud/detail';
import { probeExecutable } from '../../../../electron/engines/docker-api/probe-image';
import { apiErrorOf } from '../../../helpers/waiting';
import { recordedText } from '../recorded';

let base: string;
let logs: string[];
const log = (message: string) => logs.push(message);

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'crossdock-ch-list-'));
  logs = [];
});
afterEach(() => {
  chmodRecursiveOpen(base);
  rmSync(base, { recursive: true, force: true });
});

function chmodRecursiveOpen(path: string): void {
  try {
    chmodSync(path, 0o755);
  } catch {
    // Gone already.
  }
}

/** A small root file system: etc/ and bin/ (or usr/), a 1000-byte program, a link, a hard link. */
function rootFs(path: string, options: { usrOnly?: boolean } = {}): string {
  mkdirSync(join(path, 'etc'), { recursive: true });
  writeFileSync(join(path, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n'); // 30 bytes
  const bin = options.usrOnly ? join(path, 'usr', 'bin') : join(path, 'bin');
  mkdirSync(bin, { recursive: true });
  const program = Buffer.concat([probeExecutable('x64'), Buffer.alloc(1000 - 132)]);
  writeFileSync(join(bin, 'busybox'), program);
  symlinkSync('busybox', join(bin, 'sh'));
  return path;
}

describe('root file system recognition', () => {
  it('takes etc/ with bin/ or usr/, and bin/ as a link (merged /usr)', async () => {
    expect(await looksLikeRootFs(rootFs(join(base, 'a')), nodeFs)).toBe(true);
    expect(await looksLikeRootFs(rootFs(join(base, 'b'), { usrOnly: true }), nodeFs)).toBe(true);
    const merged = rootFs(join(base, 'c'), { usrOnly: true });
    symlinkSync('usr/bin', join(merged, 'bin'));
    expect(await looksLikeRootFs(merged, nodeFs)).toBe(true);
  });

  it('refuses folders that only look half like one, files, and missing paths', async () => {
    mkdirSync(join(base, 'etc-only', 'etc'), { recursive: true });
    mkdirSync(join(base, 'bin-only', 'bin'), { recursive: true });
    mkdirSync(join(base, 'etc-file', 'bin'), { recursive: true });
    writeFileSync(join(base, 'etc-file', 'etc'), 'not a folder');
    writeFileSync(join(base, 'a-file'), 'x');
    for (const name of ['etc-only', 'bin-only', 'etc-file', 'a-file', 'missing']) {
      expect(await looksLikeRootFs(join(base, name), nodeFs), name).toBe(false);
    }
  });
});

describe('directory size', () => {
  it('sums regular files once, without following links', async () => {
    const root = rootFs(join(base, 'img'));
    symlinkSync('/usr', join(root, 'host-usr')); // would be huge if followed
    writeFileSync(join(root, 'etc', 'hard-source'), Buffer.alloc(500));
    const { linkSync } = await import('node:fs');
    linkSync(join(root, 'etc', 'hard-source'), join(root, 'etc', 'hard-link'));
    const size = await directorySize(root, nodeFs);
    expect(size).toEqual({ bytes: 1000 + 30 + 500, truncated: false, skipped: [] });
  });

  it('stops at its entry limit and says the size is a lower bound', async () => {
    const root = rootFs(join(base, 'img'));
    const size = await directorySize(root, nodeFs, { entryLimit: 2 });
    expect(size.truncated).toBe(true);
  });
});

describe('listing', () => {
  function storage(): string {
    const images = join(base, 'storage', 'img');
    rootFs(join(images, 'crossdock-test%busybox+abc'));
    rootFs(join(images, 'localhost+5000%tools+2'));
    writeFileSync(join(base, 'storage', 'img', 'stray-file'), 'not an image');
    return images;
  }

  it('lists the storage with decoded names and the folder images, each with its location and a path-derived id', async () => {
    const imagesDir = storage();
    const folder = join(base, 'mine');
    rootFs(join(folder, 'alpha'));
    rootFs(join(folder, 'beta'), { usrOnly: true });
    mkdirSync(join(folder, 'not-an-image', 'data'), { recursive: true });
    writeFileSync(join(folder, 'notes.txt'), 'x');
    utimesSync(join(folder, 'alpha'), new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:05Z'));

    const listed = await listImages('charliecloud', { imagesDir, folders: [folder] }, nodeFs, log);
    const rows = listed.map((image) => image.summary);
    for (const row of rows) ImageSummarySchema.parse(row);
    // Folder images are known by their folder's name and have no tag.
    expect(rows.map((row) => `${row.repository}:${row.tag}`).sort()).toEqual([
      'alpha:null',
      'beta:null',
      'crossdock-test/busybox:abc',
      'localhost:5000/tools:2',
    ]);
    const alpha = rows.find((row) => row.location === join(folder, 'alpha'))!;
    expect(alpha).toMatchObject({ format: 'directory', sizeBytes: 1030, dangling: false, repoTags: [], createdAt: '2026-01-02T03:04:05.000Z' });
    expect(alpha.id).toBe(imageIdOf(join(folder, 'alpha')));
    expect(alpha.id).toMatch(/^[a-f0-9]{64}$/);
    const busybox = rows.find((row) => row.tag === 'abc')!;
    expect(busybox.repoTags).toEqual(['crossdock-test/busybox:abc']);
    expect(busybox.location).toBe(join(imagesDir, 'crossdock-test%busybox+abc'));
    expect(logs).toEqual([]);
  });

  it('takes an added folder that is itself a root file system as one image', async () => {
    const image = rootFs(join(base, 'single'));
    const listed = await listImages('charliecloud', { imagesDir: join(base, 'none', 'img'), folders: [image] }, nodeFs, log);
    expect(listed.map((entry) => entry.location)).toEqual([image]);
  });

  it('lists nothing, silently, when there is no storage yet', async () => {
    expect(await listImages('charliecloud', { imagesDir: join(base, 'none', 'img'), folders: [] }, nodeFs, log)).toEqual([]);
    expect(logs).toEqual([]);
  });

  it('survives a subfolder with mode 000 (still readable as root; skipped and logged otherwise)', async () => {
    const folder = join(base, 'mine');
    rootFs(join(folder, 'ok'));
    const locked = rootFs(join(folder, 'locked'));
    chmodSync(locked, 0o000);
    const listed = await listImages('charliecloud', { imagesDir: join(base, 'none', 'img'), folders: [folder] }, nodeFs, log);
    chmodSync(locked, 0o755);
    const locations = listed.map((entry) => entry.location);
    expect(locations).toContain(join(folder, 'ok'));
    if (process.getuid?.() === 0) {
      expect(locations).toContain(locked);
    } else {
      expect(locations).not.toContain(locked);
      expect(logs.join('\n')).toContain(`skipped ${locked}: EACCES`);
    }
  });

  it('logs a subfolder it cannot look into (EACCES on its etc/) and lists the rest', async () => {
    const folder = join(base, 'mine');
    rootFs(join(folder, 'ok'));
    const locked = rootFs(join(folder, 'locked'));
    const failing: FsOps = {
      ...nodeFs,
      lstat: async (path) => {
        if (path.startsWith(`${locked}/`)) throw Object.assign(new Error(`EACCES: permission denied, lstat '${path}'`), { code: 'EACCES' });
        return nodeFs.lstat(path);
      },
    };
    const listed = await listImages('charliecloud', { imagesDir: join(base, 'none', 'img'), folders: [folder] }, failing, log);
    expect(listed.map((entry) => entry.location)).toEqual([join(folder, 'ok')]);
    expect(logs).toEqual([`charliecloud: skipped ${locked}: EACCES: permission denied, lstat '${join(locked, 'etc')}'`]);
  });

  it('skips and logs a folder whose readdir fails with EACCES, and lists the rest', async () => {
    const imagesDir = storage();
    const denied = join(base, 'denied');
    const mine = join(base, 'mine');
    rootFs(join(mine, 'ok'));
    mkdirSync(denied);
    const failing: FsOps = {
      ...nodeFs,
      readdir: async (path) => {
        if (path === denied) throw Object.assign(new Error(`EACCES: permission denied, scandir '${path}'`), { code: 'EACCES' });
        return nodeFs.readdir(path);
      },
    };
    const listed = await listImages('charliecloud', { imagesDir, folders: [denied, mine] }, failing, log);
    expect(listed).toHaveLength(3);
    expect(logs).toEqual([`charliecloud: skipped the image folder ${denied}: EACCES: permission denied, scandir '${denied}'`]);
  });

  it('counts what it can of an image whose inner folder is refused, and says so', async () => {
    const mine = join(base, 'mine');
    const image = rootFs(join(mine, 'partly'));
    const failing: FsOps = {
      ...nodeFs,
      readdir: async (path) => {
        if (path === join(image, 'bin')) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        return nodeFs.readdir(path);
      },
    };
    const [listed] = await listImages('charliecloud', { imagesDir: join(base, 'none', 'img'), folders: [mine] }, failing, log);
    expect(listed!.summary.sizeBytes).toBe(30);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(`${join(image, 'bin')}: EACCES`);
  });

  it('skips an image that vanishes between being found and being measured', async () => {
    const mine = join(base, 'mine');
    const doomed = rootFs(join(mine, 'doomed'));
    rootFs(join(mine, 'stays'));
    const vanishing: FsOps = {
      ...nodeFs,
      stat: async (path) => {
        if (path === doomed) {
          rmSync(doomed, { recursive: true, force: true });
        }
        return nodeFs.stat(path);
      },
    };
    const listed = await listImages('charliecloud', { imagesDir: join(base, 'none', 'img'), folders: [mine] }, vanishing, log);
    expect(listed.map((entry) => entry.location)).toEqual([join(mine, 'stays')]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(`skipped the image ${doomed}: ENOENT`);
  });

  it('logs an added "folder" that is a file, and lists the rest', async () => {
    const file = join(base, 'a-file');
    writeFileSync(file, 'x');
    const mine = join(base, 'mine');
    rootFs(join(mine, 'ok'));
    const listed = await listImages('charliecloud', { imagesDir: join(base, 'none', 'img'), folders: [file, mine] }, nodeFs, log);
    expect(listed).toHaveLength(1);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(`skipped the image folder ${file}: ENOTDIR`);
  });
});

describe('ch-image metadata', () => {
  it('reads env, cwd and history from what ch-image build wrote', () => {
    const metadata = parseMetadata(recordedText('charliecloud-metadata-build.json'));
    expect(metadata.arch).toBe('amd64');
    expect(metadata.env).toEqual(['CROSSDOCK_TEST=1']);
    expect(metadata.cwd).toBe('/tmp');
    expect(metadata.shell).toEqual(['/bin/sh', '-c']);
    expect(metadata.history.map((entry) => entry.createdBy)).toEqual(["ENV CROSSDOCK_TEST='1'", 'WORKDIR /tmp', 'RUN echo hi > /tmp/x']);
    expect(metadata.history[0]!.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(parseEnvironmentFile(recordedText('charliecloud-environment-build'))).toEqual(['CROSSDOCK_TEST=1']);
  });

  it('tolerates what ch-image import wrote, and nonsense', () => {
    expect(parseMetadata(recordedText('charliecloud-metadata-import.json'))).toMatchObject({ env: [], cwd: '/', history: [] });
    expect(parseMetadata('{not json')).toEqual({ arch: null, env: null, cwd: null, labels: {}, history: [], shell: null });
    expect(parseMetadata('[1,2]').env).toBeNull();
  });
});

describe('the engine without ch-run', () => {
  function engine(folders: string[]) {
    return new CharliecloudEngine({
      env: { PATH: join(base, 'empty-path'), USER: 'tester', CH_IMAGE_STORAGE: join(base, 'storage') },
      runtimeDir: join(base, 'runtime'),
      log,
      imageFolders: async () => folders,
    });
  }

  it('is not-installed with a clear message, probe not attempted', async () => {
    const detection = await engine([]).detect(AbortSignal.timeout(5000), { probe: true });
    expect(detection.state).toBe('not-installed');
    expect(detection.message).toContain('ch-run is not on PATH');
    expect(detection.probe.attempted).toBe(false);
  });

  it('still lists and inspects folder images; refuses to delete them; prunes nothing', async () => {
    const mine = join(base, 'mine');
    const image = rootFs(join(mine, 'alpha'));
    mkdirSync(join(image, 'ch'));
    writeFileSync(join(image, 'ch', 'environment'), 'A=1\nB=two=2\n');
    const subject = engine([mine]);
    const [row] = await subject.listImages(AbortSignal.timeout(5000));
    const detail = ImageDetailSchema.parse(await subject.inspectImage(row!.id.slice(0, 12), AbortSignal.timeout(5000)));
    expect(detail).toMatchObject({ architecture: 'amd64', os: 'linux', env: ['A=1', 'B=two=2'], layers: [], history: [] });
    expect(detail.summary.location).toBe(image);

    const unknown = await apiErrorOf(subject.inspectImage('abcdef', AbortSignal.timeout(5000)));
    expect(unknown.kind).toBe('not-found');

    const refused = await apiErrorOf(subject.removeImage({ imageId: row!.id, reference: null, force: true }));
    expect(refused.kind).toBe('invalid-request');
    expect(refused.message).toBe(`Crossdock does not delete folders it did not make: remove ${image} yourself.`);

    expect(await subject.pruneImages()).toEqual({ engineId: 'charliecloud', deleted: [], layersDeleted: 0, reclaimedBytes: 0 });
  });
});
