// `crossdock detect`: a fresh probe of every engine, as a table or as JSON.
import type { EngineStatus } from '../../shared/model';
import { createAppHost } from '../host/app-host';

export async function runDetect(json: boolean): Promise<number> {
  const host = createAppHost({ log: () => {}, detectOnStart: false });
  try {
    const envelope = await host.router.call('engines.list', { refresh: true, waitForProbes: true }, {
      // Not a window's request: no transport is involved, 'ipc' only fills the field.
      transport: 'ipc',
      signal: new AbortController().signal,
    });
    if (!envelope.ok) {
      process.stderr.write(`Detection failed: ${envelope.error.message}\n`);
      return 1;
    }
    const engines = envelope.result as EngineStatus[];
    process.stdout.write(json ? `${JSON.stringify(engines, null, 2)}\n` : formatTable(engines));
    return 0;
  } finally {
    await host.dispose();
  }
}

export function formatTable(engines: EngineStatus[]): string {
  const rows = [
    ['ENGINE', 'STATE', 'VERSION', 'ENDPOINT', 'NOTE'],
    ...engines.map((engine) => [
      engine.id,
      engine.state,
      engine.version ?? '-',
      engine.endpoint ?? '-',
      engine.message ?? (engine.probe.ok ? `test container exited ${engine.probe.exitCode}` : ''),
    ]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd())
    .join('\n')
    .concat('\n');
}
