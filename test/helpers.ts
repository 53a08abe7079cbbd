/**
 * Test fixtures built from real parts: a node directory on disk with the demo consortium's keys,
 * a real SQLite file, and the HTTP API listening on a loopback port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServerOptions } from '../src/api/server.js';
import {
  makePrivatePart,
  privateCommitment,
  signTx,
  type SignedTx,
  type Submission,
} from '../src/chain/tx.js';
import { toHex } from '../src/core/bytes.js';
import { canonicalJson } from '../src/core/canonical.js';
import { publicKeyFromSeed, randomSeed } from '../src/core/ed25519.js';
import { nodeHolder, proveKey } from '../src/domains/membership/possession.js';
import { demoSeed } from '../src/runtime/demo-kit.js';
import { writeDemoDir } from '../src/node/demo.js';
import { AidNode, type NodeOptions } from '../src/node/node.js';
import { AidClient } from '../src/sdk/client.js';

export const SEED = 'test';

export function tempDir(prefix = 'aidledger-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The demo key of a member label such as `city-bureau/admin`. */
export function seedOf(label: string): Uint8Array {
  return demoSeed(SEED, label);
}

export function pubOf(label: string): string {
  return toHex(publicKeyFromSeed(seedOf(label)));
}

let nonce = 0;

/** A signed transaction by the demo member `signer`. */
export function txBy(
  chain: string,
  signer: string,
  type: string,
  payload: Record<string, unknown>,
  extra: { nonce?: string; time?: number } = {},
): SignedTx {
  return signTx(
    {
      chain,
      type,
      payload,
      nonce: extra.nonce ?? `n${process.pid}-${++nonce}`,
      time: extra.time ?? Date.now(),
    },
    seedOf(signer),
  );
}

export function body(subs: Submission | Submission[]): string {
  return canonicalJson(subs);
}

export interface TestNode {
  dir: string;
  node: AidNode;
  app: FastifyInstance;
  url: string;
  client: AidClient;
  chain: string;
  close(): Promise<void>;
}

/** A demo-consortium node (no activity yet) served over real HTTP on a loopback port. */
export async function startNode(
  opts: NodeOptions & { dir?: string; server?: ServerOptions } = {},
): Promise<TestNode> {
  const t = opts.dir ? { dir: opts.dir, cleanup: () => undefined } : tempDir();
  if (!opts.dir) writeDemoDir(t.dir, SEED, Date.now() - 1000);
  const node = await AidNode.open(t.dir, { maxWaitMs: 5, ...opts });
  const app = buildServer(node, opts.server);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `http://127.0.0.1:${port}`;
  node.url = url;
  return {
    dir: t.dir,
    node,
    app,
    url,
    client: new AidClient(url),
    chain: node.ledger.chain,
    async close() {
      await app.close();
      await node.close();
      if (!opts.dir) t.cleanup();
    },
  };
}

/** POSTs a raw body and returns status and parsed JSON. */
export async function post(
  url: string,
  path: string,
  text: string,
  contentType = 'application/json',
) {
  const send = () =>
    fetch(url + path, { method: 'POST', headers: { 'content-type': contentType }, body: text });
  let res: Response;
  try {
    res = await send();
  } catch (e) {
    // fetch says only "fetch failed": name the socket's own error, which says why.
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    // A kept-alive connection the server closed just as this request went out is reset before
    // anything was answered; a submission is idempotent (the same text is answered alike), so a
    // client sends it again, once.
    if (cause?.code === 'ECONNRESET') res = await send();
    else
      throw new Error(`POST ${path}: ${(e as Error).message}: ${cause?.code ?? cause?.message}`, {
        cause: e,
      });
  }
  return {
    status: res.status,
    json: (await res.json()) as Record<string, unknown> & {
      error?: { code: string; message: string };
    },
  };
}

export async function get(url: string, path: string) {
  const res = await fetch(url + path);
  const text = await res.text();
  let json: (Record<string, unknown> & { error?: { code: string } }) | undefined;
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** A new key and its proof of possession for `holder` (`<org>/<name>` or `<org>/node`). */
export function provenKey(
  chain: string,
  holder: string,
  seed: Uint8Array = randomSeed(),
): { key: string; pop: string } {
  return { key: toHex(publicKeyFromSeed(seed)), pop: proveKey(chain, holder, seed) };
}

/**
 * A `membership.enrol` payload for `<org>/<name>`: a fresh key (or the one of `seed`) with its
 * proof of possession.
 */
export function enrolPayload(
  chain: string,
  org: string,
  name: string,
  roles: string[] = ['clerk'],
  seed: Uint8Array = randomSeed(),
): { name: string; roles: string[]; key: string; pop: string } {
  return { name, roles, ...provenKey(chain, `${org}/${name}`, seed) };
}

let members = 0;

/** A fresh clerk of `org`, enrolled by its admin: an ordinary transaction to load a node with. */
export function enrolTx(chain: string, org: string): SignedTx {
  return txBy(
    chain,
    `${org}/admin`,
    'membership.enrol',
    enrolPayload(chain, org, `clerk-${process.pid}-${++members}`),
  );
}

/** A `membership.rotateKey` payload: `member` (`<org>/<name>`) moves to a new, proven key. */
export function rotatePayload(
  chain: string,
  member: string,
  seed: Uint8Array = randomSeed(),
): { key: string; pop: string } {
  return provenKey(chain, member, seed);
}

/** A `membership.setNodeKey` payload: `org`'s new node key, proven. */
export function nodeKeyPayload(
  chain: string,
  org: string,
  seed: Uint8Array = randomSeed(),
): { key: string; pop: string } {
  return provenKey(chain, nodeHolder(org), seed);
}

/** An enrolment by `signer` whose staff facts travel as its private part. */
export function privateEnrol(
  chain: string,
  signer: string,
  name: string,
  facts: Record<string, unknown>,
  txNonce = `p${process.pid}-${++nonce}`,
): Submission & { private: NonNullable<Submission['private']> } {
  const part = makePrivatePart(facts);
  const tx = signTx(
    {
      chain,
      type: 'membership.enrol',
      payload: enrolPayload(chain, signer.split('/')[0]!, name),
      private: { commitment: privateCommitment(part) },
      nonce: txNonce,
      time: Date.now(),
    },
    seedOf(signer),
  );
  return { tx, private: part };
}
