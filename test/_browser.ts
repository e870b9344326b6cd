/**
 * Debian's Chromium for the browser tests, driven by playwright-core (no browser download): where
 * it is, whether a test can run, and the flags that work on a machine without network.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM: string = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Why a browser test cannot run here (no Chromium), or undefined when it can.
 * @throws under CI=true when Chromium is missing: CI must run the browser tests
 */
export function chromiumOrSkip(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env['CI'] === 'true')
    throw new Error(`CI=true and no Chromium at ${CHROMIUM}: apt-get install chromium`);
  return `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
}

/** Headless Chromium with its background connections off (refused here, and slow to fail). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
