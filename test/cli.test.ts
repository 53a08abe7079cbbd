/**
 * The `aidledger` command as a user runs it: the compiled CLI in a child process, against real
 * node directories and a real node serving HTTP on a loopback port.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { fromBase64, toBase64 } from '../src/core/bytes.js';
import { paths } from '../src/node/config.js';
import { demoActivity, writeDemoDir } from '../src/node/demo.js';
import {
  body,
  enrolPayload,
  get,
  post,
  SEED,
  startNode,
  tempDir,
  txBy,
  type TestNode,
} from './helpers.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI asynchronously (the node under test lives in this process). */
function aidledger(args: string[], timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const show = (r: Run) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

const base = tempDir('aidledger-cli-');
const nodeDir = join(base.dir, 'node');
const policyFile = join(base.dir, 'policy.json');
let t: TestNode;
let nodeClosed = false;
let counter = 0;

/** Commits one enrolment through the API and returns its id. */
async function commitOne(signer = 'city-bureau/admin'): Promise<string> {
  const tx = txBy(
    t.chain,
    signer,
    'membership.enrol',
    enrolPayload(t.chain, signer.split('/')[0]!, `cli-${++counter}`),
  );
  const r = await post(t.url, '/v1/tx', body({ tx }));
  assert.equal(r.status, 200, JSON.stringify(r.json));
  assert.deepEqual(r.json.result, { ok: true });
  return r.json.id as string;
}

void describe('aidledger command', () => {
  before(async () => {
    writeDemoDir(nodeDir, SEED, Date.now() - 1000);
    t = await startNode({ dir: nodeDir });
    // The demo activity: blocks 1 to 4, refusals included.
    for (const round of demoActivity(SEED, t.chain, Date.now())) {
      const r = await post(t.url, '/v1/txs', body(round.map((tx) => ({ tx }))));
      assert.equal(r.status, 200, JSON.stringify(r.json));
    }
    const policy = await get(t.url, '/v1/policy');
    assert.equal(policy.status, 200);
    writeFileSync(policyFile, policy.text);
  });

  after(async () => {
    if (!nodeClosed) await t.close();
    base.cleanup();
  });

  void it('init --dir D --demo writes a node directory that verify --dir finds sound', async () => {
    const d = join(base.dir, 'demo');
    const init = await aidledger(['init', '--dir', d, '--demo']);
    assert.equal(init.code, 0, show(init));
    // The first line; the medical-aid summary follows it.
    const m = /^demo consortium written to .*: (\d+) blocks, (\d+) log entries\n/.exec(init.stdout);
    assert.ok(m, show(init));
    const verify = await aidledger(['verify', '--dir', d]);
    assert.equal(verify.code, 0, show(verify));
    assert.match(verify.stdout, new RegExp(`^sound: ${m[1]} blocks, \\d+ transactions`));
    assert.match(verify.stdout, new RegExp(`, ${m[2]} log entries\\n`));
    assert.match(verify.stdout, /\nroot [0-9a-f]{64}\nstate [0-9a-f]{64}\n$/);
  });

  void it('erase --tx A B erases both private parts in one replay, and verify --dir finds the same root and state', async () => {
    const d = join(base.dir, 'erase');
    const init = await aidledger(['init', '--dir', d, '--demo']);
    assert.equal(init.code, 0, show(init));
    const sound = await aidledger(['verify', '--dir', d]);
    assert.equal(sound.code, 0, show(sound));
    assert.match(sound.stdout, /\(\d+ refused, 0 with erased private parts\)/);
    const db = new Database(paths.ledger(d), { readonly: true });
    const ids = db
      .prepare<[], Buffer>('SELECT txid FROM private_parts ORDER BY txid LIMIT 2')
      .pluck()
      .all()
      .map((b) => b.toString('hex'));
    db.close();
    assert.equal(ids.length, 2);
    const unknown = 'ab'.repeat(32);
    const erase = await aidledger(['erase', '--dir', d, '--tx', ids[0]!, ids[1]!, unknown]);
    assert.equal(erase.code, 0, show(erase));
    assert.equal(
      erase.stdout,
      `erased the private part of ${ids[0]}\nerased the private part of ${ids[1]}\nno private part held for ${unknown}\n`,
    );
    const after = await aidledger(['verify', '--dir', d]);
    assert.equal(after.code, 0, show(after));
    assert.match(after.stdout, /\(\d+ refused, 2 with erased private parts\)/);
    // The same log and the same state: the recorded writes replay in the erased facts' place.
    const tail = (s: string) => s.slice(s.indexOf('\nroot '));
    assert.equal(tail(after.stdout), tail(sound.stdout));
    const bad = await aidledger(['erase', '--dir', d, '--tx', 'xyz']);
    assert.equal(bad.code, 2, show(bad));
  });

  void it('init into a directory that already holds a node fails with exit 2 and changes nothing', async () => {
    const genesis = readFileSync(paths.genesis(nodeDir), 'utf8');
    for (const extra of [['--demo'], ['--chain', 'example.org/aid', '--org', 'city-bureau']]) {
      const r = await aidledger(['init', '--dir', nodeDir, ...extra]);
      assert.equal(r.code, 2, show(r));
      assert.match(r.stderr, /^aidledger: CONFIG: .* already holds a node\n$/);
    }
    assert.equal(readFileSync(paths.genesis(nodeDir), 'utf8'), genesis);
  });

  void it('exits 2 on bad usage: a missing option, an unknown command, a group without its command', async () => {
    for (const args of [
      ['case', 'submit', '--program', 'x'],
      ['bogus'],
      ['case'],
      ['verify', '--nope'],
    ]) {
      const r = await aidledger(args);
      assert.equal(r.code, 2, show(r));
      assert.match(r.stdout + r.stderr, /Usage: aidledger/);
    }
  });

  void it('--help works for every command and subcommand and exits 0', async () => {
    const commands = [
      [],
      ['init'],
      ['start'],
      ['verify'],
      ['witness'],
      ['verify-receipt'],
      ['receipt'],
      ['keys'],
      ['keys', 'new'],
      ['keys', 'show'],
      ['tx'],
      ['log'],
      ['log', 'checkpoint'],
      ['log', 'entries'],
      ['log', 'proof'],
      ['log', 'proof', 'inclusion'],
      ['log', 'proof', 'consistency'],
      ['erase'],
    ];
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < commands.length) {
        const cmd = commands[next++]!;
        const r = await aidledger([...cmd, '--help']);
        const usage = `Usage: ${['aidledger', ...cmd].join(' ')} [options]`;
        if (r.code !== 0 || !r.stdout.startsWith(usage) || !r.stdout.includes('-h, --help'))
          failures.push(`${cmd.join(' ') || '(top level)'}: ${show(r)}`);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    assert.deepEqual(failures, []);
  });

  void it('keys new --out F writes a 0600 key file and refuses to overwrite it', async () => {
    const f = join(base.dir, 'new-key.json');
    const r = await aidledger(['keys', 'new', '--out', f, '--member', 'city-bureau/someone']);
    assert.equal(r.code, 0, show(r));
    const pub = r.stdout.trim();
    assert.match(pub, /^[0-9a-f]{64}$/);
    assert.equal(statSync(f).mode & 0o777, 0o600);
    const written = readFileSync(f, 'utf8');
    const k = JSON.parse(written) as Record<string, unknown>;
    assert.equal(k.publicKey, pub);
    assert.equal(k.member, 'city-bureau/someone');
    assert.match(k.seed as string, /^[0-9a-f]{64}$/);
    const shown = await aidledger(['keys', 'show', f]);
    assert.equal(shown.code, 0, show(shown));
    assert.equal(shown.stdout, `${pub}\n`);

    const again = await aidledger(['keys', 'new', '--out', f]);
    assert.notEqual(again.code, 0, show(again));
    assert.match(again.stderr, /^aidledger: [A-Z_]+: .+\n$/);
    assert.equal(readFileSync(f, 'utf8'), written, 'the key file was overwritten');
  });

  void it('tx signs with a key file and submits: an admin commits, a clerk is refused with FORBIDDEN_ROLE', async () => {
    const keys = paths.keys(nodeDir);
    const payload = JSON.stringify(enrolPayload(t.chain, 'hope-foundation', 'cli-enrolled'));
    const ok = await aidledger([
      'tx',
      '--url',
      t.url,
      '--key',
      join(keys, 'hope-foundation.admin.json'),
      '--type',
      'membership.enrol',
      '--payload',
      payload,
    ]);
    assert.equal(ok.code, 0, show(ok));
    const out = JSON.parse(ok.stdout) as { id: string; height: number; result: unknown };
    assert.deepEqual(out.result, { ok: true });
    const rec = await get(t.url, `/v1/tx/${out.id}`);
    assert.equal(rec.status, 200);
    assert.equal(rec.json!.height, out.height);
    assert.deepEqual((rec.json!.tx as { payload: unknown }).payload, JSON.parse(payload));
    assert.ok(
      t.node.ledger.stateGet('membership/member/hope-foundation/cli-enrolled'),
      'the member was enrolled',
    );

    const refused = await aidledger([
      'tx',
      '--url',
      t.url,
      '--key',
      join(keys, 'children-hospital.clerk-1.json'),
      '--type',
      'membership.enrol',
      '--payload',
      JSON.stringify(enrolPayload(t.chain, 'children-hospital', 'cli-intruder')),
    ]);
    assert.notEqual(refused.code, 0, show(refused));
    const r2 = JSON.parse(refused.stdout) as { id: string; result: unknown };
    assert.deepEqual(r2.result, { ok: false, code: 'FORBIDDEN_ROLE' });
    // An execution refusal is logged with its code; nothing was enrolled.
    const logged = await get(t.url, `/v1/tx/${r2.id}`);
    assert.equal(logged.status, 200);
    assert.deepEqual(logged.json!.result, { ok: false, code: 'FORBIDDEN_ROLE' });
    assert.equal(
      t.node.ledger.stateGet('membership/member/children-hospital/cli-intruder'),
      undefined,
    );
  });

  void it('log checkpoint, entries and proofs print what the API serves', async () => {
    const size = t.node.ledger.size;
    assert.ok(size > 10);

    const cp = await aidledger(['log', 'checkpoint', '--url', t.url]);
    assert.equal(cp.code, 0, show(cp));
    const served = await get(t.url, '/v1/log/checkpoint');
    assert.equal(cp.stdout, served.text);
    assert.match(cp.stdout, new RegExp(`^${t.chain}\\n${size}\\n`));

    const entries = await aidledger([
      'log',
      'entries',
      '--url',
      t.url,
      '--start',
      '0',
      '--end',
      '3',
    ]);
    assert.equal(entries.code, 0, show(entries));
    const lines = entries.stdout.split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 3);
    const api = (await get(t.url, '/v1/log/entries?start=0&end=3')).json!.entries as string[];
    assert.deepEqual(
      lines,
      api.map((e) => Buffer.from(fromBase64(e)).toString('utf8')),
    );
    assert.equal((JSON.parse(lines[0]!) as { kind: string }).kind, 'block');

    const inc = await aidledger([
      'log',
      'proof',
      'inclusion',
      '--url',
      t.url,
      '--index',
      '2',
      '--size',
      String(size),
    ]);
    assert.equal(inc.code, 0, show(inc));
    const incApi = (await get(t.url, `/v1/log/proof/inclusion?index=2&size=${size}`)).json!;
    assert.deepEqual(JSON.parse(inc.stdout), incApi);
    assert.ok((incApi.proof as string[]).length > 0);

    const con = await aidledger([
      'log',
      'proof',
      'consistency',
      '--url',
      t.url,
      '--first',
      '3',
      '--second',
      String(size),
    ]);
    assert.equal(con.code, 0, show(con));
    const conApi = (await get(t.url, `/v1/log/proof/consistency?first=3&second=${size}`)).json!;
    assert.deepEqual(JSON.parse(con.stdout), conApi);
    assert.ok((conApi.proof as string[]).length > 0);
  });

  void it('receipt --out then verify-receipt: valid as fetched, and one changed byte of the leaf fails naming the step', async () => {
    const id = await commitOne();
    const file = join(base.dir, 'receipt.json');
    const got = await aidledger(['receipt', id, '--url', t.url, '--out', file]);
    assert.equal(got.code, 0, show(got));
    const receipt = JSON.parse(readFileSync(file, 'utf8')) as { txid: string; leaf: string };
    assert.equal(receipt.txid, id);

    const valid = await aidledger(['verify-receipt', file, '--policy', policyFile]);
    assert.equal(valid.code, 0, show(valid));
    for (const step of ['format', 'leaf', 'txid', 'signature', 'checkpoint', 'inclusion'])
      assert.match(valid.stdout, new RegExp(`^ok   ${step}: `, 'm'));
    assert.match(valid.stdout, /receipt is valid\n$/);

    const leaf = fromBase64(receipt.leaf);
    const text = Buffer.from(leaf).toString('utf8');
    const at = (needle: string, offset = 0) => {
      const i = text.indexOf(needle);
      assert.ok(i >= 0, `${needle} is in the leaf`);
      return i + offset;
    };
    // Inside the transaction (its id no longer matches), its encoding, and its result.
    const cases: { pos: number; step: string }[] = [
      { pos: at(`"name":"cli-`, 8), step: 'txid' },
      // A hex digit of the signature stays a hex digit with its lowest bit flipped.
      { pos: at('"sig":"', 7 + /[0-9]/.exec(text.slice(at('"sig":"', 7)))!.index), step: 'txid' },
      { pos: at('"kind":"tx"', 1), step: 'leaf' },
      { pos: at('"result":{"ok":true}', 16), step: 'leaf' },
      { pos: leaf.length - 1, step: 'leaf' },
    ];
    const tampered = join(base.dir, 'receipt-tampered.json');
    for (const c of cases) {
      const bad = Uint8Array.from(leaf);
      bad[c.pos] = bad[c.pos]! ^ 0x01;
      assert.equal(bad.filter((b, i) => b !== leaf[i]).length, 1);
      writeFileSync(tampered, JSON.stringify({ ...receipt, leaf: toBase64(bad) }, null, 2));
      const r = await aidledger(['verify-receipt', tampered, '--policy', policyFile]);
      assert.equal(r.code, 1, `byte ${c.pos}: ${show(r)}`);
      assert.match(r.stdout, new RegExp(`^FAIL ${c.step}: .+`, 'm'), `byte ${c.pos}: ${show(r)}`);
      assert.doesNotMatch(r.stdout, /receipt is valid/);
      assert.equal(r.stderr, `aidledger: VERIFY_FAILED: receipt is not valid (${c.step})\n`);
    }
  });

  void it('verify --remote checks the served log and exits 0', async () => {
    const size = t.node.ledger.size;
    const r = await aidledger(['verify', '--remote', t.url]);
    assert.equal(r.code, 0, show(r));
    assert.match(
      r.stdout,
      new RegExp(`^sound: ${size} log entries, ${t.node.ledger.height + 1} blocks, `),
    );
    assert.match(r.stdout, /checkpoint signed by city-bureau\n$/);
    const pinned = await aidledger(['verify', '--remote', t.url, '--policy', policyFile]);
    assert.equal(pinned.code, 0, show(pinned));
  });

  void it('witness --state follows the log from run to run and raises a fork', async () => {
    const state = join(base.dir, 'witness.json');
    const first = await aidledger(['witness', t.url, '--state', state]);
    assert.equal(first.code, 0, show(first));
    assert.match(first.stdout, /^\S+ ok: size \d+ root [0-9a-f]{64}\n$/);
    const s1 = JSON.parse(readFileSync(state, 'utf8')) as {
      checkpoint: { size: number; root: string };
    };
    assert.equal(s1.checkpoint.size, t.node.ledger.size);

    await commitOne();
    const second = await aidledger(['witness', t.url, '--state', state]);
    assert.equal(second.code, 0, show(second));
    assert.doesNotMatch(second.stdout, /unchanged/);
    const s2 = JSON.parse(readFileSync(state, 'utf8')) as {
      checkpoint: { size: number; root: string };
    };
    assert.ok(s2.checkpoint.size > s1.checkpoint.size);

    const third = await aidledger(['witness', t.url, '--state', state]);
    assert.equal(third.code, 0, show(third));
    assert.match(third.stdout, /\(unchanged\)\n$/);

    // A state that remembers another root for the same size: the witness alarms.
    const forked = join(base.dir, 'witness-forked.json');
    const wrongRoot = s2.checkpoint.root.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    writeFileSync(
      forked,
      JSON.stringify({ ...s2, checkpoint: { ...s2.checkpoint, root: wrongRoot } }),
    );
    const alarm = await aidledger(['witness', t.url, '--state', forked]);
    assert.equal(alarm.code, 1, show(alarm));
    assert.match(alarm.stderr, /^aidledger: FORK: /);
  });

  void it('a bad integer argument exits 2 with one line "aidledger: CODE: message" on stderr', async () => {
    const cases: [string[], string][] = [
      [['log', 'entries', '--url', t.url, '--start', 'x', '--end', '3'], 'start'],
      [['log', 'proof', 'inclusion', '--url', t.url, '--index', '1.5', '--size', '3'], 'index'],
      [['log', 'proof', 'consistency', '--url', t.url, '--first', '01', '--second', '3'], 'first'],
    ];
    for (const [args, name] of cases) {
      const r = await aidledger(args);
      assert.equal(r.code, 2, show(r));
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, `aidledger: BAD_REQUEST: ${name} must be a non-negative integer\n`);
    }
  });

  void it('one byte changed in a stored transaction makes verify --dir fail naming its block', async () => {
    await t.close();
    nodeClosed = true;
    const sound = await aidledger(['verify', '--dir', nodeDir]);
    assert.equal(sound.code, 0, show(sound));
    assert.match(sound.stdout, /^sound: /);

    const db = new Database(paths.ledger(nodeDir));
    try {
      const block = db
        .prepare<[], { height: number; first: number }>(
          'SELECT height, first FROM blocks WHERE height >= 2 AND txs > 0 ORDER BY height LIMIT 1',
        )
        .get();
      assert.ok(block, 'a block from height 2 with transactions');
      const height = block.height;
      const original = db
        .prepare<[number], Buffer>('SELECT data FROM leaves WHERE idx = ?')
        .pluck()
        .get(block.first)!;
      assert.match(original.toString('utf8'), /^\{"kind":"tx",/);
      const changed = Buffer.from(original);
      const pos = changed.indexOf('"nonce":"') + 9;
      changed[pos] = changed[pos]! ^ 0x01;
      db.prepare('UPDATE leaves SET data = ? WHERE idx = ?').run(changed, block.first);

      const r = await aidledger(['verify', '--dir', nodeDir]);
      assert.notEqual(r.code, 0, show(r));
      assert.equal(r.code, 1, show(r));
      assert.match(r.stderr, new RegExp(`^aidledger: VERIFY_FAILED: block ${height}: .+\\n$`));

      // That byte alone was the difference.
      db.prepare('UPDATE leaves SET data = ? WHERE idx = ?').run(original, block.first);
    } finally {
      db.close();
    }
    const restored = await aidledger(['verify', '--dir', nodeDir]);
    assert.equal(restored.code, 0, show(restored));
  });
});
