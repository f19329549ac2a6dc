// A number that changes whenever the colours in use may have: the system's scheme (the theme
// setting "System") or the theme attribute the settings put on <html>. A canvas draws with colours
// read once, so it is redrawn when this changes.
import { useEffect, useState } from 'react';

export function useColorSchemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((current) => current + 1);
    const media = window.matchMedia('(prefers-color-scheme: dark)');
    media.addEventListener('change', bump);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      media.removeEventListener('change', bump);
      observer.disconnect();
    };
  }, []);
  return version;
}
