// "Submit to Slurm…" for the run dialog, the comparison panel and the job list: opens the Slurm
// dialog for the spec (or specs) given. Lives here so the places that offer it only place it.
import { useState } from 'react';
import type { JobRecord } from '../../../shared/jobs';
import type { RunSpec } from '../../../shared/run';
import { SlurmSubmitDialog } from './SlurmSubmitDialog';

interface SlurmButtonProps {
  /** Null while the form that makes them is incomplete. */
  specs: RunSpec[] | null;
  what: string;
  label?: string;
  disabledReason?: string;
  testId?: string;
  onSubmitted(records: JobRecord[]): void;
}

export function SlurmButton({ specs, what, label = 'Submit to Slurm…', disabledReason, testId = 'slurm-open', onSubmitted }: SlurmButtonProps) {
  const [open, setOpen] = useState(false);
  const disabled = specs === null || specs.length === 0;
  return (
    <>
      <button type="button" data-testid={testId} disabled={disabled} title={disabled ? (disabledReason ?? 'Complete the form first') : undefined} onClick={() => setOpen(true)}>
        {label}
      </button>
      {open && specs ? (
        <SlurmSubmitDialog
          specs={specs}
          what={what}
          onClose={() => setOpen(false)}
          onSubmitted={(records) => {
            setOpen(false);
            onSubmitted(records);
          }}
        />
      ) : null}
    </>
  );
}
