// Words for a POSIX shell script that Crossdock generates (batch scripts): every word is single-
// quoted, so nothing in it (spaces, $, `, ", ;, newlines) is read by the shell; a single quote
// inside becomes '\''. Only the places a script itself must fill in are left to the shell, and
// those are spelled by the generator, never taken from a user's field.
export function shellQuote(word: string): string {
  if (word.includes('\0')) throw new Error('a shell word cannot hold a NUL character');
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * A word that holds `placeholder` where the shell must put `expansion` (a variable the script set):
 * the literal parts quoted, the expansion double-quoted between them.
 */
export function shellQuoteWith(word: string, placeholder: string, expansion: string): string {
  if (!word.includes(placeholder)) return shellQuote(word);
  return word
    .split(placeholder)
    .map((part) => (part === '' ? '' : shellQuote(part)))
    .join(`"${expansion}"`);
}

/** A command line as quoted words. */
export function shellLine(argv: readonly string[], placeholder?: { text: string; expansion: string }): string {
  return argv.map((word) => (placeholder ? shellQuoteWith(word, placeholder.text, placeholder.expansion) : shellQuote(word))).join(' ');
}

/** A comment line's text: one line, no control characters (a newline would end the comment). */
export function commentText(text: string): string {
  return text.replace(/[\p{Cc}]/gu, ' ');
}
