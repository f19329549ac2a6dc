// "Export…" beside "Run" in the run dialog and among a job's actions: opens the export dialog for
// the spec it is given. Lives here so the run dialog and the job actions only place it.
import { useState } from 'react';
import type { RunSpec } from '../../../shared/run';
import { ExportDialog } from './ExportDialog';

interface ExportButtonProps {
  /** The spec to export, or null while there is none (an incomplete form, no job selected). */
  spec: RunSpec | null;
  /** Suggested name for the files and the Job. */
  name: string;
  /** Why there is no spec, for the disabled button's title. */
  disabledReason: string;
  testId: string;
}

export function ExportButton({ spec, name, disabledReason, testId }: ExportButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" data-testid={testId} disabled={spec === null} title={spec === null ? disabledReason : undefined} onClick={() => setOpen(true)}>
        Export…
      </button>
      {open && spec ? <ExportDialog spec={spec} name={name} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
