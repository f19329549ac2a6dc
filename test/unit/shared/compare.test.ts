import { describe, expect, it } from 'vitest';
import { ComparisonRecordSchema, CompareRunRequestSchema, type CompareAttempt, type ComparisonRecord, type CompareTargetResult } from '../../../shared/compare';
import { EXPORT_COLUMNS, exportRows, toCsv, toMarkdown } from '../../../shared/compare-export';
import { summariseComparison } from '../../../shared/compare-summary';
import { summarise, summariseKnown } from '../../../shared/stats';

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

function attempt(round: number, overrides: Partial<CompareAttempt> = {}): CompareAttempt {
  return {
    round,
    state: 'done',
    jobId: `j-0000000${round}`,
    exitCode: 0,
    firstOutputMs: 10 + round,
    wallMs: 100 + round * 10,
    peakMemoryBytes: 1_000_000,
    stdoutSha256: SHA_A,
    stdoutBytes: 6,
    message: null,
    ...overrides,
  };
}

function target(engineId: string, attempts: CompareAttempt[], label = engineId): CompareTargetResult {
  return {
    target: { engineId, executionMode: null, image: { imageId: 'abcdef123456', reference: 'busybox:1.36' } },
    label,
    imageLabel: 'busybox:1.36',
    memoryNote: 'container stats',
    attempts,
  };
}

function record(results: CompareTargetResult[]): ComparisonRecord {
  return ComparisonRecordSchema.parse({
    id: 'c-abcdefgh',
    spec: { engineId: 'docker', image: { imageId: 'abcdef123456', reference: 'busybox:1.36' }, command: ['echo', 'hello'] },
    repeat: 3,
    state: 'done',
    createdAt: '2026-11-23T10:00:00.000Z',
    endedAt: '2026-11-23T10:00:05.000Z',
    results,
  });
}

describe('median and spread', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(summarise([30, 10, 20])).toMatchObject({ runs: 3, median: 20, min: 10, max: 30 });
    expect(summarise([4, 1, 3, 2])).toMatchObject({ runs: 4, median: 2.5, min: 1, max: 4 });
  });

  it('leaves out what was not measured, and says null when nothing was', () => {
    expect(summariseKnown([null, 5, null, 7])).toMatchObject({ runs: 2, median: 6 });
    expect(summariseKnown([null, null])).toBeNull();
    expect(() => summarise([])).toThrow(/no values/);
  });
});

describe('a comparison summarised', () => {
  it('gives each target its medians over the finished attempts and its exit codes', () => {
    const summary = summariseComparison(record([target('docker', [attempt(0), attempt(1), attempt(2)])]));
    const [docker] = summary.targets;
    expect(docker).toMatchObject({ finished: 3, failed: 0, exitCodes: [0], stdout: 'identical', problem: null });
    expect(docker!.wall).toMatchObject({ median: 110, min: 100, max: 120 });
    expect(docker!.firstOutput).toMatchObject({ median: 11, min: 10, max: 12 });
    expect(summary.allIdentical).toBe(true);
  });

  it('marks the target whose stdout is not the most common one as differing', () => {
    const summary = summariseComparison(
      record([
        target('docker', [attempt(0)]),
        target('podman', [attempt(0)]),
        target('udocker', [attempt(0, { stdoutSha256: SHA_B })]),
      ]),
    );
    expect(summary.referenceSha256).toBe(SHA_A);
    expect(summary.targets.map((t) => t.stdout)).toEqual(['identical', 'identical', 'differs']);
    expect(summary.allIdentical).toBe(false);
  });

  it('says unknown, with the reason, for a target none of whose attempts ran', () => {
    const failed = attempt(0, { state: 'failed', exitCode: null, wallMs: null, firstOutputMs: null, stdoutSha256: null, message: 'No such image on Podman' });
    const summary = summariseComparison(record([target('docker', [attempt(0)]), target('podman', [failed])]));
    expect(summary.targets[1]).toMatchObject({ finished: 0, failed: 1, stdout: 'unknown', problem: 'No such image on Podman', wall: null });
    // The unknown target does not spoil the agreement of the others.
    expect(summary.allIdentical).toBe(true);
  });

  it('finds no agreement in a comparison where nothing finished', () => {
    const pending = attempt(0, { state: 'pending', exitCode: null, stdoutSha256: null });
    expect(summariseComparison(record([target('docker', [pending])])).allIdentical).toBe(false);
  });
});

describe('exports', () => {
  const results = record([
    target('docker', [attempt(0), attempt(1)], 'Docker'),
    target('evil', [attempt(0, { stdoutSha256: SHA_B })], '=HYPERLINK("http://x"),"quoted" | pipe\nnew line'),
  ]);

  it('writes a CSV whose header and rows are the table columns and rows, with hostile cells kept as text', () => {
    const csv = toCsv(results);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    // Rows end in CRLF; the bare new line inside the quoted cell does not end one.
    expect(lines).toHaveLength(1 + results.results.length);
    expect(lines[1]!.split(',').slice(0, 5)).toEqual(['Docker', 'busybox:1.36', '2', '0', '0']);
    // A formula is defused with a quote mark, quotes are doubled, and the cell is quoted.
    expect(csv).toContain(`"'=HYPERLINK(""http://x""),""quoted"" | pipe\nnew line"`);
  });

  it('writes a Markdown table with escaped pipes and no raw new line in a cell', () => {
    const markdown = toMarkdown(results);
    const tableLines = markdown.split('\n').filter((line) => line.startsWith('|'));
    expect(tableLines).toHaveLength(2 + results.results.length);
    expect(tableLines[0]).toBe(`| ${EXPORT_COLUMNS.join(' | ')} |`);
    expect(markdown).toContain('\\| pipe new line');
    expect(markdown).toContain('Command: `echo hello`');
  });

  it('exports one row per target with the summary values', () => {
    const rows = exportRows(results);
    expect(rows).toHaveLength(2);
    expect(rows[0]![EXPORT_COLUMNS.indexOf('Wall median (ms)')]).toBe('105');
    expect(rows[1]![EXPORT_COLUMNS.indexOf('Stdout')]).toBe('differs');
  });
});

describe('the run-on-all-engines request', () => {
  const spec = { engineId: 'docker', image: { imageId: 'abcdef123456' } };
  const targetOf = (engineId: string) => ({ engineId, image: { imageId: 'abcdef123456' } });

  it('fills in one repeat and null modes', () => {
    const parsed = CompareRunRequestSchema.parse({ spec, targets: [targetOf('docker')] });
    expect(parsed.repeat).toBe(1);
    expect(parsed.targets[0]!.executionMode).toBeNull();
  });

  it('refuses no targets, too many repeats, a hostile engine id and an unknown field', () => {
    expect(CompareRunRequestSchema.safeParse({ spec, targets: [] }).success).toBe(false);
    expect(CompareRunRequestSchema.safeParse({ spec, targets: [targetOf('docker')], repeat: 21 }).success).toBe(false);
    expect(CompareRunRequestSchema.safeParse({ spec, targets: [targetOf('$(rm -rf /)')] }).success).toBe(false);
    expect(CompareRunRequestSchema.safeParse({ spec, targets: [targetOf('docker')], shell: true }).success).toBe(false);
  });
});
