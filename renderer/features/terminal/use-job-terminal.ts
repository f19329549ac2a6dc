// One xterm per job, wired to the host: the job's output from its start (each write's callback
// grants the stream's credit, so the host never runs ahead of what the terminal has parsed), and
// for interactive jobs the keystrokes, pastes and size going back. Everything it creates is
// disposed when the job changes or the terminal unmounts.
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { isActiveJobState, MAX_INPUT_CHARS, type JobRecord } from '../../../shared/jobs';
import { useApiClient } from '../../api/client-context';
import { createInputBatcher } from '../../lib/input-batcher';
import { terminalTextOf } from '../../lib/terminal-text';
import { mirrorInlineStyles, withStandInStyles } from './mirror-inline-styles';

export const TERMINAL_SCROLLBACK = 10_000;
const RETRY_MS = 2000;
const RESIZE_DEBOUNCE_MS = 120;

export type StreamState = 'connecting' | 'live' | 'ended' | 'retrying';

export interface TerminalController {
  find(text: string, direction: 'next' | 'previous'): boolean;
  clearSearch(): void;
  selection(): string;
  clear(): void;
  setFollow(follow: boolean): void;
  focus(): void;
  /** Tells an interactive job the terminal's size again (its terminal may exist only now). */
  sendSize(): void;
}

/** A dark terminal in both themes, as terminals usually are; contrast checked against #16181c. */
const theme = {
  background: '#16181c',
  foreground: '#e8eaed',
  cursor: '#e8eaed',
  selectionBackground: '#3d5a8a',
  red: '#ff8a80',
  brightRed: '#ffb4ab',
  green: '#6fd28d',
  yellow: '#f2c064',
  blue: '#8ab4ff',
  brightBlack: '#a4abb7',
};

export function useJobTerminal(job: JobRecord, containerRef: RefObject<HTMLDivElement | null>, autoFocus = false) {
  const client = useApiClient();
  const controller = useRef<TerminalController | null>(null);
  const jobRef = useRef(job);
  jobRef.current = job;
  const [streamState, setStreamState] = useState<StreamState>('connecting');
  const [streamError, setStreamError] = useState<string | null>(null);
  const jobId = job.id;
  const tty = job.spec.tty;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    let disposed = false;
    const stopMirror = mirrorInlineStyles(container);
    const term = new Terminal({
      scrollback: TERMINAL_SCROLLBACK,
      convertEol: !tty,
      disableStdin: !tty,
      cursorBlink: tty,
      cursorInactiveStyle: tty ? 'outline' : 'none',
      fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace",
      fontSize: 13,
      theme,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    withStandInStyles(() => term.open(container));
    if (!tty) term.write('\x1b[?25l'); // no cursor where nobody types
    const fitNow = () => {
      if (disposed || container.clientWidth === 0 || container.clientHeight === 0) return;
      try {
        fit.fit();
      } catch {
        // not measurable yet (hidden); the observer fits again once it is
      }
    };
    fitNow();

    // Follow (the default) keeps the newest line in view; pause pins the view where it is while
    // output still arrives and is written below.
    let follow = true;
    let pinned = 0;
    let writing = 0;
    term.onScroll((line) => {
      if (!follow && writing === 0) pinned = line;
    });
    const rememberUserScroll = () =>
      requestAnimationFrame(() => {
        if (!disposed && !follow) pinned = term.buffer.active.viewportY;
      });
    container.addEventListener('wheel', rememberUserScroll, { passive: true });

    // What the terminal has parsed and what the host skipped, on the element: the benchmark (and a
    // curious user's devtools) read the terminal's real pace from them.
    let renderedChars = 0;
    let skippedBytes = 0;
    const settleWrites = new Set<() => void>();
    const write = (text: string) =>
      new Promise<void>((resolve) => {
        writing += 1;
        settleWrites.add(resolve);
        term.write(text, () => {
          writing -= 1;
          renderedChars += text.length;
          container.dataset.renderedChars = String(renderedChars);
          settleWrites.delete(resolve);
          if (!follow && term.buffer.active.viewportY !== pinned) term.scrollToLine(pinned);
          resolve();
        });
      });

    // The output stream, from the start; after a failure it resumes where it stopped.
    let offset = 0;
    let subscription: { dispose(): void } | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      subscription = client.subscribe('jobs.output', { jobId, fromOffset: offset }, {
        onEvent(event) {
          offset = event.offset;
          if (event.type === 'caught-up') {
            setStreamState('live');
            return;
          }
          if (event.type === 'skipped') {
            skippedBytes += event.bytes;
            container.dataset.skippedBytes = String(skippedBytes);
          }
          const text = terminalTextOf(event);
          return text === null ? undefined : write(text);
        },
        onEnd() {
          if (!disposed) setStreamState('ended');
        },
        onError(error) {
          if (disposed) return;
          setStreamError(error.message);
          if (error.kind === 'not-found' || error.kind === 'invalid-request') {
            setStreamState('ended');
            return;
          }
          setStreamState('retrying');
          retry = setTimeout(() => {
            if (!disposed) {
              setStreamError(null);
              open();
            }
          }, RETRY_MS);
        },
      });
    };
    open();

    // Interactive jobs: what is typed or pasted goes to the job (Ctrl-C as \x03), and the size.
    const batcher = createInputBatcher({
      maxChars: MAX_INPUT_CHARS,
      send: (data) => client.call('jobs.input', { jobId, data }),
      schedule: (flush) => requestAnimationFrame(flush),
      cancel: (handle) => cancelAnimationFrame(handle as number),
      onError: (error) => setStreamError(`Input not delivered: ${error instanceof Error ? error.message : String(error)}`),
    });
    let resizeTimer: ReturnType<typeof setTimeout> | undefined;
    const sendSize = () => {
      if (!tty || disposed || !isActiveJobState(jobRef.current.state)) return;
      client.call('jobs.resize', { jobId, size: { cols: Math.max(2, term.cols), rows: Math.max(1, term.rows) } }).catch(() => {
        // the job may have ended meanwhile; nothing to resize then
      });
    };
    if (tty) {
      term.onData((data) => {
        if (isActiveJobState(jobRef.current.state)) batcher.push(data);
      });
      term.onResize(() => {
        clearTimeout(resizeTimer);
        resizeTimer = setTimeout(sendSize, RESIZE_DEBOUNCE_MS);
      });
      sendSize();
    }

    let fitFrame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(fitFrame);
      fitFrame = requestAnimationFrame(fitNow);
    });
    observer.observe(container);
    if (autoFocus) term.focus();

    controller.current = {
      find: (text, direction) =>
        text === '' ? false : direction === 'next' ? search.findNext(text) : search.findPrevious(text),
      clearSearch: () => search.clearDecorations(),
      selection: () => term.getSelection(),
      clear: () => term.clear(),
      setFollow(next) {
        follow = next;
        if (follow) term.scrollToBottom();
        else pinned = term.buffer.active.viewportY;
      },
      focus: () => term.focus(),
      sendSize,
    };

    return () => {
      disposed = true;
      controller.current = null;
      clearTimeout(retry);
      clearTimeout(resizeTimer);
      cancelAnimationFrame(fitFrame);
      subscription?.dispose();
      batcher.dispose();
      observer.disconnect();
      container.removeEventListener('wheel', rememberUserScroll);
      // Writes still queued will never call back once the terminal is gone.
      for (const settle of settleWrites) settle();
      settleWrites.clear();
      term.dispose();
      stopMirror();
    };
    // autoFocus matters only when the terminal opens.
  }, [client, containerRef, jobId, tty]);

  // A job that was starting when the terminal opened has its own terminal only once it runs.
  useEffect(() => {
    if (job.state === 'running') controller.current?.sendSize();
  }, [job.state]);

  return { controller, streamState, streamError };
}
