// `crossdock serve`: the shared host behind the browser transport, until SIGINT/SIGTERM.
import { fileURLToPath } from 'node:url';
import { isIP } from 'node:net';
import { createAppHost } from '../host/app-host';
import { startWebHost } from '../transports/web';
import type { ServeOptions } from './args';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function runServe(options: ServeOptions, rendererDir: URL): Promise<never> {
  if (!LOOPBACK.has(options.bind)) {
    process.stderr.write(
      `Warning: --bind ${options.bind} makes Crossdock reachable from other machines; only its token protects it. ` +
        'Prefer the default (127.0.0.1) with an ssh tunnel.\n',
    );
  }
  if (options.bind !== 'localhost' && isIP(options.bind) === 0) {
    throw new Error(`--bind needs an IP address, not "${options.bind}".`);
  }
  const host = createAppHost();
  // A long-running host must not die of one stray rejection in a background task (Node's default
  // exits with 1); it is a bug all the same, so it is logged with its stack.
  process.on('unhandledRejection', (reason) => {
    host.log(`unhandled rejection (a bug in Crossdock): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  });
  const web = await startWebHost({
    host,
    staticDir: fileURLToPath(rendererDir),
    bind: options.bind === 'localhost' ? '127.0.0.1' : options.bind,
    port: options.port,
    allowedHosts: options.allowedHosts,
  });
  process.stdout.write(`Crossdock is running at ${web.url}\n`);
  process.stdout.write(
    `From another machine, tunnel it first: ssh -L ${web.port}:127.0.0.1:${web.port} login-node (then open the same address there).\n`,
  );

  return new Promise<never>(() => {
    let stopping = false;
    const stop = () => {
      // A second Ctrl-C means "now".
      if (stopping) process.exit(1);
      stopping = true;
      void Promise.allSettled([web.close(), host.dispose()]).then(() => process.exit(0));
      // A stuck engine call must not keep a Ctrl-C'd process alive.
      setTimeout(() => process.exit(0), 5_000).unref();
    };
    // `on`, not `once`: execa's signal-exit re-raises a signal that has no other listener left,
    // which would kill us before the engines (and the podman service we started) are stopped.
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
