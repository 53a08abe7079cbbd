/**
 * What an unauthenticated caller can add to the permanent log (issue 14, finding 6): at most one
 * account registration a request, a few an hour from one address and a bounded number a day per
 * node; an applicant account's refusals beyond its daily allowance are refused at the door; and a
 * key with no account and no membership signs nothing the log keeps. Members' refusals stay logged
 * as evidence. Over real HTTP against a real node, from more than one client address, with the
 * node's clock in the test's hand.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { signTx, type SignedTx } from '../src/chain/tx.js';
import { toHex } from '../src/core/bytes.js';
import { randomSeed } from '../src/core/ed25519.js';
import { writeDemoDir } from '../src/node/demo.js';
import { body, SEED, seedOf, startNode, tempDir, txBy, type TestNode } from './helpers.js';

let offset = 0;
const clock = () => Date.now() + offset;
let n = 0;

/** A transaction signed by `seed`, timed by the node's clock. */
function signed(seed: Uint8Array, type: string, payload: Record<string, unknown>): SignedTx {
  return signTx({ chain: t.chain, type, payload, nonce: `s${++n}`, time: clock() }, seed);
}
const register = (seed: Uint8Array) => signed(seed, 'accounts.register', { lang: 'en' });

/** POSTs a body to the node from the local address `from` (any of 127.0.0.0/8). */
function postFrom(
  node: TestNode,
  from: string,
  path: string,
  text: string,
): Promise<{
  status: number;
  retryAfter?: string;
  json: Record<string, unknown> & { error?: { code: string; details?: Record<string, unknown> } };
}> {
  const url = new URL(node.url + path);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => {
          const h = res.headers['retry-after'];
          resolve({
            status: res.statusCode ?? 0,
            ...(typeof h === 'string' ? { retryAfter: h } : {}),
            json: JSON.parse(data) as never,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

let t: TestNode;
before(async () => {
  t = await startNode({ clock });
});
after(async () => {
  await t.close();
});

describe('account registration', () => {
  it('takes at most one registration a request, and logs nothing of a request with two', async () => {
    const size = t.node.ledger.size;
    const r = await postFrom(
      t,
      '127.0.0.9',
      '/v1/txs',
      body([{ tx: register(randomSeed()) }, { tx: register(randomSeed()) }]),
    );
    assert.equal(r.status, 413);
    assert.equal(r.json.error?.code, 'TOO_MANY');
    assert.equal(r.json.error?.details?.index, 1);
    assert.equal(t.node.ledger.size, size);
  });

  it('refuses the 11th registration from one address within an hour, logging nothing', async () => {
    for (let i = 0; i < 10; i++) {
      const r = await postFrom(t, '127.0.0.2', '/v1/tx', body({ tx: register(randomSeed()) }));
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.result, { ok: true });
    }
    const size = t.node.ledger.size;
    const r = await postFrom(t, '127.0.0.2', '/v1/tx', body({ tx: register(randomSeed()) }));
    assert.equal(r.status, 429);
    assert.equal(r.json.error?.code, 'RATE_LIMITED');
    const wait = Number(r.retryAfter);
    assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 3600, `Retry-After ${r.retryAfter}`);
    assert.equal(t.node.ledger.size, size);
  });

  it('still takes registrations from another address meanwhile', async () => {
    const r = await postFrom(t, '127.0.0.3', '/v1/tx', body({ tx: register(randomSeed()) }));
    assert.equal(r.status, 200);
  });

  it('answers a registration sent again with its original outcome, without counting it', async () => {
    const tx = register(randomSeed());
    const first = await postFrom(t, '127.0.0.4', '/v1/tx', body({ tx }));
    for (let i = 0; i < 12; i++) {
      const again = await postFrom(t, '127.0.0.4', '/v1/tx', body({ tx }));
      assert.equal(again.status, 200);
      assert.equal(again.json.id, first.json.id);
    }
  });

  it('takes registrations from the address again once the hour has passed', async () => {
    offset += 3_600_000;
    const r = await postFrom(t, '127.0.0.2', '/v1/tx', body({ tx: register(randomSeed()) }));
    assert.equal(r.status, 200);
  });

  it("refuses registrations beyond the node's daily limit, whatever the address", async () => {
    const small = await startNode({ clock, spamLimits: { registrationsPerDay: 3 } });
    try {
      const reg = (from: string) =>
        postFrom(
          small,
          from,
          '/v1/tx',
          body({
            tx: signTx(
              {
                chain: small.chain,
                type: 'accounts.register',
                payload: { lang: 'en' },
                nonce: 'r',
                time: clock(),
              },
              randomSeed(),
            ),
          }),
        );
      assert.equal((await reg('127.0.0.5')).status, 200);
      assert.equal((await reg('127.0.0.6')).status, 200);
      assert.equal((await reg('127.0.0.7')).status, 200);
      const size = small.node.ledger.size;
      const r = await reg('127.0.0.8');
      assert.equal(r.json.error?.code, 'RATE_LIMITED');
      assert.equal(small.node.ledger.size, size);
    } finally {
      await small.close();
    }
  });
});

describe("an applicant account's refusals", () => {
  const alice = randomSeed();
  /** A transaction an applicant may not make: it executes as FORBIDDEN_ROLE. */
  const forbidden = () =>
    signed(alice, 'membership.enrol', {
      name: `x${n}`,
      roles: ['clerk'],
      key: toHex(randomSeed()),
    });

  it('are logged up to ten a day; the 11th is refused at admission and the log stays as it was', async () => {
    assert.equal(
      (await postFrom(t, '127.0.0.10', '/v1/tx', body({ tx: register(alice) }))).status,
      200,
    );
    for (let i = 0; i < 10; i++) {
      const r = await postFrom(t, '127.0.0.10', '/v1/tx', body({ tx: forbidden() }));
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.result, { ok: false, code: 'FORBIDDEN_ROLE' });
    }
    const size = t.node.ledger.size;
    const r = await postFrom(t, '127.0.0.10', '/v1/tx', body({ tx: forbidden() }));
    assert.equal(r.status, 429);
    assert.equal(r.json.error?.code, 'RATE_LIMITED');
    assert.equal(r.json.error?.details?.wouldBe, 'FORBIDDEN_ROLE');
    assert.ok(Number(r.retryAfter) >= 1);
    assert.equal(t.node.ledger.size, size);
  });

  it('are still counted after the node restarts', async () => {
    const d = tempDir();
    writeDemoDir(d.dir, SEED, Date.now() - 1000);
    const bob = randomSeed();
    const bad = (node: TestNode) =>
      signTx(
        {
          chain: node.chain,
          type: 'membership.enrol',
          payload: { name: `b${++n}`, roles: ['clerk'], key: toHex(randomSeed()) },
          nonce: `b${n}`,
          time: clock(),
        },
        bob,
      );
    try {
      let node = await startNode({ dir: d.dir, clock });
      const reg = signTx(
        {
          chain: node.chain,
          type: 'accounts.register',
          payload: { lang: 'en' },
          nonce: 'r',
          time: clock(),
        },
        bob,
      );
      assert.equal((await postFrom(node, '127.0.0.11', '/v1/tx', body({ tx: reg }))).status, 200);
      for (let i = 0; i < 10; i++)
        assert.equal(
          (await postFrom(node, '127.0.0.11', '/v1/tx', body({ tx: bad(node) }))).status,
          200,
        );
      await node.close();
      node = await startNode({ dir: d.dir, clock });
      try {
        const r = await postFrom(node, '127.0.0.11', '/v1/tx', body({ tx: bad(node) }));
        assert.equal(r.json.error?.code, 'RATE_LIMITED');
      } finally {
        await node.close();
      }
    } finally {
      d.cleanup();
    }
  });

  it('do not stop a transaction that would succeed', async () => {
    const r = await postFrom(
      t,
      '127.0.0.10',
      '/v1/tx',
      body({ tx: signed(alice, 'accounts.close', {}) }),
    );
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.result, { ok: true });
  });

  it('start afresh the next UTC day', async () => {
    const carol = randomSeed();
    assert.equal(
      (await postFrom(t, '127.0.0.12', '/v1/tx', body({ tx: register(carol) }))).status,
      200,
    );
    const bad = () =>
      signed(carol, 'membership.enrol', { name: 'c', roles: ['clerk'], key: toHex(randomSeed()) });
    for (let i = 0; i < 10; i++)
      assert.equal((await postFrom(t, '127.0.0.12', '/v1/tx', body({ tx: bad() }))).status, 200);
    assert.equal((await postFrom(t, '127.0.0.12', '/v1/tx', body({ tx: bad() }))).status, 429);
    offset += 86_400_000;
    const r = await postFrom(t, '127.0.0.12', '/v1/tx', body({ tx: bad() }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.result, { ok: false, code: 'FORBIDDEN_ROLE' });
  });
});

describe('keys with no account and no membership', () => {
  const refusedAtDoor = async (tx: SignedTx) => {
    const size = t.node.ledger.size;
    const r = await postFrom(t, '127.0.0.13', '/v1/tx', body({ tx }));
    assert.equal(r.status, 403);
    assert.equal(r.json.error?.code, 'UNKNOWN_KEY');
    assert.equal(t.node.ledger.size, size);
  };

  it('refuses at admission a transaction by a fresh key', async () => {
    await refusedAtDoor(signed(randomSeed(), 'accounts.close', {}));
    await refusedAtDoor(
      signed(randomSeed(), 'membership.enrol', {
        name: 'z',
        roles: ['clerk'],
        key: toHex(randomSeed()),
      }),
    );
  });

  it('refuses at admission every transaction by an applicant key whose account was closed', async () => {
    const dave = randomSeed();
    assert.equal(
      (await postFrom(t, '127.0.0.13', '/v1/tx', body({ tx: register(dave) }))).status,
      200,
    );
    const closed = await postFrom(
      t,
      '127.0.0.13',
      '/v1/tx',
      body({ tx: signed(dave, 'accounts.close', {}) }),
    );
    assert.deepEqual(closed.json.result, { ok: true });
    await refusedAtDoor(signed(dave, 'accounts.close', {}));
    await refusedAtDoor(signed(dave, 'accounts.register', { lang: 'en' }));
  });

  it("refuses at admission a transaction by an organisation's node key, a registration included", async () => {
    const node = seedOf('city-bureau/node');
    await refusedAtDoor(signed(node, 'accounts.register', { lang: 'en' }));
    await refusedAtDoor(signed(node, 'accounts.close', {}));
  });
});

describe("a member's refusals", () => {
  it('stay logged as evidence, however many', async () => {
    for (let i = 0; i < 12; i++) {
      const size = t.node.ledger.size;
      const tx = txBy(t.chain, 'general-hospital/admin', 'accounts.close', {}, { time: clock() });
      const r = await postFrom(t, '127.0.0.14', '/v1/tx', body({ tx }));
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.result, { ok: false, code: 'FORBIDDEN_ROLE' });
      assert.ok(t.node.ledger.size > size);
    }
  });
});
