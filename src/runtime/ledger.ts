/**
 * The ledger of one node: executes ordered batches into blocks, appends their leaves to the RFC
 * 9162 log, keeps the contract state and its chained digest, signs checkpoints, and answers
 * reads and proofs. Each block is one SQLite transaction.
 */
import type Database from 'better-sqlite3';
import type { Batch } from '../chain/batch.js';
import type { BlockSummary, BlockTx, LogEntry, TxView } from '../chain/explorer-types.js';
import {
  genesisHash,
  parseGenesis,
  protocolAt,
  type Genesis,
  type ProtocolStep,
} from '../chain/genesis.js';
import {
  blockLeafText,
  parseLeaf,
  txLeafText,
  type BlockLeaf,
  type TxLeaf,
  type TxResult,
} from '../chain/leaf.js';
import type { Policy } from '../chain/policy.js';
import { Log } from '../log/log.js';
import type { Receipt } from '../chain/receipt.js';
import type { TxId } from '../chain/schemas.js';
import { fromHex, toHex } from '../core/bytes.js';
import { canonicalJson, parseJson } from '../core/canonical.js';
import { AidError } from '../core/errors.js';
import { leafHash } from '../core/merkle.js';
import type { KeyStatus, Protocol, Secrets, StateView } from './contract.js';
import { NO_SECRETS } from './secrets.js';
import { executeBlock, type BlockContext, type BlockRun, type TxWrites } from './block.js';
import { ZERO_DIGEST } from './digest.js';
import { executeTx, type AdmittedItem } from './execute.js';
import type { ProtocolRegistry, ReadModel, ReadModelSpec } from './registry.js';
import { nodeSigner, verifyHex } from './node-ed25519.js';
import { fastSha256 } from './node-hash.js';
import { Overlay } from './overlay.js';
import { openDatabase, type BlockRow } from './store.js';
import { RefusalIndex, utcDay, type RefusalFilter, type RefusedTx } from './refusals.js';
import { Bloom, StateTable } from './state-table.js';

export interface NodeIdentity {
  /** The organisation the node belongs to; its checkpoint signatures are under this name. */
  org: string;
  seed: Uint8Array;
  publicKey: Uint8Array;
}

export interface LedgerOptions {
  path: string;
  /** Required when the file is new. */
  genesis?: Genesis;
  /** The key this node signs checkpoints with. */
  identity?: NodeIdentity;
  /** The contract code of each protocol version, the governance and the domains' read models. */
  registry: ProtocolRegistry;
  /** The consortium secret's keyed hashes; without it, actions that need them cannot run. */
  secrets?: Secrets;
  readonly?: boolean;
}

export interface CommitOutcome {
  id: TxId;
  height: number;
  index: number;
  result: TxResult;
  /** The transaction was already in the log; this is its original result. */
  duplicate: boolean;
}

/** Told of each committed block: its height and its final state writes (JSON text, or null). */
export type CommitListener = (height: number, writes: ReadonlyMap<string, string | null>) => void;

export class Ledger {
  readonly db: Database.Database;
  readonly genesis: Genesis;
  readonly chain: string;
  /** The RFC 9162 log: leaves, tree, checkpoints and cosignatures, proofs, receipts. */
  readonly log: Log;
  readonly registry: ProtocolRegistry;
  /** The consortium key's uses (pseudonyms, fingerprints); routes may compute, never reveal. */
  readonly secrets: Secrets;
  private readonly signer: ((m: Uint8Array) => Uint8Array) | undefined;
  private readonly identity: NodeIdentity | undefined;
  private head: { height: number; time: number; hash: Uint8Array; state: Uint8Array } | undefined;
  private readonly st: ReturnType<typeof prepare>;
  private readonly state: StateTable;
  /** The domains' read models, by name, in the registry's order. */
  private readonly models = new Map<string, ReadModel>();
  /** Refused transactions per signer key and UTC day. */
  private readonly refusals: RefusalIndex;
  /** Reads the committed state (an overlay with no writes). */
  private committedView: StateView | undefined;
  /** Every committed transaction id, so most lookups of a new id cost no SQLite read. */
  private txIds: Bloom;

  private constructor(db: Database.Database, genesis: Genesis, opts: LedgerOptions) {
    this.db = db;
    this.genesis = genesis;
    this.chain = genesis.chain;
    this.registry = opts.registry;
    this.secrets = opts.secrets ?? NO_SECRETS;
    this.identity = opts.identity;
    this.signer = opts.identity ? nodeSigner(opts.identity.seed) : undefined;
    this.st = prepare(db);
    this.state = new StateTable(db);
    for (const spec of opts.registry.readModels) {
      if (!opts.readonly) db.exec(spec.schema);
      this.models.set(spec.name, spec.open(db));
    }
    this.refusals = new RefusalIndex(db, !(opts.readonly ?? false));
    this.txIds = this.loadTxIds((this.st.countTxs.get() ?? 0) * 2 + 1_000_000);
    const read = (k: string) => this.stateGet(k);
    this.log = new Log(db, {
      origin: genesis.chain,
      hash: fastSha256,
      verify: verifyHex,
      ...(opts.identity && this.signer
        ? {
            signer: {
              org: opts.identity.org,
              publicKey: opts.identity.publicKey,
              sign: this.signer,
            },
          }
        : {}),
      nodeKey: (org) => this.registry.governance.nodeKey(read, org),
      quorum: () => this.policy().quorum,
    });
    const size = this.log.size;
    const last = this.st.lastBlock.get();
    if (last) {
      this.head = { height: last.height, time: last.time, hash: last.hash, state: last.state };
      if (last.leaf !== size - 1)
        throw new AidError('VERIFY_FAILED', 'the log does not end with a block leaf');
    }
    if (this.head) this.refusals.catchUp((k) => this.signerOrg(k));
  }

  /** The organisation of a signer key as the committed state knows it ('' for an applicant). */
  private signerOrg(key: string): string {
    const s = this.keyStatus(key);
    if (s.kind === 'active') return s.signer.org;
    if (s.kind === 'revoked') {
      const slash = s.member.indexOf('/');
      return slash < 0 ? '' : s.member.slice(0, slash);
    }
    return '';
  }

  /** Refused transactions, newest first (the log's own refusals, indexed). */
  refused(f: RefusalFilter): RefusedTx[] {
    return this.refusals.refused(f);
  }

  private loadTxIds(capacity: number): Bloom {
    const bloom = new Bloom(capacity);
    for (const id of this.st.allTxIds.iterate()) bloom.add(id.toString('hex'));
    return bloom;
  }

  /** Opens (or, given a genesis, creates) a ledger file. @throws AidError CONFIG. */
  static open(opts: LedgerOptions): Ledger {
    const db = openDatabase(opts.path, { readonly: opts.readonly ?? false });
    try {
      const stored = db
        .prepare<[], string>("SELECT value FROM meta WHERE key = 'genesis'")
        .pluck()
        .get();
      let genesis: Genesis;
      if (stored !== undefined) {
        genesis = parseGenesis(parseJson(stored));
        if (opts.genesis && canonicalJson(opts.genesis) !== canonicalJson(genesis)) {
          throw new AidError('CONFIG', 'this ledger file was made from another genesis');
        }
      } else {
        if (!opts.genesis)
          throw new AidError('CONFIG', `${opts.path} holds no ledger and no genesis was given`);
        genesis = opts.genesis;
        db.prepare("INSERT INTO meta (key, value) VALUES ('genesis', ?)").run(
          canonicalJson(genesis),
        );
      }
      const ledger = new Ledger(db, genesis, opts);
      if (ledger.head === undefined && !opts.readonly) ledger.commitGenesis();
      return ledger;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  close(): void {
    this.log.close();
    this.db.close();
  }

  get height(): number {
    return this.head?.height ?? -1;
  }

  get size(): number {
    return this.log.size;
  }

  get headTime(): number {
    return this.head?.time ?? 0;
  }

  get stateDigestHex(): string {
    return this.head ? toHex(this.head.state) : '';
  }

  /**
   * The contract code that executes the block at `height` (at most one past the head): the
   * genesis schedule and the steps the consortium adopted by vote, as committed.
   */
  protocolFor(height: number): Protocol {
    return this.registry.get(this.protocolVersionAt(height));
  }

  /**
   * The contract code that executes the next block. @throws AidError CONFIG when the consortium
   * adopted a version this build does not have: the node must be upgraded, not run old rules.
   */
  nextProtocol(): Protocol {
    const height = this.height + 1;
    try {
      return this.protocolFor(height);
    } catch (e) {
      const v = this.protocolVersionAt(height);
      const message = `the consortium runs protocol ${v}; upgrade this node's software`;
      throw new AidError('CONFIG', message, { cause: e });
    }
  }

  /** The protocol version of the block at `height`, whether or not this build knows it. */
  protocolVersionAt(height: number): number {
    return protocolAt(this.genesis, height, this.adoptedProtocol());
  }

  /** The protocol steps the consortium adopted by vote, as committed. */
  adoptedProtocol(): readonly ProtocolStep[] {
    const text = this.stateGet(this.registry.governance.scheduleKey);
    if (text !== this.adoptedText) {
      this.adoptedText = text;
      this.adopted = this.registry.governance.adoptedSteps(text);
    }
    return this.adopted;
  }
  private adoptedText: string | undefined;
  private adopted: ProtocolStep[] = [];

  // ---- state ------------------------------------------------------------------------------

  stateGet(key: string): string | undefined {
    return this.state.get(key);
  }

  /** Committed values under a key prefix, in key order. */
  stateScan(prefix: string, limit = 10_000): { key: string; value: string }[] {
    return this.st.scanState.all(prefix, prefix + '\uffff', limit);
  }

  /** Committed values under `prefix` from the key `from` on, in key order. */
  stateScanFrom(prefix: string, from: string, limit: number): { key: string; value: string }[] {
    return this.st.scanState.all(from < prefix ? prefix : from, prefix + '\uffff', limit);
  }

  keyStatus(publicKeyHex: string): KeyStatus {
    this.committedView ??= new Overlay((k) => this.stateGet(k)).readView();
    return this.protocolFor(this.height + 1).resolveKey(this.committedView, publicKeyHex);
  }

  /** How many transactions signed by `key` the log recorded as refused in the UTC day of `at`. */
  refusalsOn(key: string, at: number): number {
    return this.refusals.count(key, utcDay(at));
  }

  /**
   * What executing `items` in order as the next block at `time` would record, against the
   * committed state; nothing is written. A preview, not a promise: other transactions may be
   * ordered first.
   */
  preview(items: readonly AdmittedItem[], time: number): TxResult[] {
    const height = this.height + 1;
    const protocol = this.protocolFor(height);
    const overlay = new Overlay((k) => this.stateGet(k));
    const t = Math.max(time, this.headTime + 1);
    return items.map((item) => executeTx(protocol, overlay, item, height, t, this.secrets).result);
  }

  /** The verifier policy the current membership implies. */
  policy(): Policy {
    return this.registry.governance.policy(
      this.chain,
      (k) => this.stateGet(k),
      (prefix) => this.stateScan(prefix),
    );
  }

  /** A domain's read model, as its spec opened it. */
  readModel<T extends ReadModel>(spec: ReadModelSpec<T>): T {
    const m = this.models.get(spec.name);
    if (!m) throw new AidError('CONFIG', `no read model ${spec.name} in this ledger's registry`);
    return m as T;
  }

  // ---- commit -----------------------------------------------------------------------------

  private commitGenesis(): void {
    const overlay = new Overlay((k) => this.stateGet(k));
    const protocol = this.protocolFor(0);
    const run = executeBlock(
      this.blockContext(protocol, undefined, 0, this.genesis.time),
      overlay,
      [],
    );
    this.writeBlock({
      height: 0,
      time: this.genesis.time,
      prev: fromHex(genesisHash(this.genesis), 32),
      protocol: protocol.version,
      overlay,
      run,
      leaves: [],
      proposer: 'genesis',
      batch: '0'.repeat(32),
    });
  }

  private blockContext(
    protocol: Protocol,
    previous: number | undefined,
    height: number,
    time: number,
  ): BlockContext {
    return {
      protocol,
      previous,
      height,
      time,
      genesis: this.genesis,
      secrets: this.secrets,
      scan: (prefix) => this.stateScan(prefix, Number.MAX_SAFE_INTEGER),
      prevState: this.head?.state ?? ZERO_DIGEST,
    };
  }

  /**
   * Executes one ordered batch as the next block and commits it. Transactions already in the
   * log (or earlier in the batch) are not executed again: their outcome is the original one.
   */
  commitBatch(
    batch: Pick<Batch, 'id' | 'proposer' | 'time'> & { position?: number },
    items: readonly AdmittedItem[],
  ): CommitOutcome[] {
    if (!this.head) throw new AidError('UNAVAILABLE', 'ledger has no genesis block');
    const height = this.head.height + 1;
    const time = Math.max(batch.time, this.head.time + 1);
    const protocol = this.protocolFor(height);
    // Each transaction once: a repeat within the batch, or one already in the log, takes the
    // outcome of the first.
    const fresh: AdmittedItem[] = [];
    const place = new Map<string, number>();
    const refs: ({ at: number; duplicate: boolean } | CommitOutcome)[] = [];
    for (const item of items) {
      const at = place.get(item.id);
      if (at !== undefined) {
        refs.push({ at, duplicate: true });
        continue;
      }
      const prior = this.outcomeOf(item.id);
      if (prior) {
        refs.push({ ...prior, duplicate: true });
        continue;
      }
      place.set(item.id, fresh.length);
      refs.push({ at: fresh.length, duplicate: false });
      fresh.push(item);
    }
    const overlay = new Overlay((k) => this.stateGet(k));
    const run = executeBlock(
      this.blockContext(protocol, this.protocolFor(height - 1).version, height, time),
      overlay,
      fresh,
    );
    const first = this.log.size;
    const leaves: PendingLeaf[] = fresh.map((item, k) => {
      const result = run.results[k]!;
      return {
        text: txLeafText(item.text, result),
        item,
        ok: result.ok,
        ...(result.ok ? {} : { code: result.code }),
      };
    });
    const outcomes = refs.map((r): CommitOutcome => {
      if (!('at' in r)) return r;
      const item = fresh[r.at]!;
      const result = run.results[r.at]!;
      return { id: item.id, height, index: first + r.at, result, duplicate: r.duplicate };
    });
    this.writeBlock({
      height,
      time,
      prev: this.head.hash,
      protocol: protocol.version,
      overlay,
      run,
      leaves,
      proposer: batch.proposer,
      batch: batch.id,
      ...(batch.position === undefined ? {} : { position: batch.position }),
    });
    return outcomes;
  }

  private writeBlock(b: {
    height: number;
    time: number;
    prev: Uint8Array;
    protocol: number;
    overlay: Overlay;
    run: Pick<BlockRun, 'keys' | 'state'>;
    leaves: PendingLeaf[];
    proposer: string;
    batch: string;
    /** The batch's place in the ordering service (an etcd revision), kept with the block. */
    position?: number;
  }): void {
    const first = this.log.size;
    const { keys, state } = b.run;
    const blockText = blockLeafText({
      height: b.height,
      prev: toHex(b.prev),
      time: b.time,
      protocol: b.protocol,
      txs: b.leaves.length,
      state: toHex(state),
    });
    const blockBytes = Buffer.from(blockText, 'utf8');
    const blockHash = leafHash(blockBytes, fastSha256);
    const st = this.st;
    try {
      this.db.transaction(() => {
        for (const l of b.leaves) {
          const idx = this.log.append(Buffer.from(l.text, 'utf8'));
          st.putTx.run(Buffer.from(l.item.id, 'hex'), idx, b.height);
          if (l.item.private) {
            st.putPrivate.run(
              Buffer.from(l.item.id, 'hex'),
              Buffer.from(l.item.private.salt, 'hex'),
              l.item.factsText ?? canonicalJson(l.item.private.facts),
            );
          }
        }
        const idx = this.log.append(blockBytes, blockHash);
        this.state.write(b.overlay.writes, keys);
        for (const m of this.models.values()) m.apply(b.overlay.writes);
        this.refusals.apply(
          b.leaves.map((l, k) => ({
            index: first + k,
            signer: l.item.tx.signer,
            type: l.item.tx.type,
            ok: l.ok,
            ...(l.code === undefined ? {} : { code: l.code }),
          })),
          b.time,
          (k) => this.signerOrg(k),
        );
        st.putBlock.run({
          height: b.height,
          leaf: idx,
          first,
          txs: b.leaves.length,
          time: b.time,
          protocol: b.protocol,
          state,
          hash: blockHash,
          proposer: b.proposer,
          batch: b.batch,
          position: b.position ?? null,
        });
        if (b.position !== undefined) st.putMeta.run('orderer.position', String(b.position));
        this.log.seal();
      })();
    } catch (e) {
      this.log.rolledBack();
      this.state.rolledBack(b.overlay.writes);
      throw e;
    }
    this.log.committed();
    this.state.committed(b.overlay.writes);
    for (const l of b.leaves) this.txIds.add(l.item.id);
    if (this.txIds.count > this.txIds.capacity) this.txIds = this.loadTxIds(this.txIds.count * 2);
    this.head = { height: b.height, time: b.time, hash: blockHash, state };
    this.tellCommitted(b.height, b.overlay.writes);
  }

  private readonly commitListeners = new Set<CommitListener>();

  /**
   * Calls `listener` after each block is committed, with the block's final state writes (what
   * changed, for screens that show it). A listener's failure never touches the ledger.
   * @returns the function that stops it
   */
  onCommit(listener: CommitListener): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  private tellCommitted(height: number, writes: ReadonlyMap<string, string | null>): void {
    for (const l of this.commitListeners) {
      try {
        l(height, writes);
      } catch {
        // A screen's listener is not the ledger's concern.
      }
    }
  }

  // ---- reads ------------------------------------------------------------------------------

  private outcomeOf(id: string): CommitOutcome | undefined {
    if (!this.txIds.mayHave(id)) return undefined;
    const row = this.st.getTx.get(Buffer.from(id, 'hex'));
    if (!row) return undefined;
    const leaf = this.leafLeaf(row.leaf);
    if (leaf.kind !== 'tx')
      throw new AidError('VERIFY_FAILED', `leaf ${row.leaf} is not a transaction`);
    return {
      id: id as TxId,
      height: row.height,
      index: row.leaf,
      result: leaf.result,
      duplicate: true,
    };
  }

  /** The original outcome of a committed transaction, or undefined. */
  findTx(id: string): CommitOutcome | undefined {
    return this.outcomeOf(id);
  }

  tx(id: string): TxView | undefined {
    const row = this.st.getTx.get(Buffer.from(id, 'hex'));
    if (!row) return undefined;
    const leaf = this.leafLeaf(row.leaf) as TxLeaf;
    return {
      id,
      tx: leaf.tx,
      result: leaf.result,
      height: row.height,
      index: row.leaf,
    };
  }

  private leafLeaf(idx: number): TxLeaf | BlockLeaf {
    const bytes = this.log.leaf(idx);
    if (!bytes) throw new AidError('NOT_FOUND', `no leaf ${idx}`);
    return parseLeaf(bytes.toString('utf8'));
  }

  private blockInfo(r: BlockRow): BlockSummary {
    const leaf = this.leafLeaf(r.leaf) as BlockLeaf;
    return {
      height: r.height,
      time: r.time,
      protocol: r.protocol,
      txs: r.txs,
      first: r.first,
      leaf: r.leaf,
      prev: leaf.prev,
      state: toHex(r.state),
      hash: toHex(r.hash),
      proposer: r.proposer,
      batch: r.batch,
    };
  }

  block(height: number): BlockSummary | undefined {
    const r = this.st.getBlock.get(height);
    return r ? this.blockInfo(r) : undefined;
  }

  blocks(from: number, limit: number): BlockSummary[] {
    return this.st.blockRange.all(from, limit).map((r) => this.blockInfo(r));
  }

  /** The transactions of a block: id, type, signer, result and log index. */
  blockTxs(height: number): BlockTx[] {
    const r = this.st.getBlock.get(height);
    if (!r) return [];
    return this.log.leaves(r.first, r.leaf, r.txs).map((bytes, i) => {
      const l = parseLeaf(bytes.toString('utf8')) as TxLeaf;
      return {
        id: toHex(fastSha256(Buffer.from(canonicalJson(l.tx), 'utf8'))),
        index: r.first + i,
        type: l.tx.type,
        signer: l.tx.signer,
        result: l.result,
      };
    });
  }

  /**
   * What sits at log index `index`: the transaction whose leaf it is (with its id and block), or
   * the closing leaf of a block. Undefined at or beyond the log size.
   */
  entryAt(index: number): LogEntry | undefined {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) return undefined;
    const b = this.st.blockAtLeaf.get(index);
    if (!b) return undefined;
    if (b.leaf === index) return { index, kind: 'block', height: b.height };
    const bytes = this.log.leaf(index);
    if (!bytes) return undefined;
    const leaf = parseLeaf(bytes.toString('utf8'));
    if (leaf.kind !== 'tx')
      throw new AidError('VERIFY_FAILED', `leaf ${index} is not a transaction`);
    const id = toHex(fastSha256(Buffer.from(canonicalJson(leaf.tx), 'utf8')));
    return { index, kind: 'tx', id, height: b.height };
  }

  /** The ordering-service position of the last batch applied (0 when none). */
  get position(): number {
    return Number(this.st.getMeta.get('orderer.position') ?? 0);
  }

  /**
   * The batches this node applied after an ordering position, as a peer that missed them needs
   * them: each block's batch id, proposer and time, and its transactions with their private
   * parts. @throws AidError UNAVAILABLE when a private part was erased here (another peer may
   * still hold it).
   */
  batchesAfter(
    position: number,
    limit: number,
  ): { position: number; id: string; proposer: string; time: number; items: unknown[] }[] {
    return this.st.blocksAfterPosition.all(position, limit).map((r) => ({
      position: r.position!,
      id: r.batch,
      proposer: r.proposer,
      time: r.time,
      items: this.log.leaves(r.first, r.leaf, r.txs).map((bytes) => {
        const l = parseLeaf(bytes.toString('utf8')) as TxLeaf;
        if (!l.tx.private) return { tx: l.tx };
        const id = toHex(fastSha256(Buffer.from(canonicalJson(l.tx), 'utf8')));
        const p = this.privatePart(id);
        if (!p) throw new AidError('UNAVAILABLE', `the private part of ${id} was erased here`);
        return { private: p, tx: l.tx };
      }),
    }));
  }

  /** Whether a batch with this id was applied already (a batch written twice comes twice). */
  hasBatch(id: string): boolean {
    return this.st.batchBlock.get(id) !== undefined;
  }

  /** A receipt for a committed transaction against the newest checkpoint. */
  receipt(id: string): Receipt | undefined {
    const row = this.st.getTx.get(Buffer.from(id, 'hex'));
    return row ? this.log.receipt(id, row.leaf) : undefined;
  }

  /** The private part of a transaction, if this node holds it and it was not erased. */
  privatePart(id: string): { salt: string; facts: unknown } | undefined {
    const r = this.st.getPrivate.get(Buffer.from(id, 'hex'));
    return r ? { salt: r.salt.toString('hex'), facts: JSON.parse(r.facts) } : undefined;
  }

  /** Whether this node holds the private part of a transaction (one not erased). */
  holdsPrivate(id: string): boolean {
    return this.st.hasPrivate.get(Buffer.from(id, 'hex')) !== undefined;
  }

  /**
   * Erases private parts (right to erasure), keeping in their place the state writes each
   * transaction made, which a replay applies instead of running it (`runtime/erase.ts` records
   * them from a replay). One SQLite transaction: each part is deleted and its writes kept, or
   * nothing is. @returns the ids whose part was held and is now erased
   */
  erasePrivateKeeping(recorded: ReadonlyMap<string, TxWrites>): string[] {
    return this.db.transaction(() => {
      const erased: string[] = [];
      for (const [id, w] of recorded) {
        // Erased meanwhile by another caller, whose writes are recorded already.
        if (this.st.delPrivate.run(Buffer.from(id, 'hex')).changes === 0) continue;
        this.st.delTxWrites.run(w.leaf);
        w.writes.forEach((x, seq) => this.st.putTxWrite.run(w.leaf, seq, x.key, x.value));
        erased.push(id);
      }
      return erased;
    })();
  }
}

interface PendingLeaf {
  text: string;
  item: AdmittedItem;
  ok: boolean;
  /** The refusal's code, when refused. */
  code?: string;
}

function prepare(db: Database.Database) {
  return {
    lastBlock: db.prepare<[], BlockRow>('SELECT * FROM blocks ORDER BY height DESC LIMIT 1'),
    getBlock: db.prepare<[number], BlockRow>('SELECT * FROM blocks WHERE height = ?'),
    blockRange: db.prepare<[number, number], BlockRow>(
      'SELECT * FROM blocks WHERE height >= ? ORDER BY height LIMIT ?',
    ),
    scanState: db.prepare<[string, string, number], { key: string; value: string }>(
      'SELECT key, value FROM state WHERE key >= ? AND key < ? ORDER BY key LIMIT ?',
    ),
    putTx: db.prepare<[Buffer, number, number]>(
      'INSERT INTO txs (id, leaf, height) VALUES (?, ?, ?)',
    ),
    countTxs: db.prepare<[], number>('SELECT count(*) FROM txs').pluck(),
    allTxIds: db.prepare<[], Buffer>('SELECT id FROM txs').pluck(),
    getTx: db.prepare<[Buffer], { leaf: number; height: number }>(
      'SELECT leaf, height FROM txs WHERE id = ?',
    ),
    putPrivate: db.prepare<[Buffer, Buffer, string]>(
      'INSERT OR REPLACE INTO private_parts (txid, salt, facts) VALUES (?, ?, ?)',
    ),
    getPrivate: db.prepare<[Buffer], { salt: Buffer; facts: string }>(
      'SELECT salt, facts FROM private_parts WHERE txid = ?',
    ),
    delPrivate: db.prepare<[Buffer]>('DELETE FROM private_parts WHERE txid = ?'),
    hasPrivate: db.prepare<[Buffer], number>('SELECT 1 FROM private_parts WHERE txid = ?').pluck(),
    delTxWrites: db.prepare<[number]>('DELETE FROM tx_writes WHERE leaf = ?'),
    putTxWrite: db.prepare<[number, number, string, string | null]>(
      'INSERT INTO tx_writes (leaf, seq, key, value) VALUES (?, ?, ?, ?)',
    ),
    putBlock: db.prepare<[Record<string, unknown>]>(
      'INSERT INTO blocks (height, leaf, first, txs, time, protocol, state, hash, proposer, batch, position) VALUES (@height, @leaf, @first, @txs, @time, @protocol, @state, @hash, @proposer, @batch, @position)',
    ),
    getMeta: db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck(),
    putMeta: db.prepare<[string, string]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    batchBlock: db.prepare<[string], number>('SELECT height FROM blocks WHERE batch = ?').pluck(),
    blocksAfterPosition: db.prepare<[number, number], BlockRow>(
      'SELECT * FROM blocks WHERE position > ? ORDER BY position LIMIT ?',
    ),
    blockAtLeaf: db.prepare<[number], { height: number; leaf: number }>(
      'SELECT height, leaf FROM blocks WHERE leaf >= ? ORDER BY leaf LIMIT 1',
    ),
  };
}
