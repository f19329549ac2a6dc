// The Compare view's pure helpers: which columns a filter highlights, what "Run on all engines"
// offers and ticks, how a comparison's progress, chart text and stdout diff read, and how the
// cache keeps comparisons in step with change events.
import { describe, expect, it } from 'vitest';
import { ComparisonRecordSchema, MAX_COMPARE_REPEAT, type CompareAttempt, type ComparisonRecord, type CompareTargetResult } from '../../../shared/compare';
import { summariseComparison } from '../../../shared/compare-summary';
import { FEATURE_MATRIX } from '../../../shared/features';
import type { RunCapabilities } from '../../../shared/run';
import { chartDescription, chartSeries } from '../../../renderer/features/compare/chart-data';
import { buildTargetChoices, imageOptionLabel, modeLabel, unsupportedBySpec, mergeSelections, parseRepeat, planTargets, whyNotComparable } from '../../../renderer/features/compare/compare-targets';
import { comparisonProgress } from '../../../renderer/features/compare/comparison-progress';
import { safeDocsUrl, valuePresentation } from '../../../renderer/features/compare/feature-cell-format';
import { describeMatches, engineMatches, FEATURE_FILTERS, matchingEngines } from '../../../renderer/features/compare/feature-filters';
import { lineDiff, visibleControls } from '../../../renderer/features/compare/line-diff';
import { indexSeenCells, seenCellsAt } from '../../../renderer/features/compare/seen-index';
import { newerComparison, withComparison, withoutComparison } from '../../../renderer/lib/comparison-state';
import { toRows } from '../../../renderer/lib/image-rows';
import { engineStatus, imageSummary } from './fixtures';

describe('feature filters', () => {
  it('each names a row of the matrix and says in its label which values count', () => {
    const rows = new Set(FEATURE_MATRIX.rows.map((row) => row.id));
    const ids = new Set<string>();
    for (const filter of FEATURE_FILTERS) {
      expect(rows.has(filter.row)).toBe(true);
      expect(ids.has(filter.id)).toBe(false);
      ids.add(filter.id);
      const said = filter.accepts.includes('partial') ? '(yes or partial)' : '(yes)';
      expect(filter.label.endsWith(said)).toBe(true);
    }
  });

  it('highlights exactly the engines whose documented cell the filter accepts', () => {
    // Computed from the data, as the end-to-end test does: SIF is read by the Singularity family only.
    expect(matchingEngines(['sif'])).toEqual(['apptainer', 'singularitypro']);
    for (const filter of FEATURE_FILTERS) {
      const row = FEATURE_MATRIX.rows.find((candidate) => candidate.id === filter.row)!;
      const expected = FEATURE_MATRIX.engines.map((engine) => engine.id).filter((id) => filter.accepts.includes(row.cells[id].value));
      expect(matchingEngines([filter.id])).toEqual(expected);
    }
  });

  it('lets partial in only where the label says so', () => {
    const noRoot = FEATURE_FILTERS.find((filter) => filter.id === 'no-root')!;
    const gpu = FEATURE_FILTERS.find((filter) => filter.id === 'gpu')!;
    // Apptainer is "partial" on running with no privilege at all (an administrator installs it).
    expect(engineMatches(noRoot, 'apptainer')).toBe(true);
    expect(engineMatches(noRoot, 'docker')).toBe(false);
    // Docker's GPU access is "partial" (an add-on runtime): not "without add-ons".
    expect(engineMatches(gpu, 'docker')).toBe(false);
    expect(engineMatches(gpu, 'charliecloud')).toBe(true);
  });

  it('combines filters with "and", and highlights nothing with none active', () => {
    expect(matchingEngines([])).toBeNull();
    expect(matchingEngines(['unknown-filter'])).toBeNull();
    const both = matchingEngines(['daemonless', 'user-deployable'])!;
    expect(both).toEqual(matchingEngines(['user-deployable'])!.filter((id) => matchingEngines(['daemonless'])!.includes(id)));
    expect(matchingEngines(['sif', 'user-deployable'])).toEqual([]);
  });

  it('says how many engines match, and which', () => {
    expect(describeMatches(null)).toMatch(/^9 engines documented/);
    expect(describeMatches(['apptainer', 'singularitypro'])).toBe('2 of 9 engines match: Apptainer/Singularity, SingularityPRO.');
    expect(describeMatches([])).toBe('No engine of 9 matches every chosen filter.');
  });
});

describe('matrix cells', () => {
  it('links only https documentation', () => {
    expect(safeDocsUrl('https://docs.docker.com/')?.host).toBe('docs.docker.com');
    expect(safeDocsUrl('http://example.org/')).toBeNull();
    expect(safeDocsUrl('javascript:alert(1)')).toBeNull();
    expect(safeDocsUrl('not a url')).toBeNull();
  });

  it('gives every value a word and an icon, never colour alone', () => {
    for (const value of ['yes', 'no', 'partial'] as const) {
      expect(valuePresentation[value].word).not.toBe('');
      expect(valuePresentation[value].icon).not.toBe('');
    }
    expect(new Set(Object.values(valuePresentation).map((shown) => shown.icon)).size).toBe(3);
  });

  it('finds what detection proved by row and column, once per fact', () => {
    const rootless = engineStatus({ id: 'podman-rootless', label: 'Podman (rootless)', family: 'podman', rootless: true, attributes: { HasDockerAPI: true, Daemonless: true } });
    const rootful = engineStatus({ id: 'podman', label: 'Podman (rootful)', family: 'podman', rootless: false, attributes: { HasDockerAPI: true, Daemonless: true } });
    const index = indexSeenCells([rootless, rootful, rootless]);
    const daemonless = seenCellsAt(index, 'daemonless', 'podman');
    expect(daemonless.map((cell) => cell.engineId)).toEqual(['podman-rootless', 'podman']);
    expect(seenCellsAt(index, 'image.sif', 'podman')).toEqual([]);
    expect(seenCellsAt(index, 'daemonless', 'docker')).toEqual([]);
  });
});

const allCapabilities: RunCapabilities = {
  tty: { supported: true, note: null },
  networks: ['default', 'none', 'host'],
  gpu: { supported: true, note: null },
  user: { supported: true, note: null },
  workdir: { supported: true, note: null },
  readOnlyBinds: { supported: true, note: null },
  ports: { supported: true, note: null },
  exec: { supported: true, note: null },
  reattach: false,
  modes: [],
};

describe('"Run on all engines" targets', () => {
  const busybox = imageSummary({ engineId: 'docker', id: `sha256:${'1'.repeat(64)}`, repository: 'crossdock-test/busybox', tag: 'x1', repoTags: ['crossdock-test/busybox:x1'] });
  const other = imageSummary({ engineId: 'docker', repository: 'alpine', tag: 'latest', repoTags: ['alpine:latest'] });
  const inPodman = imageSummary({ engineId: 'podman', repository: 'localhost/crossdock-test/busybox', tag: 'x1', repoTags: ['localhost/crossdock-test/busybox:x1'] });
  const inUdocker = imageSummary({ engineId: 'udocker', repository: 'crossdock-test/busybox', tag: 'x1', repoTags: ['crossdock-test/busybox:x1'] });
  const sif = imageSummary({ engineId: 'apptainer', repository: 'busybox.sif', tag: null, repoTags: [] });
  const rows = [
    ...toRows('docker', 'Docker', [other, busybox]),
    ...toRows('podman', 'Podman', [inPodman]),
    ...toRows('udocker', 'udocker', [inUdocker]),
    ...toRows('apptainer', 'Apptainer', [sif]),
  ];
  const engines = [
    engineStatus({ id: 'docker', label: 'Docker' }),
    engineStatus({ id: 'podman', label: 'Podman' }),
    engineStatus({ id: 'udocker', label: 'udocker' }),
    engineStatus({ id: 'apptainer', label: 'Apptainer' }),
    engineStatus({ id: 'charliecloud', label: 'Charliecloud', state: 'unreachable', message: 'ch-run failed' }),
    engineStatus({ id: 'listing-only', label: 'Lists only' }),
  ];
  const udockerModes: RunCapabilities = {
    ...allCapabilities,
    modes: [
      { id: 'P1', label: 'PRoot', ready: true },
      { id: 'F1', label: 'Fakechroot', ready: true },
      { id: 'R1', label: 'runc', ready: false },
    ],
  };
  const options = [
    { engineId: 'docker', capabilities: allCapabilities },
    { engineId: 'podman', capabilities: allCapabilities },
    { engineId: 'udocker', capabilities: udockerModes },
    { engineId: 'apptainer', capabilities: allCapabilities },
    { engineId: 'charliecloud', capabilities: allCapabilities },
  ];
  const choices = buildTargetChoices(engines, options, rows, busybox);

  it('offers every engine that runs jobs, and every udocker mode that worked here', () => {
    expect(choices.map((choice) => choice.key)).toEqual(['docker', 'podman', 'udocker-P1', 'udocker-F1', 'apptainer', 'charliecloud']);
    expect(choices.find((choice) => choice.key === 'udocker-P1')).toMatchObject({ engineId: 'udocker', executionMode: 'P1' });
    expect(choices.find((choice) => choice.key === 'charliecloud')!.disabledReason).toMatch(/ch-run failed/);
  });

  it('proposes the same image by id or by name, and nothing where none matches', () => {
    const proposed = Object.fromEntries(choices.map((choice) => [choice.key, choice.proposed?.summary.id ?? null]));
    expect(proposed).toEqual({ docker: busybox.id, podman: inPodman.id, 'udocker-P1': inUdocker.id, 'udocker-F1': inUdocker.id, apptainer: null, charliecloud: null });
  });

  it('ticks what works and holds the image; the rest waits for a pick', () => {
    const selections = mergeSelections({}, choices);
    expect(Object.entries(selections).filter(([, selection]) => selection.checked).map(([key]) => key)).toEqual(['docker', 'podman', 'udocker-P1', 'udocker-F1']);
    const plan = planTargets(choices, selections);
    expect(plan.problems).toEqual([]);
    expect(plan.targets).toEqual([
      { engineId: 'docker', executionMode: null, image: { imageId: busybox.id, reference: 'crossdock-test/busybox:x1' } },
      { engineId: 'podman', executionMode: null, image: { imageId: inPodman.id, reference: 'localhost/crossdock-test/busybox:x1' } },
      { engineId: 'udocker', executionMode: 'P1', image: { imageId: inUdocker.id, reference: 'crossdock-test/busybox:x1' } },
      { engineId: 'udocker', executionMode: 'F1', image: { imageId: inUdocker.id, reference: 'crossdock-test/busybox:x1' } },
    ]);
  });

  it('says which ticked target still needs an image, and never sends one that cannot run', () => {
    const selections = mergeSelections({}, choices);
    selections.apptainer = { checked: true, imageKey: '', touched: true };
    selections.charliecloud = { checked: true, imageKey: '', touched: true };
    const plan = planTargets(choices, selections);
    expect(plan.problems).toEqual(['Apptainer: pick an image']);
    expect(plan.targets.some((target) => target.engineId === 'charliecloud')).toBe(false);
    const none = planTargets(choices, Object.fromEntries(choices.map((choice) => [choice.key, { checked: false, imageKey: '', touched: true }])));
    expect(none).toEqual({ targets: [], problems: ['Tick at least one engine'] });
  });

  it('keeps what the user changed when answers arrive later, and follows them otherwise', () => {
    const before = buildTargetChoices(engines, options, rows.filter((row) => row.engineId !== 'podman'), busybox);
    const first = mergeSelections({}, before);
    expect(first.podman).toMatchObject({ checked: false, imageKey: '' });
    const untickedDocker = { ...first, docker: { ...first.docker!, checked: false, touched: true } };
    const after = mergeSelections(untickedDocker, choices);
    expect(after.docker).toMatchObject({ checked: false, touched: true });
    expect(after.podman).toMatchObject({ checked: true, touched: false });
  });

  it("offers an engine that cannot honour the spec disabled, with the engine's reason", () => {
    const spec = { engineId: 'docker', image: { imageId: busybox.id, reference: null }, command: [], env: [], binds: [], workdir: null, user: null, network: 'default' as const, ports: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' as const }], gpu: false, tty: false, remove: true, executionMode: null };
    const noPorts = { ...udockerModes, ports: { supported: false, note: 'udocker shares the host network' } };
    expect(unsupportedBySpec(spec, noPorts)).toEqual(['published ports (udocker shares the host network)']);
    expect(unsupportedBySpec({ ...spec, ports: [], network: 'none' }, { ...allCapabilities, networks: ['default', 'host'] })).toEqual(['network "none"']);
    expect(unsupportedBySpec({ ...spec, ports: [] }, allCapabilities)).toEqual([]);
    const withPorts = buildTargetChoices(engines, options.map((entry) => (entry.engineId === 'udocker' ? { ...entry, capabilities: noPorts } : entry)), rows, busybox, spec);
    expect(withPorts.find((choice) => choice.key === 'udocker-P1')!.disabledReason).toBe('cannot honour this run: published ports (udocker shares the host network)');
    expect(withPorts.find((choice) => choice.key === 'docker')!.disabledReason).toBeNull();
    expect(mergeSelections({}, withPorts)['udocker-P1']!.checked).toBe(false);
  });

  it('refuses a TTY spec, and reads the repeat count', () => {
    const spec = { engineId: 'docker', image: { imageId: busybox.id, reference: null }, command: ['echo', 'hello'], env: [], binds: [], workdir: null, user: null, network: 'default' as const, ports: [], gpu: false, tty: false, remove: true, executionMode: null };
    expect(whyNotComparable(spec)).toBeNull();
    expect(whyNotComparable({ ...spec, tty: true })).toMatch(/TTY/);
    expect(parseRepeat('3', MAX_COMPARE_REPEAT)).toEqual({ value: 3, error: null });
    expect(parseRepeat(' 20 ', MAX_COMPARE_REPEAT).value).toBe(20);
    for (const bad of ['0', '21', '2.5', '', 'x', '-1']) expect(parseRepeat(bad, MAX_COMPARE_REPEAT).error).toMatch(/1 to 20/);
  });
});

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

function attempt(round: number, overrides: Partial<CompareAttempt> = {}): CompareAttempt {
  return { round, state: 'done', jobId: null, exitCode: 0, firstOutputMs: 10, wallMs: 100, peakMemoryBytes: null, stdoutSha256: SHA_A, stdoutBytes: 6, message: null, ...overrides };
}

function result(label: string, attempts: CompareAttempt[]): CompareTargetResult {
  return { target: { engineId: label.toLowerCase(), executionMode: null, image: { imageId: 'abcdef123456', reference: null } }, label, imageLabel: 'busybox', memoryNote: 'not exposed', attempts };
}

function record(overrides: Partial<ComparisonRecord> = {}): ComparisonRecord {
  return ComparisonRecordSchema.parse({
    id: 'c-abcdefgh',
    spec: { engineId: 'docker', image: { imageId: 'abcdef123456', reference: null }, command: ['echo', 'hello'] },
    repeat: 2,
    state: 'running',
    createdAt: '2026-11-23T10:00:00.000Z',
    endedAt: null,
    results: [
      result('Docker', [attempt(0), attempt(1, { state: 'running', wallMs: null, firstOutputMs: null, stdoutSha256: null })]),
      result('Podman', [attempt(0, { state: 'pending' }), attempt(1, { state: 'pending' })]),
    ],
    ...overrides,
  });
}

describe('a comparison in progress', () => {
  it('says which run goes and how many of all ended', () => {
    const progress = comparisonProgress(record());
    expect(progress).toMatchObject({ total: 4, ended: 1, running: { target: 0, round: 1, label: 'Docker' } });
    expect(progress.text).toBe('Running Docker, run 2 of 2: 1 of 4 runs ended');
  });

  it('counts planned runs the record has not listed yet, and says how it ended', () => {
    const ended = record({ state: 'cancelled', results: [result('Docker', [attempt(0), attempt(1, { state: 'failed', message: 'refused' })]), result('Podman', [])] });
    expect(comparisonProgress(ended)).toMatchObject({ total: 4, ended: 2, running: null, text: 'Cancelled after 2 of 4 runs, 1 failed' });
  });

  it('keeps the record that has come further, whichever arrives last', () => {
    const early = record();
    const later = record({ results: [result('Docker', [attempt(0), attempt(1)]), result('Podman', [attempt(0, { state: 'running' }), attempt(1, { state: 'pending' })])] });
    expect(newerComparison(later, early)).toBe(later);
    expect(newerComparison(early, later)).toBe(later);
    const done = record({ state: 'done' });
    expect(newerComparison(later, done)).toBe(done);
  });

  it('puts a new comparison in the list newest first, replaces one, and removes one', () => {
    const older = record({ id: 'c-older000', createdAt: '2026-11-23T09:00:00.000Z' });
    const newer = record({ id: 'c-newer000', createdAt: '2026-11-23T11:00:00.000Z' });
    expect(withComparison(undefined, older)).toBeUndefined();
    const list = withComparison(withComparison([], older), newer)!;
    expect(list.map((entry) => entry.id)).toEqual(['c-newer000', 'c-older000']);
    const finished = { ...older, state: 'done' as const };
    expect(withComparison(list, finished)!.map((entry) => entry.state)).toEqual(['running', 'done']);
    expect(withoutComparison(list, 'c-newer000')!.map((entry) => entry.id)).toEqual(['c-older000']);
  });
});

describe('the chart', () => {
  it('draws the medians the table shows and says them in words', () => {
    const summary = summariseComparison(
      record({ state: 'done', results: [result('Docker', [attempt(0, { wallMs: 100 }), attempt(1, { wallMs: 300 })]), result('Podman', [attempt(0, { state: 'failed', wallMs: null, firstOutputMs: null })])] }),
    );
    const series = chartSeries(summary);
    expect(series).toMatchObject({ labels: ['Docker', 'Podman'], wall: [200, null], firstOutput: [10, null] });
    expect(series.wallSpread[0]).toBe('100–300 ms over 2 runs');
    expect(chartDescription(summary)).toBe('Bar chart of median times per target (the table below has the same numbers). Docker: wall 200 ms, first output 10 ms.');
  });

  it('says when nothing was measured yet', () => {
    const summary = summariseComparison(record({ results: [result('Docker', [attempt(0, { state: 'pending' })])] }));
    expect(chartDescription(summary)).toMatch(/nothing measured yet/);
  });
});

describe('the stdout diff', () => {
  it('marks removed and added lines in their text', () => {
    const diff = lineDiff('hello\nsame\nold\n', 'hello\nsame\nnew\nmore\n');
    expect(diff.lines.map((line) => `${line.mark}${line.text}`)).toEqual([' hello', ' same', '-old', '+new', '+more']);
    expect(diff).toMatchObject({ added: 2, removed: 1, tooDifferent: false, onlyLineEndings: false });
  });

  it('finds nothing to mark in identical outputs, and gives up on outputs too different', () => {
    expect(lineDiff('a\nb\n', 'a\nb\n')).toMatchObject({ added: 0, removed: 0 });
    const many = (prefix: string) => Array.from({ length: 50 }, (_, i) => `${prefix}${i}`).join('\n');
    expect(lineDiff(many('x'), many('y'), 10).tooDifferent).toBe(true);
  });

  it("shows what prints nothing, and says when only a terminal's line endings differ", () => {
    const diff = lineDiff('hello\n', 'hello\r\n');
    expect(diff.lines).toEqual([
      { mark: '-', text: 'hello' },
      { mark: '+', text: 'hello\\r' },
    ]);
    expect(diff.onlyLineEndings).toBe(true);
    expect(lineDiff('a\n', 'b\r\n').onlyLineEndings).toBe(false);
    expect(visibleControls('a\tb\u001b[0m\u007f')).toBe('a\tb\\x1b[0m\\x7f');
  });

  it('compares a target whose stdout differs from the most common one', () => {
    const summary = summariseComparison(record({ state: 'done', results: [result('Docker', [attempt(0)]), result('Podman', [attempt(0)]), result('udocker', [attempt(0, { stdoutSha256: SHA_B })])] }));
    expect(summary.targets.map((target) => target.stdout)).toEqual(['identical', 'identical', 'differs']);
  });
});

describe('target labels', () => {
  it("names a udocker mode once, with the engine's own description", () => {
    expect(modeLabel('udocker', { id: 'P1', label: 'P1: proot, accelerated with seccomp' })).toBe('udocker, mode P1: proot, accelerated with seccomp');
    expect(modeLabel('udocker', { id: 'F1', label: 'fakechroot' })).toBe('udocker, mode F1 (fakechroot)');
    expect(modeLabel('udocker', { id: 'R1', label: 'R1' })).toBe('udocker, mode R1');
  });

  it('names a file or folder image by its name and format, not by a bare id', () => {
    const [sif] = toRows('apptainer', 'Apptainer', [imageSummary({ repository: 'busybox.sif', tag: null, repoTags: [], format: 'sif' })]);
    const [tagged] = toRows('docker', 'Docker', [imageSummary({ repository: 'busybox', tag: '1.36' })]);
    const [nameless] = toRows('docker', 'Docker', [imageSummary({ repository: null, tag: null, repoTags: [] })]);
    expect(imageOptionLabel(sif!)).toBe('busybox.sif (sif)');
    expect(imageOptionLabel(tagged!)).toBe('busybox:1.36');
    expect(imageOptionLabel(nameless!)).toBe(`<none> ${nameless!.shortId}`);
  });
});
