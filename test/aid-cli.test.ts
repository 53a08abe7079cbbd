/**
 * The medical-aid commands of `aidledger` as people run them: the compiled CLI in a child process,
 * signing with key files on disk, against a real node serving HTTP on a loopback port.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { paths } from '../src/node/config.js';
import { demoActivity, writeDemoDir } from '../src/node/demo.js';
import { cnId, programSpec } from './aid-fixtures.js';
import { body, get, post, SEED, startNode, tempDir, type TestNode } from './helpers.js';

const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function aidledger(args: string[], timeoutMs = 30_000): Promise<Run> {
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
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const show = (r: Run) => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

const base = tempDir('aidledger-aid-cli-');
const nodeDir = join(base.dir, 'node');
const file = (name: string, value: unknown): string => {
  const f = join(base.dir, name);
  writeFileSync(f, JSON.stringify(value));
  return f;
};
const key = (member: string): string => join(paths.keys(nodeDir), `${member}.json`);
let t: TestNode;

/** Runs a command against the test node; it must succeed. */
async function ok(args: string[]): Promise<string> {
  const r = await aidledger([...args, '--node', t.url]);
  assert.equal(r.code, 0, `${args.slice(0, 2).join(' ')}: ${show(r)}`);
  assert.equal(r.stderr, '', show(r));
  return r.stdout;
}

/** The transaction id of the `<type>: ok, tx <id>` line. */
function txOf(stdout: string, type: string): string {
  const m = new RegExp(`^${type.replace('.', '\\.')}: ok, tx ([0-9a-f]{64}) at block \\d+$`, 'm');
  const got = m.exec(stdout);
  assert.ok(got, `no "${type}: ok" line in: ${stdout}`);
  return got[1]!;
}

const spec = (id: string) => programSpec(id);

void describe('aidledger medical-aid commands', { concurrency: true }, () => {
  before(async () => {
    writeDemoDir(nodeDir, SEED, Date.now() - 1000);
    t = await startNode({ dir: nodeDir });
    // The demo members, enrolled (the first round of the demo activity only).
    const enrol = demoActivity(SEED, t.chain, Date.now())[0]!;
    const r = await post(t.url, '/v1/txs', body(enrol.map((tx) => ({ tx }))));
    assert.equal(r.status, 200, JSON.stringify(r.json));
  });

  after(async () => {
    await t.close();
    base.cleanup();
  });

  void it('runs a case from application to closed, then lists, shows, explains and traces it', async () => {
    const applicant = join(base.dir, 'applicant.json');
    const reg = await ok(['account', 'register', '--key-out', applicant, '--lang', 'zh-Hans']);
    const pub = /^key ([0-9a-f]{64}) written to /.exec(reg)?.[1];
    assert.ok(pub, reg);
    assert.equal(statSync(applicant).mode & 0o777, 0o600);
    txOf(reg, 'accounts.register');
    assert.match(reg, new RegExp(`^applicant account ${pub} registered$`, 'm'));

    const published = await ok([
      'program',
      'publish',
      '--file',
      file('assist.json', spec('cli-assist')),
      '--key',
      key('city-bureau.manager-1'),
    ]);
    assert.match(published, /^program cli-assist is at version 1$/m);

    const alloc = await ok([
      'funds',
      'allocate',
      '--program',
      'cli-assist',
      '--amount',
      '50000000',
      '--reference',
      'budget 2026/17',
      '--key',
      key('city-bureau.finance-1'),
    ]);
    const allocation = txOf(alloc, 'funds.allocate');
    assert.match(alloc, /^ {2}lot 1 of program cli-assist$/m);

    const list = await ok(['program', 'list']);
    assert.match(
      list,
      /^cli-assist +1 +city-bureau +open +CNY +1000000\.00 +500000\.00 +0\.00 +0\.00 +500000\.00 +Program cli-assist$/m,
    );

    const submitted = await ok([
      'case',
      'submit',
      '--program',
      'cli-assist',
      '--hospital',
      'general-hospital',
      '--facts',
      file('application.json', {
        patient: { kind: 'cn', id: cnId(41) },
        name: 'Canary Applicant',
        declared: { householdIncomePerCapita: '1800000', householdSize: 3 },
      }),
      '--key',
      applicant,
    ]);
    const id = txOf(submitted, 'cases.submit');
    assert.match(submitted, new RegExp(`^case ${id} submitted$`, 'm'));
    // The application's facts are private: the log holds only their commitment.
    const logged = await get(t.url, `/v1/tx/${id}`);
    assert.equal(logged.status, 200);
    assert.doesNotMatch(logged.text, /Canary Applicant/);
    assert.match(logged.text, /"commitment":"[0-9a-f]{64}"/);

    await ok([
      'case',
      'verify',
      id,
      '--facts',
      file('verify.json', {
        patient: { kind: 'cn', id: cnId(41) },
        diagnoses: ['C91.0'],
        lines: [
          { invoice: 'INV-CLI', line: 1, amount: '3000000', insurancePaid: '1000000' },
          { invoice: 'INV-CLI', line: 2, amount: '500000', insurancePaid: '0' },
        ],
      }),
      '--key',
      key('general-hospital.clerk-1'),
    ]);
    const assessed = await ok(['case', 'assess', id, '--key', key('city-bureau.reviewer-1')]);
    txOf(assessed, 'cases.assess');
    assert.match(
      assessed,
      new RegExp(
        `^case ${id}: funded, eligible, granted 25000\\.00 CNY, approved 25000\\.00 CNY$`,
        'm',
      ),
    );
    const steps: [string, string][] = [
      ['disburse', 'city-bureau.finance-1'],
      ['confirm', 'general-hospital.clerk-1'],
      ['close', 'general-hospital.clerk-1'],
    ];
    for (const [step, signer] of steps) {
      const extra =
        step === 'disburse'
          ? ['--reference', 'PAY-CLI-1']
          : step === 'close'
            ? ['--outcome', 'treatment-completed']
            : [];
      txOf(await ok(['case', step, id, ...extra, '--key', key(signer)]), `cases.${step}`);
    }
    txOf(
      await ok([
        'case',
        'feedback',
        id,
        '--rating',
        '5',
        '--comment',
        'thank you',
        '--key',
        applicant,
      ]),
      'cases.feedback',
    );

    const cases = await ok([
      'case',
      'list',
      '--program',
      'cli-assist',
      '--key',
      key('city-bureau.reviewer-1'),
    ]);
    const lines = cases.trimEnd().split('\n');
    assert.match(lines[0]!, /^CASE +STATE +PROGRAM +HOSPITAL +SUBMITTED +UPDATED$/);
    assert.match(
      lines[1]!,
      new RegExp(
        `^${id} +closed +cli-assist +general-hospital +\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z +\\S+Z$`,
      ),
    );
    assert.equal(lines.length, 2, cases);
    assert.equal(await ok(['case', 'list', '--state', 'funded', '--key', applicant]), 'no cases\n');

    const shown = await ok(['case', 'show', id, '--key', applicant]);
    assert.match(shown, /^ {2}state +closed/m);
    assert.match(shown, /^ {2}amount +25000\.00 CNY$/m);
    assert.match(shown, /^ {2}outcome +treatment-completed$/m);
    assert.match(shown, new RegExp(`^ {4}lot 1 +allocation ${allocation} +25000\\.00 CNY$`, 'm'));

    const explained = await ok(['case', 'explain', id, '--lang', 'zh-Hans', '--key', applicant]);
    assert.match(explained, /^ {2}state +closed: 已结案$/m);
    assert.match(explained, /^ {4}met +income-limit: 家庭人均年收入不超过24000元$/m);
    assert.match(explained, /^ {13}家庭人均年收入 = 18000\.00 CNY, 申请人申报$/m);
    assert.match(explained, /^ {4}核定金额 +25000\.00 CNY$/m);

    const trace = await ok(['donation', 'trace', allocation]);
    assert.match(
      trace,
      new RegExp(`^allocation ${allocation} by city-bureau to program cli-assist`),
    );
    assert.match(trace, /^ {2}spent +25000\.00 CNY on 1 case$/m);
    assert.match(trace, /^ {2}lot 1 of cli-assist: 500000\.00 CNY, 475000\.00 CNY unspent/m);
    assert.match(trace, new RegExp(`^ {4}${id} +25000\\.00 +closed +general-hospital +yes$`, 'm'));

    const programs = await get(t.url, '/v1/public/programs');
    const p = (programs.json!.programs as { id: string; paid: string }[]).find(
      (x) => x.id === 'cli-assist',
    );
    assert.equal(p?.paid, '2500000');
  });

  void it('records donations, attests facts and freezes a program, which refuses applications until unfrozen', async () => {
    await ok([
      'program',
      'publish',
      '--file',
      file('hope.json', spec('cli-hope')),
      '--key',
      key('hope-foundation.admin'),
    ]);
    const received = await ok([
      'donation',
      'receive',
      '--amount',
      '300000',
      '--currency',
      'CNY',
      '--donor',
      'person:Kind Soul',
      '--rail',
      'bank-transfer',
      '--reference',
      'BT-CLI-1',
      '--donor-name',
      'Canary Donor',
      '--key',
      key('hope-foundation.finance-1'),
    ]);
    const donation = txOf(received, 'donations.receive');
    const logged = await get(t.url, `/v1/tx/${donation}`);
    assert.doesNotMatch(logged.text, /Canary Donor/);
    const assigned = await ok([
      'donation',
      'assign',
      '--donation',
      donation,
      '--program',
      'cli-hope',
      '--amount',
      '200000',
      '--key',
      key('hope-foundation.finance-1'),
    ]);
    txOf(assigned, 'donations.assign');
    assert.match(assigned, /^ {2}lot 1 of program cli-hope$/m);
    const trace = await ok(['donation', 'trace', donation]);
    assert.match(trace, /^ {2}donor +person “Kind Soul”$/m);
    assert.match(trace, /^ {2}amount +3000\.00 CNY, general, 1000\.00 CNY unassigned$/m);

    txOf(
      await ok([
        'attest',
        '--patient-kind',
        'cn',
        '--patient-id',
        cnId(42),
        '--facts',
        file('attest.json', { lowIncome: true }),
        '--key',
        key('city-bureau.admin'),
      ]),
      'attest.facts',
    );

    const regulator = key('audit-office.auditor-1');
    txOf(
      await ok([
        'freeze',
        '--program',
        'cli-hope',
        '--reason',
        'records-under-audit',
        '--note',
        'inquiry 7',
        '--key',
        regulator,
      ]),
      'audit.freeze',
    );
    assert.match(await ok(['program', 'list']), /^cli-hope +1 +hope-foundation +frozen /m);
    const application = file('frozen-application.json', {
      patient: { kind: 'cn', id: cnId(42) },
      declared: { householdIncomePerCapita: '1000000' },
    });
    const submit = [
      'case',
      'submit',
      '--program',
      'cli-hope',
      '--hospital',
      'children-hospital',
      '--facts',
      application,
      '--key',
      key('children-hospital.social-worker-1'),
      '--node',
      t.url,
    ];
    const refused = await aidledger(submit);
    assert.equal(refused.code, 1, show(refused));
    assert.match(refused.stdout, /^cases\.submit: refused FROZEN, tx [0-9a-f]{64} at block \d+$/m);
    assert.match(
      refused.stderr,
      /^aidledger: FROZEN: cases\.submit was refused \(tx [0-9a-f]{64}\)\n$/,
    );

    txOf(
      await ok(['unfreeze', '--program', 'cli-hope', '--reason', 'no-finding', '--key', regulator]),
      'audit.unfreeze',
    );
    const again = await aidledger(submit);
    assert.equal(again.code, 0, show(again));
    txOf(again.stdout, 'cases.submit');

    const v1 = await ok(['program', 'show', 'cli-hope', '--version', '1', '--lang', 'zh-Hant']);
    assert.match(v1, /^program cli-hope: 項目cli-hope$/m);
    assert.match(v1, /^ {2}version +1, published /m);
  });

  void it('binds a case to the family’s new phone, after which the old key is refused', async () => {
    await ok([
      'program',
      'publish',
      '--file',
      file('rec.json', spec('cli-recover')),
      '--key',
      key('city-bureau.manager-1'),
    ]);
    const oldKey = join(base.dir, 'old-phone.json');
    const newKey = join(base.dir, 'new-phone.json');
    await ok(['account', 'register', '--key-out', oldKey, '--lang', 'en']);
    const reg = await ok(['account', 'register', '--key-out', newKey, '--lang', 'en']);
    const pub = /^key ([0-9a-f]{64}) written to /m.exec(reg)![1]!;
    const submitted = await ok([
      'case',
      'submit',
      '--program',
      'cli-recover',
      '--hospital',
      'general-hospital',
      '--facts',
      file('rec-app.json', { patient: { kind: 'cn', id: cnId(42) }, declared: {} }),
      '--key',
      oldKey,
    ]);
    const id = txOf(submitted, 'cases.submit');
    const recovered = await ok([
      'case',
      'recover',
      id,
      '--account',
      pub,
      '--key',
      key('general-hospital.clerk-1'),
    ]);
    txOf(recovered, 'cases.recover');
    assert.match(
      recovered,
      new RegExp(`^case ${id} is now bound to account ${pub}; the old account is closed$`, 'm'),
    );
    // The old phone's key is refused at the door; the new one withdraws the case.
    const old = await aidledger(['case', 'withdraw', id, '--key', oldKey, '--node', t.url]);
    assert.notEqual(old.code, 0, show(old));
    txOf(await ok(['case', 'withdraw', id, '--key', newKey]), 'cases.withdraw');
  });

  void it('a refused transaction exits 1 with its code on stderr and is in the log with that code', async () => {
    const r = await aidledger([
      'funds',
      'allocate',
      '--program',
      'cli-assist',
      '--amount',
      '100',
      '--reference',
      'not mine to give',
      '--key',
      key('general-hospital.clerk-1'),
      '--node',
      t.url,
    ]);
    assert.equal(r.code, 1, show(r));
    const m = /^funds\.allocate: refused FORBIDDEN_ROLE, tx ([0-9a-f]{64}) at block \d+\n$/.exec(
      r.stdout,
    );
    assert.ok(m, show(r));
    assert.equal(r.stderr, `aidledger: FORBIDDEN_ROLE: funds.allocate was refused (tx ${m[1]})\n`);
    const logged = await get(t.url, `/v1/tx/${m[1]}`);
    assert.deepEqual(logged.json!.result, { ok: false, code: 'FORBIDDEN_ROLE' });
  });

  void it('bad input exits 2 and an unreachable node exits 3, one line on stderr each', async () => {
    const runs: [string[], number, RegExp][] = [
      [
        ['funds', 'allocate', '--program', 'p1', '--amount', '12.50', '--reference', 'r'],
        2,
        /^aidledger: BAD_REQUEST: amount is a positive whole number of minor units/,
      ],
      [
        ['case', 'show', 'not-a-case-id'],
        2,
        /^aidledger: BAD_REQUEST: case id is a transaction id/,
      ],
      [
        ['case', 'review', 'a'.repeat(64), '--approve', '--reject', '--code', 'criteria-met'],
        2,
        /^aidledger: CONFIG: give exactly one of --approve and --reject\n$/,
      ],
      [['case', 'confirm', 'a'.repeat(64)], 2, /^aidledger: CONFIG: cannot read key file /],
    ];
    await Promise.all(
      runs.map(async ([args, code, stderr]) => {
        const keyArgs = args.includes('review')
          ? ['--key', key('city-bureau.reviewer-1')]
          : args.includes('confirm')
            ? ['--key', join(base.dir, 'no-such-key.json')]
            : ['--key', key('city-bureau.finance-1')];
        const r = await aidledger([...args, ...keyArgs, '--node', t.url]);
        assert.equal(r.code, code, show(r));
        assert.match(r.stderr, stderr, show(r));
        assert.equal(r.stdout, '', show(r));
      }),
    );
    const down = await aidledger(['program', 'list', '--node', 'http://127.0.0.1:1']);
    assert.equal(down.code, 3, show(down));
    assert.match(down.stderr, /^aidledger: UNAVAILABLE: cannot reach http:\/\/127\.0\.0\.1:1/);
  });

  void it('--help lists every medical-aid command and exits 0', async () => {
    const groups: [string[], string[]][] = [
      [['account'], ['register']],
      [['program'], ['publish', 'list', 'show']],
      [['funds'], ['allocate', 'return']],
      [['donation'], ['receive', 'assign', 'trace']],
      [
        ['case'],
        [
          'submit',
          'verify',
          'identify',
          'decline',
          'assess',
          'review',
          'appeal',
          'withdraw',
          'cancel',
          'disburse',
          'confirm',
          'close',
          'feedback',
          'list',
          'show',
          'explain',
        ],
      ],
      [['attest'], []],
      [['freeze'], []],
      [['case', 'list'], []],
    ];
    const failures: string[] = [];
    await Promise.all(
      groups.map(async ([cmd, subs]) => {
        const r = await aidledger([...cmd, '--help']);
        const usage = `Usage: ${['aidledger', ...cmd].join(' ')} [options]`;
        const listed = subs.every((s) => new RegExp(`^  ${s} `, 'm').test(r.stdout));
        const leaf = subs.length > 0 || r.stdout.includes('--node <url>');
        if (r.code !== 0 || !r.stdout.startsWith(usage) || !listed || !leaf)
          failures.push(`${cmd.join(' ')}: ${show(r)}`);
      }),
    );
    assert.deepEqual(failures, []);
  });
});
