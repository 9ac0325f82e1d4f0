// Launches Debian's Chromium through playwright-core (never a downloaded browser), and the steps
// several tests share.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const SHOP_URL = process.env.SHOP_URL ?? 'http://127.0.0.1:3000';

/**
 * Launches the browser. Every page it opens is watched for Content-Security-Policy violations:
 * closing the browser fails when the shop's own pages broke its own policy.
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic',
    ],
  });
  const violations = [];
  const watch = (target) => target.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      violations.push(`${message.location()?.url ?? ''}: ${message.text()}`);
    }
  });
  const newContext = browser.newContext.bind(browser);
  const newPage = browser.newPage.bind(browser);
  browser.newContext = async (...args) => { const context = await newContext(...args); watch(context); return context; };
  browser.newPage = async (...args) => { const page = await newPage(...args); watch(page); return page; };
  const close = browser.close.bind(browser);
  browser.close = async () => {
    await close();
    if (violations.length > 0) throw new Error(`Content-Security-Policy violations:\n${violations.join('\n')}`);
  };
  browser.cspViolations = violations;
  return browser;
}

/** Resolves once the page has hydrated (the WASM bundle has run `hydrate()`). */
export async function waitForHydration(page) {
  await page.waitForFunction(() => document.body?.dataset.hydrated === 'true', null, { timeout: 30_000 });
}

/** Opens a shop page and waits until it has hydrated. */
export async function open(page, path) {
  await page.goto(`${SHOP_URL}${path}`);
  await waitForHydration(page);
}

/** Submits the page's form and waits for the next step to hydrate. */
export async function submitForm(page, nextUrl) {
  await page.click('form.form button[type="submit"]');
  await page.waitForURL(nextUrl);
  await waitForHydration(page);
}

/** Runs a GraphQL operation as an app would (bearer token, no cookies); fails on errors. */
export async function api(query, variables = {}, token) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${SHOP_URL}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

/** An access token of the admin the test run starts the shop with. */
export async function adminToken() {
  const login = await api('mutation ($input: CustomerLoginInput!) { customerLogin(input: $input) { accessToken } }',
    { input: { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD } });
  assert.ok(login.customerLogin.accessToken, 'the admin can sign in');
  return login.customerLogin.accessToken;
}

/**
 * Fills the checkout's contact step with a shopper in Olomouc (fields given in `details` win)
 * and goes on to the shipping step.
 */
export async function fillContact(page, details = {}) {
  const fields = {
    email: `kupujici.${Date.now()}@example.cz`,
    'address.firstName': 'Eva', 'address.lastName': 'Malá', 'address.street': 'Nádražní 1',
    'address.city': 'Olomouc', 'address.postalCode': '77900', 'address.phone': '777 123 456',
    ...details,
  };
  for (const [name, value] of Object.entries(fields)) {
    await page.fill(`input[name="${name}"]`, value);
  }
  await submitForm(page, /\/pokladna\/doprava$/);
}
