/**
 * `aidledger verify --dir`: everything a node's own file can be checked for. Every leaf's encoding,
 * transaction id and signature; every private part against its commitment; every block re-executed
 * with the protocol version of its height into a fresh state, its results and state digest
 * compared; block chaining and times; the Merkle tree and every signed checkpoint; and the stored
 * state against the replayed one. The first problem is reported with its block height.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { genesisHash, parseGenesis, protocolAt, type Genesis } from '../chain/genesis.js';
import {
  blockLinkProblem,
  parseLeaf,
  resultJson,
  type BlockLeaf,
  type TxLeaf,
} from '../chain/leaf.js';
import { commitmentOfText, signingTextOf, txIdOf } from '../chain/tx.js';
import type { TxId } from '../chain/schemas.js';
import { equalBytes, fromHex, toHex } from '../core/bytes.js';
import { parseJson } from '../core/canonical.js';
import { AidError } from '../core/errors.js';
import { leafHash, MerkleAccumulator, nodeHash } from '../core/merkle.js';
import { parseCheckpoint, parseNote, parseVerifierKey, verifiedSigners } from '../core/note.js';
import type { Secrets } from './contract.js';
import { NO_SECRETS } from './secrets.js';
import { proveAhead } from './admission.js';
import { executeBlock, type BlockEntry, type TxWrites } from './block.js';
import { ZERO_DIGEST } from './digest.js';
import type { AdmittedItem } from './execute.js';
import type { ProtocolRegistry } from './registry.js';
import { fastSha256 } from './node-hash.js';
import { Overlay } from './overlay.js';
import { SigPool } from './sig-pool.js';
import { openDatabase, type BlockRow } from './store.js';
import { CACHE_CHARS, StateTable } from './state-table.js';

export interface VerifyReport {
  blocks: number;
  txs: number;
  leaves: number;
  refused: number;
  /** Transactions whose private part was erased: replayed from their recorded writes. */
  erased: number;
  root: string;
  state: string;
}

export interface VerifyOptions {
  /** The contract code of each protocol version and the governance the log reads. */
  registry: ProtocolRegistry;
  /** The consortium secret, needed to re-run transactions whose private parts are kept. */
  secrets?: Secrets;
  onProgress?: (leaves: number, total: number) => void;
  sigWorkers?: number;
}

/** How many blocks are read and checked on the pool ahead of the one executing. */
const READ_AHEAD = 2;

class VerifyError extends AidError {
  constructor(height: number, what: string) {
    super('VERIFY_FAILED', `block ${height}: ${what}`, { details: { height } });
  }
}

interface PendingBlock {
  height: number;
  txs: { index: number; id: TxId; text: string; leaf: TxLeaf; leafText: string }[];
  block: BlockLeaf;
  blockBytes: Buffer;
  sigs: Promise<boolean[]>;
  /** What the executor runs, once the proofs its actions will ask for were made on the pool. */
  entries: Promise<BlockEntry[]>;
}

/** Verifies the ledger file at `path`. @throws AidError VERIFY_FAILED naming the first bad block. */
export async function verifyLedgerFile(path: string, opts: VerifyOptions): Promise<VerifyReport> {
  return (await recordTxWrites(path, opts, new Set())).report;
}

/**
 * Verifies the ledger file at `path` as `verifyLedgerFile` does, and records the writes each
 * transaction of `record` made as the replay executed it: what a replay applies in its place
 * once its private part is erased (`runtime/erase.ts`). A transaction of `record` whose part
 * was erased already, or that is not in the log, has no entry.
 * @throws AidError VERIFY_FAILED naming the first bad block.
 */
export async function recordTxWrites(
  path: string,
  opts: VerifyOptions,
  record: ReadonlySet<string>,
): Promise<{ report: VerifyReport; writes: Map<string, TxWrites> }> {
  const db = openDatabase(path, { readonly: true });
  const scratch = mkdtempSync(join(tmpdir(), 'aidledger-verify-'));
  const replay = new Database(join(scratch, 'state.sqlite'));
  // The replay state is private to this process: no journal, no syncing, no file locking.
  replay.pragma('journal_mode = OFF');
  replay.pragma('synchronous = OFF');
  replay.pragma('locking_mode = EXCLUSIVE');
  // 8 MB of page cache: the replay's inserts walk the state B-tree in key order per block, and a
  // larger cache bought no speed on a 1M-transaction ledger (104–108 s either way) but 12 MB of RSS.
  replay.pragma('cache_size = -8000');
  replay.exec('CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
  const pool = new SigPool(opts.sigWorkers, opts.registry);
  try {
    const writes = new Map<string, TxWrites>();
    const report = await run(db, replay, pool, opts, record, writes);
    return { report, writes };
  } finally {
    await pool.close();
    db.close();
    replay.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function run(
  db: Database.Database,
  replay: Database.Database,
  pool: SigPool,
  opts: VerifyOptions,
  record: ReadonlySet<string>,
  captured: Map<string, TxWrites>,
): Promise<VerifyReport> {
  const genesisText = db
    .prepare<[], string>("SELECT value FROM meta WHERE key = 'genesis'")
    .pluck()
    .get();
  if (genesisText === undefined)
    throw new AidError('VERIFY_FAILED', 'no genesis in the ledger file');
  const genesis: Genesis = parseGenesis(parseJson(genesisText));
  const total = db.prepare<[], number>('SELECT count(*) FROM leaves').pluck().get() ?? 0;

  // A transaction writes a few keys: size the replay's filter for the whole log at once. A replay
  // reads each block's state once, with no cases in flight between blocks: half a node’s
  // cache keeps its reads as fast, and `verify` beside two files within its memory.
  const replayState = new StateTable(replay, total * 4, CACHE_CHARS / 2);
  const replayScan = replay.prepare<[string, string], { key: string; value: string }>(
    'SELECT key, value FROM state WHERE key >= ? AND key < ? ORDER BY key',
  );
  const governance = opts.registry.governance;
  /** The node keys the replayed membership names, to check each signed checkpoint against. */
  const policyKeys = () =>
    governance
      .policy(
        genesis.chain,
        (k) => replayState.get(k),
        (prefix) => replayScan.all(prefix, prefix + '\uffff'),
      )
      .signers.map((x) => parseVerifierKey(x.vkey));
  const applyWrites = replay.transaction((w: Map<string, string | null>, keys: string[]) =>
    replayState.write(w, keys),
  );
  // One read transaction over the whole ledger file: a consistent view, and no lock taken and
  // released around every read.
  db.exec('BEGIN');
  const getBlockRow = db.prepare<[number], BlockRow>('SELECT * FROM blocks WHERE height = ?');
  const getTx = db.prepare<[Buffer], { leaf: number; height: number }>(
    'SELECT leaf, height FROM txs WHERE id = ?',
  );
  const getPrivate = db.prepare<[Buffer], { salt: Buffer; facts: string }>(
    'SELECT salt, facts FROM private_parts WHERE txid = ?',
  );
  const getWrites = db.prepare<[number], { key: string; value: string | null }>(
    'SELECT key, value FROM tx_writes WHERE leaf = ? ORDER BY seq',
  );
  const checkpoints = db
    .prepare<[], { size: number; root: Buffer; note: string }>(
      'SELECT size, root, note FROM checkpoints ORDER BY size',
    )
    .all();
  const blockCount = db.prepare<[], number>('SELECT count(*) FROM blocks').pluck().get() ?? 0;
  let cpAt = 0;

  const acc = new MerkleAccumulator(fastSha256);
  const txIndex = new TxIndexCheck();
  const nodeCheck = new NodeChecker(db);
  let prevHash = fromHex(genesisHash(genesis), 32);
  let prevState: Uint8Array = ZERO_DIGEST;
  let prevTime = -1;
  let height = 0;
  let txs = 0;
  let refused = 0;
  let erased = 0;

  // Leaves are read in one pass; each block's signatures are checked on the worker pool while
  // the block before it is executed.
  // Paged rather than iterated: better-sqlite3 allows no other statement on a connection while
  // an iterator is open on it.
  const pageStmt = db.prepare<[number], { idx: number; data: Buffer }>(
    'SELECT idx, data FROM leaves WHERE idx >= ? ORDER BY idx LIMIT 4096',
  );
  let page: { idx: number; data: Buffer }[] = [];
  let pageAt = 0;
  const iter = {
    next():
      { done: true; value?: undefined } | { done: false; value: { idx: number; data: Buffer } } {
      if (pageAt >= page.length) {
        page = pageStmt.all(expectIdx);
        pageAt = 0;
        if (page.length === 0) return { done: true };
      }
      return { done: false, value: page[pageAt++]! };
    },
  };
  let expectIdx = 0;
  const readBlock = (h: number): PendingBlock | undefined => {
    const list: PendingBlock['txs'] = [];
    for (;;) {
      const n = iter.next();
      if (n.done) {
        if (list.length > 0) throw new VerifyError(h, 'the log ends inside a block');
        return undefined;
      }
      const { idx, data } = n.value;
      if (idx !== expectIdx) throw new VerifyError(h, `log index ${expectIdx} is missing`);
      expectIdx++;
      const text = data.toString('utf8');
      let leaf;
      try {
        leaf = parseLeaf(text);
      } catch (e) {
        throw new VerifyError(
          h,
          `leaf ${idx} is not a well-formed entry (${(e as Error).message})`,
        );
      }
      if (leaf.kind === 'tx') {
        const txText = text.slice(text.indexOf(',"tx":') + 6, -1);
        const id = txIdOf(txText, fastSha256);
        list.push({ index: idx, id, text: txText, leaf, leafText: text });
      } else {
        const jobs = list.map((t) => ({
          key: t.leaf.tx.signer,
          message: signingTextOf(t.text),
          sig: t.leaf.tx.sig,
        }));
        const sigs = pool.verify(jobs);
        // Checked ahead of the replay: if the replay stops first, the pool's closing fails this
        // check, and that failure is not an error of its own.
        sigs.catch(() => undefined);
        const entries = entriesOf(h, list);
        entries.catch(() => undefined);
        return { height: h, txs: list, block: leaf, blockBytes: data, sigs, entries };
      }
    }
  };

  /**
   * A block's transactions as the executor takes them: each with its private part, checked
   * against its commitment, or the writes it recorded when the part was erased. The proofs of
   * possession they carry are checked on the pool as their signers stand in the replay so far
   * (a block behind: a signer that changed meanwhile is simply checked inline).
   */
  const replayView = new Overlay((k) => replayState.get(k)).readView();
  const entriesOf = (h: number, list: PendingBlock['txs']): Promise<BlockEntry[]> => {
    const items: AdmittedItem[] = [];
    const recorded = new Map<number, BlockEntry>();
    list.forEach((t, i) => {
      const commitment = t.leaf.tx.private?.commitment;
      if (commitment === undefined) {
        items.push({ id: t.id, text: t.text, tx: t.leaf.tx, private: undefined });
        return;
      }
      const p = getPrivate.get(Buffer.from(t.id, 'hex'));
      if (!p) {
        // Erased: the contract cannot be re-run without the facts.
        recorded.set(i, { recorded: getWrites.all(t.index) });
        return;
      }
      const part = {
        salt: p.salt.toString('hex'),
        facts: JSON.parse(p.facts) as Record<string, unknown>,
      };
      if (commitmentOfText(part.salt, p.facts, fastSha256) !== commitment)
        throw new VerifyError(h, `the private part of ${t.id} does not match its commitment`);
      items.push({ id: t.id, text: t.text, tx: t.leaf.tx, private: part });
    });
    const adopted = governance.adoptedSteps(replayState.get(governance.scheduleKey));
    const protocol = opts.registry.get(protocolAt(genesis, h, adopted));
    return proveAhead(
      items,
      protocol,
      genesis.chain,
      (key) => protocol.resolveKey(replayView, key),
      (jobs) => pool.verify(jobs),
    ).then((proven) => {
      let k = 0;
      return list.map((_, i) => recorded.get(i) ?? proven[k++]!);
    });
  };

  // Blocks read ahead, their signatures on the pool while the block before them executes. Two
  // ahead keep the workers busy while this thread parses the next block and executes this one;
  // with one, they idled while it parsed. A problem found ahead is reported only once the blocks
  // before it have passed, so the first bad block is named.
  const queue: PendingBlock[] = [];
  let ahead: unknown;
  let ended = false;
  let toRead = 0;
  for (;;) {
    while (!ended && ahead === undefined && queue.length <= READ_AHEAD) {
      try {
        const p = readBlock(toRead);
        if (p) {
          queue.push(p);
          toRead++;
        } else ended = true;
      } catch (e) {
        ahead = e;
      }
    }
    const b = queue.shift();
    if (!b) break;
    const row = getBlockRow.get(height);
    if (!row) throw new VerifyError(height, 'block row is missing');
    const problem = blockLinkProblem(
      { height, prev: toHex(prevHash), time: prevTime },
      b.block,
      b.txs.length,
    );
    if (problem) throw new VerifyError(height, problem);
    const adopted = governance.adoptedSteps(replayState.get(governance.scheduleKey));
    const version = protocolAt(genesis, height, adopted);
    if (b.block.protocol !== version)
      throw new VerifyError(
        height,
        `executed under protocol ${b.block.protocol}, the schedule says ${version}`,
      );
    const protocol = opts.registry.get(version);
    const entries = await b.entries;
    for (const e of entries) if ('recorded' in e) erased++;

    const overlay = new Overlay((k) => replayState.get(k));
    const run = executeBlock(
      {
        protocol,
        previous: height === 0 ? undefined : protocolAt(genesis, height - 1, adopted),
        height,
        time: b.block.time,
        genesis,
        secrets: opts.secrets ?? NO_SECRETS,
        scan: (prefix) => replayScan.all(prefix, prefix + '\uffff'),
        prevState,
      },
      overlay,
      entries,
    );
    b.txs.forEach((t, i) => {
      const result = run.results[i];
      if (result !== undefined && resultJson(result) !== resultJson(t.leaf.result)) {
        throw new VerifyError(
          height,
          `transaction ${t.id} re-executes to ${resultJson(result)}, the log says ${resultJson(t.leaf.result)}`,
        );
      }
      if (result !== undefined && record.has(t.id))
        captured.set(t.id, {
          leaf: t.index,
          writes: [...run.writes[i]!].map(([key, value]) => ({ key, value })),
        });
      txIndex.add(t.id, t.index, height);
      if (!t.leaf.result.ok) refused++;
      nodeCheck.append(acc, leafHash(Buffer.from(t.leafText, 'utf8'), fastSha256));
      txs++;
    });
    const { keys, state: digest } = run;
    if (toHex(digest) !== b.block.state)
      throw new VerifyError(height, 'state digest differs from re-execution');
    if (!equalBytes(row.state, digest))
      throw new VerifyError(height, 'stored state digest differs');
    const ok = await b.sigs;
    const bad = ok.indexOf(false);
    if (bad >= 0)
      throw new VerifyError(
        height,
        `signature of the transaction at leaf ${b.txs[bad]!.index} does not verify`,
      );
    applyWrites(overlay.writes, keys);
    replayState.committed(overlay.writes);

    const bh = leafHash(b.blockBytes, fastSha256);
    if (!equalBytes(row.hash, bh))
      throw new VerifyError(height, 'stored block hash differs from its leaf');
    nodeCheck.append(acc, bh);
    nodeCheck.check(height);
    while (cpAt < checkpoints.length && checkpoints[cpAt]!.size <= acc.size) {
      const cp = checkpoints[cpAt++]!;
      if (cp.size !== acc.size)
        throw new VerifyError(height, `a checkpoint of size ${cp.size} ends inside a block`);
      checkCheckpoint(cp, acc.root(), genesis.chain, policyKeys(), height);
    }
    prevHash = bh;
    prevState = digest;
    prevTime = b.block.time;
    height++;
    opts.onProgress?.(acc.size, total);
  }
  if (ahead !== undefined) throw ahead;
  if (!txIndex.matches(db)) {
    // The index of transaction ids differs somewhere: walk the log again to name the first
    // transaction it misplaces.
    const leafRange = db
      .prepare<[number, number], Buffer>(
        'SELECT data FROM leaves WHERE idx >= ? AND idx < ? ORDER BY idx',
      )
      .pluck();
    for (let h = 0; h < height; h++) {
      const row = getBlockRow.get(h)!;
      const leaves = leafRange.all(row.first, row.leaf);
      for (let i = 0; i < leaves.length; i++) {
        const text = leaves[i]!.toString('utf8');
        const id = txIdOf(text.slice(text.indexOf(',"tx":') + 6, -1), fastSha256);
        const at = getTx.get(Buffer.from(id, 'hex'));
        if (!at || at.leaf !== row.first + i || at.height !== h) {
          throw new VerifyError(h, `transaction ${id} is not indexed at leaf ${row.first + i}`);
        }
      }
    }
    throw new VerifyError(
      height - 1,
      'the transaction index holds entries that are not in the log',
    );
  }
  if (acc.size !== total) throw new VerifyError(height, 'leaves after the last block');
  if (height !== blockCount)
    throw new VerifyError(height, `${blockCount} block rows, ${height} blocks in the log`);
  compareState(db, replay, height - 1);
  return {
    blocks: height,
    txs,
    leaves: acc.size,
    refused,
    erased,
    root: toHex(acc.root()),
    state: toHex(prevState),
  };
}

/**
 * Checks the index of transaction ids (id → leaf, height) without a random read per
 * transaction: an order-independent sum of SHA-256(id, leaf, height) over the log, in eight
 * 32-bit lanes, is compared with the same sum over one sequential scan of the index.
 */
class TxIndexCheck {
  private readonly sum = new Uint32Array(8);
  private count = 0;

  private static fold(sum: Uint32Array, id: Buffer, leaf: number, height: number): void {
    const b = Buffer.allocUnsafe(48);
    id.copy(b, 0);
    b.writeUIntBE(leaf, 32, 6);
    b.writeUIntBE(0, 38, 2);
    b.writeUIntBE(height, 40, 6);
    b.writeUIntBE(0, 46, 2);
    const h = fastSha256(b);
    for (let i = 0; i < 8; i++)
      sum[i] =
        (sum[i]! +
          ((h[i * 4]! << 24) | (h[i * 4 + 1]! << 16) | (h[i * 4 + 2]! << 8) | h[i * 4 + 3]!)) >>>
        0;
  }

  add(id: string, leaf: number, height: number): void {
    const raw = Buffer.from(id, 'hex');
    TxIndexCheck.fold(this.sum, raw, leaf, height);
    this.count++;
  }

  matches(db: Database.Database): boolean {
    const sum = new Uint32Array(8);
    let n = 0;
    const rows = db.prepare<[], { id: Buffer; leaf: number; height: number }>(
      'SELECT id, leaf, height FROM txs',
    );
    for (const r of rows.iterate()) {
      TxIndexCheck.fold(sum, r.id, r.leaf, r.height);
      n++;
    }
    return n === this.count && sum.every((x, i) => x === this.sum[i]);
  }
}

/**
 * Compares every recomputed perfect subtree above the leaves with the stored one used to serve
 * proofs (leaf hashes are not stored: they are recomputed from the leaves themselves). The nodes
 * a block completes are read back with one range query per level.
 */
class NodeChecker {
  private readonly edge: { level: number; hash: Uint8Array }[] = [];
  private count = 0;
  private readonly made = new Map<number, { first: number; hashes: Uint8Array[] }>();
  private readonly range: Database.Statement<[number, number], Buffer>;

  constructor(db: Database.Database) {
    this.range = db
      .prepare<[number, number], Buffer>(
        'SELECT hash FROM nodes WHERE id >= ? AND id < ? ORDER BY id',
      )
      .pluck();
  }

  append(acc: MerkleAccumulator, lh: Uint8Array): void {
    acc.appendLeafHash(lh);
    let node = { level: 0, hash: lh };
    let index = this.count;
    while (this.edge.length > 0 && this.edge[this.edge.length - 1]!.level === node.level) {
      const left = this.edge.pop()!;
      node = { level: node.level + 1, hash: nodeHash(left.hash, node.hash, fastSha256) };
      index = (index - 1) / 2;
      const list = this.made.get(node.level);
      if (list) list.hashes.push(node.hash);
      else this.made.set(node.level, { first: index, hashes: [node.hash] });
    }
    this.edge.push(node);
    this.count++;
  }

  /** Checks the nodes made since the last call against the stored ones. */
  check(height: number): void {
    for (const [level, { first, hashes }] of this.made) {
      const base = level * 2 ** 40 + first;
      const stored = this.range.all(base, base + hashes.length);
      for (let i = 0; i < hashes.length; i++) {
        const s = stored[i];
        if (!s || !equalBytes(s, hashes[i]!)) {
          throw new VerifyError(height, `stored tree node ${level}/${first + i} is wrong`);
        }
      }
    }
    this.made.clear();
  }
}

function checkCheckpoint(
  cp: { size: number; root: Buffer; note: string },
  root: Uint8Array,
  chain: string,
  verifiers: ReturnType<typeof parseVerifierKey>[],
  height: number,
): void {
  if (!equalBytes(cp.root, root))
    throw new VerifyError(
      height,
      `the signed checkpoint of size ${cp.size} has another root than the log`,
    );
  let body;
  let note;
  try {
    note = parseNote(cp.note);
    body = parseCheckpoint(note.text);
  } catch {
    throw new VerifyError(height, `checkpoint of size ${cp.size} is malformed`);
  }
  if (body.origin !== chain || body.size !== cp.size || !equalBytes(body.root, root)) {
    throw new VerifyError(height, `checkpoint note of size ${cp.size} does not match the log`);
  }
  if (verifiedSigners(note, verifiers).size === 0) {
    throw new VerifyError(
      height,
      `checkpoint of size ${cp.size} carries no valid member signature`,
    );
  }
}

function compareState(db: Database.Database, replay: Database.Database, height: number): void {
  const a = db
    .prepare<[], { key: string; value: string }>('SELECT key, value FROM state ORDER BY key')
    .iterate();
  const b = replay
    .prepare<[], { key: string; value: string }>('SELECT key, value FROM state ORDER BY key')
    .iterate();
  try {
    for (;;) {
      const x = a.next();
      const y = b.next();
      if (x.done && y.done) return;
      if (x.done || y.done || x.value.key !== y.value.key || x.value.value !== y.value.value) {
        const key = x.done ? (y.value as { key: string }).key : x.value.key;
        throw new VerifyError(height, `stored state differs from the replayed state at ${key}`);
      }
    }
  } finally {
    // An open iterator keeps its connection busy and would stop it from closing.
    a.return?.();
    b.return?.();
  }
}
