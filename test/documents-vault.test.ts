/**
 * The vault's limits against filling a node's disk, on a real SQLite file and real files, under
 * a test clock: uploads running and waiting per caller, uploads never attached swept after their
 * hour, stray files removed.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { isAidError } from '../src/core/errors.js';
import { DOCUMENT_VAULT } from '../src/domains/documents/projections.js';
import { DEFAULT_VAULT_LIMITS, DocumentVault } from '../src/domains/documents/vault.js';
import { tempDir } from './helpers.js';

const PDF = Buffer.from('%PDF-1.7\nsome pages\n%%EOF\n');
const once = (b: Uint8Array) =>
  (async function* () {
    yield b;
  })();

describe('the document vault', () => {
  const t = tempDir('aidledger-vault-');
  after(() => t.cleanup());
  let now = 1_000_000;
  const db = new Database(join(t.dir, 'ledger.sqlite'));
  db.exec(DOCUMENT_VAULT.schema);
  const vault = new DocumentVault(db, t.dir, 'city-bureau', () => now, {
    ...DEFAULT_VAULT_LIMITS,
    pendingPerCaller: 2,
    runningPerCaller: 1,
  });

  it('keeps at most a caller’s share of uploads waiting, and deletes those never attached', async () => {
    const a = await vault.receive('alice', once(PDF), PDF.length);
    await vault.receive('alice', once(PDF), PDF.length);
    await assert.rejects(vault.receive('alice', once(PDF), PDF.length), (e) =>
      isAidError(e, 'RATE_LIMITED'),
    );
    // Another caller is not held up by alice's.
    await vault.receive('bob', once(PDF), PDF.length);
    const file = join(t.dir, 'documents', `${a.commitment}.aes`);
    assert.ok(existsSync(file));
    assert.equal(a.expires, now + DEFAULT_VAULT_LIMITS.pendingMs);
    now += DEFAULT_VAULT_LIMITS.pendingMs + 61_000;
    vault.sweep();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(existsSync(file), false);
    assert.deepEqual(readdirSync(join(t.dir, 'documents')), []);
    const rows = db.prepare('SELECT count(*) AS c FROM document_vault').get() as { c: number };
    assert.equal(rows.c, 0);
    // Her share is free again.
    await vault.receive('alice', once(PDF), PDF.length);
  });

  it('lets a caller run one upload at a time', async () => {
    let release: () => void = () => undefined;
    const slow = (async function* () {
      yield PDF.subarray(0, 8);
      await new Promise<void>((r) => (release = r));
      yield PDF.subarray(8);
    })();
    const first = vault.receive('carol', slow, undefined);
    await new Promise((r) => setTimeout(r, 20));
    await assert.rejects(vault.receive('carol', once(PDF), PDF.length), (e) =>
      isAidError(e, 'RATE_LIMITED'),
    );
    release();
    assert.equal((await first).format, 'pdf');
  });

  it('removes files no row names, left by an upload a crash cut off', async () => {
    const stray = join(t.dir, 'documents', 'incoming-deadbeef');
    writeFileSync(stray, 'half an upload');
    now += 120_000;
    new DocumentVault(db, t.dir, 'city-bureau', () => now).sweep(true);
    await new Promise((r) => setTimeout(r, 50));
    // The file is younger than a minute by the file system's clock: an upload still running.
    assert.equal(existsSync(stray), true);
    utimesSync(stray, (Date.now() - 120_000) / 1000, (Date.now() - 120_000) / 1000);
    const old = join(t.dir, 'documents', 'leftover.aes');
    writeFileSync(old, 'no row names me');
    const hourAgo = (Date.now() - 3_600_000) / 1000;
    utimesSync(old, hourAgo, hourAgo);
    new DocumentVault(db, t.dir, 'city-bureau', () => now).sweep(true);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(existsSync(old), false);
    assert.equal(existsSync(stray), false);
  });
});
