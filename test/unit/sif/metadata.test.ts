// The metadata Crossdock writes for Apptainer (metadata.ts) and reads back (read-config.ts): the
// environment script and the runscript, each run through a real /bin/sh and parsed back, with
// hostile values; the SIF header and descriptor bytes against the reader's layout.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DESCRIPTOR, DESCRIPTOR_SIZE, HEADER } from '../../../electron/engines/apptainer/sif/layout';
import { archCode, DATA_OFFSET, encodeDescriptors, encodeHeader, planObjects } from '../../../electron/sif/encode';
import { envScript, runscript } from '../../../electron/sif/metadata';
import { parseEnvScript, parseOciRunscript } from '../../../electron/sif/read-config';

const HOSTILE = ['plain', 'two words', `quote's`, 'double "q"', '$HOME', '`id`', 'back\\slash', '$(touch /tmp/crossdock-pwned)', 'new\nline', '-e', ''];
const dir = mkdtempSync(join(tmpdir(), 'crossdock-sif-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sh(script: string, args: string[], env: Record<string, string> = {}): string {
  const path = join(dir, `script-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, script, { mode: 0o755 });
  return execFileSync('/bin/sh', [path, ...args], { env: { PATH: '/usr/bin:/bin', ...env }, encoding: 'utf8' });
}

describe('the environment script (10-docker2singularity.sh)', () => {
  const env = ['PATH=/opt/bin:/usr/bin:/bin', ...HOSTILE.filter((value) => !value.includes('\n')).map((value, index) => `V${index}=${value}`), 'BARE'];

  it('gives every value back exactly when sourced, and keeps what the host set (except PATH)', () => {
    const { text, skipped } = envScript(env);
    expect(skipped).toEqual([]);
    const script = join(dir, 'env.sh');
    writeFileSync(script, text);
    const names = ['PATH', ...env.slice(1, -1).map((_, index) => `V${index}`)];
    const printer = `. ${JSON.stringify(script)}\nfor n in ${names.join(' ')}; do eval "printf '%s|' \\"\\$$n\\""; done\n`;
    const values = sh(printer, [], { V0: 'from the host', PATH: '/host/bin' });
    expect(values.split('|').slice(0, -1)).toEqual(['/opt/bin:/usr/bin:/bin', 'from the host', ...env.slice(2, -1).map((entry) => entry.slice(entry.indexOf('=') + 1))]);
    expect(() => sh('test ! -e /tmp/crossdock-pwned', [])).not.toThrow();
  });

  it('is parsed back into the same entries (a bare name becomes NAME=)', () => {
    expect(parseEnvScript(envScript(env).text)).toEqual([...env.slice(0, -1), 'BARE=']);
  });

  it('leaves out names Apptainer cannot export and values on several lines, naming them', () => {
    const { text, skipped } = envScript(['GOOD=1', '1BAD=x', 'has-dash=y', 'MULTI=a\nb']);
    expect(skipped).toEqual(['1BAD', 'has-dash', 'MULTI']);
    expect(parseEnvScript(text)).toEqual(['GOOD=1']);
  });

  it('reads Singularity 3\'s form without the outer quotes too', () => {
    expect(parseEnvScript('#!/bin/sh\nexport A=${A:-"x y"}\nexport PATH="/bin"\n')).toEqual(['A=x y', 'PATH=/bin']);
  });
});

describe('the runscript', () => {
  const run = (entrypoint: string[], cmd: string[], args: string[]) => sh(`${runscript(entrypoint, cmd).replace('exec "$@"', 'printf "%s|" "$@"')}`, args);

  it('runs ENTRYPOINT then CMD without arguments, ENTRYPOINT then the arguments with them, never re-evaluating them', () => {
    expect(run(['/bin/echo', '$HOME'], ['a b', "c'd"], [])).toBe("/bin/echo|$HOME|a b|c'd|");
    expect(run(['/bin/echo'], ['ignored'], ['`id`', '$(x)'])).toBe('/bin/echo|`id`|$(x)|');
    expect(run([], ['/bin/sh', '-c', 'x'], [])).toBe('/bin/sh|-c|x|');
    expect(run([], ['/bin/sh'], ['/bin/true', '-e'])).toBe('/bin/true|-e|');
  });

  it('says so and exits 1 when there is nothing to run', () => {
    expect(() => run([], [], [])).toThrow(/neither an entrypoint nor a command/);
  });

  it('is parsed back into the same ENTRYPOINT and CMD, hostile words included', () => {
    const words = HOSTILE.filter((value) => !value.includes('\n'));
    expect(parseOciRunscript(runscript(words, ['/bin/sh', "it's"]))).toEqual({ entrypoint: words, cmd: ['/bin/sh', "it's"] });
    expect(parseOciRunscript(runscript([], []))).toEqual({ entrypoint: null, cmd: null });
  });

  it('reads the OCI lines of a runscript Apptainer wrote, and nothing from one of a definition file', () => {
    const apptainer = `#!/bin/sh\nOCI_ENTRYPOINT='"/docker-entrypoint.sh"'\nOCI_CMD='"nginx" "-g" "daemon off;"'\nCMDLINE_ARGS=""\n`;
    expect(parseOciRunscript(apptainer)).toEqual({ entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] });
    expect(parseOciRunscript('#!/bin/sh\n\necho hello\n')).toBeNull();
  });
});

describe('the SIF header and descriptor table', () => {
  const objects = planObjects([
    { dataType: 0x4001, name: '', data: Buffer.from('x'), size: 1 },
    { dataType: 0x4006, name: 'oci-config.json', data: Buffer.from('{}'), size: 2 },
    { dataType: 0x4004, name: '', data: null, size: 8192, partition: { fsType: 1, partType: 2, arch: 'arm64' } },
  ]);

  it('lays objects out one after another from the end of the table, the partition aligned to 4096', () => {
    expect(objects.map((object) => [object.offset, object.sizeWithPadding])).toEqual([
      [DATA_OFFSET, 1],
      [DATA_OFFSET + 1, 2],
      [Math.ceil((DATA_OFFSET + 3) / 4096) * 4096, Math.ceil((DATA_OFFSET + 3) / 4096) * 4096 - (DATA_OFFSET + 3) + 8192],
    ]);
  });

  it('writes the fields where the reader looks for them', () => {
    const uuid = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    const header = encodeHeader({ uuid, time: 1_700_000_000, arch: 'arm64', objects });
    expect(header.subarray(HEADER.magic, HEADER.magic + 10).toString('latin1')).toBe('SIF_MAGIC\0');
    expect(header.subarray(HEADER.arch, HEADER.arch + 3).toString('latin1')).toBe('04\0');
    expect(header.readBigInt64LE(HEADER.descriptorsFree)).toBe(45n);
    expect(header.readBigInt64LE(HEADER.dataSize)).toBe(BigInt(objects[2]!.offset + 8192 - DATA_OFFSET));
    const table = encodeDescriptors(objects, 1_700_000_000);
    const third = table.subarray(2 * DESCRIPTOR_SIZE, 3 * DESCRIPTOR_SIZE);
    expect(third.readUInt32LE(DESCRIPTOR.id)).toBe(3);
    expect(third.readUInt32LE(DESCRIPTOR.groupId)).toBe(0xf0000001);
    expect(third.readInt32LE(DESCRIPTOR.extra + 4)).toBe(2);
    expect(table.subarray(DESCRIPTOR_SIZE).subarray(DESCRIPTOR.name, DESCRIPTOR.name + 15).toString()).toBe('oci-config.json');
    expect(table[3 * DESCRIPTOR_SIZE + DESCRIPTOR.used]).toBe(0);
  });

  it('knows the architecture codes of sif.go, and none for others', () => {
    expect(['386', 'amd64', 'arm64', 'ppc64le', 's390x', 'riscv64', 'loong64'].map(archCode)).toEqual(['01', '02', '04', '06', '11', '12', '13']);
    expect(archCode('sparc')).toBeNull();
    expect(archCode('unknown')).toBeNull();
  });
});
