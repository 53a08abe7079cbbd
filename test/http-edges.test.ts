/**
 * Issue 14, finding 8: every response of a real node over real HTTP, errors included and those
 * Fastify or Node answer by themselves (a malformed percent-encoding, an over-long path
 * parameter, a request HTTP cannot parse), carries the coded body
 * `{"error":{"code","message"}}` and `X-Content-Type-Options: nosniff`; a signed-in response
 * (any request with `Authorization`) and a sign-in are never cached.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { signIn } from '../src/domains/aid/client.js';
import { seedOf, startNode, type TestNode } from './helpers.js';

let t: TestNode;

before(async () => {
  t = await startNode();
});
after(async () => {
  await t.close();
});

/** Status, headers and JSON body of one request. */
async function call(path: string, init: RequestInit = {}) {
  const res = await fetch(t.url + path, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: JSON.parse(text) as unknown };
}

/** Asserts the coded error shape and returns its code. */
function codeOf(json: unknown): string {
  const e = (json as { error?: { code?: unknown; message?: unknown } }).error;
  assert.equal(typeof e?.code, 'string', JSON.stringify(json));
  assert.equal(typeof e?.message, 'string');
  return e!.code as string;
}

/** A raw HTTP exchange on a fresh connection: the response as text. */
function raw(request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const u = new URL(t.url);
    const s = connect(Number(u.port), u.hostname, () => s.end(request));
    let out = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (out += d));
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
}

describe('error bodies and response headers', () => {
  it('answers a malformed percent-encoding with a coded 400 and nosniff', async () => {
    for (const path of ['/v1/tx/%ff', '/v1/blocks/%E0%A4%A', '/v1/keys/%']) {
      const r = await call(path);
      assert.equal(r.status, 400, path);
      assert.equal(codeOf(r.json), 'BAD_REQUEST');
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  it('answers an over-long path parameter with a coded error and nosniff', async () => {
    const r = await call(`/v1/tx/${'a'.repeat(5000)}`);
    assert.ok(r.status >= 400 && r.status < 500);
    assert.ok(['TOO_LARGE', 'NOT_FOUND', 'BAD_REQUEST'].includes(codeOf(r.json)));
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  });

  it('answers a batch nested 5,000 deep with a coded 4xx, not INTERNAL', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const r = await call('/v1/txs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `[${deep},0,0,0,0,0,0,0]`,
    });
    assert.equal(r.status, 400);
    assert.equal(codeOf(r.json), 'MALFORMED');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  });

  it('answers an unknown route and an unknown method with the coded body and nosniff', async () => {
    for (const [path, method] of [
      ['/v1/no-such-thing', 'GET'],
      ['/v1/health', 'DELETE'],
    ] as const) {
      const r = await call(path, { method });
      assert.equal(r.status, 404);
      assert.equal(codeOf(r.json), 'NOT_FOUND');
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  it('answers a request HTTP cannot parse with the coded body and nosniff', async () => {
    const res = await raw('GET /v1/health HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n');
    const [head, text] = res.split('\r\n\r\n');
    assert.match(head!, /^HTTP\/1\.1 400 /);
    assert.match(head!, /\r\nX-Content-Type-Options: nosniff\r\n/i);
    assert.equal(codeOf(JSON.parse(text!)), 'BAD_REQUEST');
  });

  it('marks every response to a request with Authorization no-store, refusals included', async () => {
    const bogus = { authorization: 'Bearer bogus.token' };
    for (const path of ['/v1/me', '/v1/health', '/v1/tx/%ff', '/v1/no-such-thing']) {
      const r = await call(path, { headers: bogus });
      assert.equal(r.headers.get('cache-control'), 'no-store', path);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    }
    const token = await signIn(t.url, t.chain, seedOf('city-bureau/admin'));
    const me = await call('/v1/me', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(me.status, 200);
    assert.equal(me.headers.get('cache-control'), 'no-store');
  });

  it('marks sign-in answers no-store, and leaves public reads cacheable', async () => {
    const r = await call('/v1/auth/challenge', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'a'.repeat(64) }),
    });
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const pub = await call('/v1/health');
    assert.equal(pub.status, 200);
    assert.equal(pub.headers.get('cache-control'), null);
    assert.equal(pub.headers.get('x-content-type-options'), 'nosniff');
  });
});
