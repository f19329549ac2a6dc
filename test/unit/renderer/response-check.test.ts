// The window's fast check of the host's answers must never accept what zod refuses, and must only
// accept what zod gives back unchanged (so skipping zod's copy changes nothing). Checked against
// zod itself over valid answers and many broken ones, for every call of the contract it compiles.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fastCheckOf } from '../../../renderer/api/response-check';
import { calls } from '../../../shared/contract';
import { ImageSummarySchema, type ImageSummary } from '../../../shared/model';
import { engineStatus, imageSummary } from './fixtures';

/** The one property: a `true` from the fast check is zod's success with an identical value. */
function agreesWithZod(schema: z.ZodType, value: unknown): boolean | 'unsure' {
  const fast = fastCheckOf(schema);
  const zod = schema.safeParse(value);
  if (fast === null) return 'unsure';
  const verdict = fast(value);
  if (verdict) {
    expect(zod.success, `fast check accepted what zod refuses: ${JSON.stringify(value)?.slice(0, 300)}`).toBe(true);
    expect(zod.data).toStrictEqual(value);
  }
  return verdict;
}

/** JSON, as the client gets it: the answer crossed a transport. */
const wire = <T,>(value: T): unknown => JSON.parse(JSON.stringify(value));

function brokenCopies(row: ImageSummary): Array<[string, unknown]> {
  const withField = (field: string, value: unknown) => ({ ...row, [field]: value });
  const without = (field: keyof ImageSummary) => {
    const copy: Record<string, unknown> = { ...row };
    delete copy[field];
    return copy;
  };
  return [
    ['engine id with a capital', withField('engineId', 'Docker')],
    ['empty engine id', withField('engineId', '')],
    ['engine id too long', withField('engineId', 'a'.repeat(65))],
    ['engine id a number', withField('engineId', 7)],
    ['id too long', withField('id', 'x'.repeat(129))],
    ['repository too long', withField('repository', 'r'.repeat(513))],
    ['repository a number', withField('repository', 1)],
    ['tag an object', withField('tag', { toString: 'x' })],
    ['repoTags not an array', withField('repoTags', 'a:b')],
    ['repoTags holding a number', withField('repoTags', ['a:b', 3])],
    ['repoDigests holding null', withField('repoDigests', [null])],
    ['negative size', withField('sizeBytes', -1)],
    ['size a string', withField('sizeBytes', '12')],
    ['created not ISO', withField('createdAt', '2026-01-01 00:00:00')],
    ['created with an offset', withField('createdAt', '2026-01-01T00:00:00+02:00')],
    ['created the 30th of February', withField('createdAt', '2026-02-30T00:00:00Z')],
    ['dangling a string', withField('dangling', 'false')],
    ['containers a fraction', withField('containers', 1.5)],
    ['containers past safe integers', withField('containers', 2 ** 60)],
    ['labels an array', withField('labels', ['a'])],
    ['label value a number', withField('labels', { a: 1 })],
    ['labels null', withField('labels', null)],
    ['location null', withField('location', null)],
    ['format too long', withField('format', 'f'.repeat(33))],
    ['content digest too long', withField('contentDigest', 'd'.repeat(81))],
    ['missing id', without('id')],
    ['missing labels', without('labels')],
    ['an array instead', [row]],
    ['null instead', null],
  ];
}

describe('fastCheckOf', () => {
  const valid: ImageSummary[] = [
    imageSummary(),
    imageSummary({ repository: null, tag: null, repoTags: [], dangling: true, createdAt: null, containers: -1 }),
    imageSummary({ location: '/data/busybox.sif', format: 'sif', contentDigest: `sha256:${'c'.repeat(64)}`, labels: { 'org.example': 'x', '': '' } }),
    imageSummary({ createdAt: '2024-02-29T23:59:59.123456789Z', sizeBytes: 0, engineId: 'podman-rootless.2' }),
  ];

  it('compiles for the image list, and accepts valid answers exactly as zod gives them back', () => {
    expect(fastCheckOf(calls['images.list'].response)).not.toBeNull();
    expect(agreesWithZod(calls['images.list'].response, wire(valid))).toBe(true);
    expect(agreesWithZod(calls['images.list'].response, [])).toBe(true);
  });

  it('never accepts a row zod refuses', () => {
    for (const row of valid) {
      for (const [why, broken] of brokenCopies(row)) {
        expect(ImageSummarySchema.safeParse(broken).success, why).toBe(false);
        expect(agreesWithZod(ImageSummarySchema, wire(broken)), why).toBe(false);
        expect(agreesWithZod(calls['images.list'].response, wire([...valid, broken])), why).toBe(false);
      }
    }
  });

  it('leaves to zod what zod would change: keys the contract does not name, "__proto__" keys', () => {
    const extra = { ...valid[0]!, somethingNew: 1 };
    expect(agreesWithZod(ImageSummarySchema, wire(extra))).toBe(false);
    expect(ImageSummarySchema.safeParse(extra).success).toBe(true);
    const protoKey = JSON.parse(JSON.stringify(valid[0]).replace(/^\{/, '{"__proto__":{"polluted":true},')) as unknown;
    expect(agreesWithZod(ImageSummarySchema, protoKey)).toBe(false);
    const protoLabel = JSON.parse(JSON.stringify(valid[2]).replace('"labels":{', '"labels":{"__proto__":"x",')) as unknown;
    expect(agreesWithZod(ImageSummarySchema, protoLabel)).toBe(false);
  });

  it('agrees with zod on every response of the contract it compiles, or leaves it to zod', () => {
    const samples: unknown[] = [null, 1, 'x', [], {}, [{}], wire(valid), wire([engineStatus()]), { jobId: 'x' }, { accepted: -1 }, { accepted: 2 }];
    let compiledCount = 0;
    for (const [name, spec] of Object.entries(calls)) {
      if (fastCheckOf(spec.response) !== null) compiledCount += 1;
      for (const sample of samples) expect(() => agreesWithZod(spec.response, sample), name).not.toThrow();
    }
    expect(compiledCount).toBeGreaterThan(3);
    expect(agreesWithZod(calls['engines.list'].response, wire([engineStatus()]))).not.toBe(false);
  });

  it('gives up on what it does not model (unions, defaults, refinements), leaving it to zod', () => {
    expect(fastCheckOf(z.union([z.string(), z.number()]))).toBeNull();
    expect(fastCheckOf(z.object({ a: z.string().default('x') }))).toBeNull();
    expect(fastCheckOf(z.string().refine((value) => value.length > 2))).toBeNull();
    expect(fastCheckOf(z.string().url())).toBeNull();
    expect(fastCheckOf(z.strictObject({ a: z.string() }))).toBeNull();
  });

  it('checks 10,000 image rows (for the bench, not timed here)', () => {
    const many = wire(Array.from({ length: 10_000 }, (_, i) => imageSummary({ repository: `repo-${i % 997}`, tag: `${i}` })));
    expect(fastCheckOf(calls['images.list'].response)!(many)).toBe(true);
  });
});
