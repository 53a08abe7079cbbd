/**
 * The documents commands of `aidledger` as people run them: the compiled CLI in a child process,
 * signing with the demo's key files on disk, against a real node serving HTTP on a loopback port.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { paths } from '../src/node/config.js';
import { cnId, programSpec, startAidNode, type AidNode } from './aid-fixtures.js';
import { tempDir } from './helpers.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function aidledger(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('a scan, saved under a .pdf name'),
]);

describe('aidledger documents', () => {
  let n: AidNode;
  let caseId = '';
  let doc = '';
  const files = tempDir('aidledger-documents-cli-');
  const key = (member: string) => join(paths.keys(n.dir), `${member.replace('/', '.')}.json`);
  const run = (args: string[], signer: string) =>
    aidledger([...args, '--node', n.url, '--key', key(signer)]);
  const show = (r: Run) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

  before(async () => {
    n = await startAidNode();
    const pub = await n.send('city-bureau/manager-1', 'programs.publish', programSpec('clidocs'));
    assert.equal(pub.ok, true, JSON.stringify(pub));
    const sub = await n.send(
      'general-hospital/social-worker-1',
      'cases.submit',
      { program: 'clidocs', hospital: 'general-hospital' },
      { patient: { kind: 'cn', id: cnId(77) }, declared: { householdIncomePerCapita: '900000' } },
    );
    assert.equal(sub.ok, true, JSON.stringify(sub));
    caseId = sub.id;
  });
  after(async () => {
    await n.close();
    files.cleanup();
  });

  it('uploads a PNG named .pdf as a PNG and attaches it', async () => {
    const scan = join(files.dir, 'scan.pdf');
    writeFileSync(scan, PNG);
    const r = await run(
      ['documents', 'upload', scan, '--case', caseId, '--kind', 'invoice'],
      'general-hospital/social-worker-1',
    );
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /^uploaded png, \d+ bytes, held by city-bureau/m);
    doc = /^document ([0-9a-f]{64}) attached/m.exec(r.stdout)?.[1] ?? '';
    assert.notEqual(doc, '', show(r));
  });

  it('refuses a text file with its code, and keeps nothing', async () => {
    const notes = join(files.dir, 'notes.pdf');
    writeFileSync(notes, 'not a document at all');
    const r = await run(['documents', 'upload', notes], 'general-hospital/social-worker-1');
    assert.equal(r.code, 1, show(r));
    assert.match(r.stderr, /^aidledger: UNSUPPORTED_TYPE: /);
  });

  it('reads on record, and refuses a finance officer on record', async () => {
    const out = join(files.dir, 'read.png');
    const r = await run(['documents', 'read', doc, '--out', out], 'city-bureau/reviewer-2');
    assert.equal(r.code, 0, show(r));
    assert.deepEqual(readFileSync(out), PNG);
    assert.match(r.stdout, /read recorded in tx [0-9a-f]{64}/);
    const refused = await run(
      ['documents', 'read', doc, '--out', join(files.dir, 'no.png')],
      'city-bureau/finance-1',
    );
    assert.equal(refused.code, 1, show(refused));
    assert.match(refused.stderr, /^aidledger: NOT_A_READER: /);
    const list = await run(['documents', 'list', caseId], 'general-hospital/clerk-1');
    assert.equal(list.code, 0, show(list));
    assert.match(list.stdout, new RegExp(`^${doc}  invoice  png  held by city-bureau`, 'm'));
    assert.match(list.stdout, /^reads \(1\):\n.* city-bureau\/reviewer-2 \(program reviewer\)/m);
  });

  it('erases: the list shows it erased and a read is refused', async () => {
    const r = await run(['documents', 'erase', doc], 'city-bureau/admin');
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /^documents\.erase: ok/m);
    const list = await run(['documents', 'list', caseId], 'general-hospital/clerk-1');
    assert.match(list.stdout, /ERASED/);
    const read = await run(
      ['documents', 'read', doc, '--out', join(files.dir, 'gone.png')],
      'city-bureau/reviewer-2',
    );
    assert.equal(read.code, 1, show(read));
    assert.match(read.stderr, /^aidledger: ERASED: /);
  });
});
