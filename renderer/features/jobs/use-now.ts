// A clock for live durations: ticks once a second while `live`, and not at all otherwise, so an
// idle window never wakes up for it.
import { useEffect, useState } from 'react';

export function useNow(live: boolean, intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [live, intervalMs]);
  return now;
}
