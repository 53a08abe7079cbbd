/**
 * Pre-signed `membership.enrol` transactions by the six demo org admins, signed with node:crypto
 * (not the slow portable signer). Transaction i enrols member `m<i>` as an operator (a role every
 * organisation type may hold) with a unique key whose seed is SHA-256 of a counter, and that key's
 * proof of possession, under nonce `n<i>`; signer i is admin i mod 6.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { possessionText } from '../src/domains/membership/possession.js';
import { signingText, type SignedTx } from '../src/chain/tx.js';
import { canonicalJson } from '../src/core/canonical.js';
import { nodeSigner, publicKeyOfSeed } from '../src/runtime/node-ed25519.js';
import { DEMO_CHAIN, demoGenesis } from '../src/node/demo.js';
import { demoSeed } from '../src/runtime/demo-kit.js';

export interface Admin {
  label: string;
  pub: string;
  sign: (message: Uint8Array) => Uint8Array;
}

/** The demo consortium's six org admins with node:crypto signers. */
export function admins(seed: string): Admin[] {
  return demoGenesis(seed, 0).orgs.map((o) => ({
    label: `${o.id}/admin`,
    pub: o.rootKey,
    sign: nodeSigner(demoSeed(seed, `${o.id}/admin`)),
  }));
}

export interface SignedEnrol {
  /** RFC 8785 text of the signed transaction. */
  text: string;
  /** The signed bytes as text (the transaction without `sig`). */
  message: string;
  sig: string;
  signer: string;
}

/** Signs enrolment `i` at `time`. */
export function signEnrol(all: Admin[], chain: string, i: number, time: number): SignedEnrol {
  const a = all[i % all.length]!;
  const seed = createHash('sha256').update(`aidledger-bench-key:${i}`).digest();
  const key = Buffer.from(publicKeyOfSeed(seed)).toString('hex');
  const holder = `${a.label.slice(0, a.label.indexOf('/'))}/m${i}`;
  const pop = Buffer.from(
    nodeSigner(seed)(Buffer.from(possessionText(chain, holder, key), 'utf8')),
  ).toString('hex');
  const body = {
    alg: 'ed25519' as const,
    chain,
    nonce: `n${i}`,
    payload: { key, name: `m${i}`, pop, roles: ['operator'] },
    signer: a.pub,
    time,
    type: 'membership.enrol',
  };
  const message = signingText(body as Omit<SignedTx, 'sig'>);
  const sig = Buffer.from(a.sign(Buffer.from(message, 'utf8'))).toString('hex');
  return { text: canonicalJson({ ...body, sig }), message, sig, signer: a.pub };
}

export interface SignRequest {
  seed: string;
  chain: string;
  from: number;
  count: number;
  time: number;
}

/** Signs in worker threads (one per core): texts of transactions from..from+count-1. */
export class SignPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, (texts: string[]) => void>();
  private nextId = 1;
  private next = 0;

  constructor(size = availableParallelism()) {
    for (let i = 0; i < Math.max(1, size); i++) {
      const w = new Worker(new URL('./sign-worker.js', import.meta.url));
      w.on('message', (m: { id: number; texts: string[] }) => {
        const done = this.pending.get(m.id);
        this.pending.delete(m.id);
        done?.(m.texts);
      });
      this.workers.push(w);
    }
  }

  get workersCount(): number {
    return this.workers.length;
  }

  sign(req: SignRequest): Promise<string[]> {
    const id = this.nextId++;
    const w = this.workers[this.next++ % this.workers.length]!;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      w.postMessage({ id, req });
    });
  }

  /** Signs `count` transactions from `from` in chunks spread over the workers. */
  async signMany(
    base: Omit<SignRequest, 'from' | 'count'>,
    from: number,
    count: number,
    chunk = 2000,
  ): Promise<string[]> {
    const parts: Promise<string[]>[] = [];
    for (let at = from; at < from + count; at += chunk)
      parts.push(this.sign({ ...base, from: at, count: Math.min(chunk, from + count - at) }));
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

export { DEMO_CHAIN };
