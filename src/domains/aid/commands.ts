/**
 * The medical-aid commands of `aidledger`: applicant accounts, programs, funds and donations,
 * attested facts, the case lifecycle and regulators' freezes. Each signing command signs with
 * `--key` on this device and submits to `--node`; reads of cases sign in with the same key.
 * A refused transaction prints its id and code and exits 1 with `aidledger: CODE: …` on stderr.
 */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { LANGS, REASON_LABELS, type Lang } from './text.js';
import type { DonationTrace, Donor } from './public-types.js';
import { parseJson } from '../../core/canonical.js';
import { randomSeed } from '../../core/ed25519.js';
import { AidError, type ErrorCode } from '../../core/errors.js';
import { majorUnits, MINOR_DIGITS, parseAmount, parseCurrency } from '../../core/money.js';
import { FACTS } from './contracts/aid-common.js';
import { CASE_STATES, OUTCOMES } from './contracts/case-record.js';
import { RailSchema } from './contracts/donations.js';
import {
  CANCEL_REASONS,
  DECLINE_REASONS,
  FREEZE_REASONS,
  INFO_REASONS,
  RETURN_REASONS,
  REVIEW_REASONS,
  UNFREEZE_REASONS,
} from './reasons.js';
import { keyFileFromSeed, readKeyFile, writeKeyFile } from '../../runtime/keyfile.js';
import {
  caseSources,
  donationTrace,
  explainCase,
  getCase,
  listCases,
  program as fetchProgram,
  programs as fetchPrograms,
  programVersion,
  signIn,
  type CaseExplanation,
  type CaseFilter,
  type ProgramDefinition,
  type ProgramDetail,
} from './client.js';
import { printLine as out, type DomainCommands } from '../../runtime/commands.js';
import { buildSubmission } from '../../sdk/build.js';
import { AidClient, type Outcome } from '../../sdk/client.js';

/** Where `aidledger start` serves by default. */
const DEFAULT_NODE = 'http://127.0.0.1:8080';

type Json = Record<string, unknown>;

interface NodeOpts {
  node: string;
}
interface SignOpts extends NodeOpts {
  key: string;
}
interface ReadOpts extends NodeOpts {
  lang: Lang;
  json?: boolean;
}

// ---- arguments -----------------------------------------------------------------------------

const bad = (message: string): never => {
  throw new AidError('BAD_REQUEST', message);
};

function int(name: string, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    const n = /^(0|[1-9][0-9]{0,15})$/.test(v) ? Number(v) : NaN;
    if (!(n >= min && n <= max)) bad(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

/** A positive amount of minor units (分, cents) as the wire carries it. */
function amount(name: string) {
  return (v: string): string => {
    if (!/^[1-9][0-9]{0,17}$/.test(v))
      bad(`${name} is a positive whole number of minor units (cents), like 250000 for 2500.00`);
    return v;
  };
}

function txRef(what: string) {
  return (v: string): string => {
    if (!/^[0-9a-f]{64}$/.test(v)) bad(`${what} is a transaction id: 64 lowercase hex characters`);
    return v;
  };
}

/** A time as milliseconds since the epoch or an ISO 8601 date (UTC unless it says otherwise). */
function time(name: string) {
  return (v: string): number => {
    if (/^[0-9]{1,16}$/.test(v)) return Number(v);
    const t = /^[0-9]{4}-[0-9]{2}-[0-9]{2}/.test(v) ? Date.parse(v) : NaN;
    if (Number.isNaN(t)) bad(`${name} is a date like 2026-01-31 or milliseconds since 1970`);
    return t;
  };
}

function donor(v: string): Donor {
  if (v === 'anonymous') return { kind: 'anonymous' };
  const m = /^(org|person):(.+)$/.exec(v);
  if (!m) return bad('donor is org:<id>, person:<alias> or anonymous');
  return m[1] === 'org' ? { kind: 'org', org: m[2]! } : { kind: 'person', alias: m[2]! };
}

function readJsonObject(path: string, what: string): Json {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AidError('CONFIG', `cannot read ${path}`, { cause });
  }
  const v = parseJson(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new AidError('MALFORMED', `${what} in ${path} must be a JSON object`);
  return v as Json;
}

const withNode = (cmd: Command): Command => cmd.option('--node <url>', 'node URL', DEFAULT_NODE);
const withKey = (cmd: Command): Command =>
  withNode(cmd).requiredOption('--key <file>', 'key file to sign with');
const withLang = (cmd: Command): Command =>
  cmd.addOption(new Option('--lang <lang>', 'language').choices([...LANGS]).default('en'));
const withJson = (cmd: Command): Command => cmd.option('--json', 'print the node’s JSON');

/**
 * `--code` from a published list of reasons (public) and `--note` (private: only member nodes
 * keep it, and they can erase it). Free text never goes in the public payload.
 */
const withReason = (cmd: Command, list: Record<string, unknown>): Command =>
  cmd
    .addOption(
      new Option('--code <code>', 'the reason: a published code (public)')
        .choices(Object.keys(list))
        .makeOptionMandatory(),
    )
    .option('--note <text>', 'what you want to add: private, never in the public log');

const noteFacts = (note: string | undefined): Json | undefined =>
  note === undefined ? undefined : { note };

/** A payment reference and an optional note, for the private part. */
const paymentFacts = (reference: string | undefined, note?: string): Json | undefined =>
  reference === undefined && note === undefined
    ? undefined
    : {
        ...(reference === undefined ? {} : { reference }),
        ...(note === undefined ? {} : { note }),
      };

// ---- output --------------------------------------------------------------------------------

/** An amount in major units with its currency, e.g. "2500.00 CNY"; raw when the currency is unknown. */
function money(value: string | undefined, currency: string | undefined): string {
  if (value === undefined) return '-';
  if (currency === undefined || !Object.hasOwn(MINOR_DIGITS, currency)) return value;
  return `${majorUnits(parseAmount(value), parseCurrency(currency))} ${currency}`;
}

/** Major units without the currency, for table columns. */
function major(value: string, currency: string): string {
  return Object.hasOwn(MINOR_DIGITS, currency)
    ? majorUnits(parseAmount(value), parseCurrency(currency))
    : value;
}

const when = (ms: number): string => new Date(ms).toISOString().replace(/\.[0-9]{3}Z$/, 'Z');

/** Terminal columns of a string: East Asian wide characters take two. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

/** A table with a header row; columns listed in `right` are right-aligned. */
function table(head: string[], rows: string[][], right: readonly number[] = []): string {
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) =>
    r
      .map((cell, i) => {
        const pad = ' '.repeat(widths[i]! - width(cell));
        return right.includes(i) ? pad + cell : i === r.length - 1 ? cell : cell + pad;
      })
      .join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

const printJson = (v: unknown): void => out(JSON.stringify(v, null, 2));

// ---- talking to the node -------------------------------------------------------------------

async function chainOf(client: AidClient): Promise<string> {
  return (await client.health()).chain;
}

/**
 * Prints the outcome of a submission. @throws AidError with the refusal code when the
 * transaction was ordered but refused, so the command ends with exit 1.
 */
function reported(type: string, r: Outcome): Outcome {
  const where = `at block ${r.height}${r.duplicate ? ', already in the log' : ''}`;
  if (r.result.ok) {
    out(`${type}: ok, tx ${r.id} ${where}`);
    return r;
  }
  out(`${type}: refused ${r.result.code}, tx ${r.id} ${where}`);
  throw new AidError(r.result.code as ErrorCode, `${type} was refused (tx ${r.id})`);
}

/** Signs one transaction with a key file and submits it; answers once it committed. */
async function send(
  o: SignOpts,
  type: string,
  payload: Json,
  facts?: Json,
): Promise<{ outcome: Outcome; client: AidClient }> {
  const key = readKeyFile(o.key);
  const client = new AidClient(o.node);
  const chain = await chainOf(client);
  const sub = buildSubmission({ chain, type, payload, ...(facts ? { facts } : {}) }, key.seedBytes);
  return { outcome: reported(type, await client.submit(sub)), client };
}

/** Signs in with a key file: the client, the chain and a bearer token. */
async function session(o: SignOpts) {
  const key = readKeyFile(o.key);
  const client = new AidClient(o.node);
  const chain = await chainOf(client);
  return { key, client, chain, token: await signIn(client, chain, key.seedBytes) };
}

/** The lots a donation or an allocation became, for the line after it is recorded. */
async function printLots(client: AidClient, id: string): Promise<void> {
  const t = await donationTrace(client, id);
  for (const l of t.lots) out(`  lot ${l.lot} of program ${l.program}`);
}

// ---- printing reads ------------------------------------------------------------------------

function printProgram(p: ProgramDetail | undefined, d: ProgramDefinition, lang: Lang): void {
  const cur = d.currency;
  const versions = p ? ` of ${p.versions.length}` : '';
  out(`program ${d.id}: ${d.names[lang]}`);
  const rows: [string, string][] = [
    ['version', `${d.version}${versions}, published ${when(d.time)} in tx ${d.tx}`],
    ['owner', d.owner],
    ['status', `${d.open ? 'open' : 'closed'}${p?.frozen ? ', frozen by a regulator' : ''}`],
    ['currency', `${cur}, time zone ${d.timeZone}`],
    ['budget', money(d.budget, cur)],
  ];
  if (p)
    rows.push([
      'money',
      `received ${money(p.received, cur)}, committed ${money(p.committed, cur)}, ` +
        `paid ${money(p.paid, cur)}, available ${money(p.available, cur)}, returned ${money(p.returned, cur)}`,
    ]);
  const b = d.benefit;
  rows.push(
    [
      'benefit',
      `${b.rateBp / 100}% above a deductible of ${money(b.deductible, cur)}; at most ` +
        `${money(b.perCaseCap, cur)} a case and ${money(b.perPatientYearCap, cur)} a patient a year`,
    ],
    [
      'review',
      `automatic up to ${money(d.review.autoApproveUpTo, cur)}, ` +
        `two reviewers above ${money(d.review.twoReviewersAbove, cur)}`,
    ],
    ['documents', d.documents.map((x) => `${x.name} (${x.labels[lang]})`).join(', ') || '-'],
  );
  if (p)
    rows.push([
      'cases',
      Object.entries(p.cases)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ') || 'none',
    ]);
  for (const [k, v] of rows) out(`  ${k.padEnd(10)} ${v}`);
  out('  conditions');
  for (const c of d.conditions) {
    out(`    ${c.name}: ${c.labels[lang]}`);
    out(`      ${c.expr}`);
    for (const a of c.attested ?? [])
      out(`      ${a.fact} must be attested by ${a.by.join(' or ')}`);
  }
}

function factValue(name: string, value: unknown, currency: string): string {
  const kind = Object.hasOwn(FACTS, name) ? FACTS[name as keyof typeof FACTS].type : undefined;
  if (kind === 'money' && typeof value === 'string') return money(value, currency);
  if (Array.isArray(value)) return value.map(String).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function printExplanation(e: CaseExplanation): void {
  const cur = e.amount.currency;
  out(`case ${e.case}: ${e.programName} (${e.program}), version ${e.version}`);
  out(`  state     ${e.state}: ${e.stateLabel}`);
  out(
    `  decision  ${e.eligible ? 'eligible' : 'not eligible'}` +
      (e.reason ? `; ${e.reasonLabel ?? e.reason}` : '') +
      `; review ${e.review === 'auto' ? 'automatic' : e.review === 'one' ? 'by one reviewer' : 'by two reviewers'}`,
  );
  out('  conditions');
  for (const c of e.conditions) {
    const why = c.passed
      ? ''
      : ` (${c.reasonLabel ?? c.reason ?? ''}${c.detail ? `: ${c.detail}` : ''})`;
    out(`    ${c.passed ? 'met    ' : 'not met'}  ${c.name}: ${c.label}${why}`);
    out(`             ${c.expr}`);
    for (const f of c.facts) {
      const v =
        'value' in f
          ? ` = ${factValue(f.name, f.value, cur)}`
          : 'declared' in f
            ? ` (you declared ${factValue(f.name, f.declared, cur)})`
            : '';
      out(`             ${f.label}${v}, ${f.sourceLabel}`);
    }
  }
  if (e.differences && e.differences.length > 0)
    out(
      `  differs   declared ≠ attested: ${e.differences.map((d) => d.label).join(', ')} (reviewed)`,
    );
  out('  amount');
  const steps = e.amount.steps.map((s) => [s.label, money(s.value, cur)] as const);
  const labelWidth = Math.max(...steps.map(([l]) => width(l)));
  const valueWidth = Math.max(...steps.map(([, v]) => v.length));
  for (const [l, v] of steps)
    out(`    ${l}${' '.repeat(labelWidth - width(l))}  ${v.padStart(valueWidth)}`);
  if (e.amount.approved !== undefined)
    out(
      `  approved  ${money(e.amount.approved, cur)}` +
        (e.amount.reducedFrom ? ` (reduced from ${money(e.amount.reducedFrom, cur)})` : ''),
    );
  if (e.reviews.length > 0) {
    out('  reviews');
    for (const r of e.reviews)
      out(
        `    ${when(r.time)}  ${r.approve ? 'approve' : 'reject '}  ${r.org}/${r.member}: ` +
          (r.reasonLabel ?? r.reason),
      );
  }
}

function donorText(d: Donor): string {
  return d.kind === 'org'
    ? `organisation ${d.org}`
    : d.kind === 'person'
      ? `person “${d.alias}”`
      : 'anonymous';
}

function printTrace(t: DonationTrace, currency: string): void {
  if (t.kind === 'donation') {
    out(`donation ${t.id} to ${t.org}, ${when(t.time)}, via ${t.rail ?? '-'}`);
    out(`  donor      ${t.donor ? donorText(t.donor) : '-'}`);
    out(
      `  amount     ${money(t.amount, currency)}` +
        (t.program ? `, restricted to program ${t.program}` : ', general') +
        (t.unassigned && t.unassigned !== '0'
          ? `, ${money(t.unassigned, currency)} unassigned`
          : ''),
    );
  } else {
    out(`allocation ${t.id} by ${t.org} to program ${t.program ?? '-'}, ${when(t.time)}`);
    out(`  amount     ${money(t.amount, currency)}, reference ${t.reference ?? '-'}`);
  }
  const n = t.lots.reduce((a, l) => a + l.cases.length, 0);
  out(`  spent      ${money(t.spent, currency)} on ${n} case${n === 1 ? '' : 's'}`);
  for (const l of t.lots) {
    out(
      `  lot ${l.lot} of ${l.program}: ${money(l.amount, currency)}, ` +
        `${money(l.remaining, currency)} unspent, ${money(l.returned, currency)} returned`,
    );
    if (l.cases.length === 0) continue;
    const rows = l.cases.map((c) => [
      c.case,
      major(c.amount, currency),
      c.state,
      c.hospital,
      c.paid ? 'yes' : 'no',
    ]);
    out(
      table(['CASE', 'AMOUNT', 'STATE', 'HOSPITAL', 'PAID'], rows, [1])
        .split('\n')
        .map((x) => `    ${x}`)
        .join('\n'),
    );
  }
}

// ---- commands ------------------------------------------------------------------------------

function accountCommands(cli: Command): void {
  const account = cli.command('account').description('applicant accounts');
  withNode(
    account
      .command('register')
      .description(
        'make a key pair on this device and register it as an applicant account (signed by the new key)',
      )
      .requiredOption('--key-out <file>', 'key file to write (mode 0600; never overwritten)')
      .addOption(
        new Option('--lang <lang>', 'the language the applicant reads')
          .choices([...LANGS])
          .default('en'),
      ),
  ).action(async (o: NodeOpts & { keyOut: string; lang: Lang }) => {
    const k = keyFileFromSeed(randomSeed());
    writeKeyFile(o.keyOut, k);
    out(`key ${k.publicKey} written to ${o.keyOut}`);
    await send({ node: o.node, key: o.keyOut }, 'accounts.register', { lang: o.lang });
    out(`applicant account ${k.publicKey} registered`);
  });
}

function programCommands(cli: Command): void {
  const program = cli.command('program').description('aid programs and their rules');
  withKey(
    program
      .command('publish')
      .description('publish a program, or a new version of one, from its spec')
      .requiredOption('--file <spec.json>', 'the program spec as JSON'),
  ).action(async (o: SignOpts & { file: string }) => {
    const spec = readJsonObject(o.file, 'the program spec');
    const { client } = await send(o, 'programs.publish', spec);
    if (typeof spec.id === 'string') {
      const p = await fetchProgram(client, spec.id);
      out(`program ${p.id} is at version ${p.version}`);
    }
  });
  withJson(
    withLang(
      withNode(program.command('list').description('every program with its money (public)')),
    ),
  ).action(async (o: ReadOpts) => {
    const list = await fetchPrograms(new AidClient(o.node), o.lang);
    if (o.json) return printJson(list);
    if (list.length === 0) return out('no programs');
    const rows = list.map((p) => [
      p.id,
      String(p.version),
      p.owner,
      p.frozen ? 'frozen' : p.open ? 'open' : 'closed',
      p.currency,
      major(p.budget, p.currency),
      major(p.received, p.currency),
      major(p.committed, p.currency),
      major(p.paid, p.currency),
      major(p.available, p.currency),
      p.name,
    ]);
    out(
      table(
        [
          'ID',
          'VERSION',
          'OWNER',
          'STATUS',
          'CURRENCY',
          'BUDGET',
          'RECEIVED',
          'COMMITTED',
          'PAID',
          'AVAILABLE',
          'NAME',
        ],
        rows,
        [1, 5, 6, 7, 8, 9],
      ),
    );
  });
  withJson(
    withLang(
      withNode(
        program
          .command('show')
          .description('a program’s rules, benefit, review policy and money (public)')
          .argument('<id>', 'program id')
          .option('--version <n>', 'an earlier published version', int('version', 1, 1_000_000)),
      ),
    ),
  ).action(async (id: string, o: ReadOpts & { version?: number }) => {
    const client = new AidClient(o.node);
    if (o.version !== undefined) {
      const d = await programVersion(client, id, o.version);
      return o.json ? printJson(d) : printProgram(undefined, d, o.lang);
    }
    const p = await fetchProgram(client, id, o.lang);
    return o.json ? printJson(p) : printProgram(p, p.definition, o.lang);
  });
}

function fundsCommands(cli: Command): void {
  const funds = cli.command('funds').description('budget allocated to programs, and returns');
  withKey(
    funds
      .command('allocate')
      .description('allocate budget to a program of your organisation')
      .requiredOption('--program <id>', 'program id')
      .requiredOption('--amount <minor>', 'amount in minor units (cents)', amount('amount'))
      .option('--reference <ref>', 'budget reference: private, never in the public log'),
  ).action(async (o: SignOpts & { program: string; amount: string; reference?: string }) => {
    const { outcome, client } = await send(
      o,
      'funds.allocate',
      { program: o.program, amount: o.amount },
      paymentFacts(o.reference),
    );
    out(`allocation ${outcome.id}`);
    await printLots(client, outcome.id);
  });
  withKey(
    funds
      .command('return')
      .description('return unspent money of one lot to where it came from')
      .requiredOption('--program <id>', 'program id')
      .requiredOption('--lot <n>', 'lot number (see donation trace)', int('lot', 1))
      .requiredOption('--amount <minor>', 'amount in minor units (cents)', amount('amount'))
      .addOption(
        new Option('--reason <code>', 'why: a published code (public)')
          .choices(Object.keys(RETURN_REASONS))
          .makeOptionMandatory(),
      )
      .option('--reference <ref>', 'payment reference of the return: private')
      .option('--note <text>', 'what you want to add: private'),
  ).action(
    async (
      o: SignOpts & {
        program: string;
        lot: number;
        amount: string;
        reason: string;
        reference?: string;
        note?: string;
      },
    ) => {
      await send(
        o,
        'funds.return',
        { program: o.program, lot: o.lot, amount: o.amount, reason: o.reason },
        paymentFacts(o.reference, o.note),
      );
    },
  );
}

function donationCommands(cli: Command): void {
  const donation = cli.command('donation').description('donations received and where they went');
  withKey(
    donation
      .command('receive')
      .description('record a donation received (restricted to a program, or general)')
      .requiredOption('--amount <minor>', 'amount in minor units (cents)', amount('amount'))
      .requiredOption('--currency <code>', 'ISO 4217 currency code, e.g. CNY')
      .option('--program <id>', 'the program it is restricted to (default: general)')
      .requiredOption('--donor <donor>', 'org:<id>, person:<alias> or anonymous', donor)
      .addOption(
        new Option('--rail <kind>', 'how the money came')
          .choices([...RailSchema.shape.kind.options])
          .makeOptionMandatory(),
      )
      .option('--reference <ref>', 'the payment reference on that rail: private')
      .option('--donor-name <name>', 'the donor’s name: private, only its commitment is logged'),
  ).action(
    async (
      o: SignOpts & {
        amount: string;
        currency: string;
        program?: string;
        donor: Donor;
        rail: string;
        reference?: string;
        donorName?: string;
      },
    ) => {
      const { outcome, client } = await send(
        o,
        'donations.receive',
        {
          donor: o.donor,
          amount: o.amount,
          currency: o.currency,
          ...(o.program === undefined ? {} : { program: o.program }),
          rail: { kind: o.rail },
        },
        o.donorName === undefined && o.reference === undefined
          ? undefined
          : {
              ...(o.donorName === undefined ? {} : { name: o.donorName }),
              ...(o.reference === undefined ? {} : { reference: o.reference }),
            },
      );
      out(`donation ${outcome.id}`);
      await printLots(client, outcome.id);
    },
  );
  withKey(
    donation
      .command('assign')
      .description('assign (part of) a general donation to one of your programs')
      .requiredOption('--donation <id>', 'donation id', txRef('donation'))
      .requiredOption('--program <id>', 'program id')
      .requiredOption('--amount <minor>', 'amount in minor units (cents)', amount('amount')),
  ).action(async (o: SignOpts & { donation: string; program: string; amount: string }) => {
    const { client } = await send(o, 'donations.assign', {
      donation: o.donation,
      program: o.program,
      amount: o.amount,
    });
    await printLots(client, o.donation);
  });
  withJson(
    withLang(
      withNode(
        donation
          .command('trace')
          .description('where a donation’s or an allocation’s money went, case by case (public)')
          .argument('<id>', 'donation or allocation id', txRef('id')),
      ),
    ),
  ).action(async (id: string, o: ReadOpts) => {
    const client = new AidClient(o.node);
    const t = await donationTrace(client, id, o.lang);
    if (o.json) return printJson(t);
    const program = t.program ?? t.lots[0]?.program;
    const currency =
      t.currency ?? (program ? (await fetchProgram(client, program)).currency : undefined);
    printTrace(t, currency ?? '');
  });
}

function attestCommand(cli: Command): void {
  withKey(
    cli
      .command('attest')
      .description('attest facts about a patient from your organisation’s records (private)')
      .addOption(
        new Option('--patient-kind <kind>', 'identity document')
          .choices(['cn', 'hk', 'tw'])
          .makeOptionMandatory(),
      )
      .requiredOption('--patient-id <id>', 'identity number')
      .requiredOption('--facts <facts.json>', 'the facts, e.g. {"lowIncome":true}'),
  ).action(async (o: SignOpts & { patientKind: string; patientId: string; facts: string }) => {
    const facts = readJsonObject(o.facts, 'the facts');
    await send(o, 'attest.facts', {}, { patient: { kind: o.patientKind, id: o.patientId }, facts });
  });
}

function caseCommands(cli: Command): void {
  const cases = cli.command('case').description('aid cases, from application to outcome');
  const caseId = txRef('case id');
  const onCase = (name: string, description: string) =>
    withKey(cases.command(name).description(description).argument('<id>', 'case id', caseId));

  withKey(
    cases
      .command('submit')
      .description('apply for aid: the patient and what they declare stay private')
      .requiredOption('--program <id>', 'program id')
      .requiredOption('--hospital <org>', 'the treating hospital')
      .requiredOption(
        '--facts <facts.json>',
        'private: {"patient":{"kind","id"},"name"?,"phone"?,"declared":{…}}',
      ),
  ).action(async (o: SignOpts & { program: string; hospital: string; facts: string }) => {
    const facts = readJsonObject(o.facts, 'the application facts');
    const { outcome } = await send(
      o,
      'cases.submit',
      { program: o.program, hospital: o.hospital },
      facts,
    );
    out(`case ${outcome.id} submitted`);
  });

  onCase('verify', 'the treating hospital verifies diagnoses and invoice lines (private)')
    .requiredOption(
      '--facts <verify.json>',
      'private: {"patient":{"kind","id"} from the admission record,"diagnoses":[…],"age"?,' +
        '"lines":[{"invoice","line","amount","insurancePaid"}]}',
    )
    .action(async (id: string, o: SignOpts & { facts: string }) => {
      await send(o, 'cases.verify', { case: id }, readJsonObject(o.facts, 'the verification'));
    });

  onCase(
    'identify',
    'the treating hospital matches a case verified earlier to its admission record',
  )
    .addOption(
      new Option('--patient-kind <kind>', 'identity document on the admission record')
        .choices(['cn', 'hk', 'tw'])
        .makeOptionMandatory(),
    )
    .requiredOption('--patient-id <id>', 'identity number on the admission record: private')
    .action(async (id: string, o: SignOpts & { patientKind: string; patientId: string }) => {
      await send(
        o,
        'cases.identify',
        { case: id },
        { patient: { kind: o.patientKind, id: o.patientId } },
      );
    });

  withReason(
    onCase('decline', 'the treating hospital cannot confirm the case: it ends'),
    DECLINE_REASONS,
  ).action(async (id: string, o: SignOpts & { code: string; note?: string }) => {
    await send(o, 'cases.decline', { case: id, reason: o.code }, noteFacts(o.note));
  });

  onCase(
    'assess',
    'evaluate the program’s rules on the case’s sources and decide the amount',
  ).action(async (id: string, o: SignOpts) => {
    const s = await session(o);
    const sources = await caseSources(s.client, s.token, id);
    const sub = buildSubmission(
      { chain: s.chain, type: 'cases.assess', payload: { case: id }, facts: { ...sources } },
      s.key.seedBytes,
    );
    reported('cases.assess', await s.client.submit(sub));
    const e = await explainCase(s.client, s.token, id);
    const cur = e.amount.currency;
    out(
      `case ${id}: ${e.state}, ${e.eligible ? 'eligible' : 'not eligible'}` +
        (e.reason && e.reason !== 'approved' ? ` (${e.reason})` : '') +
        `, granted ${money(e.amount.granted, cur)}` +
        (e.amount.approved === undefined ? '' : `, approved ${money(e.amount.approved, cur)}`),
    );
  });

  withReason(
    onCase('review', 'approve or reject an assessed or appealed case')
      .option('--approve', 'approve it')
      .option('--reject', 'reject it'),
    REVIEW_REASONS,
  ).action(
    async (
      id: string,
      o: SignOpts & { approve?: boolean; reject?: boolean; code: string; note?: string },
    ) => {
      if (!!o.approve === !!o.reject)
        throw new AidError('CONFIG', 'give exactly one of --approve and --reject');
      await send(
        o,
        'cases.review',
        { case: id, approve: !!o.approve, reason: o.code },
        noteFacts(o.note),
      );
    },
  );

  onCase('appeal', 'appeal a rejected case')
    .option('--statement <text>', 'the applicant’s statement: private')
    .action(async (id: string, o: SignOpts & { statement?: string }) => {
      await send(
        o,
        'cases.appeal',
        { case: id },
        o.statement === undefined ? undefined : { statement: o.statement },
      );
    });

  onCase('withdraw', 'the applicant withdraws the case').action(async (id: string, o: SignOpts) => {
    await send(o, 'cases.withdraw', { case: id });
  });

  onCase(
    'recover',
    'bind the case to the family’s new phone (its applicant account) and close the old one: the ' +
      'treating hospital’s clerk or social worker, after checking the patient in person',
  )
    .requiredOption('--account <key>', 'the new applicant account’s public key (64 hex)')
    .action(async (id: string, o: SignOpts & { account: string }) => {
      await send(o, 'cases.recover', { case: id, account: o.account });
      out(`case ${id} is now bound to account ${o.account}; the old account is closed`);
    });

  withReason(
    onCase('ask', 'a reviewer asks for more information before deciding (protocol 3)'),
    INFO_REASONS,
  )
    .addOption(
      new Option('--from <who>', 'who answers: the applicant’s side or the treating hospital')
        .choices(['applicant', 'hospital'])
        .makeOptionMandatory(),
    )
    .action(async (id: string, o: SignOpts & { code: string; from: string; note?: string }) => {
      await send(
        o,
        'cases.requestInfo',
        { case: id, reason: o.code, from: o.from },
        noteFacts(o.note),
      );
    });

  onCase('answer', 'answer a request for more information; the case goes back to the reviewer')
    .option('--note <text>', 'the answer: private, never in the public log')
    .action(async (id: string, o: SignOpts & { note?: string }) => {
      await send(o, 'cases.answerInfo', { case: id }, noteFacts(o.note));
    });

  withReason(onCase('cancel', 'the program cancels the case'), CANCEL_REASONS).action(
    async (id: string, o: SignOpts & { code: string; note?: string }) => {
      await send(o, 'cases.cancel', { case: id, reason: o.code }, noteFacts(o.note));
    },
  );

  onCase('disburse', 'pay a funded case to the hospital')
    .option('--reference <ref>', 'payment reference: private, seen by members only')
    .option('--note <text>', 'what you want to add: private')
    .action(async (id: string, o: SignOpts & { reference?: string; note?: string }) => {
      await send(o, 'cases.disburse', { case: id }, paymentFacts(o.reference, o.note));
    });

  onCase('confirm', 'the hospital confirms it received the payment').action(
    async (id: string, o: SignOpts) => {
      await send(o, 'cases.confirm', { case: id });
    },
  );

  onCase('close', 'the hospital closes the case with the treatment outcome')
    .addOption(
      new Option('--outcome <outcome>', 'outcome').choices([...OUTCOMES]).makeOptionMandatory(),
    )
    .action(async (id: string, o: SignOpts & { outcome: string }) => {
      await send(o, 'cases.close', { case: id, outcome: o.outcome });
    });

  onCase('feedback', 'the applicant rates a closed case')
    .requiredOption('--rating <n>', '1 to 5', int('rating', 1, 5))
    .option('--comment <text>', 'a comment: private')
    .action(async (id: string, o: SignOpts & { rating: number; comment?: string }) => {
      await send(
        o,
        'cases.feedback',
        { case: id, rating: o.rating },
        o.comment === undefined ? undefined : { comment: o.comment },
      );
    });

  withJson(
    withKey(
      cases
        .command('list')
        .description('the cases you may see, newest first (signs in)')
        .option('--program <id>', 'program id')
        .addOption(new Option('--state <state>', 'case state').choices([...CASE_STATES]))
        .option('--hospital <org>', 'treating hospital')
        .option('--from <date>', 'submitted at or after', time('from'))
        .option('--to <date>', 'submitted before', time('to'))
        .option('--limit <n>', '1 to 200 (default 50)', int('limit', 1, 200))
        .option('--cursor <cursor>', 'the next-page cursor of a previous list'),
    ),
  ).action(async (o: SignOpts & CaseFilter & { json?: boolean }) => {
    const s = await session(o);
    const filter: CaseFilter = {};
    for (const k of ['program', 'state', 'hospital', 'from', 'to', 'limit', 'cursor'] as const)
      if (o[k] !== undefined) Object.assign(filter, { [k]: o[k] });
    const page = await listCases(s.client, s.token, filter);
    if (o.json) return printJson(page);
    if (page.cases.length === 0) out('no cases');
    else
      out(
        table(
          ['CASE', 'STATE', 'PROGRAM', 'HOSPITAL', 'SUBMITTED', 'UPDATED'],
          page.cases.map((c) => [
            c.id,
            c.state,
            c.program,
            c.hospital,
            when(c.submitted),
            when(c.updated),
          ]),
        ),
      );
    if (page.nextCursor) out(`more: --cursor ${page.nextCursor}`);
  });

  withJson(onCase('show', 'a case: its path, decision, payments and funding (signs in)')).action(
    async (id: string, o: SignOpts & { json?: boolean }) => {
      const s = await session(o);
      const v = await getCase(s.client, s.token, id);
      if (o.json) return printJson(v);
      const c = v.case;
      const cur = (await fetchProgram(s.client, c.program)).currency;
      out(`case ${c.id}`);
      const rows: [string, string][] = [
        ['program', `${c.program} (run by ${c.owner})`],
        ['hospital', c.hospital],
        [
          'applicant',
          c.applicant.kind === 'account'
            ? `account ${c.applicant.key}`
            : `member ${c.applicant.member}`,
        ],
        ['state', c.state + (c.reason ? ` (${REASON_LABELS[c.reason]?.en ?? c.reason})` : '')],
        ['submitted', when(c.submitted)],
        ['updated', when(c.updated)],
      ];
      if (c.decision)
        rows.push([
          'decision',
          `${c.decision.eligible ? 'eligible' : 'not eligible'} under version ${c.decision.version}, ` +
            `granted ${money(c.decision.benefit.amount, cur)}, review ${c.decision.review}`,
        ]);
      if (c.amount !== undefined)
        rows.push([
          'amount',
          money(c.amount, cur) +
            (c.reducedFrom ? ` (reduced from ${money(c.reducedFrom, cur)})` : ''),
        ]);
      if (c.outcome) rows.push(['outcome', c.outcome]);
      if (c.feedback) rows.push(['feedback', `${c.feedback.rating}/5`]);
      for (const [k, val] of rows) out(`  ${k.padEnd(10)} ${val}`);
      out('  history');
      for (const h of c.history) out(`    ${when(h.time)}  ${h.state.padEnd(10)} by ${h.by}`);
      if (c.reviews.length > 0) {
        out('  reviews');
        for (const r of c.reviews)
          out(
            `    ${when(r.time)}  ${r.approve ? 'approve' : 'reject '}  ${r.org}/${r.member}: ` +
              (Object.hasOwn(REVIEW_REASONS, r.reason)
                ? REVIEW_REASONS[r.reason as keyof typeof REVIEW_REASONS].en
                : r.reason),
          );
      }
      if (c.payments.length > 0) {
        out('  payments');
        for (const p of c.payments)
          out(
            `    ${when(p.time)}  ${p.reference ?? '-'}` +
              (p.confirmed === undefined ? '' : `, received ${when(p.confirmed)}`),
          );
      }
      if (v.funding.length > 0) {
        out('  funded by');
        for (const f of v.funding)
          out(`    lot ${f.lot}  ${f.source.kind} ${f.source.id}  ${money(f.amount, cur)}`);
      }
    },
  );

  withJson(
    withLang(onCase('explain', 'why the case was decided as it was, rule by rule (signs in)')),
  ).action(async (id: string, o: SignOpts & { lang: Lang; json?: boolean }) => {
    const s = await session(o);
    const e = await explainCase(s.client, s.token, id, o.lang);
    return o.json ? printJson(e) : printExplanation(e);
  });
}

type FreezeOpts = SignOpts & {
  case?: string;
  program?: string;
  org?: string;
  reason: string;
  note?: string;
  proposal?: string;
};

function freezeCommands(cli: Command): void {
  for (const [name, what, reasons] of [
    [
      'freeze',
      'freeze a case, a program or an organisation: nothing of it moves (regulators)',
      FREEZE_REASONS,
    ],
    ['unfreeze', 'lift a freeze (regulators)', UNFREEZE_REASONS],
  ] as const) {
    const cmd = withKey(
      cli
        .command(name)
        .description(what)
        .option('--case <id>', 'a case', txRef('case id'))
        .option('--program <id>', 'a program')
        .option('--org <id>', 'an organisation')
        .addOption(
          new Option('--reason <code>', 'why: a published code (public)')
            .choices(Object.keys(reasons))
            .makeOptionMandatory(),
        )
        .option('--note <text>', 'what you want to add: private, never in the public log'),
    );
    if (name === 'unfreeze')
      cmd.option('--proposal <id>', 'an adopted proposal to lift this freeze (another regulator)');
    cmd.action(async (o: FreezeOpts) => {
      const targets = (['case', 'program', 'org'] as const).filter((k) => o[k] !== undefined);
      if (targets.length !== 1)
        throw new AidError('CONFIG', 'give exactly one of --case, --program and --org');
      const kind = targets[0]!;
      await send(
        o,
        `audit.${name}`,
        {
          target: { kind, id: o[kind] },
          reason: o.reason,
          ...(o.proposal === undefined ? {} : { proposal: o.proposal }),
        },
        noteFacts(o.note),
      );
    });
  }
}

/** The medical-aid commands of the `aidledger` program. */
export const aidCommands: DomainCommands = {
  register(cli) {
    // `program show <id> --version N` names a program version: the program's own options
    // (-V/--version, -h) are read only before a subcommand, so a subcommand may reuse their names.
    cli.enablePositionalOptions();
    accountCommands(cli);
    programCommands(cli);
    fundsCommands(cli);
    donationCommands(cli);
    attestCommand(cli);
    caseCommands(cli);
    freezeCommands(cli);
  },
};
