/**
 * Membership's part of the demo consortium: a city medical-security bureau (which runs the
 * embedded demo node), a charity foundation, three hospitals and an audit office, and four rounds
 * of membership activity, refusals included: the audit office's oversight granted by a vote, the
 * staff of every domain's part enrolled, a key rotated and one revoked, a pharmacy admitted by a
 * vote. Keys derive from a seed, so a demo is reproducible; demo keys are public knowledge and
 * never for production.
 */
import type { GenesisOrg } from '../../chain/genesis.js';
import { signTx, type SignedTx } from '../../chain/tx.js';
import { toHex } from '../../core/bytes.js';
import { canonicalJson } from '../../core/canonical.js';
import { publicKeyFromSeed } from '../../core/ed25519.js';
import { demoSeed, type DemoMember, type DomainDemo } from '../../runtime/demo-kit.js';
import { proveKey } from './possession.js';

/** The founding organisations, as the genesis names them (their keys derive from the seed). */
export const DEMO_ORGS: readonly (Omit<GenesisOrg, 'rootKey' | 'nodeKey' | 'id'> & {
  id: string;
})[] = [
  {
    id: 'city-bureau',
    type: 'government',
    names: {
      'zh-Hant': '市醫療保障局',
      'zh-Hans': '市医疗保障局',
      en: 'City Medical Security Bureau',
    },
  },
  {
    id: 'hope-foundation',
    type: 'charity',
    names: {
      'zh-Hant': '希望兒童健康基金會',
      'zh-Hans': '希望儿童健康基金会',
      en: 'Hope Children’s Health Foundation',
    },
  },
  {
    id: 'general-hospital',
    type: 'hospital',
    names: {
      'zh-Hant': '市第一人民醫院',
      'zh-Hans': '市第一人民医院',
      en: 'City First People’s Hospital',
    },
  },
  {
    id: 'children-hospital',
    type: 'hospital',
    names: { 'zh-Hant': '市兒童醫院', 'zh-Hans': '市儿童医院', en: 'City Children’s Hospital' },
  },
  {
    id: 'east-hospital',
    type: 'hospital',
    names: {
      'zh-Hant': '東區中心醫院',
      'zh-Hans': '东区中心医院',
      en: 'East District Central Hospital',
    },
  },
  {
    id: 'audit-office',
    type: 'auditor',
    names: { 'zh-Hant': '市審計局', 'zh-Hans': '市审计局', en: 'City Audit Office' },
  },
];

/** Founding organisations whose votes change the membership: four of the six. */
export const DEMO_GOVERNANCE_QUORUM = 4;

/** The staff of the membership part itself: each organisation's reviewers, clerks and so on. */
const STAFF: DemoMember[] = [
  { org: 'city-bureau', name: 'reviewer-1', roles: ['reviewer'] },
  { org: 'city-bureau', name: 'reviewer-2', roles: ['reviewer'] },
  { org: 'city-bureau', name: 'finance-1', roles: ['finance'] },
  { org: 'city-bureau', name: 'manager-1', roles: ['program-manager'] },
  { org: 'hope-foundation', name: 'reviewer-1', roles: ['reviewer'] },
  { org: 'hope-foundation', name: 'finance-1', roles: ['finance'] },
  { org: 'general-hospital', name: 'clerk-1', roles: ['clerk'] },
  { org: 'general-hospital', name: 'social-worker-1', roles: ['social-worker'] },
  { org: 'children-hospital', name: 'clerk-1', roles: ['clerk'] },
  { org: 'children-hospital', name: 'social-worker-1', roles: ['social-worker'] },
  { org: 'east-hospital', name: 'clerk-1', roles: ['clerk'] },
  { org: 'audit-office', name: 'auditor-1', roles: ['auditor', 'regulator'] },
];

/** The organisation the consortium admits by a vote in round 3; its admin's key is a demo key too. */
const PHARMACY_ADMIN = 'city-pharmacy/admin';

/**
 * Members whose key the activity rotated, and the label their current key derives from: the
 * parts after this one sign with it.
 */
export const ROTATED_KEYS: Readonly<Record<string, string>> = {
  'city-bureau/reviewer-1': 'city-bureau/reviewer-1#3',
};

/**
 * The membership activity as rounds of transactions; each round is submitted after the one before
 * has committed. Refusals are included on purpose: they are evidence in the log too. Round 1
 * enrols `staff`: every part's staff, in the registry's order (see src/node/demo.ts).
 */
export function membershipActivity(
  seed: string,
  chain: string,
  now: number,
  staff: readonly DemoMember[],
): SignedTx[][] {
  let n = 0;
  const tx = (
    signer: string,
    type: string,
    payload: Record<string, unknown>,
    nonce?: string,
  ): SignedTx =>
    signTx(
      { chain, type, payload, nonce: nonce ?? `demo-${++n}`, time: now + n },
      demoSeed(seed, signer),
    );
  const pub = (label: string) => toHex(publicKeyFromSeed(demoSeed(seed, label)));
  /** A key for `holder` (`org/name`), with its proof of possession: `{ key, pop }`. */
  const newKey = (holder: string, label = holder) => ({
    key: pub(label),
    pop: proveKey(chain, holder, demoSeed(seed, label)),
  });
  const enrolment = (org: string, name: string, roles: string[], label = `${org}/${name}`) => ({
    name,
    roles,
    ...newKey(`${org}/${name}`, label),
  });

  // The audit office's regulator and auditor powers come from the consortium, by a vote.
  const grant = [
    tx('audit-office/admin', 'membership.propose', {
      id: 'grant-audit-office-oversight',
      change: { kind: 'grantOversight', org: 'audit-office', roles: ['auditor', 'regulator'] },
    }),
    ...['city-bureau', 'hope-foundation', 'general-hospital'].map((org) =>
      tx(`${org}/admin`, 'membership.vote', {
        proposal: 'grant-audit-office-oversight',
        approve: true,
      }),
    ),
  ];
  const enrol = [
    ...grant,
    ...staff.map((m) =>
      tx(`${m.org}/admin`, 'membership.enrol', enrolment(m.org, m.name, m.roles)),
    ),
  ];
  const rotated = 'city-bureau/reviewer-1#2';
  const pharmacy = {
    id: 'city-pharmacy',
    type: 'pharmacy',
    names: { 'zh-Hant': '市民大藥房', 'zh-Hans': '市民大药房', en: 'City Community Pharmacy' },
    rootKey: pub(PHARMACY_ADMIN),
  };
  const round2 = [
    tx('city-bureau/reviewer-1', 'membership.rotateKey', newKey('city-bureau/reviewer-1', rotated)),
    tx('general-hospital/admin', 'membership.revoke', { member: 'general-hospital/clerk-1' }),
    // Refused: the revoked clerk's key signs nothing more. (Sent with the revocation: once it is
    // revoked, the node turns the key away at the door and nothing of it is logged.)
    tx(
      'general-hospital/clerk-1',
      'membership.rotateKey',
      newKey('general-hospital/clerk-1', 'general-hospital/clerk-1#2'),
    ),
    // Refused: the old key of a rotated member is retired (sent with the rotation, likewise).
    tx(
      'city-bureau/reviewer-1',
      'membership.rotateKey',
      newKey('city-bureau/reviewer-1', 'city-bureau/reviewer-1#3'),
    ),
    tx('city-bureau/admin', 'membership.propose', {
      id: 'admit-city-pharmacy',
      change: {
        kind: 'admitOrg',
        org: pharmacy,
        proofs: {
          root: proveKey(chain, PHARMACY_ADMIN, demoSeed(seed, PHARMACY_ADMIN)),
        },
      },
    }),
    tx('east-hospital/admin', 'membership.setRoles', {
      member: 'east-hospital/clerk-1',
      roles: ['clerk', 'social-worker'],
    }),
    // Refused: a clerk is not an admin.
    tx(
      'children-hospital/clerk-1',
      'membership.enrol',
      enrolment('children-hospital', 'intruder', ['admin'], 'intruder'),
    ),
    // Refused: an admin revokes only members of their own organisation.
    tx('east-hospital/admin', 'membership.revoke', { member: 'children-hospital/clerk-1' }),
  ];
  const round3 = [
    tx('hope-foundation/admin', 'membership.vote', {
      proposal: 'admit-city-pharmacy',
      approve: true,
    }),
    tx('general-hospital/admin', 'membership.vote', {
      proposal: 'admit-city-pharmacy',
      approve: true,
    }),
    tx('east-hospital/admin', 'membership.vote', {
      proposal: 'admit-city-pharmacy',
      approve: false,
    }),
    tx('audit-office/admin', 'membership.vote', { proposal: 'admit-city-pharmacy', approve: true }),
    // Refused: an organisation votes once.
    tx('city-bureau/admin', 'membership.vote', { proposal: 'admit-city-pharmacy', approve: true }),
  ];
  const round4 = [
    tx(
      'city-pharmacy/admin',
      'membership.enrol',
      enrolment('city-pharmacy', 'pharmacist-1', ['clerk']),
    ),
    // Refused: a pharmacy holds no regulator role, nor any the consortium did not grant it.
    tx(
      'city-pharmacy/admin',
      'membership.enrol',
      enrolment('city-pharmacy', 'inspector-1', ['regulator', 'auditor']),
    ),
    tx(
      'children-hospital/admin',
      'membership.enrol',
      enrolment('children-hospital', 'clerk-2', ['clerk']),
    ),
    // Refused: the nonce was used already by this signer.
    tx(
      'children-hospital/admin',
      'membership.enrol',
      enrolment('children-hospital', 'clerk-3', ['clerk']),
      `demo-${n}`,
    ),
    tx(
      rotated,
      'membership.rotateKey',
      newKey('city-bureau/reviewer-1', 'city-bureau/reviewer-1#3'),
    ),
  ];
  return [enrol, round2, round3, round4];
}

export const membershipDemo: DomainDemo = {
  staff: STAFF,
  keys: [PHARMACY_ADMIN],
  async run(target, ctx) {
    for (const round of membershipActivity(ctx.seed, ctx.chain, Date.now(), ctx.staff))
      await target.submit(canonicalJson(round.map((tx) => ({ tx }))), true);
    return {};
  },
};
