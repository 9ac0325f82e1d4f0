// The GraphQL-over-HTTP specification's own audit suite against the running shop: every audit,
// MUST and SHOULD alike, has to pass (a warning fails too).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditServer } from 'graphql-http';
import { SHOP_URL } from './browser.mjs';

test('GraphQL over HTTP: every audit passes', async () => {
  const results = await auditServer({ url: `${SHOP_URL}/graphql` });
  const failed = results.filter((result) => result.status !== 'ok');
  const summary = `${results.length - failed.length} of ${results.length} ok`;
  console.log(`graphql-http audit: ${summary}`);
  assert.deepEqual(failed.map((result) => `${result.id} ${result.name}: ${result.status} ${result.reason ?? ''}`), [], summary);
  assert.ok(results.length >= 60, summary);
});
