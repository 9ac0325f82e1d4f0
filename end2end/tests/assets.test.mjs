// The storefront's assets carry their content's hash in their names and are cached for a year;
// pages are revalidated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SHOP_URL } from './browser.mjs';

test('assets are content-named and immutable, pages are not', async () => {
  const page = await fetch(`${SHOP_URL}/`);
  const html = await page.text();
  assert.doesNotMatch(page.headers.get('cache-control') ?? '', /immutable/);
  const names = [...html.matchAll(/\/pkg\/shop\.[0-9a-f]{16}\.(js|wasm|css)/g)].map((m) => m[0]);
  for (const kind of ['js', 'wasm', 'css']) {
    assert.ok(names.some((n) => n.endsWith(`.${kind}`)), `the page links a hashed .${kind}: ${names}`);
  }
  for (const name of new Set(names)) {
    const asset = await fetch(`${SHOP_URL}${name}`);
    assert.equal(asset.status, 200, name);
    assert.match(asset.headers.get('cache-control'), /max-age=31536000.*immutable/, name);
  }
});
