// The baseline a user would compare with: the engines' own CLIs listing their images.
import { execFileSync } from 'node:child_process';

export function timeCommand(command: string, args: string[]): number {
  const started = performance.now();
  execFileSync(command, args, { stdio: 'ignore' });
  return performance.now() - started;
}

export function cliListingMs(): number {
  return timeCommand('docker', ['images']) + timeCommand('podman', ['images']);
}
