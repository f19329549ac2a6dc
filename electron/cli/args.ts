// `crossdock [start|serve|detect] [flags]`, parsed with node:util. A mistyped flag is an error
// (exit 2), never silently ignored.
import { parseArgs } from 'node:util';

export type Command = 'start' | 'serve' | 'detect' | 'help';

export interface ServeOptions {
  port: number;
  bind: string;
  allowedHosts: string[];
}

export type CliArgs =
  | { command: 'start' | 'serve'; serve: ServeOptions }
  | { command: 'detect'; json: boolean }
  | { command: 'help' };

export class UsageError extends Error {}

export const USAGE = `Usage: crossdock [command] [flags]

Commands:
  start    open the Crossdock window (the default); without Electron or a display, serve it
           to a browser instead
  serve    serve the window to a browser on this machine (or through an ssh tunnel)
  detect   list the container engines found on this machine

Flags for start and serve:
  --port N            port to listen on (default: a free one)
  --bind ADDR         address to listen on (default 127.0.0.1; anything else exposes Crossdock
                      to the network, protected only by its token)
  --allow-host NAME   also accept this Host header (repeatable), e.g. a tunnel's hostname
Flags for detect:
  --json              print JSON instead of a table
`;

const FLAGS_BY_COMMAND: Record<Exclude<Command, 'help'>, string[]> = {
  start: ['port', 'bind', 'allow-host'],
  serve: ['port', 'bind', 'allow-host'],
  detect: ['json'],
};

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string' },
        bind: { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // Node appends advice about "--" to unknown options; the first sentence is the useful part.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.replace(/^(Unknown option '[^']*')\..*$/s, '$1.'));
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (positionals.length > 1) throw new UsageError(`Unexpected argument "${positionals[1]}".`);
  const command = positionals[0] ?? 'start';
  if (command === 'help') return { command: 'help' };
  if (command !== 'start' && command !== 'serve' && command !== 'detect') {
    throw new UsageError(`Unknown command "${command}".`);
  }
  for (const flag of Object.keys(values)) {
    if (flag !== 'help' && !FLAGS_BY_COMMAND[command].includes(flag)) {
      throw new UsageError(`The flag --${flag} does not apply to "${command}".`);
    }
  }
  if (command === 'detect') return { command, json: values.json ?? false };
  return {
    command,
    serve: { port: parsePort(values.port), bind: values.bind ?? '127.0.0.1', allowedHosts: values['allow-host'] ?? [] },
  };
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port > 65535) {
    throw new UsageError(`--port must be a number from 0 to 65535, not "${value}".`);
  }
  return port;
}
