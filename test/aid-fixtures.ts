/**
 * Fixtures for the medical-aid tests: a demo-consortium node over real HTTP with its members
 * enrolled, and helpers that sign as any demo member or applicant, sign in, and assess.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Submission } from '../src/chain/tx.js';
import { canonicalJson } from '../src/core/canonical.js';
import { demoActivity, writeDemoDir } from '../src/node/demo.js';
import { buildSubmission } from '../src/sdk/build.js';
import { signIn } from '../src/domains/aid/client.js';
import { post, SEED, seedOf, startNode, tempDir, type TestNode } from './helpers.js';

/** Parsed response bodies, read by path in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface AidNode extends TestNode {
  /** Signs as the demo member (or applicant label) and submits; answers the committed outcome. */
  send(
    signer: string,
    type: string,
    payload: Record<string, unknown>,
    facts?: Record<string, unknown>,
  ): Promise<{ id: string; ok: boolean; code?: string; status: number; error?: string }>;
  token(signer: string): Promise<string>;
  read(path: string, signer?: string): Promise<{ status: number; json: Json }>;
  /** Assesses a case: fetches its sources as `signer` and submits the assessment. */
  assess(signer: string, caseId: string): Promise<{ id: string; ok: boolean; code?: string }>;
}

let counter = 0;

/** A node with the demo consortium's members enrolled (round 1 of the demo activity). */
export async function startAidNode(
  opts: Parameters<typeof startNode>[0] & {
    /** Enrol the demo's members (default); false for the founders' admins only. */
    members?: boolean;
  } = {},
): Promise<AidNode> {
  const t = await startNode(opts);
  if (opts.members !== false) {
    const enrol = demoActivity(SEED, t.chain, Date.now())[0]!;
    const r = await post(t.url, '/v1/txs', canonicalJson(enrol.map((tx) => ({ tx }))));
    if (r.status !== 200) throw new Error(`enrolment failed: ${JSON.stringify(r.json)}`);
  }
  const tokens = new Map<string, string>();

  const send: AidNode['send'] = async (signer, type, payload, facts) => {
    const sub: Submission = buildSubmission(
      {
        chain: t.chain,
        type,
        payload,
        ...(facts ? { facts } : {}),
        nonce: `t${process.pid}-${++counter}`,
      },
      seedOf(signer),
    );
    const res = await post(t.url, '/v1/tx', canonicalJson(sub));
    const j = res.json as { id: string; result?: { ok: boolean; code?: string } };
    return {
      id: j.id,
      ok: res.status === 200 && j.result?.ok === true,
      status: res.status,
      ...(j.result?.code ? { code: j.result.code } : {}),
      ...(res.json.error ? { code: res.json.error.code, error: res.json.error.message } : {}),
    };
  };

  const token = async (signer: string) => {
    let tok = tokens.get(signer);
    if (!tok) tokens.set(signer, (tok = await signIn(t.url, t.chain, seedOf(signer))));
    return tok;
  };

  const read = async (path: string, signer?: string) => {
    const headers: Record<string, string> = {};
    if (signer) headers.authorization = `Bearer ${await token(signer)}`;
    const res = await fetch(t.url + path, { headers });
    return { status: res.status, json: (await res.json()) as Json };
  };

  const assess = async (signer: string, caseId: string) => {
    const s = await read(`/v1/cases/${caseId}/sources`, signer);
    if (s.status !== 200) throw new Error(`sources: ${JSON.stringify(s.json)}`);
    return send(signer, 'cases.assess', { case: caseId }, s.json);
  };

  return { ...t, send, token, read, assess };
}

export const LANGS3 = (en: string, hans = en, hant = hans) => ({
  'zh-Hant': hant,
  'zh-Hans': hans,
  en,
});

/** A program spec with sensible defaults; `over` replaces top-level fields. */
export function programSpec(
  id: string,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id,
    names: LANGS3(`Program ${id}`, `项目${id}`, `項目${id}`),
    currency: 'CNY',
    timeZone: 'Asia/Shanghai',
    budget: '100000000',
    conditions: [
      {
        name: 'income-limit',
        labels: LANGS3(
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
    documents: [{ name: 'invoice', labels: LANGS3('hospital invoice', '医院发票', '醫院發票') }],
    review: { autoApproveUpTo: '5000000', twoReviewersAbove: '8000000' },
    open: true,
    ...over,
  };
}

/** A valid mainland ID number with a given 6-digit sequence (its check character computed). */
export function cnId(seq: number): string {
  const body = `11010519900101${String(seq % 1000).padStart(3, '0')}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i]!;
  return body + '10X98765432'[sum % 11]!;
}

export const applicantSeed = (label: string) => seedOf(`applicant/${label}`);

export interface Line {
  invoice: string;
  line: number;
  amount: string;
  insurancePaid: string;
}

const SOCIAL_WORKER: Record<string, string> = {
  'general-hospital': 'general-hospital/social-worker-1',
  'children-hospital': 'children-hospital/social-worker-1',
};
const CLERK: Record<string, string> = {
  'general-hospital': 'general-hospital/social-worker-1',
  'children-hospital': 'children-hospital/clerk-1',
};

/**
 * A case submitted by the hospital's social worker and verified by its staff. Returns the case
 * id and the outcome of the verification.
 */
export async function verifiedCase(
  n: AidNode,
  o: {
    program: string;
    hospital?: string;
    patient: string;
    lines: Line[];
    declared?: Record<string, unknown>;
    diagnoses?: string[];
    age?: number;
    name?: string;
    /** The ID number on the hospital's admission record; the application's patient by default. */
    admitted?: string;
  },
): Promise<{ id: string; verify: { id: string; ok: boolean; code?: string } }> {
  const hospital = o.hospital ?? 'general-hospital';
  const sub = await n.send(
    SOCIAL_WORKER[hospital]!,
    'cases.submit',
    { program: o.program, hospital },
    {
      patient: { kind: 'cn', id: o.patient },
      ...(o.name ? { name: o.name } : {}),
      declared: o.declared ?? { householdIncomePerCapita: '1000000' },
    },
  );
  if (!sub.ok) throw new Error(`submit: ${JSON.stringify(sub)}`);
  const verify = await n.send(
    CLERK[hospital]!,
    'cases.verify',
    { case: sub.id },
    {
      patient: { kind: 'cn', id: o.admitted ?? o.patient },
      diagnoses: o.diagnoses ?? ['C91.0'],
      lines: o.lines,
      ...(o.age === undefined ? {} : { age: o.age }),
    },
  );
  return { id: sub.id, verify };
}

export const line = (invoice: string, no: number, amount: string, insurancePaid = '0'): Line => ({
  invoice,
  line: no,
  amount,
  insurancePaid,
});

/**
 * A demo node directory whose genesis runs an older protocol version, as every ledger made
 * before that version's successor does: for tests of what a running consortium's vote to a newer
 * protocol changes.
 */
export function protocolDir(version: number): { dir: string; cleanup: () => void } {
  const t = tempDir();
  writeDemoDir(t.dir, SEED, Date.now() - 1000);
  const path = join(t.dir, 'genesis.json');
  const g = JSON.parse(readFileSync(path, 'utf8')) as { protocol: unknown };
  g.protocol = [{ version, fromHeight: 0 }];
  writeFileSync(path, JSON.stringify(g));
  return t;
}

/** A demo node directory whose genesis runs protocol 1. */
export const protocolOneDir = (): { dir: string; cleanup: () => void } => protocolDir(1);

/**
 * Proposes a governance change as the city bureau's admin and has three more founders vote for
 * it (the demo's quorum is four of six). Answers the proposal's status.
 */
export async function voteThrough(
  n: AidNode,
  id: string,
  change: Record<string, unknown>,
): Promise<string> {
  const orgs = ['city-bureau', 'hope-foundation', 'general-hospital', 'children-hospital'];
  const first = await n.send(`${orgs[0]}/admin`, 'membership.propose', { id, change });
  if (!first.ok) throw new Error(`proposal ${id}: ${JSON.stringify(first)}`);
  for (const org of orgs.slice(1))
    await n.send(`${org}/admin`, 'membership.vote', { proposal: id, approve: true });
  const g = await n.read('/v1/public/governance');
  return (g.json.proposals as { id: string; status: string }[]).find((p) => p.id === id)!.status;
}
