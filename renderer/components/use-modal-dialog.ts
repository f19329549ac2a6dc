// A <dialog> shown modally while the component lives: the rest of the page is inert, Tab cycles
// inside it, Esc asks the owner to close (React decides whether it exists), the element named by
// `initialFocus` (or the first field) gets focus, and focus goes back where it was on close.
import { useEffect, useRef, type KeyboardEvent, type RefObject, type SyntheticEvent } from 'react';

const focusableSelector =
  'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

export function useModalDialog(onCancel: () => void, initialFocus?: RefObject<HTMLElement | null>) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef(onCancel);
  cancelRef.current = onCancel;

  useEffect(() => {
    const dialog = dialogRef.current;
    const returnFocusTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    const first = initialFocus?.current ?? dialog?.querySelector<HTMLElement>(focusableSelector);
    first?.focus();
    return () => {
      if (dialog?.open) dialog.close();
      if (returnFocusTo?.isConnected) returnFocusTo.focus();
    };
    // Once, on mount: later renders must not steal focus back.
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    if (event.key !== 'Tab' || !dialogRef.current) return;
    const focusable = [...dialogRef.current.querySelectorAll<HTMLElement>(focusableSelector)].filter(
      (element) => element.offsetParent !== null || element === document.activeElement,
    );
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

  const onDialogCancel = (event: SyntheticEvent<HTMLDialogElement>) => {
    event.preventDefault();
    cancelRef.current();
  };

  return { dialogRef, dialogProps: { onKeyDown, onCancel: onDialogCancel } };
}
