// How a value is written into an HTCondor submit description so that condor_submit reads back
// exactly the value meant, whatever it holds. Checked against HTCondor's own parser (the htcondor
// 23.x Python bindings) in test/unit/export/htcondor-syntax.test.ts.
//
// The traps, as the submit language has them:
// - one command per line, and a line ending in "\" continues on the next: a newline or a trailing
//   backslash in a raw value would inject commands;
// - "$(NAME)" and "$NAME(...)" (ENV, RANDOM_INTEGER, F, ...) are macros expanded at submit time;
//   "$(DOLLAR)" is the literal "$" (a "$" not followed by a macro is left as it is), and the text
//   "$(DOLLAR)" itself cannot be written at all;
// - "$$(NAME)" and "$$([expr])" are left in the job ad and replaced by the schedd from the matched
//   machine's ad at match time, so a value must never end up holding "$$(" (or "$$[");
// - arguments and environment use the "new syntax" when the value is in double quotes: "" is a
//   literal double quote, whitespace separates, single quotes group and '' inside them is a literal
//   single quote.

/** A part of the spec that cannot be written, in words for the dialog. */
export class SubmitSyntaxError extends Error {}

/** Every C0 control character but tab, and DEL: HTCondor's parser treats some as separators. */
const CONTROL = /[\0-\x08\n-\x1f\x7f]/;

function refuseControls(value: string, what: string): void {
  if (/[\n\r]/.test(value)) throw new SubmitSyntaxError(`${what} holds a line break, which a submit file cannot carry (each line is one command)`);
  if (CONTROL.test(value)) throw new SubmitSyntaxError(`${what} holds a control character, which a submit file cannot carry safely`);
}

/**
 * Neutralises submit-time macros in a value as it will stand on its line: every "$" that would
 * start one becomes "$(DOLLAR)". Refuses what would reach the job ad as a match-time "$$(" or
 * "$$[", which nothing written in a submit file can keep literal.
 */
export function escapeMacros(value: string, what: string): string {
  // HTCondor replaces "$(DOLLAR)" (any case) again after each replacement, so its escaped form
  // "$(DOLLAR)(DOLLAR)" still reads as "$": the text itself cannot be written.
  if (/\$\(dollar\)/i.test(value)) throw new SubmitSyntaxError(`${what} holds "$(DOLLAR)", which HTCondor always reads as "$"`);
  const escaped = value.replace(/\$(?=[A-Za-z0-9_]*\()/g, '$(DOLLAR)');
  if (/\$\$[([]/.test(escaped)) {
    throw new SubmitSyntaxError(
      `${what} holds "$$(", "$$[" or "$" before a "$(": HTCondor replaces "$$(...)" from the matched machine when the job starts, so it cannot be passed on literally`,
    );
  }
  return escaped;
}

/** One word of a new-syntax list (arguments, or an environment value), without the outer quotes. */
function newSyntaxWord(word: string): string {
  const doubled = word.replace(/"/g, '""');
  // Single quotes group what holds whitespace or a single quote; an empty word needs them too.
  if (word === '' || /[ \t']/.test(word)) return `'${doubled.replace(/'/g, "''")}'`;
  return doubled;
}

/** `arguments = "..."`'s value: the argv as HTCondor's new syntax, macros neutralised. */
export function argumentsValue(argv: readonly string[]): string {
  argv.forEach((arg, index) => refuseControls(arg, `Argument ${index + 1}`));
  return escapeMacros(`"${argv.map(newSyntaxWord).join(' ')}"`, 'An argument');
}

/** `environment = "..."`'s value, in the new syntax: NAME=value pairs, values quoted as needed. */
export function environmentValue(env: ReadonlyArray<{ name: string; value: string }>): string {
  for (const { name, value } of env) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new SubmitSyntaxError(`The variable name ${JSON.stringify(name)} is not a plain name`);
    refuseControls(value, `The variable ${name}`);
  }
  return escapeMacros(`"${env.map(({ name, value }) => `${name}=${value === '' ? '' : newSyntaxWord(value)}`).join(' ')}"`, 'An environment value');
}

/**
 * A raw (unquoted) value such as a path: HTCondor trims the ends and reads a trailing "\" as a
 * line continuation, so those are refused rather than changed.
 */
export function rawValue(value: string, what: string): string {
  refuseControls(value, what);
  if (value !== value.trim()) throw new SubmitSyntaxError(`${what} starts or ends with whitespace, which HTCondor would trim off`);
  if (value.endsWith('\\')) throw new SubmitSyntaxError(`${what} ends with "\\", which HTCondor reads as "continued on the next line"`);
  if (value === '') throw new SubmitSyntaxError(`${what} is empty`);
  return escapeMacros(value, what);
}

/**
 * A path in a comma-separated file list (transfer_input_files, and the image path HTCondor adds
 * to it). HTCondor splits such lists at commas and, in the string lists its daemons use, at
 * whitespace too; a path holding either is refused rather than split on the execute machine.
 */
export function fileListPath(path: string, what: string): string {
  if (/[,\s]/.test(path)) throw new SubmitSyntaxError(`${what} ${JSON.stringify(path)} holds a comma or whitespace, which HTCondor's file lists use as separators`);
  return rawValue(path, what);
}
