// The shapes the submit-file writer produces and what it refuses. Whether HTCondor reads them back
// as meant is checked against its own parser in test/integration/htcondor-submit.test.ts.
import { describe, expect, it } from 'vitest';
import { argumentsValue, environmentValue, escapeMacros, fileListPath, rawValue, SubmitSyntaxError } from '../../../electron/batch/htcondor/submit-syntax';

describe('argumentsValue', () => {
  it('writes the new syntax: double quotes around, words single-quoted only when they must be', () => {
    expect(argumentsValue(['-c', 'echo hi'])).toBe(`"-c 'echo hi'"`);
    expect(argumentsValue(['say "x"'])).toBe(`"'say ""x""'"`);
    expect(argumentsValue(["it's"])).toBe(`"'it''s'"`);
    expect(argumentsValue([''])).toBe(`"''"`);
    expect(argumentsValue(['a\tb'])).toBe(`"'a\tb'"`);
  });

  it('neutralises macros and refuses what HTCondor would substitute at match time', () => {
    expect(argumentsValue(['$(HOME)', '$ENV(PATH)', '$HOME', 'a$$b'])).toBe('"$(DOLLAR)(HOME) $(DOLLAR)ENV(PATH) $HOME a$$b"');
    for (const hostile of ['$$(Memory)', '$$([1+1])', '$$x(y)']) expect(() => argumentsValue([hostile]), hostile).toThrow(SubmitSyntaxError);
  });

  it('refuses line breaks and control characters, naming the argument', () => {
    expect(() => argumentsValue(['ok', 'two\nlines'])).toThrow(/Argument 2 holds a line break/);
    expect(() => argumentsValue(['cr\r'])).toThrow(/line break/);
    expect(() => argumentsValue(['bell\u0007'])).toThrow(/control character/);
    expect(() => argumentsValue(['nul\u0000'])).toThrow(/control character/);
  });
});

describe('environmentValue', () => {
  it('writes NAME=value pairs, quoting values that need it', () => {
    expect(environmentValue([{ name: 'A', value: '1' }, { name: 'B', value: 'x y' }, { name: 'C', value: '' }, { name: 'D', value: `"q" 'r'` }])).toBe(
      `"A=1 B='x y' C= D='""q"" ''r'''"`,
    );
  });

  it('refuses a line break in a value', () => {
    expect(() => environmentValue([{ name: 'A', value: 'x\ny' }])).toThrow(/The variable A holds a line break/);
  });
});

describe('raw values and file lists', () => {
  it('refuses what HTCondor would trim or read as a continuation', () => {
    expect(rawValue('/bin/echo', 'The program')).toBe('/bin/echo');
    expect(() => rawValue(' /bin/echo', 'The program')).toThrow(/whitespace/);
    expect(() => rawValue('/bin/x\\', 'The program')).toThrow(/continued on the next line/);
    expect(() => rawValue('', 'The program')).toThrow(/empty/);
  });

  it('refuses separators in file-list paths', () => {
    expect(fileListPath('/data/in', 'Bind 1')).toBe('/data/in');
    expect(() => fileListPath('/data/my in', 'Bind 1')).toThrow(/comma or whitespace/);
    expect(() => fileListPath('/data/a,b', 'Bind 1')).toThrow(/comma or whitespace/);
  });

  it('escapes macros in raw values too', () => {
    expect(escapeMacros('/opt/$(X)/bin', 'The program')).toBe('/opt/$(DOLLAR)(X)/bin');
  });
});
