/**
 * What the medical-aid benchmarks share: the demo members as node:crypto signers, signed
 * submissions (with their private parts) and their ids, a program whose cases are approved
 * automatically, distinct valid mainland identity numbers, and HTTP POSTs to a node.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  randomBytes,
  sign as cryptoSign,
} from 'node:crypto';
import { privateCommitment, signingText, txIdOf, type SignedTx } from '../src/chain/tx.js';
import { canonicalJson } from '../src/core/canonical.js';
import { fastSha256 } from '../src/runtime/node-hash.js';
import { DEMO_CHAIN } from '../src/node/demo.js';
import { demoSeed } from '../src/runtime/demo-kit.js';
import type { TxId } from '../src/chain/schemas.js';
import type { Secrets } from '../src/runtime/contract.js';
import type { AdmittedItem } from '../src/runtime/execute.js';
import { consortiumSecrets } from '../src/runtime/secrets.js';
import { SEED } from './common.js';
import type { Agent } from 'node:http';
import { post, type PostResult } from './common.js';

export { DEMO_CHAIN };

/** A key that signs with node:crypto (the portable signer is far slower). */
export interface Key {
  pub: string;
  sign: (message: Uint8Array) => Uint8Array;
}

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The key of a 32-byte Ed25519 seed, its public half derived by node:crypto too. */
function keyOfSeed(seed: Uint8Array): Key {
  const priv = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  // The raw public key is the last 32 bytes of its SPKI DER form.
  const der = createPublicKey(priv).export({ format: 'der', type: 'spki' });
  return {
    pub: der.subarray(der.length - 32).toString('hex'),
    sign: (message) => cryptoSign(null, message, priv),
  };
}

const members = new Map<string, Key>();

/** A demo member (`general-hospital/clerk-1`) of the benchmark consortium. */
export function member(label: string): Key {
  let k = members.get(label);
  if (!k) {
    k = keyOfSeed(demoSeed(SEED, label));
    members.set(label, k);
  }
  return k;
}

/** The key of applicant `i`: its own seed, derived from a counter. */
export function applicantKey(i: number): Key {
  return keyOfSeed(createHash('sha256').update(`aidledger-bench-applicant:${i}`).digest());
}

/** A signed submission: its canonical body text and its transaction id. */
export interface Signed {
  id: string;
  /** RFC 8785 text of `{tx, private?}`, ready to go into a `POST /v1/txs` array. */
  text: string;
  /** RFC 8785 text of the signed transaction alone. */
  txText: string;
  /** The private part, when there is one. */
  private?: { salt: string; facts: Record<string, unknown> };
}

/** Signs `type` with `payload` (and private `facts`) by `key`. */
export function signed(
  key: Key,
  type: string,
  payload: Record<string, unknown>,
  nonce: string,
  time: number,
  facts?: Record<string, unknown>,
): Signed {
  const part = facts ? { salt: randomBytes(32).toString('hex'), facts } : undefined;
  const body = {
    alg: 'ed25519' as const,
    chain: DEMO_CHAIN,
    nonce,
    payload,
    ...(part ? { private: { commitment: privateCommitment(part, fastSha256) } } : {}),
    signer: key.pub,
    time,
    type,
  };
  const message = signingText(body as Omit<SignedTx, 'sig'>);
  const sig = Buffer.from(key.sign(Buffer.from(message, 'utf8'))).toString('hex');
  const txText = canonicalJson({ ...body, sig });
  const id = txIdOf(txText, fastSha256);
  const text = part ? `{"private":${canonicalJson(part)},"tx":${txText}}` : `{"tx":${txText}}`;
  return part ? { id, text, txText, private: part } : { id, text, txText };
}

/** A signed submission as the ledger executes it once admitted. */
export function admitted(s: Signed): AdmittedItem {
  return {
    id: s.id as TxId,
    text: s.txText,
    tx: JSON.parse(s.txText) as SignedTx,
    private: s.private,
  };
}

/** A `POST /v1/txs` body of many signed submissions. */
export const bodyOf = (subs: readonly Signed[]): string => `[${subs.map((s) => s.text).join(',')}]`;

const LANGS = (en: string, hans: string, hant: string) => ({
  'zh-Hant': hant,
  'zh-Hans': hans,
  en,
});

/**
 * A program of the city bureau that approves cases automatically up to 50,000.00 CNY and pays
 * all of a case's own expense up to 100,000.00 (200,000.00 a patient a year).
 */
export function programSpec(id: string, budget: bigint): Record<string, unknown> {
  return {
    id,
    names: LANGS(`Program ${id}`, `项目${id}`, `項目${id}`),
    currency: 'CNY',
    timeZone: 'Asia/Shanghai',
    budget: budget.toString(),
    conditions: [
      {
        name: 'income-limit',
        labels: LANGS(
          'household income per person at most 24,000 a year',
          '家庭人均年收入不超过24000元',
          '家庭人均年收入不超過24000元',
        ),
        expr: 'householdIncomePerCapita <= 2400000',
      },
    ],
    benefit: {
      deductible: '0',
      rateBp: 10000,
      perCaseCap: '10000000',
      perPatientYearCap: '20000000',
    },
    documents: [{ name: 'invoice', labels: LANGS('hospital invoice', '医院发票', '醫院發票') }],
    review: { autoApproveUpTo: '5000000', twoReviewersAbove: '8000000' },
    open: true,
  };
}

const CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const BIRTH0 = Date.UTC(1950, 0, 1);
const DAYS = 20_000;

/**
 * Distinct valid mainland identity numbers: person `n` is born `n mod 20,000` days after
 * 1950-01-01 with sequence number `n / 20,000` (so up to 20 million people), in region 110105.
 */
export function cnId(n: number): string {
  const d = new Date(BIRTH0 + (n % DAYS) * 86_400_000);
  const date =
    String(d.getUTCFullYear()) +
    String(d.getUTCMonth() + 1).padStart(2, '0') +
    String(d.getUTCDate()).padStart(2, '0');
  const body = `110105${date}${String(Math.floor(n / DAYS) % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * CN_WEIGHTS[i]!;
  return body + '10X98765432'[sum % 11]!;
}

/** The consortium key of the benchmark's demo consortium (what `writeDemoDir` writes). */
export function benchSecrets(): Secrets {
  return consortiumSecrets(demoSeed(SEED, 'consortium'));
}

/** The hospitals of the demo consortium, each with a clerk enrolled by round 1 of its activity. */
export const HOSPITALS = ['general-hospital', 'children-hospital', 'east-hospital'] as const;

/** One invoice line's amount and what insurance paid of it (minor units), in a lifecycle case. */
export const LINE_AMOUNT = 800_000n;
export const LINE_INSURED = 300_000n;

/** A case's stages but the assessment, signed ahead (the assessment needs the case's sources). */
export interface LifecycleCase {
  submit: Signed;
  verify: Signed;
  disburse: Signed;
  confirm: Signed;
  close: Signed;
}

/**
 * Case `i` of a lifecycle workload in `program`: applied for by `applicant` at a hospital of the
 * demo consortium, verified by its clerk with `lines` invoice lines, disbursed by the city
 * bureau's finance officer, then confirmed and closed by the clerk.
 */
export function lifecycleCase(
  program: string,
  i: number,
  applicant: Key,
  lines: number,
  time: number,
): LifecycleCase {
  const hospital = HOSPITALS[i % HOSPITALS.length]!;
  const clerk = member(`${hospital}/clerk-1`);
  const patient = { kind: 'cn', id: cnId(i) };
  const submit = signed(applicant, 'cases.submit', { program, hospital }, `submit-${i}`, time, {
    patient,
    declared: { householdIncomePerCapita: '1800000', householdSize: 3 },
  });
  const ref = { case: submit.id };
  return {
    submit,
    verify: signed(clerk, 'cases.verify', ref, `verify-${i}`, time, {
      patient,
      diagnoses: ['C91.0'],
      lines: Array.from({ length: lines }, (_, l) => ({
        invoice: `ZY${String(i).padStart(8, '0')}`,
        line: l + 1,
        amount: LINE_AMOUNT.toString(),
        insurancePaid: LINE_INSURED.toString(),
      })),
    }),
    disburse: signed(
      member('city-bureau/finance-1'),
      'cases.disburse',
      ref,
      `disburse-${i}`,
      time,
      {
        reference: `PAY-${i}`,
      },
    ),
    confirm: signed(clerk, 'cases.confirm', ref, `confirm-${i}`, time),
    close: signed(
      clerk,
      'cases.close',
      { ...ref, outcome: 'treatment-completed' },
      `close-${i}`,
      time,
    ),
  };
}

export interface BatchOutcome {
  ok: number;
  /** The first refusal or failure, if any. */
  failure?: string;
}

/** POSTs many submissions and counts the ones committed ok (and new). */
export async function postBatch(
  agent: Agent,
  port: number,
  subs: readonly Signed[],
): Promise<BatchOutcome> {
  const res = await post(agent, port, '/v1/txs', bodyOf(subs));
  if (res.status !== 200)
    return { ok: 0, failure: `HTTP ${res.status}: ${res.text.slice(0, 300)}` };
  const { results } = JSON.parse(res.text) as {
    results: { id: string; result: { ok: boolean; code?: string }; duplicate?: boolean }[];
  };
  let ok = 0;
  let failure: string | undefined;
  for (const r of results) {
    if (r.result.ok && !r.duplicate) ok++;
    else failure ??= JSON.stringify(r);
  }
  if (results.length !== subs.length)
    failure ??= `${results.length} results for ${subs.length} submissions`;
  return failure === undefined ? { ok } : { ok, failure };
}

// ---- the cached claims ledger (figure 6) -------------------------------------------------------

/** Invoice lines of each case in the claims ledger. */
export const CLAIMS_LINES_PER_CASE = 100;
export const CLAIMS_PROGRAM = 'bench-claims';
/** Each line: 300.00 billed, 100.00 paid by insurance, so 200.00 for the program to pay. */
export const CLAIMS_LINE = { amount: '30000', insurancePaid: '10000', net: '20000' } as const;

export const claimsHospital = (c: number): string => HOSPITALS[c % HOSPITALS.length]!;
/** The invoice number of case `c` of the claims ledger (new cases take numbers past the last). */
export const claimsInvoice = (c: number): string => `ZY${String(c).padStart(9, '0')}`;

/** The invoice lines case `c` of the claims ledger was verified with. */
export function claimsCaseLines(c: number) {
  return Array.from({ length: CLAIMS_LINES_PER_CASE }, (_, l) => ({
    invoice: claimsInvoice(c),
    line: l + 1,
    amount: CLAIMS_LINE.amount,
    insurancePaid: CLAIMS_LINE.insurancePaid,
  }));
}

export { post, type PostResult };
