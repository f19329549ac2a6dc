import { describe, expect, it } from 'vitest';
import { quoteCommandLine, quoteShellWord, splitShellWords } from '../../../renderer/lib/shell-words';

const words = (text: string) => splitShellWords(text).words;

describe('splitShellWords', () => {
  it('splits on blanks, any number of them', () => {
    expect(splitShellWords('  echo   hello\tworld \n')).toEqual({ words: ['echo', 'hello', 'world'], error: null });
    expect(splitShellWords('')).toEqual({ words: [], error: null });
    expect(splitShellWords('   ')).toEqual({ words: [], error: null });
  });

  it('keeps single-quoted text literally, backslashes and all', () => {
    expect(words(`sh -c 'echo hello-from-job; echo oops >&2; sleep 60'`)).toEqual([
      'sh',
      '-c',
      'echo hello-from-job; echo oops >&2; sleep 60',
    ]);
    expect(words(`printf 'a\\nb'`)).toEqual(['printf', 'a\\nb']);
  });

  it('lets a backslash escape only " \\ $ ` inside double quotes', () => {
    expect(words(`echo "say \\"hi\\" \\\\ \\$HOME \\n"`)).toEqual(['echo', 'say "hi" \\ $HOME \\n']);
    expect(words(`echo "it's"`)).toEqual(['echo', "it's"]);
  });

  it('joins quoted and bare parts of one word, and keeps empty quoted words', () => {
    expect(words(`a'b c'"d e"f`)).toEqual(['ab cd ef']);
    expect(words(`printf '' x ""`)).toEqual(['printf', '', 'x', '']);
  });

  it('lets a bare backslash keep the next character, and continue a line', () => {
    expect(words('echo a\\ b \\$x \\\\')).toEqual(['echo', 'a b', '$x', '\\']);
    expect(words('echo one\\\ntwo')).toEqual(['echo', 'onetwo']);
  });

  it('expands nothing: $, *, ~, ; and | are ordinary characters', () => {
    expect(words('echo $HOME *.txt ~ a;b | c')).toEqual(['echo', '$HOME', '*.txt', '~', 'a;b', '|', 'c']);
    expect(words('echo typed-$((2+3))')).toEqual(['echo', 'typed-$((2+3))']);
  });

  it('says what is wrong with unclosed quotes and a trailing backslash', () => {
    expect(splitShellWords(`echo 'open`)).toEqual({ words: ['echo', 'open'], error: expect.stringContaining('single quote') });
    expect(splitShellWords(`echo "open`).error).toContain('double quote');
    expect(splitShellWords('echo \\').error).toContain('backslash');
  });

  it('keeps characters outside the BMP whole', () => {
    expect(words('echo "🐳 ok"')).toEqual(['echo', '🐳 ok']);
  });
});

describe('quoteShellWord and quoteCommandLine', () => {
  it('leaves safe words bare and single-quotes the rest', () => {
    expect(quoteShellWord('docker')).toBe('docker');
    expect(quoteShellWord('--env=A=1')).toBe('--env=A=1');
    expect(quoteShellWord('/data:/data:ro')).toBe('/data:/data:ro');
    expect(quoteShellWord('')).toBe("''");
    expect(quoteShellWord('a b')).toBe("'a b'");
    expect(quoteShellWord("it's")).toBe("'it'\\''s'");
    expect(quoteShellWord('$HOME')).toBe("'$HOME'");
    expect(quoteShellWord('~')).toBe("'~'");
  });

  it('quotes a first word that would read as an assignment', () => {
    expect(quoteCommandLine(['A=1', 'A=1'])).toBe("'A=1' A=1");
  });

  it('round-trips through the splitter', () => {
    const argvs = [
      ['docker', 'run', '--rm', '-e', 'GREETING=hello world', 'busybox', 'sh', '-c', `echo "$GREETING"; echo 'x' >&2`],
      ['printf', '', 'a\nb', "it's", '\\', '🐳', '*', 'tab\there'],
    ];
    for (const argv of argvs) {
      expect(splitShellWords(quoteCommandLine(argv))).toEqual({ words: argv, error: null });
    }
  });
});
