// Which of the given host paths are not on this machine (a bind source an export would send along).
import { access } from 'node:fs/promises';

export async function missingPaths(paths: readonly string[]): Promise<string[]> {
  const found = await Promise.all(paths.map((path) => access(path).then(() => true, () => false)));
  return paths.filter((_path, index) => !found[index]);
}
