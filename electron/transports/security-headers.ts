// The headers every answer carries, in both the browser host and the app:// protocol of the
// Electron window, so the renderer runs under the same policy wherever it is shown.

export interface PolicyOptions {
  /** Extra connect-src sources, e.g. "ws://127.0.0.1:PORT" for the browser host's WebSocket. */
  connectSources?: string[];
}

export function contentSecurityPolicy({ connectSources = [] }: PolicyOptions = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    ['connect-src', "'self'", ...connectSources].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function securityHeaders(options: PolicyOptions = {}): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    // Old browsers ignore frame-ancestors; this keeps other sites from framing the window there too.
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
