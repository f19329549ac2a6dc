// The selected job's terminal with its toolbar: search (next/previous), copy the selection, save
// the whole output (served by the host), follow or pause, clear. Keyed by job id by its parent, so
// switching jobs disposes this terminal and its stream before the next one opens.
import '@xterm/xterm/css/xterm.css';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { isActiveJobState, type JobRecord } from '../../../shared/jobs';
import { Spinner } from '../../components/Spinner';
import { describeJobState } from '../../lib/job-state';
import { useJobTerminal, type StreamState } from './use-job-terminal';

interface JobTerminalProps {
  job: JobRecord;
  /** Take the keyboard once open (an interactive job just started). */
  autoFocus?: boolean;
}

const streamText: Record<StreamState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  ended: 'All output shown',
  retrying: 'Output stream lost; reconnecting…',
};

export function JobTerminal({ job, autoFocus = false }: JobTerminalProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const { controller, streamState, streamError } = useJobTerminal(job, containerRef, autoFocus);
  const [query, setQuery] = useState('');
  const [searchNote, setSearchNote] = useState<string | null>(null);
  const [follow, setFollow] = useState(true);
  const [copyNote, setCopyNote] = useState<string | null>(null);
  const searchId = useId();
  const active = isActiveJobState(job.state);
  const state = describeJobState(job);

  const find = (direction: 'next' | 'previous') => {
    const found = controller.current?.find(query, direction) ?? false;
    setSearchNote(query === '' ? null : found ? null : 'Not found');
  };
  const onSearchKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      find(event.shiftKey ? 'previous' : 'next');
    } else if (event.key === 'Escape' && query !== '') {
      event.preventDefault();
      setQuery('');
      setSearchNote(null);
      controller.current?.clearSearch();
    }
  };
  const copySelection = async () => {
    const text = controller.current?.selection() ?? '';
    if (text === '') {
      setCopyNote('Select some text first.');
    } else {
      try {
        await navigator.clipboard.writeText(text);
        setCopyNote('Copied.');
      } catch {
        setCopyNote('Could not copy.');
      }
    }
    setTimeout(() => setCopyNote(null), 2000);
  };
  const toggleFollow = () => {
    const next = !follow;
    setFollow(next);
    controller.current?.setFollow(next);
  };

  return (
    <section className="terminal-pane" aria-label={`Output of the job of ${job.imageLabel}`}>
      <div className="terminal-toolbar" role="toolbar" aria-label="Terminal">
        <span className={`state-badge state-badge--${state.tone}`}>
          <span aria-hidden="true">{state.icon}</span> {state.text}
        </span>
        <label htmlFor={searchId} className="visually-hidden">
          Search the output
        </label>
        <input
          id={searchId}
          type="search"
          className="terminal-toolbar__search"
          placeholder="Search output"
          value={query}
          data-testid="terminal-search"
          onChange={(event) => {
            setQuery(event.target.value);
            setSearchNote(null);
          }}
          onKeyDown={onSearchKey}
        />
        <button type="button" className="button--small" onClick={() => find('previous')} disabled={query === ''} aria-label="Previous match">
          ↑
        </button>
        <button type="button" className="button--small" onClick={() => find('next')} disabled={query === ''} aria-label="Next match">
          ↓
        </button>
        <button type="button" className="button--small" onClick={() => void copySelection()}>
          Copy selection
        </button>
        <a
          className="button-link button--small"
          href={`/api/jobs/${encodeURIComponent(job.id)}/output.txt?download=1`}
          download={`${job.id}.txt`}
          data-testid="save-output"
        >
          Save output
        </a>
        <button type="button" className="button--small" aria-pressed={!follow} onClick={toggleFollow} data-testid="terminal-follow">
          {follow ? 'Pause scrolling' : 'Follow output'}
        </button>
        <button type="button" className="button--small" onClick={() => controller.current?.clear()}>
          Clear
        </button>
        <span className="terminal-toolbar__note muted" aria-live="polite">
          {searchNote ?? copyNote ?? (
            <>
              {streamState === 'connecting' || streamState === 'retrying' ? <Spinner /> : null} {streamText[streamState]}
              {streamError ? ` (${streamError})` : ''}
            </>
          )}
        </span>
      </div>
      {/* Always there (empty while the job runs), so the terminal keeps its grid row. */}
      <p className="terminal-pane__message" data-testid="job-message">
        {job.message && !active ? job.message : null}
      </p>
      <div
        ref={containerRef}
        className="terminal"
        data-testid="terminal"
        data-job-id={job.id}
        data-interactive={job.spec.tty && active ? 'true' : 'false'}
        onClick={() => controller.current?.focus()}
      />
    </section>
  );
}
