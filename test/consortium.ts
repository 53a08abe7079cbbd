/**
 * A consortium for tests: a real etcd cluster and one in-process node per organisation of the
 * demo consortium, each with its own directory, SQLite file and HTTP API on loopback.
 */
import { writeDemoConsortium } from '../src/node/demo.js';
import { startEtcdCluster, type EtcdCluster, type EtcdClusterOptions } from '../tools/etcd.js';
import { SEED, startNode, tempDir, type TestNode } from './helpers.js';

export const CONSORTIUM_ORGS = ['city-bureau', 'hope-foundation', 'general-hospital'] as const;

export interface Consortium {
  etcd: EtcdCluster;
  /** In organisation order; `restart(i)` replaces an entry. */
  nodes: TestNode[];
  /** Starts node `i` again on its directory (after `nodes[i].close()`). */
  restart(i: number): Promise<TestNode>;
  close(): Promise<void>;
}

export async function startConsortium(
  opts: {
    etcd?: EtcdClusterOptions;
    cluster?: { defragAboveMiB?: number; retainRevisions?: number };
  } = {},
): Promise<Consortium> {
  const etcd = await startEtcdCluster(opts.etcd);
  const base = tempDir('aidledger-consortium-');
  const nodes: TestNode[] = [];
  const dirs = writeDemoConsortium(base.dir, {
    seed: SEED,
    time: Date.now() - 1000,
    orgs: CONSORTIUM_ORGS,
    checkpointQuorum: 2,
    endpoints: etcd.endpoints,
    ...(opts.cluster ? { cluster: opts.cluster } : {}),
  });
  for (const dir of dirs) nodes.push(await startNode({ dir, maxWaitMs: 5 }));
  return {
    etcd,
    nodes,
    async restart(i) {
      nodes[i] = await startNode({ dir: dirs[i]!, maxWaitMs: 5 });
      return nodes[i];
    },
    async close() {
      for (const n of nodes) await n.close().catch(() => undefined);
      await etcd.stop();
      base.cleanup();
    },
  };
}

/** Polls `f` every 50 ms until it holds. @throws after `ms`, naming `what`. */
export async function until(what: string, f: () => boolean | Promise<boolean>, ms = 30_000) {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
