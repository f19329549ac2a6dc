// The run dialog's "Run on all engines…": opens the comparison panel for the spec the form makes.
// Lives here, not in RunDialog.tsx, so the run dialog only places it.
import { useState } from 'react';
import type { ComparisonRecord } from '../../../shared/compare';
import type { EngineStatus } from '../../../shared/model';
import type { RunSpec } from '../../../shared/run';
import type { ImageRow } from '../../lib/image-rows';
import { CompareSetupDialog } from './CompareSetupDialog';

interface RunAllButtonProps {
  /** The run dialog's spec, or null while its form is incomplete (no image chosen, …). */
  spec: RunSpec | null;
  engines: readonly EngineStatus[];
  rows: readonly ImageRow[];
  onStarted(record: ComparisonRecord): void;
}

export function RunAllButton({ spec, engines, rows, onStarted }: RunAllButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        data-testid="run-all"
        disabled={spec === null}
        title={spec === null ? 'Complete the form first (an image, a valid command)' : undefined}
        onClick={() => setOpen(true)}
      >
        Run on all engines…
      </button>
      {open && spec ? <CompareSetupDialog spec={spec} engines={engines} rows={rows} onClose={() => setOpen(false)} onStarted={onStarted} /> : null}
    </>
  );
}
