// Reconnect delays: quick at first (a host restart takes a second), then capped so a long outage
// costs one wake-up every few seconds, with jitter so many windows do not reconnect in step.
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(250 * 2 ** Math.max(0, attempt), 8000);
  return Math.round(base * (0.75 + random() * 0.5));
}
