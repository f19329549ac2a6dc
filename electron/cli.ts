// The `crossdock` command (bundled to dist/electron/cli.js, run by `npm start`).
import { parseCliArgs, USAGE, UsageError } from './cli/args';

// The commands are imported when chosen: loading the engines' clients (dockerode and its ssh and
// protobuf dependencies) takes most of a second, which `--help` and a mistyped flag need not pay.

// Resolved from the bundle's own place: dist/electron/cli.js -> dist/renderer/, dist/electron/main.js.
const rendererDir = new URL('../renderer/', import.meta.url);
const mainScript = new URL('./main.js', import.meta.url);

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`crossdock: ${error.message}\nRun "crossdock --help" for its commands and flags.\n`);
    return 2;
  }
  switch (args.command) {
    case 'help':
      process.stdout.write(USAGE);
      return 0;
    case 'detect':
      return (await import('./cli/detect')).runDetect(args.json);
    case 'serve':
      return (await import('./cli/serve')).runServe(args.serve, rendererDir);
    case 'start':
      return (await import('./cli/start')).runStart(args.serve, mainScript, rendererDir);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`crossdock: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
