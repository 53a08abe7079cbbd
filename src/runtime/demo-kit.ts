/**
 * What every domain's part of the demo consortium shares: demo keys derived from a seed, a
 * seeded random source, the signing session that signs a round of transactions and submits it,
 * and the interface a domain's demo part implements so that the node (an embedded one, or a
 * consortium over HTTP) runs each part in the registry's order. Demo keys, salts and choices all
 * derive from the seed: they are public knowledge, and demo data is fiction, never for production.
 */
import type { TxResult } from '../chain/leaf.js';
import {
  privateCommitment,
  signingText,
  txIdOf,
  type SignedTx,
  type Submission,
} from '../chain/tx.js';
import { toHex, utf8 } from '../core/bytes.js';
import { canonicalJson } from '../core/canonical.js';
import { publicKeyFromSeed } from '../core/ed25519.js';
import { sha256 } from '../core/hash.js';
import { keyFileFromSeed, type KeyFile } from './keyfile.js';
import type { Ledger } from './ledger.js';
import { nodeSigner } from './node-ed25519.js';
import type { NodeServices } from './routes.js';

/** Submissions per request: the node's admission limit. */
const MAX_BATCH = 1000;

/** A demo key: SHA-256 of the seed and a label such as `city-bureau/admin`. */
export function demoSeed(seed: string, label: string): Uint8Array {
  return sha256(utf8(`aidledger-demo:${seed}:${label}`));
}

/** The key file of a demo key holder (`<org>/<name>`), its label its member id. */
export function demoKeyFile(seed: string, holder: string): KeyFile {
  return keyFileFromSeed(demoSeed(seed, holder), holder);
}

/** A member of an organisation the demo consortium enrols, with the roles it gives them. */
export interface DemoMember {
  org: string;
  name: string;
  roles: string[];
}

/**
 * Where a demo runs: a node in this process (an `AidNode` is one), or a node of a consortium
 * reached over HTTP whose store this machine can read.
 */
export interface DemoTarget {
  /** The committed ledger as of the last submission's answer: read it anew after each. */
  readonly ledger: Ledger;
  /**
   * Submits a body of submissions as `POST /v1/txs` takes it; answers, once every one is
   * committed, each one's outcome in order.
   */
  submit(body: string, many: true): Promise<readonly { result: TxResult }[]>;
  /** The node's API URL, when the node is reached over HTTP (a consortium's node). */
  readonly remote?: string;
  /** The node's own services, when it runs in this process (an embedded node). */
  services?(): NodeServices;
}

export interface DemoContext {
  seed: string;
  chain: string;
  /** Every part's staff, in the registry's order: the first part enrols them. */
  staff: readonly DemoMember[];
}

export interface DemoReport {
  /** Lines to print after the demo ran, if the part has something to say. */
  summary?: string;
}

/** A domain's part of the demo consortium. */
export interface DomainDemo {
  /** The members its scenario signs as. */
  readonly staff: readonly DemoMember[];
  /** Further holders whose demo key files a demo node directory keeps (`<org>/<name>`). */
  readonly keys?: readonly string[];
  /** Runs its scenario, round by round, after the parts before it in the registry. */
  run(target: DemoTarget, ctx: DemoContext): Promise<DemoReport>;
}

// ---- a random source over SHA-256 of the seed -----------------------------------------------

/** Deterministic choices: SHA-256 of the seed and a block counter, read as a byte stream. */
export class SeededRng {
  private buf: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private block = 0;

  constructor(private readonly seed: string) {}

  private u32(): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      if (this.pos >= this.buf.length) {
        this.buf = sha256(utf8(`aidledger-demo-rng:${this.seed}:${this.block++}`));
        this.pos = 0;
      }
      v = v * 256 + this.buf[this.pos++]!;
    }
    return v;
  }

  /** A uniform integer in [0, n), 1 ≤ n ≤ 2^32 (rejection sampling, so no modulo bias). */
  int(n: number): number {
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const v = this.u32();
      if (v < limit) return v % n;
    }
  }

  /** A uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** An amount in [lo, hi] minor units, in whole major units (hundreds of minor units). */
  amount(lo: bigint, hi: bigint): bigint {
    return lo + BigInt(this.int(Number((hi - lo) / 100n) + 1)) * 100n;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  /** True `perCent` times in a hundred. */
  chance(perCent: number): boolean {
    return this.int(100) < perCent;
  }

  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
}

// ---- signing and submitting ------------------------------------------------------------------

interface Pending {
  sub: Submission;
  expect: string;
  what: string;
}

/**
 * Signs demo transactions (node:crypto, each key made once) and submits them round by round.
 * Nonces are `<prefix>-1`, `<prefix>-2`, …; the salt of a private part derives from the seed
 * and the nonce, so one seed gives the same transactions but for their times.
 */
export class DemoSession {
  private nonce = 0;
  private pending: Pending[] = [];
  private readonly keys = new Map<string, { key: string; sign: (m: Uint8Array) => Uint8Array }>();
  txs = 0;
  rounds = 0;
  /** Outcomes other than the demo meant: empty unless the contracts or the demo changed. */
  readonly surprises: string[] = [];

  constructor(
    private readonly target: DemoTarget,
    private readonly seed: string,
    private readonly chain: string,
    private readonly o: {
      /** The nonces' prefix. */
      prefix: string;
      /** The label a signer's current key derives from, if it is not the signer's own. */
      keyLabel?: (signer: string) => string | undefined;
    },
  ) {}

  get queued(): number {
    return this.pending.length;
  }

  /**
   * A salted hash as an applicant's device makes one for a document: from the seed and a label,
   * never from anything about the patient, since payloads are public.
   */
  salted(label: string): string {
    return toHex(sha256(utf8(`aidledger-demo-doc:${this.seed}:${label}`)));
  }

  private signer(label: string) {
    let k = this.keys.get(label);
    if (!k) {
      const seed = demoSeed(this.seed, this.o.keyLabel?.(label) ?? label);
      k = { key: toHex(publicKeyFromSeed(seed)), sign: nodeSigner(seed) };
      this.keys.set(label, k);
    }
    return k;
  }

  /**
   * Signs a transaction for the next commit and returns its id. Private facts get a salt derived
   * from the seed and the nonce, so the commitment is reproducible. `expect` is the outcome the
   * demo means to show: 'ok' or a refusal code.
   */
  add(
    signer: string,
    type: string,
    payload: Record<string, unknown>,
    opts: { facts?: Record<string, unknown>; expect?: string } = {},
  ): string {
    const nonce = `${this.o.prefix}-${++this.nonce}`;
    const s = this.signer(signer);
    const part =
      opts.facts === undefined
        ? undefined
        : {
            salt: toHex(sha256(utf8(`aidledger-demo-salt:${this.seed}:${nonce}`))),
            facts: opts.facts,
          };
    const unsigned = {
      chain: this.chain,
      type,
      payload,
      ...(part ? { private: { commitment: privateCommitment(part) } } : {}),
      nonce,
      time: Date.now(),
      signer: s.key,
      alg: 'ed25519' as const,
    };
    const tx: SignedTx = { ...unsigned, sig: toHex(s.sign(utf8(signingText(unsigned)))) };
    this.pending.push({
      sub: part ? { tx, private: part } : { tx },
      expect: opts.expect ?? 'ok',
      what: `${type} by ${signer} (${nonce})`,
    });
    return txIdOf(canonicalJson(tx));
  }

  /** Submits what is queued, in order, and waits until all of it is committed. */
  async commit(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    for (let i = 0; i < batch.length; i += MAX_BATCH) {
      const chunk = batch.slice(i, i + MAX_BATCH);
      const outcomes = await this.target.submit(canonicalJson(chunk.map((p) => p.sub)), true);
      outcomes.forEach((o, j) => {
        const p = chunk[j]!;
        const got = o.result.ok ? 'ok' : o.result.code;
        if (got !== p.expect) this.surprises.push(`${p.what}: expected ${p.expect}, got ${got}`);
      });
      this.txs += chunk.length;
    }
    this.rounds++;
  }
}

/** Refused transactions in the whole log, by code, sorted by code. */
export function refusalsInLog(ledger: Ledger): Record<string, number> {
  const out: Record<string, number> = {};
  for (let from = 0; from <= ledger.height; from += 100)
    for (const b of ledger.blocks(from, 100))
      for (const t of ledger.blockTxs(b.height))
        if (!t.result.ok) out[t.result.code] = (out[t.result.code] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}
