// A comparison's result table as CSV (RFC 4180) and as a Markdown table: the rows the window shows,
// one per target, from summariseComparison(), so a downloaded file matches the table cell for cell.
import type { ComparisonRecord } from './compare';
import { summariseComparison, type TargetSummary } from './compare-summary';
import type { Summary } from './stats';

export const EXPORT_COLUMNS = [
  'Engine',
  'Image',
  'Runs',
  'Failed',
  'Exit codes',
  'First output median (ms)',
  'First output min (ms)',
  'First output max (ms)',
  'Wall median (ms)',
  'Wall min (ms)',
  'Wall max (ms)',
  'Peak memory median (bytes)',
  'Stdout',
  'Note',
] as const;

/** One row of cells, as plain text, in EXPORT_COLUMNS order. */
export function exportRow(target: TargetSummary): string[] {
  const part = (summary: Summary | null, key: 'median' | 'min' | 'max') => (summary ? String(Math.round(summary[key])) : '');
  return [
    target.label,
    target.imageLabel,
    String(target.finished),
    String(target.failed),
    target.exitCodes.join(' '),
    part(target.firstOutput, 'median'),
    part(target.firstOutput, 'min'),
    part(target.firstOutput, 'max'),
    part(target.wall, 'median'),
    part(target.wall, 'min'),
    part(target.wall, 'max'),
    part(target.peakMemory, 'median'),
    target.stdout,
    target.problem ?? (target.peakMemory ? '' : target.memoryNote),
  ];
}

export function exportRows(record: ComparisonRecord): string[][] {
  return summariseComparison(record).targets.map(exportRow);
}

export function toCsv(record: ComparisonRecord): string {
  const cell = (value: string) => {
    // A leading = + - @ makes spreadsheets evaluate the cell: quoted with a ' so it stays text.
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [EXPORT_COLUMNS as readonly string[], ...exportRows(record)].map((row) => row.map(cell).join(',')).join('\r\n').concat('\r\n');
}

export function toMarkdown(record: ComparisonRecord): string {
  const cell = (value: string) => value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
  const line = (row: readonly string[]) => `| ${row.map(cell).join(' | ')} |`;
  const command = record.spec.command.length > 0 ? record.spec.command.join(' ') : "the image's own command";
  return [
    `# Comparison ${record.id}`,
    '',
    `Command: \`${command.replace(/`/g, "'")}\`, ${record.repeat} run(s) per engine, started ${record.createdAt} (${record.state}).`,
    '',
    line(EXPORT_COLUMNS),
    line(EXPORT_COLUMNS.map(() => '---')),
    ...exportRows(record).map(line),
    '',
  ].join('\n');
}
