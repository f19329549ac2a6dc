// Effects of the window on the document itself: the theme attribute the stylesheet keys on, and
// body[data-ready] that end-to-end tests and the start-up benchmark wait for.
import { useEffect } from 'react';
import type { Settings } from '../shared/settings';
import type { ImageListings } from './features/images/use-image-listings';

export function useThemeAttribute(theme: Settings['theme']): void {
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
}

/** Ready once the engines answered (or failed) and every listed engine's first listing settled. */
export function useReadySignal(enginesSettled: boolean, listings: ImageListings): void {
  const ready = enginesSettled && listings.listings.every(({ query }) => !query.isPending);
  useEffect(() => {
    if (ready && document.body.dataset.ready !== 'true') document.body.dataset.ready = 'true';
  }, [ready]);
}
