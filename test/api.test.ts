/**
 * The HTTP API over real HTTP and a real SQLite file: admission refusals (never logged),
 * execution refusals (logged, nothing changed), duplicates, hostile input, and the log served the
 * way Certificate Transparency serves one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  makePrivatePart,
  privateCommitment,
  signTx,
  type SignedTx,
  type Submission,
} from '../src/chain/tx.js';
import { equalBytes, fromBase64, fromHex, toHex } from '../src/core/bytes.js';
import { canonicalJson } from '../src/core/canonical.js';
import { randomSeed } from '../src/core/ed25519.js';
import {
  leafHash,
  rootOfLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../src/core/merkle.js';
import { parseCheckpoint, parseNote } from '../src/core/note.js';
import {
  body,
  enrolPayload,
  get,
  post,
  privateEnrol,
  pubOf,
  rotatePayload,
  seedOf,
  startNode,
  txBy,
  type TestNode,
} from './helpers.js';

let t: TestNode;
let counter = 0;
const orgOf = (signer: string) => signer.split('/')[0]!;
const enrol = (
  signer: string,
  extra: { nonce?: string; time?: number } = {},
  name = `m${++counter}`,
) => txBy(t.chain, signer, 'membership.enrol', enrolPayload(t.chain, orgOf(signer), name), extra);

/** Everything observable about the log: size and checkpoint. */
async function logState() {
  return {
    size: t.node.ledger.size,
    checkpoint: await (await fetch(`${t.url}/v1/log/checkpoint`)).text(),
  };
}

/** Contract state apart from used nonces. */
function contractState() {
  return t.node.ledger.stateScan('membership/', 1_000_000);
}

before(async () => {
  t = await startNode();
});
after(async () => {
  await t.close();
});

describe('submitting transactions', () => {
  it('commits one transaction and answers with its id, height, log index and result', async () => {
    const tx = enrol('city-bureau/admin');
    const r = await post(t.url, '/v1/tx', body({ tx }));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.result, { ok: true });
    assert.equal(typeof r.json.height, 'number');
    const got = await get(t.url, `/v1/tx/${r.json.id as string}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json!.tx, tx);
    assert.equal(got.json!.index, r.json.index);
    assert.equal(got.json!.height, r.json.height);
  });

  it('commits a batch, in order, with each outcome', async () => {
    const subs = Array.from({ length: 25 }, () => ({ tx: enrol('hope-foundation/admin') }));
    const r = await post(t.url, '/v1/txs', body(subs));
    assert.equal(r.status, 200);
    const results = r.json.results as { index: number; result: { ok: boolean } }[];
    assert.equal(results.length, 25);
    for (let i = 1; i < results.length; i++) assert.ok(results[i]!.index > results[i - 1]!.index);
    assert.ok(results.every((x) => x.result.ok));
  });

  it('answers an identical resubmission with the original result and logs nothing new', async () => {
    const tx = enrol('east-hospital/admin');
    const first = await post(t.url, '/v1/tx', body({ tx }));
    const before = await logState();
    const again = await post(t.url, '/v1/tx', body({ tx }));
    assert.equal(again.status, 200);
    assert.equal(again.json.id, first.json.id);
    assert.equal(again.json.index, first.json.index);
    assert.equal(again.json.duplicate, true);
    assert.deepEqual(await logState(), before);
  });

  it('keeps personal facts beside the log: only the salted commitment is logged', async () => {
    const facts = { fullName: 'Canary Zhang Wei 張偉', phone: '+86-13800000000' };
    const sub = privateEnrol(t.chain, 'city-bureau/admin', `staff${++counter}`, facts);
    const part = sub.private;
    const r = await post(t.url, '/v1/tx', body(sub));
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(r.json.result, { ok: true });
    const entries = await get(t.url, `/v1/log/entries?start=0&end=${t.node.ledger.size}`);
    const all = (entries.json!.entries as string[])
      .map((e) => new TextDecoder().decode(fromBase64(e)))
      .join('\n');
    assert.ok(all.includes(privateCommitment(part)));
    assert.ok(!all.includes('Canary') && !all.includes('13800000000') && !all.includes('張偉'));
    assert.deepEqual(t.node.ledger.privatePart(r.json.id as string)?.facts, facts);
  });
});

describe('admission refusals: a 4xx with its own code, and the log unchanged', () => {
  const cases: [
    string,
    () => { path?: string; text: string; contentType?: string },
    number,
    string,
  ][] = [
    ['bad JSON', () => ({ text: '{"tx":' }), 400, 'MALFORMED'],
    [
      'wrong types',
      () => ({ text: canonicalJson({ tx: { ...enrol('city-bureau/admin'), time: 'now' } }) }),
      400,
      'MALFORMED',
    ],
    [
      'a payload outside the action schema',
      () => ({
        text: body({
          tx: txBy(t.chain, 'city-bureau/admin', 'membership.enrol', {
            name: 'X Y',
            roles: [],
            key: 'zz',
          }),
        }),
      }),
      400,
      'MALFORMED',
    ],
    [
      'non-canonical encoding',
      () => ({ text: JSON.stringify({ tx: enrol('city-bureau/admin') }, null, 1) }),
      400,
      'NON_CANONICAL',
    ],
    [
      'unsorted keys',
      () => ({ text: `{"tx":${JSON.stringify(enrol('city-bureau/admin'))}}` }),
      400,
      'NON_CANONICAL',
    ],
    [
      'wrong chain',
      () => ({ text: body({ tx: signTxAs('city-bureau/admin', { chain: 'other.chain/x' }) }) }),
      400,
      'WRONG_CHAIN',
    ],
    [
      'unknown action',
      () => ({ text: body({ tx: txBy(t.chain, 'city-bureau/admin', 'membership.explode', {}) }) }),
      400,
      'UNKNOWN_TYPE',
    ],
    [
      'a time far from the node clock',
      () => ({ text: body({ tx: enrol('city-bureau/admin', { time: Date.now() - 3_600_000 }) }) }),
      400,
      'STALE_TIME',
    ],
    [
      'a forged signature',
      () => ({ text: body({ tx: forge(enrol('city-bureau/admin')) }) }),
      401,
      'BAD_SIGNATURE',
    ],
    [
      'a signature by another key',
      () => ({
        text: body({
          tx: { ...enrol('hope-foundation/admin'), signer: pubOf('city-bureau/admin') },
        }),
      }),
      401,
      'BAD_SIGNATURE',
    ],
    [
      'an unknown key',
      () => ({
        text: body({
          tx: signTx(
            {
              chain: t.chain,
              type: 'membership.rotateKey',
              payload: rotatePayload(t.chain, 'city-bureau/nobody'),
              nonce: 'u1',
              time: Date.now(),
            },
            randomSeed(),
          ),
        }),
      }),
      403,
      'UNKNOWN_KEY',
    ],
    [
      'a private part that does not match its commitment',
      () => ({ text: body(privateSub((p) => ({ ...p, facts: { fullName: 'Someone Else' } }))) }),
      422,
      'COMMITMENT_MISMATCH',
    ],
    [
      'a commitment without its private part',
      () => ({ text: body({ tx: privateSub((p) => p).tx }) }),
      422,
      'PRIVATE_MISSING',
    ],
    [
      'a private part the transaction does not commit to',
      () => ({
        text: body({ tx: enrol('city-bureau/admin'), private: makePrivatePart({ fullName: 'x' }) }),
      }),
      400,
      'MALFORMED',
    ],
    [
      'an oversized body',
      () => ({
        text: body({
          tx: txBy(t.chain, 'city-bureau/admin', 'membership.enrol', {
            ...enrolPayload(t.chain, 'city-bureau', 'big'),
            pad: 'x'.repeat(300_000),
          }),
        }),
      }),
      413,
      'TOO_LARGE',
    ],
    [
      'more than 1,000 in a batch',
      () => ({
        path: '/v1/txs',
        text: body(Array.from({ length: 1001 }, () => ({ tx: enrol('city-bureau/admin') }))),
      }),
      413,
      'TOO_MANY',
    ],
    [
      'a batch with one bad member',
      () => ({
        path: '/v1/txs',
        text: body([{ tx: enrol('city-bureau/admin') }, { tx: forge(enrol('city-bureau/admin')) }]),
      }),
      401,
      'BAD_SIGNATURE',
    ],
    [
      'another content type',
      () => ({ text: body({ tx: enrol('city-bureau/admin') }), contentType: 'text/plain' }),
      415,
      'MALFORMED',
    ],
  ];
  for (const [name, make, status, code] of cases) {
    it(`refuses ${name} with ${status} ${code}`, async () => {
      const before = await logState();
      const stateBefore = contractState();
      const req = make();
      const r = await post(t.url, req.path ?? '/v1/tx', req.text, req.contentType);
      assert.equal(r.status, status, JSON.stringify(r.json));
      assert.equal(r.json.error?.code, code);
      assert.equal(typeof r.json.error?.message, 'string');
      assert.deepEqual(await logState(), before);
      assert.deepEqual(contractState(), stateBefore);
    });
  }
  it('names the offending submission of a batch', async () => {
    const r = await post(
      t.url,
      '/v1/txs',
      body([
        { tx: enrol('city-bureau/admin') },
        { tx: enrol('city-bureau/admin') },
        { tx: forge(enrol('city-bureau/admin')) },
      ]),
    );
    assert.equal(r.status, 401);
    assert.deepEqual((r.json.error as { details?: unknown }).details, { index: 2 });
  });
});

describe('execution refusals: logged with their code, the nonce used, nothing else changed', () => {
  it('refuses a revoked key with KEY_REVOKED: logged when revoked after admission, at the door after', async () => {
    const enrolled = await post(
      t.url,
      '/v1/tx',
      body({
        tx: txBy(
          t.chain,
          'general-hospital/admin',
          'membership.enrol',
          enrolPayload(
            t.chain,
            'general-hospital',
            'clerk-1',
            ['clerk'],
            seedOf('general-hospital/clerk-1'),
          ),
        ),
      }),
    );
    assert.deepEqual(enrolled.json.result, { ok: true });
    const stateBefore = contractState();
    const sizeBefore = t.node.ledger.size;
    // The revocation and the clerk's transaction are admitted together (the key was active at
    // the door) and ordered so: the clerk's is executed after the revocation, and refused.
    const revoke = txBy(t.chain, 'general-hospital/admin', 'membership.revoke', {
      member: 'general-hospital/clerk-1',
    });
    const tx = txBy(
      t.chain,
      'general-hospital/clerk-1',
      'membership.rotateKey',
      rotatePayload(t.chain, 'general-hospital/clerk-1'),
    );
    const both = await post(t.url, '/v1/txs', body([{ tx: revoke }, { tx }]));
    assert.equal(both.status, 200);
    const results = both.json.results as { result: unknown; index: number }[];
    assert.deepEqual(results[0]!.result, { ok: true });
    const r = results[1]!;
    assert.deepEqual(r.result, { ok: false, code: 'KEY_REVOKED' });
    const afterRevoke = contractState();
    assert.notDeepEqual(afterRevoke, stateBefore, 'the revocation took effect');
    assert.ok(t.node.ledger.size > sizeBefore + 1, 'the refusal is in the log');
    assert.ok(
      t.node.ledger.stateGet(`ledger/nonce/${tx.signer}/${tx.nonce}`),
      'the nonce is used up',
    );
    const page = await get(t.url, `/v1/log/entries?start=${r.index}&end=${r.index + 1}`);
    const leaf = new TextDecoder().decode(fromBase64((page.json!.entries as string[])[0]!));
    assert.ok(leaf.startsWith('{"kind":"tx","result":{"code":"KEY_REVOKED","ok":false},"tx":'));
    // Once revoked, the key is turned away at the door: a leaked key cannot grow the log.
    const size = t.node.ledger.size;
    const again = await post(
      t.url,
      '/v1/tx',
      body({
        tx: txBy(
          t.chain,
          'general-hospital/clerk-1',
          'membership.rotateKey',
          rotatePayload(t.chain, 'general-hospital/clerk-1'),
        ),
      }),
    );
    assert.deepEqual([again.status, again.json.error?.code], [403, 'KEY_REVOKED']);
    assert.equal(t.node.ledger.size, size);
    assert.deepEqual(contractState(), afterRevoke);
  });

  it('refuses a reused nonce with NONCE_USED and changes nothing at all', async () => {
    const first = enrol('children-hospital/admin', { nonce: 'fixed-nonce' });
    assert.deepEqual((await post(t.url, '/v1/tx', body({ tx: first }))).json.result, { ok: true });
    const stateBefore = contractState();
    const r = await post(
      t.url,
      '/v1/tx',
      body({ tx: enrol('children-hospital/admin', { nonce: 'fixed-nonce' }) }),
    );
    assert.deepEqual(r.json.result, { ok: false, code: 'NONCE_USED' });
    assert.deepEqual(contractState(), stateBefore);
  });

  it('refuses a role that may not act with FORBIDDEN_ROLE', async () => {
    // The clerk is enrolled first, then tries an admin's action.
    await post(
      t.url,
      '/v1/tx',
      body({
        tx: txBy(
          t.chain,
          'children-hospital/admin',
          'membership.enrol',
          enrolPayload(
            t.chain,
            'children-hospital',
            'clerk-1',
            ['clerk'],
            seedOf('children-hospital/clerk-1'),
          ),
        ),
      }),
    );
    const stateBefore = contractState();
    const r = await post(t.url, '/v1/tx', body({ tx: enrol('children-hospital/clerk-1') }));
    assert.deepEqual(r.json.result, { ok: false, code: 'FORBIDDEN_ROLE' });
    assert.deepEqual(contractState(), stateBefore);
  });
});

describe('the log, served the way Certificate Transparency serves one', () => {
  async function allLeafHashes(size: number): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    while (out.length < size) {
      const r = await get(t.url, `/v1/log/entries?start=${out.length}&end=${size}`);
      const page = r.json!.entries as string[];
      assert.ok(page.length > 0);
      for (const e of page) out.push(leafHash(fromBase64(e)));
    }
    return out;
  }

  it('signs a checkpoint whose root equals the root recomputed from /v1/log/entries', async () => {
    const note = await (await fetch(`${t.url}/v1/log/checkpoint`)).text();
    const cp = parseCheckpoint(parseNote(note).text);
    assert.equal(cp.origin, t.chain);
    const hashes = await allLeafHashes(cp.size);
    assert.ok(equalBytes(rootOfLeafHashes(hashes), cp.root));
  });

  it('serves inclusion and consistency proofs that verify under the reference algorithm for random sizes and indices', async () => {
    const size = t.node.ledger.size;
    const hashes = await allLeafHashes(size);
    for (let k = 0; k < 60; k++) {
      const s = 1 + Math.floor(Math.random() * size);
      const i = Math.floor(Math.random() * s);
      const r = await get(t.url, `/v1/log/proof/inclusion?index=${i}&size=${s}`);
      assert.equal(r.status, 200);
      assert.equal(r.json!.leafHash, toHex(hashes[i]!));
      const proof = (r.json!.proof as string[]).map((h) => fromHex(h, 32));
      assert.ok(
        verifyInclusion(i, s, hashes[i]!, proof, rootOfLeafHashes(hashes.slice(0, s))),
        `${i}/${s}`,
      );
      const first = Math.floor(Math.random() * (s + 1));
      const c = await get(t.url, `/v1/log/proof/consistency?first=${first}&second=${s}`);
      assert.equal(c.status, 200);
      const cproof = (c.json!.proof as string[]).map((h) => fromHex(h, 32));
      assert.ok(
        verifyConsistency(
          first,
          s,
          rootOfLeafHashes(hashes.slice(0, first)),
          rootOfLeafHashes(hashes.slice(0, s)),
          cproof,
        ),
        `${first}/${s}`,
      );
    }
  });

  it('serves blocks with their transactions and a closing leaf chained to the previous block', async () => {
    const list = await get(t.url, '/v1/blocks?from=0&limit=100');
    const blocks = list.json!.blocks as {
      height: number;
      prev: string;
      hash: string;
      leaf: number;
      first: number;
      txs: number;
      time: number;
    }[];
    assert.ok(blocks.length > 3);
    for (let i = 1; i < blocks.length; i++) {
      assert.equal(blocks[i]!.prev, blocks[i - 1]!.hash);
      assert.ok(blocks[i]!.time > blocks[i - 1]!.time);
      assert.equal(blocks[i]!.first, blocks[i - 1]!.leaf + 1);
    }
    const one = await get(t.url, `/v1/blocks/${blocks[1]!.height}`);
    assert.equal((one.json!.transactions as unknown[]).length, blocks[1]!.txs);
  });

  it('serves the OpenAPI document and the verifier policy', async () => {
    const doc = await get(t.url, '/v1/openapi.json');
    assert.equal(doc.json!.openapi, '3.1.0');
    const paths = doc.json!.paths as Record<string, Record<string, unknown>>;
    const routes = (t.app as unknown as { routeList: string[] }).routeList;
    assert.ok(routes.length > 25);
    // Every route the server registered is documented, and every documented operation is served.
    for (const r of routes) {
      const [method, path] = r.split(' ') as [string, string];
      assert.ok(paths[path]?.[method.toLowerCase()], `${r} is documented`);
    }
    const documented = Object.entries(paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    assert.deepEqual(documented.sort(), [...routes].sort());
    const ids = Object.values(paths).flatMap((ops) =>
      Object.values(ops).map((op) => (op as { operationId?: string }).operationId),
    );
    assert.equal(new Set(ids).size, documented.length, 'each operation has its own operationId');
    // Every transaction type of the newest protocol, with its payload (and private facts) schema.
    const actions = (
      doc.json!.components as {
        'x-actions': Record<
          string,
          { properties: { payload?: { type?: string }; private?: object } }
        >;
      }
    )['x-actions'];
    for (const type of [
      'membership.enrol',
      'cases.submit',
      'donations.receive',
      'programs.publish',
    ])
      assert.equal(actions[type]?.properties.payload?.type, 'object', type);
    assert.ok(actions['cases.submit']?.properties.private, 'cases.submit has private facts');
    const policy = await get(t.url, '/v1/policy');
    assert.equal(policy.json!.origin, t.chain);
    assert.equal(policy.json!.quorum, 1);
  });
});

describe('hostile input: always a 4xx with a coded error, never a 500, nothing changed', () => {
  const paths = [
    '/v1/log/entries?start=x&end=2',
    '/v1/log/entries?start=-1&end=2',
    '/v1/log/entries?start=5&end=2',
    '/v1/log/entries?start=99999999999999999999&end=2',
    '/v1/log/entries?start=1e3&end=2000',
    '/v1/log/entries?start=100000000&end=100000001',
    '/v1/log/entries',
    '/v1/log/proof/inclusion?index=5&size=5',
    '/v1/log/proof/inclusion?index=0&size=0',
    '/v1/log/proof/inclusion?index=0&size=999999999',
    '/v1/log/proof/inclusion?index=0x1&size=4',
    '/v1/log/proof/inclusion?index=&size=4',
    '/v1/log/proof/consistency?first=5&second=4',
    '/v1/log/proof/consistency?first=1&second=99999999',
    '/v1/log/proof/consistency?first=1.5&second=4',
    '/v1/tx/nothex',
    `/v1/tx/${'0'.repeat(64)}`,
    `/v1/tx/${'A'.repeat(64)}`,
    '/v1/blocks/999999',
    '/v1/blocks/-1',
    '/v1/blocks?from=0&limit=0',
    '/v1/blocks?from=0&limit=1000',
    `/v1/receipt/${'f'.repeat(64)}`,
    '/v1/receipt/%00',
    '/v1/nowhere',
  ];
  for (const p of paths) {
    it(`GET ${p}`, async () => {
      const before = await logState();
      const r = await get(t.url, p);
      assert.ok(r.status >= 400 && r.status < 500, `${r.status} ${r.text}`);
      assert.equal(typeof r.json?.error?.code, 'string');
      assert.deepEqual(await logState(), before);
    });
  }
  it('says where a parameter or a body does not parse, without echoing it', async () => {
    type Answer = {
      status: number;
      json?: { error?: { code: string; details?: unknown } } | undefined;
    };
    const cases: [string, () => Promise<Answer>, string, string?][] = [
      ['/v1/blocks?limit=0', () => get(t.url, '/v1/blocks?limit=0'), 'query', 'limit'],
      ['/v1/blocks?from=007', () => get(t.url, '/v1/blocks?from=007'), 'query', 'from'],
      ['/v1/tx/nothex', () => get(t.url, '/v1/tx/nothex'), 'path', 'id'],
      [
        '/v1/public/cases?state=<script>',
        () => get(t.url, '/v1/public/cases?state=%3Cscript%3E'),
        'query',
        'state',
      ],
      [
        'challenge for a key that is not hex',
        () => post(t.url, '/v1/auth/challenge', '{"key":"<script>"}'),
        'body',
        'key',
      ],
      ['challenge with an array body', () => post(t.url, '/v1/auth/challenge', '[]'), 'body'],
    ];
    for (const [what, send, where, field] of cases) {
      const r = await send();
      assert.equal(r.status, 400, what);
      assert.equal(r.json?.error?.code, 'BAD_REQUEST', what);
      assert.deepEqual(r.json?.error?.details, { in: where, ...(field ? { field } : {}) }, what);
      assert.ok(!JSON.stringify(r.json).includes('<script>'), what);
    }
  });

  it('turns away a caller who is not signed in before looking at any input', async () => {
    for (const p of ['/v1/cases/nothex', '/v1/cases?limit=0', '/v1/cluster/batches?after=x']) {
      const r = await get(t.url, p);
      assert.equal(r.status, 401, p);
      assert.equal(r.json?.error?.code, 'UNAUTHORIZED', p);
    }
  });

  it('refuses POST bodies that are not JSON, not UTF-8, or empty', async () => {
    for (const text of [
      '',
      'null',
      '[]',
      '{}',
      '\u0000',
      '{"tx":{}}',
      '[{"tx":null}]',
      String.fromCharCode(0xd800),
    ]) {
      for (const path of ['/v1/tx', '/v1/txs']) {
        const r = await post(t.url, path, text);
        assert.ok(
          r.status >= 400 && r.status < 500,
          `${path} ${JSON.stringify(text)} -> ${r.status}`,
        );
        assert.equal(typeof r.json.error?.code, 'string');
      }
    }
  });
});

function signTxAs(signer: string, over: { chain: string }): SignedTx {
  return txBy(
    over.chain,
    signer,
    'membership.enrol',
    enrolPayload(over.chain, orgOf(signer), `w${++counter}`),
  );
}

function forge(tx: SignedTx): SignedTx {
  const sig = fromHex(tx.sig, 64);
  sig[10]! ^= 0x40;
  return { ...tx, sig: toHex(sig) };
}

function privateSub(
  alter: (p: ReturnType<typeof makePrivatePart>) => ReturnType<typeof makePrivatePart>,
): Submission {
  const sub = privateEnrol(t.chain, 'city-bureau/admin', `q${++counter}`, {
    fullName: 'Test Person',
  });
  return { tx: sub.tx, private: alter(sub.private) };
}
