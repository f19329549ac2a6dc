// `ch-run --version` prints the bare version ("0.31") to stderr, and nothing to stdout.

/** "0.31" from the output of `ch-run --version` (either stream); null when it is not a version. */
export function parseChRunVersion(output: string): string | null {
  const line = output.split('\n').map((candidate) => candidate.trim()).find((candidate) => candidate !== '');
  if (!line) return null;
  const token = line.split(/\s+/).pop()!.replace(/^v/, '');
  return /^\d+(\.\d+)*([-+.~][0-9A-Za-z.+~-]*)?$/.test(token) ? token.slice(0, 128) : null;
}
