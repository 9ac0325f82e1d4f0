// Launches Debian's Chromium through playwright-core (never a downloaded browser).
import { chromium } from 'playwright-core';

export const SHOP_URL = process.env.SHOP_URL ?? 'http://127.0.0.1:3000';

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  });
}

/** Resolves once the page has hydrated (the WASM bundle has run `hydrate()`). */
export async function waitForHydration(page) {
  await page.waitForFunction(() => document.body?.dataset.hydrated === 'true', null, { timeout: 30_000 });
}
