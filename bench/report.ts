// The table every section adds rows to, the settings every section reads from the environment, and
// the writing of BENCHMARKS.md and its JSON twin.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { formatSummary, summarise, type Summary } from './stats';

export interface Row {
  figure: string;
  value: Summary;
  baseline: { label: string; value: Summary } | null;
  note: string;
}

/** What every section gets: the one Chromium (started once, so figures are Crossdock's), the repository root, the run count. */
export interface BenchContext {
  browser: Browser;
  root: string;
  runs: number;
}

export interface Section {
  name: string;
  /** Set (to anything) to leave the section out: a short run for a quick look. */
  skipVariable: string;
  rows(context: BenchContext): Promise<Row[]>;
}

/** A count from the environment (BENCH_IMAGES=100), or the default; refuses nonsense rather than measuring it. */
export function countFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0, not "${raw}"`);
  return value;
}

/** A row saying why a figure is missing, so a failed section still shows in the table instead of vanishing. */
export function notMeasured(figure: string, reason: string): Row {
  return { figure, value: summarise([Number.NaN]), baseline: null, note: `not measured: ${reason}` };
}

/** "1,000": the figures name counts as the window shows them. */
export const count = (value: number): string => value.toLocaleString('en');

export function writeReport(rows: Row[], options: { machine: string; runs: number; markdownPath: string; jsonPath: string; includedFrom?: string }): string {
  const table = [
    '| figure | median (min–max) | baseline, same run | note |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.figure} | ${formatSummary(row.value)} | ${row.baseline ? `${row.baseline.label}: ${formatSummary(row.baseline.value)}` : '—'} | ${row.note} |`),
  ].join('\n');
  const writtenAt = new Date().toISOString();
  const sittings = options.includedFrom ? ` (the first rows from an earlier sitting on the same machine, written ${options.includedFrom})` : '';
  const markdown = `# Benchmarks\n\nWritten by \`npm run bench\` on ${writtenAt}${sittings}.\nMachine: ${options.machine}. ${options.runs} runs per figure.\n\n${table}\n`;
  for (const path of [options.markdownPath, options.jsonPath]) mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(options.markdownPath, markdown);
  writeFileSync(options.jsonPath, `${JSON.stringify({ machine: options.machine, runs: options.runs, writtenAt, ...(options.includedFrom ? { includedFrom: options.includedFrom } : {}), rows }, null, 2)}\n`);
  return markdown;
}
