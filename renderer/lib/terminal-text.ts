// What a job's output events become in the terminal: stderr in red, Crossdock's own notices
// dimmed, and a one-line note where the host skipped output to catch up. Pure, so the escape
// sequences are pinned down by unit tests.
import type { JobOutputEvent } from '../../shared/jobs';
import { formatBytes } from './format';

const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

/** The text to write for one event; null for events that write nothing. */
export function terminalTextOf(event: JobOutputEvent): string | null {
  switch (event.type) {
    case 'output':
      if (event.text === '') return null;
      switch (event.stream) {
        case 'stderr':
          return `${RED}${event.text}${RESET}`;
        case 'notice':
          return `${DIM}${event.text}${RESET}`;
        default:
          return event.text;
      }
    case 'skipped':
      return `\r\n${DIM}… skipped ${formatMegabytes(event.bytes)} (kept in the saved output)${RESET}\r\n`;
    case 'caught-up':
      return null;
  }
}

function formatMegabytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(bytes >= 10_000_000 ? 0 : 1)} MB`;
  return formatBytes(bytes);
}
