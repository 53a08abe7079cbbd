/**
 * A node's directory: `genesis.json`, `node.json` (which organisation it is, block cutting), its
 * checkpoint key in `keys/node.json`, the consortium key in `keys/consortium.json`, and the ledger
 * in `ledger.sqlite`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { EtcdTls } from '../consortium/etcd.js';
import { z } from 'zod';
import { parseGenesis, type Genesis } from '../chain/genesis.js';
import { parseJson } from '../core/canonical.js';
import { fromHex, toHex } from '../core/bytes.js';
import { AidError } from '../core/errors.js';
import { readKeyFile, type KeyFile } from '../runtime/keyfile.js';

export const NodeConfigSchema = z.strictObject({
  org: z.string().min(2).max(63),
  maxTxs: z.number().int().min(1).max(10_000).default(1000),
  maxWaitMs: z.number().int().min(1).max(60_000).default(20),
  /** Spam limits (src/node/spam-guard.ts); each one absent takes its default. */
  spamLimits: z
    .strictObject({
      registrationsPerRequest: z.number().int().min(0).max(1000).optional(),
      registrationsPerAddressPerHour: z.number().int().min(0).max(1_000_000).optional(),
      registrationsPerDay: z.number().int().min(0).max(100_000_000).optional(),
      applicantRefusalsPerDay: z.number().int().min(0).max(1_000_000).optional(),
      signInsPerKeyPerMinute: z.number().int().min(1).max(1_000_000).optional(),
    })
    .optional(),
  /** Ordering by an etcd cluster shared by the consortium's nodes; absent: an embedded node. */
  cluster: z
    .strictObject({
      endpoints: z
        .array(z.string().regex(/^https?:\/\/[^\s]+$/))
        .min(1)
        .max(15),
      prefix: z.string().min(1).max(200).optional(),
      /** Revisions of batches etcd keeps for an absent node before it must catch up from a peer. */
      retainRevisions: z.number().int().min(10).max(100_000_000).optional(),
      /** Defragment the etcd members when their database passes this size (MiB; default 512). */
      defragAboveMiB: z.number().int().min(1).max(65_536).optional(),
      /** PEM files, relative to the node directory: the etcd CA and this node's client pair. */
      tls: z
        .strictObject({ ca: z.string().min(1), cert: z.string().min(1), key: z.string().min(1) })
        .optional(),
    })
    .optional(),
});
export type NodeConfig = z.infer<typeof NodeConfigSchema>;

export interface NodeDir {
  dir: string;
  genesis: Genesis;
  config: NodeConfig;
  nodeKey: KeyFile & { seedBytes: Uint8Array };
  /** The consortium key (pseudonyms, fingerprints), when this node holds it. */
  consortiumKey: Uint8Array | undefined;
  /** TLS material for etcd, read from the files `node.json` names. */
  etcdTls: EtcdTls | undefined;
  ledgerPath: string;
}

export const paths = {
  genesis: (dir: string) => join(dir, 'genesis.json'),
  config: (dir: string) => join(dir, 'node.json'),
  keys: (dir: string) => join(dir, 'keys'),
  nodeKey: (dir: string) => join(dir, 'keys', 'node.json'),
  consortiumKey: (dir: string) => join(dir, 'keys', 'consortium.json'),
  ledger: (dir: string) => join(dir, 'ledger.sqlite'),
};

function readJson(path: string): unknown {
  if (!existsSync(path))
    throw new AidError('CONFIG', `${path} does not exist (run aidledger init)`);
  return parseJson(readFileSync(path, 'utf8'));
}

/** Reads and checks a node directory. @throws AidError CONFIG. */
export function readNodeDir(dir: string): NodeDir {
  const genesis = parseGenesis(readJson(paths.genesis(dir)));
  const c = NodeConfigSchema.safeParse(readJson(paths.config(dir)));
  if (!c.success)
    throw new AidError('CONFIG', `${paths.config(dir)}: ${c.error.issues[0]?.message}`);
  const nodeKey = readKeyFile(paths.nodeKey(dir));
  const org = genesis.orgs.find((o) => o.id === c.data.org);
  if (!org) throw new AidError('CONFIG', `organisation ${c.data.org} is not in the genesis`);
  return {
    dir,
    genesis,
    config: c.data,
    nodeKey,
    consortiumKey: readConsortiumKey(dir),
    etcdTls: readTls(dir, c.data.cluster?.tls),
    ledgerPath: paths.ledger(dir),
  };
}

function readTls(
  dir: string,
  files: { ca: string; cert: string; key: string } | undefined,
): EtcdTls | undefined {
  if (!files) return undefined;
  const read = (f: string) => {
    const path = isAbsolute(f) ? f : join(dir, f);
    try {
      return readFileSync(path);
    } catch (cause) {
      throw new AidError('CONFIG', `cannot read the TLS file ${path}`, { cause });
    }
  };
  return { ca: read(files.ca), cert: read(files.cert), key: read(files.key) };
}

export const ConsortiumKeySchema = z.strictObject({
  version: z.literal(1),
  key: z.string().regex(/^[0-9a-f]{64}$/),
});

/** The consortium key file, `{"version":1,"key":hex}`, or undefined when the node holds none. */
export function readConsortiumKey(dir: string): Uint8Array | undefined {
  const path = paths.consortiumKey(dir);
  if (!existsSync(path)) return undefined;
  const r = ConsortiumKeySchema.safeParse(readJson(path));
  if (!r.success) throw new AidError('CONFIG', `${path} is not a consortium key file`);
  return fromHex(r.data.key, 32);
}

export function writeConsortiumKey(dir: string, key: Uint8Array): void {
  writeFileSync(
    paths.consortiumKey(dir),
    JSON.stringify({ version: 1, key: toHex(key) }, null, 2) + '\n',
    { mode: 0o600, flag: 'wx' },
  );
}
