// Reads the engines' own answers recorded from this machine's Docker 20.10 and Podman 4.3
// (test/fixtures/recorded), so mappers are tested against what the engines really send.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const folder = join(import.meta.dirname, '..', '..', 'fixtures', 'recorded');

export function recorded<T>(name: string): T {
  return JSON.parse(readFileSync(join(folder, name), 'utf8')) as T;
}

export function recordedText(name: string): string {
  return readFileSync(join(folder, name), 'utf8');
}
