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

/** `docker images` + `podman images`, or whichever of them the figure's images are in. */
export function imagesCliMs(engines: readonly string[]): number {
  return engines.reduce((sum, engine) => sum + timeCommand(engine, ['images']), 0);
}

export function imagesCliLabel(engines: readonly string[]): string {
  return engines.map((engine) => `\`${engine} images\``).join(' + ');
}
