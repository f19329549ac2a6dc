// Debian's Chromium driven by playwright-core (Playwright cannot download its own browsers here).
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CROSSDOCK_CHROMIUM ?? '/usr/bin/chromium';

/** Where screenshots and other artefacts of a test run go (kept by CI). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../../test-results', import.meta.url));

export function chromiumMissingReason(): string | null {
  return existsSync(CHROMIUM_PATH) ? null : `Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium)`;
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Without the background-networking flags Chromium keeps dialling Google's hosts, which this
    // closed network refuses; --no-sandbox because CI runs as root.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
