// What the Electron window may open or navigate to. Kept apart from main.ts so it is tested.

/** Links to the web leave the app for the user's browser; everything else is dropped. */
export function isExternalWebUrl(url: string): boolean {
  try {
    const protocol = new URL(url).protocol;
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** The window only ever shows its own page: any other navigation is refused. */
export function mayNavigate(currentUrl: string, targetUrl: string): boolean {
  return currentUrl !== '' && stripHash(currentUrl) === stripHash(targetUrl);
}

function stripHash(url: string): string {
  const index = url.indexOf('#');
  return index >= 0 ? url.slice(0, index) : url;
}
