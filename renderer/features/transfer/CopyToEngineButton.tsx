// "Copy to engine…" in the image detail pane: opens the transfer dialog for the engine copy chosen
// in "Held by". Lives here so the pane only places it.
import { useState } from 'react';
import type { ImageRow } from '../../lib/image-rows';
import { CopyToEngineDialog } from './CopyToEngineDialog';

export function CopyToEngineButton({ row }: { row: ImageRow }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" data-testid="image-copy-to-engine" onClick={() => setOpen(true)}>
        Copy to engine…
      </button>
      {open ? <CopyToEngineDialog row={row} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
