// Splitting one text field into argv the way a POSIX shell splits words, and the reverse (quoting
// an argv so it can be pasted into a shell as one line). Nothing here runs a shell: `$`, `*`, `;`
// and `|` are ordinary characters, kept as they are, so "sh -c '...'" is how a user asks for one.

export interface SplitResult {
  words: string[];
  /** Why the text cannot be split (an unclosed quote, a trailing backslash); words are then partial. */
  error: string | null;
}

/**
 * Words separated by unquoted blanks. Single quotes keep everything literally; double quotes keep
 * everything except that a backslash escapes `"`, `\`, `$` and `` ` `` (and drops an escaped
 * newline); outside quotes a backslash keeps the next character literally. '' and "" make an
 * empty word.
 */
export function splitShellWords(text: string): SplitResult {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const done = (error: string | null): SplitResult => {
    if (inWord) words.push(word);
    return { words, error };
  };
  while (i < text.length) {
    const char = text[i]!;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r') {
      if (inWord) {
        words.push(word);
        word = '';
        inWord = false;
      }
      i += 1;
    } else if (char === "'") {
      const end = text.indexOf("'", i + 1);
      inWord = true;
      if (end < 0) {
        word += text.slice(i + 1);
        return done('a single quote (\') is not closed');
      }
      word += text.slice(i + 1, end);
      i = end + 1;
    } else if (char === '"') {
      inWord = true;
      i += 1;
      let closed = false;
      while (i < text.length) {
        const inner = text[i]!;
        if (inner === '"') {
          closed = true;
          i += 1;
          break;
        }
        if (inner === '\\' && i + 1 < text.length) {
          const next = text[i + 1]!;
          if (next === '\n') {
            i += 2;
            continue;
          }
          if (next === '"' || next === '\\' || next === '$' || next === '`') {
            word += next;
            i += 2;
            continue;
          }
        }
        word += inner;
        i += 1;
      }
      if (!closed) return done('a double quote (") is not closed');
    } else if (char === '\\') {
      if (i + 1 >= text.length) {
        inWord = true;
        return done('a backslash (\\) ends the line with nothing to escape');
      }
      const next = text[i + 1]!;
      // A backslash-newline continues the line and is no word at all.
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i += 2;
    } else {
      word += char;
      inWord = true;
      i += 1;
    }
  }
  return done(null);
}

/** Characters that never need quoting in any POSIX shell. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One word as a shell reads it back unchanged: bare when safe, otherwise in single quotes. */
export function quoteShellWord(word: string): string {
  if (word === '') return "''";
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** An argv as one line to paste into a shell. Newlines stay inside their quotes. */
export function quoteCommandLine(argv: readonly string[]): string {
  // A first word with "=" would read as a variable assignment, not as the program.
  return argv.map((word, index) => (index === 0 && word.includes('=') ? `'${word}'` : quoteShellWord(word))).join(' ');
}
