/**
 * The demo consortium: a city medical-security bureau (which runs this embedded node), a charity
 * foundation, three hospitals and an audit office, and a few dozen real signed transactions of
 * membership activity, refusals included. Keys derive from a seed, so a demo is reproducible;
 * demo keys are public knowledge and never for production.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Genesis, GenesisOrg } from '../chain/genesis.js';
import { parseGenesis } from '../chain/genesis.js';
import { proveKey } from '../domains/membership/possession.js';
import { signTx, type SignedTx } from '../chain/tx.js';
import { LATEST_PROTOCOL } from '../domains/protocols.js';
import { toHex, utf8 } from '../core/bytes.js';
import { publicKeyFromSeed } from '../core/ed25519.js';
import { sha256 } from '../core/hash.js';
import { keyFileFromSeed, writeKeyFile } from './keyfile.js';
import { paths, writeConsortiumKey } from './config.js';

export const DEMO_CHAIN = 'demo.aidledger/ledger';

/** A demo key: SHA-256 of the seed and a label. */
export function demoSeed(seed: string, label: string): Uint8Array {
  return sha256(utf8(`aidledger-demo:${seed}:${label}`));
}

const ORGS: (Omit<GenesisOrg, 'rootKey' | 'nodeKey' | 'id'> & { id: string })[] = [
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

/** The operator of the embedded demo node. */
export const DEMO_NODE_ORG = 'city-bureau';

/** Which organisations run a node, and how many of them must sign a checkpoint. */
export interface DemoNodes {
  nodes: readonly string[];
  checkpointQuorum: number;
}

const EMBEDDED: DemoNodes = { nodes: [DEMO_NODE_ORG], checkpointQuorum: 1 };

export function demoGenesis(seed: string, time: number, n: DemoNodes = EMBEDDED): Genesis {
  return parseGenesis({
    chain: DEMO_CHAIN,
    time,
    orgs: ORGS.map((o) => ({
      ...o,
      rootKey: toHex(publicKeyFromSeed(demoSeed(seed, `${o.id}/admin`))),
      ...(n.nodes.includes(o.id)
        ? { nodeKey: toHex(publicKeyFromSeed(demoSeed(seed, `${o.id}/node`))) }
        : {}),
    })),
    governanceQuorum: 4,
    checkpointQuorum: n.checkpointQuorum,
    protocol: [{ version: LATEST_PROTOCOL, fromHeight: 0 }],
  });
}

const MEMBERS: { org: string; name: string; roles: string[] }[] = [
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
  // The staff the medical-aid demo (demo-aid.ts) needs besides the above.
  { org: 'city-bureau', name: 'clerk-1', roles: ['clerk'] },
  { org: 'hope-foundation', name: 'manager-1', roles: ['program-manager'] },
  { org: 'hope-foundation', name: 'reviewer-2', roles: ['reviewer'] },
  { org: 'general-hospital', name: 'clerk-2', roles: ['clerk'] },
  { org: 'general-hospital', name: 'finance-1', roles: ['finance'] },
  { org: 'children-hospital', name: 'finance-1', roles: ['finance'] },
  { org: 'children-hospital', name: 'reviewer-1', roles: ['reviewer'] },
  { org: 'east-hospital', name: 'finance-1', roles: ['finance'] },
];

/** Writes genesis, node config and every demo key into `dir`. */
export function writeDemoDir(
  dir: string,
  seed: string,
  time: number,
  /** For one node of a consortium: its organisation, who runs nodes, and the etcd cluster. */
  member?: DemoNodes & {
    org: string;
    cluster: {
      endpoints: string[];
      prefix?: string;
      defragAboveMiB?: number;
      retainRevisions?: number;
    };
  },
): Genesis {
  const genesis = demoGenesis(seed, time, member ?? EMBEDDED);
  const org = member?.org ?? DEMO_NODE_ORG;
  mkdirSync(paths.keys(dir), { recursive: true });
  writeFileSync(paths.genesis(dir), JSON.stringify(genesis, null, 2) + '\n', { flag: 'wx' });
  writeFileSync(
    paths.config(dir),
    JSON.stringify(
      { org, maxTxs: 4000, maxWaitMs: 20, ...(member ? { cluster: member.cluster } : {}) },
      null,
      2,
    ) + '\n',
    { flag: 'wx' },
  );
  writeKeyFile(paths.nodeKey(dir), keyFileFromSeed(demoSeed(seed, `${org}/node`)));
  writeConsortiumKey(dir, demoSeed(seed, 'consortium'));
  for (const o of ORGS)
    writeKeyFile(
      join(paths.keys(dir), `${o.id}.admin.json`),
      keyFileFromSeed(demoSeed(seed, `${o.id}/admin`), `${o.id}/admin`),
    );
  for (const m of MEMBERS) {
    writeKeyFile(
      join(paths.keys(dir), `${m.org}.${m.name}.json`),
      keyFileFromSeed(demoSeed(seed, `${m.org}/${m.name}`), `${m.org}/${m.name}`),
    );
  }
  writeKeyFile(
    join(paths.keys(dir), 'city-pharmacy.admin.json'),
    keyFileFromSeed(demoSeed(seed, 'city-pharmacy/admin'), 'city-pharmacy/admin'),
  );
  return genesis;
}

/**
 * The demo's activity as rounds of transactions; each round is submitted after the one before
 * has committed. Refusals are included on purpose: they are evidence in the log too.
 */
export function demoActivity(seed: string, chain: string, now: number): SignedTx[][] {
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
    ...MEMBERS.map((m) =>
      tx(`${m.org}/admin`, 'membership.enrol', enrolment(m.org, m.name, m.roles)),
    ),
  ];
  const rotated = `city-bureau/reviewer-1#2`;
  const pharmacy = {
    id: 'city-pharmacy',
    type: 'pharmacy',
    names: { 'zh-Hant': '市民大藥房', 'zh-Hans': '市民大药房', en: 'City Community Pharmacy' },
    rootKey: pub('city-pharmacy/admin'),
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
          root: proveKey(chain, 'city-pharmacy/admin', demoSeed(seed, 'city-pharmacy/admin')),
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
