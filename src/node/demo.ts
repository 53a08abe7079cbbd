/**
 * The demo consortium put together from each domain's part (the registry's `demo` fields): a
 * node directory with the demo's genesis and every key the parts sign with, membership's rounds
 * with every part's staff enrolled, and the parts run one after another on a node in this process
 * or on a consortium's node over HTTP. Demo keys derive from a public seed: never for production.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGenesis, type Genesis } from '../chain/genesis.js';
import { toHex } from '../core/bytes.js';
import { publicKeyFromSeed } from '../core/ed25519.js';
import type { SignedTx } from '../chain/tx.js';
import type { TxResult } from '../chain/leaf.js';
import { AidError, type ErrorCode } from '../core/errors.js';
import { domains } from '../domains/index.js';
import {
  DEMO_GOVERNANCE_QUORUM,
  DEMO_ORGS,
  membershipActivity,
} from '../domains/membership/demo.js';
import { LATEST_PROTOCOL, registry } from '../domains/protocols.js';
import {
  demoKeyFile,
  demoSeed,
  type DemoMember,
  type DemoTarget,
  type DomainDemo,
} from '../runtime/demo-kit.js';
import { keyFileFromSeed, writeKeyFile } from '../runtime/keyfile.js';
import { Ledger } from '../runtime/ledger.js';
import { paths, writeConsortiumKey, type NodeConfig } from './config.js';

export const DEMO_CHAIN = 'demo.aidledger/ledger';

/** The operator of the embedded demo node. */
export const DEMO_NODE_ORG = 'city-bureau';

/** Which organisations run a node, and how many of them must sign a checkpoint. */
export interface DemoNodes {
  nodes: readonly string[];
  checkpointQuorum: number;
}

const EMBEDDED: DemoNodes = { nodes: [DEMO_NODE_ORG], checkpointQuorum: 1 };

/** The demo consortium's genesis: membership's founding organisations, the latest protocol. */
export function demoGenesis(seed: string, time: number, n: DemoNodes = EMBEDDED): Genesis {
  return parseGenesis({
    chain: DEMO_CHAIN,
    time,
    orgs: DEMO_ORGS.map((o) => ({
      ...o,
      rootKey: toHex(publicKeyFromSeed(demoSeed(seed, `${o.id}/admin`))),
      ...(n.nodes.includes(o.id)
        ? { nodeKey: toHex(publicKeyFromSeed(demoSeed(seed, `${o.id}/node`))) }
        : {}),
    })),
    governanceQuorum: DEMO_GOVERNANCE_QUORUM,
    checkpointQuorum: n.checkpointQuorum,
    protocol: [{ version: LATEST_PROTOCOL, fromHeight: 0 }],
  });
}

const parts = (): DomainDemo[] => domains.flatMap((d) => (d.demo ? [d.demo] : []));

/** Every part's staff, in the registry's order. */
function demoStaff(): DemoMember[] {
  return parts().flatMap((p) => p.staff);
}

/** The etcd cluster a demo node of a consortium is ordered by, as node.json holds it. */
type DemoCluster = NonNullable<NodeConfig['cluster']>;

/** Writes genesis, node config and every demo key into `dir`. */
export function writeDemoDir(
  dir: string,
  seed: string,
  time: number,
  /** For one node of a consortium: its organisation, who runs nodes, and the etcd cluster. */
  member?: DemoNodes & {
    org: string;
    cluster: DemoCluster;
    spamLimits?: NodeConfig['spamLimits'];
  },
): Genesis {
  const genesis = demoGenesis(seed, time, member);
  const org = member?.org ?? DEMO_NODE_ORG;
  mkdirSync(paths.keys(dir), { recursive: true });
  writeFileSync(paths.genesis(dir), JSON.stringify(genesis, null, 2) + '\n', { flag: 'wx' });
  const config = {
    org,
    maxTxs: 4000,
    maxWaitMs: 20,
    ...(member?.spamLimits ? { spamLimits: member.spamLimits } : {}),
    ...(member ? { cluster: member.cluster } : {}),
  };
  writeFileSync(paths.config(dir), JSON.stringify(config, null, 2) + '\n', { flag: 'wx' });
  writeKeyFile(paths.nodeKey(dir), keyFileFromSeed(demoSeed(seed, `${org}/node`)));
  writeConsortiumKey(dir, demoSeed(seed, 'consortium'));
  const holders = [
    ...genesis.orgs.map((o) => `${o.id}/admin`),
    ...parts().flatMap((p) => [...p.staff.map((m) => `${m.org}/${m.name}`), ...(p.keys ?? [])]),
  ];
  for (const h of holders)
    writeKeyFile(join(paths.keys(dir), `${h.replace('/', '.')}.json`), demoKeyFile(seed, h));
  return genesis;
}

/**
 * Writes one demo node directory per organisation in `orgs`, `<base>/<org>`, each ordered by the
 * etcd cluster at `endpoints` and talking to a different member first. Answers the directories.
 */
export function writeDemoConsortium(
  base: string,
  o: {
    seed: string;
    time: number;
    orgs: readonly string[];
    checkpointQuorum: number;
    endpoints: readonly string[];
    /** Further settings of the etcd cluster in every node.json. */
    cluster?: Omit<DemoCluster, 'endpoints'>;
    spamLimits?: NodeConfig['spamLimits'];
  },
): string[] {
  return o.orgs.map((org, i) => {
    const dir = join(base, org);
    const endpoints = [...o.endpoints.slice(i), ...o.endpoints.slice(0, i)];
    writeDemoDir(dir, o.seed, o.time, {
      org,
      nodes: o.orgs,
      checkpointQuorum: o.checkpointQuorum,
      cluster: { ...o.cluster, endpoints },
      ...(o.spamLimits ? { spamLimits: o.spamLimits } : {}),
    });
    return dir;
  });
}

/**
 * Membership's rounds of the demo with every part's staff enrolled in the first; each round is
 * submitted after the one before has committed.
 */
export function demoActivity(seed: string, chain: string, now: number): SignedTx[][] {
  return membershipActivity(seed, chain, now, demoStaff());
}

/**
 * Runs every domain's part of the demo on `target`, in the registry's order, and answers the
 * summaries they print.
 */
export async function runDemo(target: DemoTarget, seed: string, chain: string): Promise<string[]> {
  const ctx = { seed, chain, staff: demoStaff() };
  const summaries: string[] = [];
  for (const part of parts()) {
    const { summary } = await part.run(target, ctx);
    if (summary !== undefined) summaries.push(summary);
  }
  return summaries;
}

/**
 * A consortium's node as a demo target: submissions go to its API, reads to its store, which
 * this machine holds (`cluster demo` runs its nodes) and opens read-only, anew after each
 * submission so that it reads what the node has committed since. `close` closes the store.
 */
export function remoteDemoTarget(url: string, dir: string): DemoTarget & { close(): void } {
  let open: Ledger | undefined;
  const close = () => {
    open?.close();
    open = undefined;
  };
  return {
    remote: url,
    get ledger() {
      open ??= Ledger.open({ registry, path: paths.ledger(dir), readonly: true });
      return open;
    },
    async submit(body) {
      close();
      const res = await fetch(`${url}/v1/txs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(120_000),
      });
      const text = await res.text();
      if (res.status !== 200) {
        let code: ErrorCode = 'UNAVAILABLE';
        try {
          code = (JSON.parse(text) as { error: { code: ErrorCode } }).error.code ?? code;
        } catch {
          // not an error body
        }
        throw new AidError(code, `${url} refused the demo's submissions: ${res.status} ${text}`);
      }
      return (JSON.parse(text) as { results: { result: TxResult }[] }).results;
    },
    close,
  };
}
