/**
 * Documents across a consortium: a real etcd cluster and one node per organisation, each with
 * its own SQLite file and vault. A reader signed in to their own organisation's node gets the
 * bytes from the node that holds them over the node-to-node route, signed in with the node key;
 * the holding node serves only for a committed read naming that node, once; organisations
 * without access never receive a copy; erasure destroys the key where it is held.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { canonicalJson } from '../src/core/canonical.js';
import { signIn } from '../src/domains/aid/client.js';
import { demoActivity } from '../src/node/demo.js';
import { buildSubmission } from '../src/sdk/build.js';
import { cnId, programSpec, type Json } from './aid-fixtures.js';
import { startConsortium, until, type Consortium } from './consortium.js';
import { post, SEED, seedOf, type TestNode } from './helpers.js';

const PDF = Buffer.from('%PDF-1.4\n% a discharge summary, for the test\n%%EOF\n');

describe('documents across a consortium', () => {
  let c: Consortium;
  let bureau: TestNode;
  let charity: TestNode;
  let hospital: TestNode;
  let caseId = '';
  let docId = '';
  let k = 0;

  const send = async (n: TestNode, signer: string, type: string, payload: Json, facts?: Json) => {
    const sub = buildSubmission(
      { chain: n.chain, type, payload, ...(facts ? { facts } : {}), nonce: `dc${++k}` },
      seedOf(signer),
    );
    const r = await post(n.url, '/v1/tx', canonicalJson(sub));
    const j = r.json as Json;
    return { id: j.id as string, ok: j.result?.ok === true, code: j.result?.code ?? j.error?.code };
  };
  const token = (n: TestNode, signer: string) => signIn(n.url, n.chain, seedOf(signer));
  const read = async (n: TestNode, signer: string, via: string, document = docId) => {
    const sub = buildSubmission(
      { chain: n.chain, type: 'documents.read', payload: { document, via } },
      seedOf(signer),
    );
    const res = await fetch(`${n.url}/v1/documents/${document}/read`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token(n, signer)}`,
        'content-type': 'application/json',
      },
      body: canonicalJson(sub),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    return {
      status: res.status,
      bytes,
      read: res.headers.get('x-aidledger-read') ?? '',
      error: res.ok ? undefined : (JSON.parse(bytes.toString('utf8')) as Json).error,
    };
  };
  const synced = () =>
    until('every node to apply', () =>
      c.nodes.every((n) => n.node.ledger.size === bureau.node.ledger.size),
    );
  const vaultFiles = (n: TestNode) => readdirSync(join(n.dir, 'documents'));

  before(async () => {
    c = await startConsortium();
    [bureau, charity, hospital] = c.nodes as [TestNode, TestNode, TestNode];
    const enrol = demoActivity(SEED, bureau.chain, Date.now())[0]!;
    const r = await post(bureau.url, '/v1/txs', canonicalJson(enrol.map((tx) => ({ tx }))));
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const pub = await send(
      bureau,
      'city-bureau/manager-1',
      'programs.publish',
      programSpec('xdocs'),
    );
    assert.equal(pub.ok, true, JSON.stringify(pub));
    const reg = await send(hospital, 'applicant/carol', 'accounts.register', { lang: 'en' });
    assert.equal(reg.ok, true, JSON.stringify(reg));
    const sub = await send(
      hospital,
      'applicant/carol',
      'cases.submit',
      { program: 'xdocs', hospital: 'general-hospital' },
      {
        patient: { kind: 'cn', id: cnId(9) },
        declared: { householdIncomePerCapita: '1000000' },
      },
    );
    assert.equal(sub.ok, true, JSON.stringify(sub));
    caseId = sub.id;
    // Every node knows where the others are once each has advertised its address.
    await until('the nodes to advertise', async () => {
      for (const n of c.nodes)
        for (const o of ['city-bureau', 'hope-foundation', 'general-hospital'])
          if ((await n.node.services().peerUrl(o)) === undefined) return false;
      return true;
    });
  });
  after(async () => c.close());

  it('keeps an upload on the node that received it, attached by a commitment every node sees', async () => {
    const res = await fetch(`${hospital.url}/v1/documents/uploads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token(hospital, 'general-hospital/clerk-1')}`,
        'content-type': 'application/octet-stream',
      },
      body: PDF,
    });
    const up = (await res.json()) as Json;
    assert.equal(res.status, 201, JSON.stringify(up));
    assert.equal(up.holder, 'general-hospital');
    const a = await send(hospital, 'general-hospital/clerk-1', 'documents.attach', {
      case: caseId,
      kind: 'invoice',
      format: up.format,
      commitment: up.commitment,
      holder: up.holder,
    });
    assert.equal(a.ok, true, JSON.stringify(a));
    docId = a.id;
    await synced();
    assert.deepEqual(vaultFiles(hospital), [`${up.commitment}.aes`]);
    const list = await fetch(`${bureau.url}/v1/cases/${caseId}/documents`, {
      headers: { authorization: `Bearer ${await token(bureau, 'city-bureau/reviewer-1')}` },
    });
    const docs = (await list.json()) as Json;
    assert.deepEqual(
      docs.documents.map((d: Json) => [d.id, d.holder]),
      [[docId, 'general-hospital']],
    );
  });

  it('serves a reviewer on the bureau’s node the bytes from the hospital’s node, after the read is committed', async () => {
    const r = await read(bureau, 'city-bureau/reviewer-1', 'city-bureau');
    assert.equal(r.status, 200, JSON.stringify(r.error));
    assert.deepEqual(r.bytes, PDF);
    // The read is on every node's ledger; the bureau's node kept no copy.
    await synced();
    for (const n of c.nodes) {
      const tx = (await (await fetch(`${n.url}/v1/tx/${r.read}`)).json()) as Json;
      assert.equal(tx.result.ok, true);
    }
    assert.deepEqual(vaultFiles(bureau), []);
    // The applicant reads through the hospital's node, and sees both reads.
    const own = await read(hospital, 'applicant/carol', 'general-hospital');
    assert.equal(own.status, 200, JSON.stringify(own.error));
    assert.deepEqual(own.bytes, PDF);
    const list = await fetch(`${hospital.url}/v1/cases/${caseId}/documents`, {
      headers: { authorization: `Bearer ${await token(hospital, 'applicant/carol')}` },
    });
    const reads = ((await list.json()) as Json).reads as Json[];
    assert.deepEqual(reads.map((x) => [x.reader, x.via]).sort(), [
      ['applicant', 'general-hospital'],
      ['city-bureau/reviewer-1', 'city-bureau'],
    ]);
  });

  it('gives an organisation without access nothing, and records nothing', async () => {
    // Every node has applied the reads before; then nothing more is ordered.
    await synced();
    const size = bureau.node.ledger.size;
    const r = await read(charity, 'hope-foundation/reviewer-1', 'hope-foundation');
    assert.equal(r.status, 403);
    assert.equal(r.error.code, 'FORBIDDEN');
    assert.deepEqual(vaultFiles(charity), []);
    await new Promise((done) => setTimeout(done, 300));
    await synced();
    assert.equal(bureau.node.ledger.size, size);
    // Nor does its node get the bytes by naming someone else's read on the node-to-node route.
    const committed = await read(bureau, 'city-bureau/manager-1', 'city-bureau');
    assert.equal(committed.status, 200);
    const nodeToken = await signIn(hospital.url, hospital.chain, seedOf('hope-foundation/node'));
    const stolen = await fetch(
      `${hospital.url}/v1/cluster/documents/${docId}?read=${committed.read}`,
      { headers: { authorization: `Bearer ${nodeToken}` } },
    );
    assert.equal(stolen.status, 403);
    // A member's token is no node's.
    const member = await fetch(
      `${hospital.url}/v1/cluster/documents/${docId}?read=${committed.read}`,
      {
        headers: {
          authorization: `Bearer ${await token(hospital, 'general-hospital/clerk-1')}`,
        },
      },
    );
    assert.equal(member.status, 403);
    // And a read once served is not served again, even to the node it names.
    const bureauToken = await signIn(hospital.url, hospital.chain, seedOf('city-bureau/node'));
    const replay = await fetch(
      `${hospital.url}/v1/cluster/documents/${docId}?read=${committed.read}`,
      { headers: { authorization: `Bearer ${bureauToken}` } },
    );
    assert.equal(replay.status, 409);
  });

  it('erases the document on the node that holds it; reads are refused after', async () => {
    const er = await send(bureau, 'general-hospital/admin', 'documents.erase', { document: docId });
    assert.equal(er.ok, true, JSON.stringify(er));
    await synced();
    await until('the ciphertext to go', () => vaultFiles(hospital).length === 0);
    const held = hospital.node.ledger.db
      .prepare('SELECT count(*) AS c FROM document_vault')
      .get() as { c: number };
    assert.equal(held.c, 0);
    const r = await read(bureau, 'city-bureau/reviewer-1', 'city-bureau');
    assert.equal(r.status, 410);
  });
});
