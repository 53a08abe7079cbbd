/**
 * Signing in cannot be blocked by anyone else (issue 14, finding 4): challenges are MACed and
 * never stored, so no number of them fills anything; each challenge is exchanged once; and a key
 * may sign in a limited number of times a minute, counted only when its own signature verifies.
 * Over real HTTP against a real node, with the node's clock in the test's hand.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { challengeText } from '../src/chain/auth.js';
import { toHex, utf8 } from '../src/core/bytes.js';
import { publicKeyFromSeed, randomSeed, signEd25519 } from '../src/core/ed25519.js';
import { post, seedOf, startNode, type TestNode } from './helpers.js';

let t: TestNode;
let offset = 0;
const clock = () => Date.now() + offset;

before(async () => {
  t = await startNode({ clock });
});
after(async () => {
  await t.close();
});

async function challengeFor(key: string) {
  const r = await post(t.url, '/v1/auth/challenge', JSON.stringify({ key }));
  assert.equal(r.status, 200);
  return r.json.challenge as string;
}

/** Exchanges a challenge signed by `seed` (or `signWith`) and answers status, body and headers. */
async function exchange(seed: Uint8Array, challenge: string, signWith = seed) {
  const key = toHex(publicKeyFromSeed(seed));
  const sig = toHex(signEd25519(signWith, utf8(challengeText(t.chain, challenge))));
  const res = await fetch(`${t.url}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key, challenge, sig }),
  });
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    json: (await res.json()) as { token?: string; error?: { code: string; details?: unknown } },
  };
}

async function signIn(label: string) {
  const seed = seedOf(label);
  return exchange(seed, await challengeFor(toHex(publicKeyFromSeed(seed))));
}

describe('signing in while someone floods the challenge endpoint', () => {
  it('still signs a member in after 10,050 challenges for random keys', async () => {
    const keys = Array.from({ length: 10_050 }, () => toHex(randomSeed()));
    for (let i = 0; i < keys.length; i += 200) {
      const answers = await Promise.all(keys.slice(i, i + 200).map((k) => challengeFor(k)));
      assert.equal(answers.length, Math.min(200, keys.length - i));
    }
    const r = await signIn('audit-office/admin');
    assert.equal(r.status, 200);
    assert.equal(typeof r.json.token, 'string');
  });
});

describe('a challenge', () => {
  it('is exchanged for a token once only', async () => {
    const seed = seedOf('hope-foundation/admin');
    const c = await challengeFor(toHex(publicKeyFromSeed(seed)));
    assert.equal((await exchange(seed, c)).status, 200);
    const again = await exchange(seed, c);
    assert.equal(again.status, 401);
    assert.equal(again.json.error?.code, 'UNAUTHORIZED');
  });

  it('is good only for the key it was issued to', async () => {
    const c = await challengeFor(toHex(publicKeyFromSeed(seedOf('city-bureau/admin'))));
    const r = await exchange(seedOf('east-hospital/admin'), c);
    assert.equal(r.status, 401);
    assert.equal(r.json.error?.code, 'UNAUTHORIZED');
  });

  it('is refused once it has expired', async () => {
    const seed = seedOf('east-hospital/admin');
    const c = await challengeFor(toHex(publicKeyFromSeed(seed)));
    offset += 2 * 60_000 + 1;
    const r = await exchange(seed, c);
    assert.equal(r.status, 401);
    assert.equal(r.json.error?.code, 'UNAUTHORIZED');
  });

  it('is refused when altered', async () => {
    const seed = seedOf('east-hospital/admin');
    const c = await challengeFor(toHex(publicKeyFromSeed(seed)));
    const [expires, nonce, mac] = c.split('.');
    const later = `${Number(expires) + 60_000}.${nonce}.${mac}`;
    const r = await exchange(seed, later);
    assert.equal(r.status, 401);
    assert.equal(r.json.error?.code, 'UNAUTHORIZED');
  });
});

describe('sign-ins per key', () => {
  it('refuses the 31st sign-in of one key within a minute, while another key signs in', async () => {
    for (let i = 0; i < 30; i++) assert.equal((await signIn('city-bureau/admin')).status, 200);
    const refused = await signIn('city-bureau/admin');
    assert.equal(refused.status, 429);
    assert.equal(refused.json.error?.code, 'RATE_LIMITED');
    const wait = Number(refused.retryAfter);
    assert.ok(
      Number.isInteger(wait) && wait >= 1 && wait <= 60,
      `Retry-After ${refused.retryAfter}`,
    );
    assert.equal((await signIn('general-hospital/admin')).status, 200);
  });

  it('lets the key sign in again once the minute has passed', async () => {
    assert.equal((await signIn('city-bureau/admin')).status, 429);
    offset += 60_000;
    assert.equal((await signIn('city-bureau/admin')).status, 200);
  });

  it('does not count tries whose signature fails, so nobody else can use up a key', async () => {
    const victim = seedOf('children-hospital/admin');
    const key = toHex(publicKeyFromSeed(victim));
    for (let i = 0; i < 40; i++) {
      const r = await exchange(victim, await challengeFor(key), randomSeed());
      assert.equal(r.json.error?.code, 'BAD_SIGNATURE');
    }
    assert.equal((await signIn('children-hospital/admin')).status, 200);
  });

  it('follows the limit the node is configured with', async () => {
    const strict = await startNode({ spamLimits: { signInsPerKeyPerMinute: 2 } });
    try {
      const seed = seedOf('city-bureau/admin');
      const key = toHex(publicKeyFromSeed(seed));
      const once = async () => {
        const c = await post(strict.url, '/v1/auth/challenge', JSON.stringify({ key }));
        const challenge = c.json.challenge as string;
        const sig = toHex(signEd25519(seed, utf8(challengeText(strict.chain, challenge))));
        return post(strict.url, '/v1/auth/token', JSON.stringify({ key, challenge, sig }));
      };
      assert.equal((await once()).status, 200);
      assert.equal((await once()).status, 200);
      assert.equal((await once()).json.error?.code, 'RATE_LIMITED');
    } finally {
      await strict.close();
    }
  });
});
