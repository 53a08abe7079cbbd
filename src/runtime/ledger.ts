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
import { RECEIPT_FORMAT, type Receipt } from '../chain/receipt.js';
import type { TxId } from '../chain/schemas.js';
import { fromBase64, fromHex, toBase64, toHex, equalBytes } from '../core/bytes.js';
import { canonicalJson, parseJson } from '../core/canonical.js';
import { AidError } from '../core/errors.js';
import { consistencyProof, inclusionProof, leafHash, rootAt } from '../core/merkle.js';
import { formatCheckpoint, noteKeyId, signNoteLine } from '../core/note.js';
import type { KeyStatus, Protocol, Secrets, StateView } from './contract.js';
import { NO_SECRETS } from './secrets.js';
import { executeBlock, type BlockContext, type BlockRun } from './block.js';
import { ZERO_DIGEST } from './digest.js';
import { executeTx, type AdmittedItem } from './execute.js';
import type { ProtocolRegistry, ReadModel, ReadModelSpec } from './registry.js';
import { nodeSigner, verifyHex } from './node-ed25519.js';
import { fastSha256 } from './node-hash.js';
import { Overlay } from './overlay.js';
import { openDatabase, type BlockRow } from './store.js';
import { StoredTree } from '../log/tree.js';
import { RefusalIndex, utcDay } from './refusals.js';
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

/** A checkpoint this node signed, with the cosignatures it has gathered. */
export interface CheckpointRecord {
  size: number;
  root: Uint8Array;
  note: string;
}

export class Ledger {
  readonly db: Database.Database;
  readonly genesis: Genesis;
  readonly chain: string;
  private readonly tree: StoredTree;
  readonly registry: ProtocolRegistry;
  private readonly secrets: Secrets;
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
  /** Checkpoint notes with cosignatures gathered since the last write, by size. */
  private readonly cosigned = new Map<number, string>();
  private cosignFlush: NodeJS.Timeout | undefined;

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
    const size = (this.st.maxLeaf.get() ?? -1) + 1;
    this.tree = new StoredTree(db, size, fastSha256, (i) => {
      const bytes = this.st.getLeaf.get(i);
      if (!bytes) throw new AidError('NOT_FOUND', `no leaf ${i}`);
      return leafHash(bytes, fastSha256);
    });
    const last = this.st.lastBlock.get();
    if (last) {
      this.head = { height: last.height, time: last.time, hash: last.hash, state: last.state };
      if (last.leaf !== size - 1)
        throw new AidError('VERIFY_FAILED', 'the log does not end with a block leaf');
    }
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
    if (this.cosignFlush) clearTimeout(this.cosignFlush);
    if (this.cosigned.size > 0) this.db.transaction(() => this.flushCosignatures())();
    this.db.close();
  }

  get height(): number {
    return this.head?.height ?? -1;
  }

  get size(): number {
    return this.tree.size;
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
    const first = this.tree.size;
    const leaves: PendingLeaf[] = fresh.map((item, k) => {
      const result = run.results[k]!;
      return { text: txLeafText(item.text, result), item, writes: run.writes[k]!, ok: result.ok };
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
    const first = this.tree.size;
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
        let idx = first;
        for (const l of b.leaves) {
          const bytes = Buffer.from(l.text, 'utf8');
          this.tree.append(leafHash(bytes, fastSha256));
          st.putLeaf.run(idx, bytes);
          st.putTx.run(Buffer.from(l.item.id, 'hex'), idx, b.height);
          if (l.item.private) {
            st.putPrivate.run(
              Buffer.from(l.item.id, 'hex'),
              Buffer.from(l.item.private.salt, 'hex'),
              l.item.factsText ?? canonicalJson(l.item.private.facts),
            );
            let seq = 0;
            for (const [k, v] of l.writes) st.putTxWrite.run(idx, seq++, k, v);
          }
          idx++;
        }
        this.tree.append(blockHash);
        st.putLeaf.run(idx, blockBytes);
        this.state.write(b.overlay.writes, keys);
        for (const m of this.models.values()) m.apply(b.overlay.writes);
        this.refusals.apply(
          b.leaves.map((l) => ({ signer: l.item.tx.signer, ok: l.ok })),
          b.time,
        );
        this.tree.flush();
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
        this.flushCosignatures();
        this.signCheckpoint(this.tree.size, this.tree.root());
      })();
    } catch (e) {
      this.tree.rollback();
      this.state.rolledBack(b.overlay.writes);
      throw e;
    }
    this.tree.committed();
    this.state.committed(b.overlay.writes);
    for (const l of b.leaves) this.txIds.add(l.item.id);
    if (this.txIds.count > this.txIds.capacity) this.txIds = this.loadTxIds(this.txIds.count * 2);
    this.head = { height: b.height, time: b.time, hash: blockHash, state };
  }

  /**
   * Signs and stores the checkpoint for `size`. A node never signs two roots for one size: it
   * refuses with FORK instead. Runs inside the block's transaction, so what it signed is
   * persisted before anyone can see it.
   */
  private signCheckpoint(size: number, root: Uint8Array): void {
    if (!this.identity || !this.signer) return;
    const existing = this.st.getCheckpoint.get(size);
    if (existing) {
      if (!equalBytes(existing.root, root)) {
        throw new AidError('FORK', `refusing to sign a second root for size ${size}`);
      }
      return;
    }
    const text = formatCheckpoint({ origin: this.chain, size, root, extensions: [] });
    const note = `${text}\n${signNoteLine(text, this.identity.org, this.identity.publicKey, this.signer)}`;
    this.st.putCheckpoint.run(size, root, note);
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
    const bytes = this.st.getLeaf.get(idx);
    if (!bytes) throw new AidError('NOT_FOUND', `no leaf ${idx}`);
    return parseLeaf(bytes.toString('utf8'));
  }

  /** Exact leaf bytes for start <= i < end (at most `max`). */
  leaves(start: number, end: number, max = 1000): Buffer[] {
    const stop = Math.min(end, this.size, start + max);
    if (stop <= start) return [];
    return this.st.leafRange.all(start, stop);
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
    return this.leaves(r.first, r.leaf, r.txs).map((bytes, i) => {
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
    const bytes = this.st.getLeaf.get(index);
    if (!bytes) return undefined;
    const leaf = parseLeaf(bytes.toString('utf8'));
    if (leaf.kind !== 'tx')
      throw new AidError('VERIFY_FAILED', `leaf ${index} is not a transaction`);
    const id = toHex(fastSha256(Buffer.from(canonicalJson(leaf.tx), 'utf8')));
    return { index, kind: 'tx', id, height: b.height };
  }

  /**
   * The checkpoints this node signed for sizes below `before`, newest first, each with the
   * cosignatures gathered so far (one per block; at most `limit`).
   */
  checkpoints(before: number, limit: number): CheckpointRecord[] {
    return this.st.checkpointsBefore
      .all(before, limit)
      .map((c) => ({ ...c, note: this.cosigned.get(c.size) ?? c.note }));
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
      items: this.leaves(r.first, r.leaf, r.txs).map((bytes) => {
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

  /** The checkpoint this node signed for `size`, with the cosignatures it has gathered. */
  checkpointAt(size: number): { size: number; root: Uint8Array; note: string } | undefined {
    const c = this.st.getCheckpoint.get(size);
    const note = this.cosigned.get(size);
    return c && note !== undefined ? { ...c, note } : c;
  }

  /**
   * Adds a peer's signature line to this node's checkpoint of the same size, once it verifies
   * under the membership's node key of that organisation over the identical body.
   * @returns whether it was added; false when already there. @throws AidError BAD_CHECKPOINT.
   */
  addCosignature(size: number, line: string): boolean {
    const cp = this.checkpointAt(size);
    if (!cp) throw new AidError('NOT_FOUND', `no checkpoint of size ${size} here yet`);
    if (cp.note.includes(line)) return false;
    const body = cp.note.slice(0, cp.note.indexOf('\n\n') + 1);
    if (!this.checkpointLineVerifies(body, line))
      throw new AidError('BAD_CHECKPOINT', 'the signature line does not verify');
    // Kept in memory and written with the next block (or shortly): a cosignature is not worth
    // a disk flush of its own, and one lost in a crash is simply gathered again.
    this.cosigned.set(size, cp.note + line);
    this.cosignFlush ??= setTimeout(() => {
      this.cosignFlush = undefined;
      if (this.db.open) this.db.transaction(() => this.flushCosignatures())();
    }, 250);
    this.cosignFlush.unref();
    return true;
  }

  /** Writes the gathered cosignatures; inside a transaction. */
  private flushCosignatures(): void {
    for (const [size, note] of this.cosigned) this.st.updateCheckpoint.run(note, size);
    this.cosigned.clear();
  }

  /**
   * Whether `line` is a valid C2SP signature over the checkpoint `body` by the node key of the
   * organisation it names (checked with node:crypto: this runs for every peer, every block).
   */
  checkpointLineVerifies(body: string, line: string): boolean {
    const m = /^\u2014 (\S+) (\S+)\n$/u.exec(line);
    if (!m) return false;
    const nodeKey = this.registry.governance.nodeKey((k) => this.stateGet(k), m[1]!);
    if (!nodeKey) return false;
    let raw: Uint8Array;
    try {
      raw = fromBase64(m[2]!);
    } catch {
      return false;
    }
    const keyId = noteKeyId(m[1]!, fromHex(nodeKey, 32));
    if (raw.length !== 68 || !equalBytes(raw.subarray(0, 4), keyId)) return false;
    return verifyHex(nodeKey, body, toHex(raw.subarray(4)));
  }

  checkpoint(): { size: number; root: Uint8Array; note: string } {
    // The newest checkpoint signed by the policy's quorum of organisations: a final one.
    const quorum = this.policy().quorum;
    for (const row of this.st.recentCheckpoints.all()) {
      const c = { ...row, note: this.cosigned.get(row.size) ?? row.note };
      if (c.note.split('\n\u2014 ').length - 1 >= quorum) return c;
    }
    const c = this.st.lastCheckpoint.get();
    if (!c) throw new AidError('UNAVAILABLE', 'no checkpoint yet');
    return c;
  }

  private checkRange(n: number, what: string, max: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > max) {
      throw new AidError('BAD_REQUEST', `${what} must be an integer from 0 to ${max}`);
    }
  }

  rootAt(size: number): Uint8Array {
    this.checkRange(size, 'size', this.size);
    return rootAt(this.tree, size, fastSha256);
  }

  inclusionProof(index: number, size: number): { leafHash: Uint8Array; proof: Uint8Array[] } {
    this.checkRange(size, 'size', this.size);
    if (size === 0 || !Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new AidError('BAD_REQUEST', 'index must be below size');
    }
    return {
      leafHash: this.tree.node(0, index),
      proof: inclusionProof(this.tree, index, size, fastSha256),
    };
  }

  consistencyProof(first: number, second: number): Uint8Array[] {
    this.checkRange(second, 'second', this.size);
    this.checkRange(first, 'first', second);
    return consistencyProof(this.tree, first, second, fastSha256);
  }

  /** A receipt for a committed transaction against the newest checkpoint. */
  receipt(id: string): Receipt | undefined {
    const row = this.st.getTx.get(Buffer.from(id, 'hex'));
    if (!row) return undefined;
    const cp = this.checkpoint();
    const bytes = this.st.getLeaf.get(row.leaf)!;
    return {
      format: RECEIPT_FORMAT,
      txid: id,
      index: row.leaf,
      leaf: toBase64(bytes),
      proof: inclusionProof(this.tree, row.leaf, cp.size, fastSha256).map(toHex),
      checkpoint: cp.note,
    };
  }

  /** The private part of a transaction, if this node holds it and it was not erased. */
  privatePart(id: string): { salt: string; facts: unknown } | undefined {
    const r = this.st.getPrivate.get(Buffer.from(id, 'hex'));
    return r ? { salt: r.salt.toString('hex'), facts: JSON.parse(r.facts) } : undefined;
  }

  /** Erases a private part (right to erasure); the log and its commitment stay. */
  erasePrivate(id: string): boolean {
    return this.st.delPrivate.run(Buffer.from(id, 'hex')).changes > 0;
  }
}

interface PendingLeaf {
  text: string;
  item: AdmittedItem;
  writes: Map<string, string | null>;
  ok: boolean;
}

function prepare(db: Database.Database) {
  return {
    maxLeaf: db.prepare<[], number | null>('SELECT max(idx) FROM leaves').pluck(),
    lastBlock: db.prepare<[], BlockRow>('SELECT * FROM blocks ORDER BY height DESC LIMIT 1'),
    getBlock: db.prepare<[number], BlockRow>('SELECT * FROM blocks WHERE height = ?'),
    blockRange: db.prepare<[number, number], BlockRow>(
      'SELECT * FROM blocks WHERE height >= ? ORDER BY height LIMIT ?',
    ),
    scanState: db.prepare<[string, string, number], { key: string; value: string }>(
      'SELECT key, value FROM state WHERE key >= ? AND key < ? ORDER BY key LIMIT ?',
    ),
    putLeaf: db.prepare<[number, Buffer]>('INSERT INTO leaves (idx, data) VALUES (?, ?)'),
    getLeaf: db.prepare<[number], Buffer>('SELECT data FROM leaves WHERE idx = ?').pluck(),
    leafRange: db
      .prepare<[number, number], Buffer>(
        'SELECT data FROM leaves WHERE idx >= ? AND idx < ? ORDER BY idx',
      )
      .pluck(),
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
    putTxWrite: db.prepare<[number, number, string, string | null]>(
      'INSERT INTO tx_writes (leaf, seq, key, value) VALUES (?, ?, ?, ?)',
    ),
    putBlock: db.prepare<[Record<string, unknown>]>(
      'INSERT INTO blocks (height, leaf, first, txs, time, protocol, state, hash, proposer, batch, position) VALUES (@height, @leaf, @first, @txs, @time, @protocol, @state, @hash, @proposer, @batch, @position)',
    ),
    getCheckpoint: db.prepare<[number], { size: number; root: Buffer; note: string }>(
      'SELECT size, root, note FROM checkpoints WHERE size = ?',
    ),
    recentCheckpoints: db.prepare<[], { size: number; root: Buffer; note: string }>(
      'SELECT size, root, note FROM checkpoints ORDER BY size DESC LIMIT 256',
    ),
    getMeta: db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck(),
    putMeta: db.prepare<[string, string]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    batchBlock: db.prepare<[string], number>('SELECT height FROM blocks WHERE batch = ?').pluck(),
    blocksAfterPosition: db.prepare<[number, number], BlockRow>(
      'SELECT * FROM blocks WHERE position > ? ORDER BY position LIMIT ?',
    ),
    checkpointsBefore: db.prepare<[number, number], { size: number; root: Buffer; note: string }>(
      'SELECT size, root, note FROM checkpoints WHERE size < ? ORDER BY size DESC LIMIT ?',
    ),
    blockAtLeaf: db.prepare<[number], { height: number; leaf: number }>(
      'SELECT height, leaf FROM blocks WHERE leaf >= ? ORDER BY leaf LIMIT 1',
    ),
    lastCheckpoint: db.prepare<[], { size: number; root: Buffer; note: string }>(
      'SELECT size, root, note FROM checkpoints ORDER BY size DESC LIMIT 1',
    ),
    putCheckpoint: db.prepare<[number, Uint8Array, string]>(
      'INSERT INTO checkpoints (size, root, note) VALUES (?, ?, ?)',
    ),
    updateCheckpoint: db.prepare<[string, number]>(
      'UPDATE checkpoints SET note = ? WHERE size = ?',
    ),
  };
}
