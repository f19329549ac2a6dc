// Two outputs as a line diff (jsdiff's diffLines), each line marked "+", "-" or " " in its text,
// so added and removed lines read the same without colour. Outputs that differ too much for a
// readable diff (or would take long to diff on the window's thread) say so instead. Characters
// that print nothing (a terminal's carriage return) are written as escapes, a backslash and r, and a
// diff made only of line endings says so: "hello" and "hello\r" must not look the same.
import { diffLines } from 'diff';

export interface DiffLine {
  mark: '+' | '-' | ' ';
  text: string;
}

export interface LineDiff {
  lines: DiffLine[];
  added: number;
  removed: number;
  /** The edit distance passed maxEdits: no diff was computed. */
  tooDifferent: boolean;
  /** The outputs are the same once "\r\n" is read as "\n" (one came through a terminal). */
  onlyLineEndings: boolean;
}

/**
 * C0 controls other than tab, and DEL, written as escapes ("\r", "\x1b"): plain ASCII, so every
 * font shows them (the Unicode control pictures are missing from common fonts).
 */
export function visibleControls(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, (char) => {
    if (char === '\r') return '\\r';
    if (char === '\n') return '\\n';
    return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** Past this many edited lines a diff is noise, and Myers' algorithm gets slow. */
export const MAX_DIFF_EDITS = 2000;

export function lineDiff(before: string, after: string, maxEdits = MAX_DIFF_EDITS): LineDiff {
  const changes = diffLines(before, after, { maxEditLength: maxEdits });
  if (!changes) return { lines: [], added: 0, removed: 0, tooDifferent: true, onlyLineEndings: false };
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const change of changes) {
    const mark = change.added ? '+' : change.removed ? '-' : ' ';
    // The last line of a part ends with "\n" (or is a last line without one): no empty line after it.
    const parts = change.value.endsWith('\n') ? change.value.slice(0, -1).split('\n') : change.value.split('\n');
    for (const text of parts) lines.push({ mark, text: visibleControls(text) });
    if (change.added) added += parts.length;
    if (change.removed) removed += parts.length;
  }
  const onlyLineEndings = (added > 0 || removed > 0) && before.replace(/\r\n/g, '\n') === after.replace(/\r\n/g, '\n');
  return { lines, added, removed, tooDifferent: false, onlyLineEndings };
}
