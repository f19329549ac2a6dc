// The manifest YAML emitter, read back by an independent YAML parser (js-yaml 4, YAML 1.2, the
// one electron-builder brings): every value must come back exactly, however hostile, and
// the few plain (unquoted) scalars must be ones no YAML 1.1 reader (kubectl's go-yaml) takes
// for a boolean, a null or a number.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { toYaml, yamlString, type YamlValue } from '../../../electron/batch/kubernetes/yaml';

const jsYaml = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };

const HOSTILE = [
  '',
  ' ',
  ' leading',
  'trailing ',
  'yes',
  'No',
  'ON',
  'off',
  'y',
  'n',
  'null',
  'Null',
  '~',
  'true',
  'False',
  '1.36',
  '0x10',
  '012',
  '1e3',
  '.inf',
  '-.NaN',
  '1_000',
  '12:30:00',
  '2026-01-01',
  'a: b',
  'a #b',
  '#comment',
  '- item',
  '? key',
  '{a: 1}',
  '[1, 2]',
  '*alias',
  '&anchor',
  '!tag',
  '!!str x',
  '%YAML',
  '@at',
  '`tick',
  '|',
  '>',
  "'single'",
  '"double"',
  'back\\slash\\',
  'line\nbreak',
  'cr\rlf\r\n',
  'tab\there',
  'nul\u0000byte',
  'bell\u0007',
  'del\u007f',
  'c1\u0085next',
  'ls\u2028ps\u2029',
  'bom\ufeff',
  'ünïcødé ✓ 🐳',
  '$(HOME) $$ ${X} `id`',
  '---',
  '...',
  'key:',
  'nvidia.com/gpu',
];

describe('toYaml', () => {
  it('gives back every hostile string exactly, as a value and as a key', () => {
    for (const text of HOSTILE) {
      const value: YamlValue = { value: text, list: [text, text], nested: { [text === '' ? 'empty' : text]: text } };
      expect(jsYaml.load(toYaml(value)), JSON.stringify(text)).toEqual(value);
    }
  });

  it('keeps numbers, booleans, null, empty collections and nesting', () => {
    const value: YamlValue = {
      int: 0,
      negative: -3,
      fraction: 1.5,
      yes: true,
      no: false,
      nothing: null,
      emptyList: [],
      emptyMap: {},
      lists: [[1, 2], [], [{ a: 'b' }], { c: [{ d: {} }] }],
      deep: { a: { b: { c: ['x', { y: 'z', w: [] }] } } },
    };
    expect(jsYaml.load(toYaml(value))).toEqual(value);
  });

  it('leaves out keys whose value is undefined, as JSON does', () => {
    expect(jsYaml.load(toYaml({ a: 'x', b: undefined }))).toEqual({ a: 'x' });
  });

  it('writes plain only what no reader can misread, and quotes the rest', () => {
    expect(yamlString('busybox')).toBe('busybox');
    expect(yamlString('batch/v1')).toBe('batch/v1');
    expect(yamlString('nvidia.com/gpu')).toBe('nvidia.com/gpu');
    for (const text of ['yes', 'No', 'on', 'y', 'null', '~', '1', '1.36', '0x10', 'busybox:1.36', 'a b', '-x', '.inf', '']) {
      expect(yamlString(text), text).toMatch(/^".*"$/s);
    }
    // Raw in the output, these would break or change a YAML 1.1 document.
    expect(yamlString('a\u2028b\u0085c\u007fd\ufeff')).toBe('"a\\u2028b\\u0085c\\u007fd\\ufeff"');
  });

  it('lays a manifest out as kubectl prints one', () => {
    expect(toYaml({ apiVersion: 'batch/v1', spec: { containers: [{ name: 'main', args: ['echo', 'hi there'] }], volumes: [] } })).toBe(
      [
        'apiVersion: batch/v1',
        'spec:',
        '  containers:',
        '  - name: main',
        '    args:',
        '    - echo',
        '    - "hi there"',
        '  volumes: []',
        '',
      ].join('\n'),
    );
  });
});
