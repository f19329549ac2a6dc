// Which row a key moves the selection to. Pure, so the list component only wires it up.

/** The new selected index, or null when the key is not a navigation key. */
export function navigate(key: string, current: number | null, count: number, pageSize: number): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const from = current === null ? -1 : Math.min(current, last);
  const page = Math.max(1, pageSize);
  switch (key) {
    case 'ArrowDown':
      return Math.min(from + 1, last);
    case 'ArrowUp':
      return from < 0 ? 0 : Math.max(from - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return last;
    case 'PageDown':
      return Math.min(Math.max(from, 0) + page, last);
    case 'PageUp':
      return Math.max(Math.max(from, 0) - page, 0);
    default:
      return null;
  }
}
