// Reads `udocker version`: "version: 1.3.17", "tarball: URL ..." (empty when UDOCKER_TARBALL is
// empty) and "tarball_release: 1.2.11", the udockertools release this udocker requires.
export interface UdockerVersion {
  version: string;
  tarballRelease: string | null;
}

const RELEASE = /^\d+(\.\d+){1,3}([.-][0-9A-Za-z]+)?$/;

/** null when the output is not udocker's (garbage, a different program). */
export function parseUdockerVersion(output: string): UdockerVersion | null {
  let version: string | null = null;
  let tarballRelease: string | null = null;
  for (const raw of output.split('\n')) {
    const match = /^\s*([a-z_]+):\s*(.*?)\s*$/.exec(raw);
    if (!match) continue;
    const [, key, value] = match;
    if (key === 'version' && value && RELEASE.test(value)) version = value;
    if (key === 'tarball_release' && value && RELEASE.test(value)) tarballRelease = value;
  }
  return version ? { version, tarballRelease } : null;
}
