/**
 * Documents against a real node over real HTTP, with a real SQLite file and real files on disk:
 * uploads told apart by their bytes and capped at 20 MiB, attachment to a case, reads by every
 * role that may read (each recorded on the ledger before a byte is served), refusals for a role
 * that may not (recorded as refused) and for someone the case is not visible to (nothing
 * recorded), the reads listed to the applicant, bytes altered on disk detected, and erasure that
 * destroys the key while `verify` still passes.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { canonicalJson } from '../src/core/canonical.js';
import { registry } from '../src/domains/protocols.js';
import { buildSubmission } from '../src/sdk/build.js';
import { readConsortiumKey } from '../src/node/config.js';
import { consortiumSecrets } from '../src/runtime/secrets.js';
import { verifyLedgerFile } from '../src/runtime/verify.js';
import {
  cnId,
  programSpec,
  protocolOneDir,
  startAidNode,
  type AidNode,
  type Json,
} from './aid-fixtures.js';
import { seedOf } from './helpers.js';

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR fake image body for the test'),
]);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]);

describe('documents on one node', () => {
  let n: AidNode;
  let caseId = '';
  const docs: Record<string, string> = {};

  const upload = async (
    signer: string,
    bytes: Uint8Array | ReadableStream,
    type = 'application/octet-stream',
  ) => {
    const res = await fetch(`${n.url}/v1/documents/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await n.token(signer)}`, 'content-type': type },
      body: bytes,
      ...(bytes instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    return { status: res.status, json: (await res.json()) as Json };
  };
  const attach = async (signer: string, kind: string, up: Json) =>
    n.send(signer, 'documents.attach', {
      case: caseId,
      kind,
      format: up.format,
      commitment: up.commitment,
      holder: up.holder,
    });
  const readBody = (signer: string, document: string, via = 'city-bureau') =>
    canonicalJson(
      buildSubmission(
        { chain: n.chain, type: 'documents.read', payload: { document, via } },
        seedOf(signer),
      ),
    );
  const read = async (signer: string, document: string, body = readBody(signer, document)) => {
    const res = await fetch(`${n.url}/v1/documents/${document}/read`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await n.token(signer)}`,
        'content-type': 'application/json',
      },
      body,
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    let error: Json;
    if (!res.ok) error = (JSON.parse(bytes.toString('utf8')) as Json).error;
    return {
      status: res.status,
      bytes,
      type: res.headers.get('content-type'),
      error,
      read: res.headers.get('x-aidledger-read'),
    };
  };

  before(async () => {
    n = await startAidNode();
    const ok = (r: { ok: boolean }) => assert.equal(r.ok, true, JSON.stringify(r));
    ok(
      await n.send(
        'city-bureau/manager-1',
        'programs.publish',
        programSpec('docs', {
          documents: [
            { name: 'invoice', labels: { 'zh-Hant': '發票', 'zh-Hans': '发票', en: 'invoice' } },
            {
              name: 'diagnosis',
              labels: { 'zh-Hant': '診斷證明', 'zh-Hans': '诊断证明', en: 'diagnosis' },
            },
          ],
        }),
      ),
    );
    ok(await n.send('applicant/alice', 'accounts.register', { lang: 'en' }));
    ok(await n.send('applicant/bob', 'accounts.register', { lang: 'en' }));
    const sub = await n.send(
      'applicant/alice',
      'cases.submit',
      { program: 'docs', hospital: 'general-hospital' },
      {
        patient: { kind: 'cn', id: cnId(5) },
        declared: { householdIncomePerCapita: '1000000' },
      },
    );
    ok(sub);
    caseId = sub.id;
  });
  after(async () => n.close());

  it('tells the format by the bytes: a PNG sent as anything is a PNG, text is refused', async () => {
    const png = await upload('applicant/alice', PNG);
    assert.equal(png.status, 201, JSON.stringify(png.json));
    assert.equal(png.json.format, 'png');
    // One node serves the whole demo consortium: the city bureau's.
    assert.equal(png.json.holder, 'city-bureau');
    assert.equal(png.json.size, PNG.length);
    const text = await upload('applicant/alice', Buffer.from('just some text, named scan.pdf'));
    assert.equal(text.status, 415);
    assert.equal(text.json.error.code, 'UNSUPPORTED_TYPE');
    const asJson = await upload('applicant/alice', PDF, 'application/json');
    assert.equal(asJson.status, 415);
    const empty = await upload('applicant/alice', Buffer.alloc(0));
    assert.equal(empty.status, 400);
    const res = await fetch(`${n.url}/v1/documents/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: PDF,
    });
    assert.equal(res.status, 401);
    // A finance officer attaches nothing, so uploads nothing.
    assert.equal((await upload('city-bureau/finance-1', PDF)).status, 403);
    docs.png = (await attach('applicant/alice', 'diagnosis', png.json)).id;
  });

  it('refuses more than 20 MiB, declared or streamed, and keeps nothing of it', async () => {
    const before = readdirSync(join(n.dir, 'documents')).length;
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x20);
    PDF.copy(big);
    const declared = await upload('general-hospital/clerk-1', big);
    assert.equal(declared.status, 413);
    assert.equal(declared.json.error.code, 'TOO_LARGE');
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent === 0) c.enqueue(PDF);
        if (sent > 21) return c.close();
        sent++;
        c.enqueue(chunk);
      },
    });
    const streamed = await upload('general-hospital/clerk-1', stream);
    assert.equal(streamed.status, 413);
    assert.equal(streamed.json.error.code, 'TOO_LARGE');
    assert.equal(readdirSync(join(n.dir, 'documents')).length, before);
    const exact = Buffer.alloc(20 * 1024 * 1024, 0x20);
    PDF.copy(exact);
    const fits = await upload('general-hospital/clerk-1', exact);
    assert.equal(fits.status, 201, JSON.stringify(fits.json));
    assert.equal(fits.json.size, exact.length);
  });

  it('attaches documents to the case by a commitment, and no bytes or salt reach the ledger', async () => {
    const pdf = await upload('general-hospital/clerk-1', PDF);
    const a = await attach('general-hospital/clerk-1', 'invoice', pdf.json);
    assert.equal(a.ok, true, JSON.stringify(a));
    docs.pdf = a.id;
    const jpeg = await upload('city-bureau/reviewer-1', JPEG);
    assert.equal(jpeg.json.holder, 'city-bureau');
    // The holder is a node's organisation, and a member's own where it runs one.
    const noNode = await attach('general-hospital/clerk-1', 'invoice', {
      ...jpeg.json,
      holder: 'hope-foundation',
    });
    assert.equal(noNode.code, 'WRONG_ORG');
    // A kind the program does not ask for.
    const pdf2 = await upload('applicant/alice', PDF);
    assert.equal((await attach('applicant/alice', 'passport', pdf2.json)).code, 'INVALID_STATE');
    // An attachment that misnames the upload's format makes no document of it: nothing is served.
    const png = await upload('applicant/alice', PNG);
    const misnamed = await attach('applicant/alice', 'invoice', { ...png.json, format: 'pdf' });
    assert.equal(misnamed.ok, true);
    const none = await read('city-bureau/reviewer-1', misnamed.id);
    assert.equal(none.status, 404);
    assert.equal(none.error.code, 'NOT_FOUND');
    // The same upload is attached once.
    assert.equal((await attach('applicant/alice', 'invoice', pdf.json)).code, 'ALREADY_EXISTS');
    const list = await n.read(`/v1/cases/${caseId}/documents`, 'applicant/alice');
    assert.equal(list.status, 200, JSON.stringify(list.json));
    assert.deepEqual(
      list.json.documents.map((d: Json) => [d.id, d.kind, d.format, d.holder, d.status]),
      [
        [docs.png, 'diagnosis', 'png', 'city-bureau', 'active'],
        [docs.pdf, 'invoice', 'pdf', 'city-bureau', 'active'],
        [misnamed.id, 'invoice', 'pdf', 'city-bureau', 'active'],
      ],
    );
    const tx = await n.read(`/v1/tx/${docs.pdf}`);
    const leafText = JSON.stringify(tx.json);
    assert.ok(!leafText.includes(PDF.toString('base64')));
    assert.ok(!leafText.includes('%PDF'));
  });

  it('serves a document to each role that reads it, each read on the ledger first', async () => {
    for (const signer of [
      'applicant/alice',
      'general-hospital/clerk-1',
      'general-hospital/social-worker-1',
      'city-bureau/reviewer-1',
      'city-bureau/manager-1',
      'audit-office/auditor-1',
    ]) {
      const r = await read(signer, docs.pdf!);
      assert.equal(r.status, 200, `${signer}: ${JSON.stringify(r.error)}`);
      assert.equal(r.type, 'application/pdf');
      assert.deepEqual(r.bytes, PDF);
      const tx = await n.read(`/v1/tx/${r.read}`);
      assert.equal(tx.json.result.ok, true, signer);
    }
    const png = await read('city-bureau/reviewer-1', docs.png!);
    assert.equal(png.type, 'image/png');
    assert.deepEqual(png.bytes, PNG);
  });

  it('records a read by a role that sees the case but does not read its documents, and serves nothing', async () => {
    for (const signer of ['city-bureau/finance-1', 'general-hospital/finance-1']) {
      const r = await read(signer, docs.pdf!);
      assert.equal(r.status, 403, signer);
      assert.equal(r.error.code, 'NOT_A_READER');
      const tx = await n.read(`/v1/tx/${r.error.details.tx}`);
      assert.equal(tx.json.result.code, 'NOT_A_READER');
    }
  });

  it('records nothing for someone the case is not visible to', async () => {
    const size = n.node.ledger.size;
    for (const signer of ['applicant/bob', 'hope-foundation/reviewer-1']) {
      const r = await read(signer, docs.pdf!);
      assert.equal(r.status, 403, signer);
      assert.equal(r.error.code, 'FORBIDDEN');
      assert.equal(r.bytes.includes(Buffer.from('%PDF')), false);
      assert.equal(
        (await n.read(`/v1/cases/${caseId}/documents`, signer)).status,
        403,
        `${signer} lists nothing`,
      );
    }
    assert.equal(n.node.ledger.size, size, 'nothing was ordered');
    // Through the generic submit route the contract refuses it too, and records no read.
    const direct = await n.send('applicant/bob', 'documents.read', {
      document: docs.pdf,
      via: 'city-bureau',
    });
    assert.equal(direct.code, 'CASE_NOT_VISIBLE');
  });

  it('serves each read once, and refuses a read signed by someone else or for another node', async () => {
    const body = readBody('city-bureau/reviewer-1', docs.pdf!);
    assert.equal((await read('city-bureau/reviewer-1', docs.pdf!, body)).status, 200);
    const again = await read('city-bureau/reviewer-1', docs.pdf!, body);
    assert.equal(again.status, 409);
    assert.equal(again.error.code, 'ALREADY_SERVED');
    const other = await read(
      'city-bureau/manager-1',
      docs.pdf!,
      readBody('city-bureau/reviewer-1', docs.pdf!),
    );
    assert.equal(other.status, 400);
    const elsewhere = await read(
      'city-bureau/reviewer-1',
      docs.pdf!,
      readBody('city-bureau/reviewer-1', docs.pdf!, 'general-hospital'),
    );
    assert.equal(elsewhere.status, 400);
  });

  it('lists every read to the applicant, newest first, and none to a finance officer', async () => {
    const list = await n.read(`/v1/cases/${caseId}/documents`, 'applicant/alice');
    const reads = list.json.reads as Json[];
    assert.ok(reads.length >= 8);
    assert.ok(reads.every((r, i) => i === 0 || reads[i - 1].time >= r.time));
    const readers = new Set(reads.map((r) => `${r.reader} ${r.as}`));
    for (const who of [
      'applicant applicant',
      'general-hospital/clerk-1 clerk',
      'general-hospital/social-worker-1 social-worker',
      'city-bureau/reviewer-1 reviewer',
      'city-bureau/manager-1 program-manager',
      'audit-office/auditor-1 regulator',
    ])
      assert.ok(readers.has(who), who);
    assert.ok(!reads.some((r) => r.reader.endsWith('finance-1')), 'refused reads are no reads');
    assert.equal(list.json.mayRead, true);
    const finance = await n.read(`/v1/cases/${caseId}/documents`, 'city-bureau/finance-1');
    assert.equal(finance.status, 200);
    assert.equal(finance.json.reads, undefined);
    assert.equal(finance.json.mayRead, false);
  });

  it('detects bytes altered on disk and serves nothing', async () => {
    const up = await upload('general-hospital/social-worker-1', JPEG);
    const a = await attach('general-hospital/social-worker-1', 'invoice', up.json);
    assert.equal(a.ok, true);
    const file = join(n.dir, 'documents', `${up.json.commitment}.aes`);
    const bytes = readFileSync(file);
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(file, bytes);
    const r = await read('city-bureau/reviewer-1', a.id);
    assert.equal(r.status, 500);
    assert.equal(r.error.code, 'TAMPERED');
    assert.equal(r.bytes.includes(Buffer.from([0xff, 0xd8, 0xff])), false);
  });

  it('erases a document: its key and bytes are gone, the commitment stays, and verify passes', async () => {
    const file = join(n.dir, 'documents');
    const held = (id: string) =>
      n.node.ledger.db
        .prepare('SELECT count(*) AS c FROM document_vault WHERE document = ?')
        .get(id) as { c: number };
    assert.equal(held(docs.pdf!).c, 1);
    // A finance officer and another hospital's clerk may not erase.
    assert.equal(
      (await n.send('city-bureau/finance-1', 'documents.erase', { document: docs.pdf })).code,
      'FORBIDDEN_ROLE',
    );
    const er = await n.send('applicant/alice', 'documents.erase', { document: docs.pdf });
    assert.equal(er.ok, true, JSON.stringify(er));
    assert.equal(held(docs.pdf!).c, 0);
    const commitment = (
      await n.read(`/v1/cases/${caseId}/documents`, 'applicant/alice')
    ).json.documents.find((d: Json) => d.id === docs.pdf);
    assert.equal(commitment.status, 'erased');
    assert.match(commitment.commitment, /^[0-9a-f]{64}$/);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(existsSync(join(file, `${commitment.commitment}.aes`)), false);
    const r = await read('city-bureau/reviewer-1', docs.pdf!);
    assert.equal(r.status, 410);
    assert.equal(
      (await n.send('applicant/alice', 'documents.erase', { document: docs.pdf })).code,
      'DOCUMENT_ERASED',
    );
    const secrets = consortiumSecrets(readConsortiumKey(n.dir)!);
    const report = await verifyLedgerFile(join(n.dir, 'ledger.sqlite'), { registry, secrets });
    assert.equal(report.leaves, n.node.ledger.size);
    assert.equal(report.state, n.node.ledger.stateDigestHex);
  });
});

describe('documents on a ledger before protocol 3', () => {
  it('takes no upload it could never attach', async () => {
    const dir = protocolOneDir();
    const n = await startAidNode({ dir: dir.dir, members: false });
    try {
      const reg = await n.send('applicant/dora', 'accounts.register', { lang: 'en' });
      assert.equal(reg.ok, true, JSON.stringify(reg));
      const res = await fetch(`${n.url}/v1/documents/uploads`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await n.token('applicant/dora')}`,
          'content-type': 'application/octet-stream',
        },
        body: PDF,
      });
      assert.equal(res.status, 503);
      assert.equal(((await res.json()) as Json).error.code, 'UNAVAILABLE');
      const attach = await n.send('applicant/dora', 'documents.attach', {
        case: 'a'.repeat(64),
        kind: 'invoice',
        format: 'pdf',
        commitment: 'b'.repeat(64),
        holder: 'city-bureau',
      });
      assert.equal(attach.code, 'UNKNOWN_TYPE');
    } finally {
      await n.close();
      dir.cleanup();
    }
  });
});
