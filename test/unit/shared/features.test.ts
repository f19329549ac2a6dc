import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  FEATURE_ENGINE_IDS,
  FEATURE_GROUP_IDS,
  FEATURE_MATRIX,
  FEATURE_ROW_IDS,
  FeatureCellSchema,
  FeatureMatrixSchema,
  FeatureRowSchema,
  FeatureValueSchema,
  featureCell,
  SEED_FILES,
  featureRow,
} from '../../../shared/features';

// The seeds live beside the repository: ../shared/seeds from the repository root.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const seedsDir = resolve(repoRoot, '../shared/seeds');

describe('the documented feature matrix', () => {
  it('parses with its schema', () => {
    const parsed = FeatureMatrixSchema.safeParse(FEATURE_MATRIX);
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues, null, 2)).toBe(true);
    for (const row of FEATURE_MATRIX.rows) expect(FeatureRowSchema.safeParse(row).success).toBe(true);
  });

  it('has every engine as a column and every row once, in the declared order', () => {
    expect(FEATURE_MATRIX.engines.map((e) => e.id)).toEqual([...FEATURE_ENGINE_IDS]);
    expect(FEATURE_MATRIX.groups.map((g) => g.id)).toEqual([...FEATURE_GROUP_IDS]);
    expect(FEATURE_MATRIX.rows.map((r) => r.id)).toEqual([...FEATURE_ROW_IDS]);
    for (const group of FEATURE_GROUP_IDS) {
      expect(FEATURE_MATRIX.rows.some((r) => r.group === group), `group ${group} has rows`).toBe(true);
    }
  });

  it('has a cell for every engine in every row, each with a value, a one-line why and a source', () => {
    for (const row of FEATURE_MATRIX.rows) {
      expect(Object.keys(row.cells).sort()).toEqual([...FEATURE_ENGINE_IDS].sort());
      for (const engine of FEATURE_ENGINE_IDS) {
        const cell = row.cells[engine];
        const where = `${row.id} / ${engine}`;
        expect(cell, where).toBeDefined();
        expect(FeatureValueSchema.safeParse(cell.value).success, where).toBe(true);
        expect(cell.why.trim().length, where).toBeGreaterThan(0);
        expect(cell.why, where).not.toMatch(/[\r\n]/);
        expect(cell.source, where).toBeDefined();
        if (cell.source.kind === 'seed') expect(cell.source.file.length, where).toBeGreaterThan(0);
        else expect(cell.source.url, where).toMatch(/^https:\/\//);
        expect(FeatureCellSchema.safeParse(cell).success, where).toBe(true);
      }
    }
  });

  it('rejects a row that leaves an engine out, and a cell without a source', () => {
    const row = FEATURE_MATRIX.rows[0]!;
    const { docker: _dropped, ...rest } = row.cells;
    expect(FeatureRowSchema.safeParse({ ...row, cells: rest }).success).toBe(false);
    expect(FeatureCellSchema.safeParse({ value: 'yes', why: 'because' }).success).toBe(false);
    expect(FeatureCellSchema.safeParse({ value: 'maybe', why: 'x', source: { kind: 'docs', url: 'https://docs.docker.com/' } }).success).toBe(false);
    expect(FeatureCellSchema.safeParse({ value: 'no', why: '  ', source: { kind: 'docs', url: 'https://docs.docker.com/' } }).success).toBe(false);
  });

  it('names only the seed files it lists, and those exist in ../shared/seeds where the seeds are', () => {
    const named = new Set<string>();
    for (const row of FEATURE_MATRIX.rows) {
      for (const cell of Object.values(row.cells)) if (cell.source.kind === 'seed') named.add(cell.source.file);
    }
    expect(named.size).toBeGreaterThan(0);
    for (const file of named) expect(Object.values(SEED_FILES) as string[], `seed ${file} is listed`).toContain(file);
    // The seeds sit beside the repository, not in it: a checkout elsewhere checks the list only.
    if (!existsSync(seedsDir)) {
      console.log(`the seeds folder ${seedsDir} is not on this machine: checked the names against SEED_FILES only`);
      return;
    }
    const present = new Set(readdirSync(seedsDir));
    for (const file of named) expect(present.has(file), `seed ${file} exists in ${seedsDir}`).toBe(true);
  });

  it('looks up cells by row and engine', () => {
    expect(featureCell('daemonless', 'podman')?.value).toBe('yes');
    expect(featureCell('daemonless', 'docker')?.value).toBe('no');
    expect(featureCell('user-deployable', 'udocker')?.value).toBe('yes');
    expect(featureCell('image.sif', 'apptainer')?.source).toEqual({ kind: 'seed', file: '003_fa82f1796a3385c2.txt' });
    expect(featureRow('gpu')?.cells.shifter.value).toBe('yes');
    expect(featureCell('no-such-row', 'docker')).toBeUndefined();
    expect(featureCell('gpu', 'lxc')).toBeUndefined();
    expect(featureCell('toString', '__proto__')).toBeUndefined();
  });
});
