// The exact command line the spec becomes on its engine (from run.preview), copyable as one
// shell-quoted line, and every problem that keeps the run from starting.
import { useState } from 'react';
import type { CallResponse } from '../../../shared/contract';
import { Spinner } from '../../components/Spinner';
import { quoteCommandLine } from '../../lib/shell-words';

interface CommandPreviewProps {
  preview: CallResponse<'run.preview'> | undefined;
  /** The preview matches the form as it is now (not an older answer kept while typing). */
  current: boolean;
  loading: boolean;
  error: string | null;
  problems: string[];
}

export function CommandPreview({ preview, current, loading, error, problems }: CommandPreviewProps) {
  const [copied, setCopied] = useState<'copied' | 'failed' | null>(null);
  const line = preview ? quoteCommandLine(preview.commandLine) : '';

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(line);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
    setTimeout(() => setCopied(null), 2000);
  };

  return (
    <section className="run-preview" aria-labelledby="run-preview-heading">
      <div className="run-preview__head">
        <h3 id="run-preview-heading">Command line</h3>
        <span className="muted run-preview__status" aria-live="polite">
          {loading || (!current && preview) ? (
            <>
              <Spinner /> updating…
            </>
          ) : copied === 'copied' ? (
            'Copied.'
          ) : copied === 'failed' ? (
            'Could not copy: select the line instead.'
          ) : null}
        </span>
        <button type="button" className="button--small" data-testid="run-copy" disabled={!preview} onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <pre className={`run-preview__line mono${current ? '' : ' is-stale'}`} data-testid="run-preview" tabIndex={0} aria-label="Command line">
        {preview ? line : <span className="muted">{error ?? 'The command line appears once the form is complete.'}</span>}
      </pre>
      {preview?.commandLineIsEquivalent ? (
        <p className="field-note">Crossdock makes this run through the engine's API; this is the equivalent command line.</p>
      ) : null}
      <ul className="run-problems" data-testid="run-problems" aria-label="Problems" aria-live="polite">
        {problems.map((problem) => (
          <li key={problem}>{problem}</li>
        ))}
      </ul>
    </section>
  );
}
