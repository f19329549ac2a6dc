import { describe, expect, it } from 'vitest';
import { FEATURE_MATRIX, featureCell } from '../../../shared/features';
import { featureColumnOf, seenHere } from '../../../shared/feature-evidence';
import { matchImage, normalReference } from '../../../shared/image-match';
import { engineStatus, imageSummary } from '../renderer/fixtures';

describe('seen here', () => {
  it('proves nothing for an engine whose test container did not keep its exit code', () => {
    const broken = engineStatus({ family: 'charliecloud', probe: { attempted: true, ok: false, expectedExitCode: 37, exitCode: 1, durationMs: 5, message: 'no' }, attributes: { Daemonless: true } });
    expect(seenHere([broken])).toEqual([]);
  });

  it('maps connections to matrix columns by family, and ignores families the matrix lacks', () => {
    expect(featureColumnOf({ family: 'podman' })).toBe('podman');
    expect(featureColumnOf({ family: 'test' })).toBeNull();
    expect(seenHere([engineStatus({ family: 'test', attributes: { Daemonless: true } })])).toEqual([]);
  });

  it('says what the Docker daemon showed: a root daemon, so not daemonless', () => {
    const docker = engineStatus({ id: 'docker', label: 'Docker', family: 'docker', rootless: false, endpoint: '/var/run/docker.sock', attributes: { HasDockerAPI: true, HasDocker: true } });
    const cells = seenHere([docker]);
    expect(cells.map((cell) => [cell.row, cell.value])).toEqual([
      ['daemonless', 'no'],
      ['privileges.root-daemon', 'yes'],
      ['image.docker', 'yes'],
    ]);
    expect(cells[0]!.why).toContain('/var/run/docker.sock');
    // What was seen agrees with what is documented for these cells.
    for (const cell of cells) expect(featureCell(cell.row, cell.column)?.value).toBe(cell.value);
  });

  it("proves udocker's interception methods only by the modes that ran", () => {
    const udocker = engineStatus({ id: 'udocker', label: 'udocker', family: 'udocker', attributes: { Daemonless: true, ExecModes: 'P1,P2,F1', ImageFormats: 'docker,oci' } });
    const rows = seenHere([udocker]).map((cell) => cell.row);
    expect(rows).toContain('isolation.syscall-interception');
    expect(rows).toContain('isolation.library-interception');
    const onlyRunc = engineStatus({ family: 'udocker', attributes: { ExecModes: 'R1' } });
    expect(seenHere([onlyRunc]).map((cell) => cell.row)).toEqual([]);
  });

  it('marks rootless Podman and Charliecloud as user-namespace engines, and a directory image as seen', () => {
    const podman = engineStatus({ id: 'podman-rootless', family: 'podman', rootless: true, attributes: { HasDockerAPI: true, HasPodman: true } });
    const ch = engineStatus({ id: 'charliecloud', family: 'charliecloud', attributes: { Daemonless: true, UserNamespaces: true, ImageFormats: 'directory,squashfs' } });
    const cells = seenHere([podman, ch]);
    expect(cells.filter((cell) => cell.row === 'privileges.user-namespaces').map((cell) => cell.column)).toEqual(['podman', 'charliecloud']);
    expect(cells.some((cell) => cell.column === 'charliecloud' && cell.row === 'image.directory')).toBe(true);
    // Rootless Podman's API is not the Docker daemon: it is never called a root daemon.
    expect(cells.some((cell) => cell.column === 'podman' && cell.row === 'privileges.root-daemon')).toBe(false);
  });

  it('only names rows and columns the matrix has', () => {
    const everything = engineStatus({ family: 'apptainer', attributes: { HasSIF: true, Daemonless: true, UserNamespaces: true, ImageFormats: 'directory', ExecModes: 'P1,F1' } });
    const rows = new Set(FEATURE_MATRIX.rows.map((row) => row.id));
    for (const cell of seenHere([everything])) expect(rows.has(cell.row)).toBe(true);
  });
});

describe('the same image on another engine', () => {
  it('normalises the registry, library/ and a missing tag away', () => {
    expect(normalReference('docker.io/library/busybox')).toBe('busybox:latest');
    expect(normalReference('localhost/crossdock-test/busybox:abc')).toBe('crossdock-test/busybox:abc');
    expect(normalReference('registry.example:5000/x/y')).toBe('registry.example:5000/x/y:latest');
    expect(normalReference('busybox@sha256:' + 'a'.repeat(64))).toBe('busybox:latest');
    expect(normalReference('busybox:1.36@sha256:' + 'a'.repeat(64))).toBe('busybox:1.36');
  });

  it('prefers the same id, then the same name, and finds nothing otherwise', () => {
    const source = imageSummary({ repoTags: ['docker.io/library/busybox:1.36'] });
    const sameId = imageSummary({ id: source.id, repoTags: [] });
    const sameName = imageSummary({ repoTags: ['busybox:1.36'] });
    const other = imageSummary({ repoTags: ['alpine:3'] });
    expect(matchImage(source, [other, sameName, sameId])).toBe(sameId);
    expect(matchImage(source, [other, sameName])).toBe(sameName);
    expect(matchImage(source, [other])).toBeNull();
    expect(matchImage(imageSummary({ repoTags: [] }), [other])).toBeNull();
  });
});
