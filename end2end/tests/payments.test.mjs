// Paying: a card order goes to (a fake) PayU, comes back and turns paid on the open page without
// a reload, then links its tax document as a PDF; a bank-transfer order shows its QR Platba code and turns paid when (a fake) Fio banka
// reports the transfer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { adminToken, api, fillContact, launch, open, submitForm, waitForHydration } from './browser.mjs';

const PROVIDERS = process.env.PAYU_BASE_URL;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A product page of something in stock. */
async function productSlug() {
  const data = await api('{ products(first: 20, filter: { inStock: true }) { nodes { slug variants { quantityAvailable } } } }');
  const product = data.products.nodes.find((p) => p.variants.length === 1 && p.variants[0].quantityAvailable > 3);
  assert.ok(product, 'the demo catalog has a product in stock');
  return product.slug;
}

/** Buys one product as a guest paying with `method`, up to the order button. */
async function checkOut(page, method) {
  await open(page, `/p/${await productSlug()}`);
  await page.getByTestId('buy').click();
  await page.locator('.form__success', { hasText: 'Přidáno do košíku' }).waitFor();
  await open(page, '/pokladna/udaje');
  await fillContact(page, { email: `platba.${Date.now()}@example.cz` });
  await page.check('input[value="PPL"]');
  await submitForm(page, /\/pokladna\/platba$/);
  await page.check(`input[value="${method}"]`);
  await submitForm(page, /\/pokladna\/souhrn$/);
  await page.getByTestId('terms-consent').check();
  await page.getByTestId('place-order').click();
}

test('a card payment at PayU pays the order, seen live on its page', async () => {
  const page = await browser.newPage();
  await checkOut(page, 'CARD');
  await page.waitForURL(/\/pay\/E2E\d+$/);
  assert.match(await page.getByTestId('payu-amount').innerText(), /^\d+ CZK$/);
  await page.getByTestId('payu-pay').click();
  await page.waitForURL(/\/objednavka\/\d{10}\?platba=1$/);
  await waitForHydration(page);
  await page.locator('[data-testid="timeline"][data-live="true"]').waitFor();
  await page.evaluate(() => { window.stillHere = true; });
  await page.locator('[data-testid="order-status"][data-status="PAID"]').waitFor({ timeout: 15_000 });
  assert.equal(await page.evaluate(() => window.stillHere), true, 'paid without a reload');

  // The job runner issues the tax document; the order page links its PDF.
  const link = page.locator('[data-testid="tax-documents"] a');
  for (let tries = 0; tries < 30 && (await link.count()) === 0; tries += 1) {
    await page.waitForTimeout(500);
    await page.reload();
  }
  assert.match(await link.innerText(), /^Zjednodušený daňový doklad č\. FV\d{10} \(PDF\)$/);
  const pdf = await page.request.get(new URL(await link.getAttribute('href'), page.url()).href);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
});

test('a bank transfer shows its QR code and is matched from the bank', async () => {
  const page = await browser.newPage();
  await checkOut(page, 'BANK_TRANSFER');
  await page.waitForURL(/\/objednavka\/\d{10}\?nova=1$/);
  await waitForHydration(page);
  const number = await page.getByTestId('order-number').innerText();
  assert.equal(await page.getByTestId('payment-symbol').innerText(), number);
  assert.equal(await page.locator('[data-testid="payment-qr"] svg path').count(), 1, 'the QR code is drawn');
  await page.locator('[data-testid="timeline"][data-live="true"]').waitFor();

  const token = await adminToken();
  const due = (await api('query ($n: String!) { orderPayment(number: $n) { due { minorUnits } } }', { n: number }, token)).orderPayment.due.minorUnits;
  const added = await fetch(`${PROVIDERS}/fio/add`, { method: 'POST', body: JSON.stringify({ symbol: number, amount: due / 100 }) });
  assert.equal(added.status, 200);
  await page.locator('[data-testid="order-status"][data-status="PAID"]').waitFor({ timeout: 20_000 });
  const paid = (await api('query ($n: String!) { orderPayment(number: $n) { paid { minorUnits } due { minorUnits } } }', { n: number }, token)).orderPayment;
  assert.deepEqual(paid, { paid: { minorUnits: due }, due: { minorUnits: 0 } });
});
