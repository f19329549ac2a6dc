// An accessible confirmation: a modal <dialog> (the rest of the page is inert while it is open),
// Tab cycles inside it, Esc cancels, and focus goes back where it was when it closes.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Spinner } from './Spinner';

interface ConfirmDialogProps {
  title: string;
  /** What exactly will happen, in words. */
  children: ReactNode;
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
  /** Shown while the action runs; the buttons wait. */
  busyText?: string | null;
  /** The engine's own message when the action failed. */
  error?: string | null;
}

const focusableSelector = 'button:not([disabled]), input:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onCancel, busyText, error }: ConfirmDialogProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const busy = Boolean(busyText);

  useEffect(() => {
    const dialog = dialogRef.current;
    const returnFocusTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    cancelRef.current?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (returnFocusTo?.isConnected) returnFocusTo.focus();
    };
  }, []);

  const trapTab = (event: React.KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || !dialogRef.current) return;
    const focusable = [...dialogRef.current.querySelectorAll<HTMLElement>(focusableSelector)];
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={dialogRef}
      className="confirm-dialog"
      data-testid="confirm-dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onKeyDown={trapTab}
      onCancel={(event) => {
        // Esc: React owns whether the dialog exists, so ask rather than let it close itself.
        event.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId} className="confirm-dialog__body">
        {children}
      </div>
      {error ? (
        <p className="confirm-dialog__error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="confirm-dialog__progress" aria-live="polite">
        {busyText ? (
          <>
            <Spinner /> {busyText}
          </>
        ) : null}
      </p>
      <div className="confirm-dialog__buttons">
        <button type="button" ref={cancelRef} onClick={onCancel} disabled={busy}>
          Cancel
        </button>
        <button type="button" className="button--danger" onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
