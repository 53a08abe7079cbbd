/**
 * The routes of the node itself, below every domain: submissions, the log served the way
 * Certificate Transparency serves one (RFC 9162 entries and proofs, C2SP checkpoints), the block
 * explorer's reads, receipts, the genesis and verifier policy, health, and the batches a peer
 * node catches up from.
 */
import { z } from 'zod';
import {
  BlockDetailSchema,
  BlocksPageSchema,
  CheckpointsPageSchema,
  ConsistencyProofSchema,
  InclusionProofSchema,
  LogEntriesSchema,
  LogEntrySchema,
  OutcomeSchema,
  TxViewSchema,
} from '../chain/explorer-types.js';
import { GenesisSchema, ProtocolStepSchema } from '../chain/genesis.js';
import { PolicySchema } from '../chain/policy.js';
import { ReceiptSchema } from '../chain/receipt.js';
import { SubmissionSchema } from '../chain/tx.js';
import { toBase64, toHex } from '../core/bytes.js';
import { AidError } from '../core/errors.js';
import { LATEST_PROTOCOL } from '../domains/protocols.js';
import type { CommitOutcome } from '../runtime/ledger.js';
import { hexParam, Reply, route, uintParam, type Route } from '../runtime/routes.js';
import type { AidNode } from '../node/node.js';

const page = (what: string, dflt: number) =>
  uintParam(what, 1, 100).default(dflt).describe(`1 to 100 (default ${dflt})`);

/** `value`, unless there is none. @throws AidError NOT_FOUND. */
function found<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new AidError('NOT_FOUND', message);
  return value;
}

/** The organisation ids whose signature lines a checkpoint note carries (claimed, not verified). */
function noteSigners(note: string): string[] {
  const names: string[] = [];
  for (const m of note.matchAll(/^\u2014 (\S+) \S+$/gmu)) names.push(m[1]!);
  return names;
}

function outcomes(list: CommitOutcome[]) {
  return list.map((o) => ({
    id: o.id,
    height: o.height,
    index: o.index,
    result: o.result,
    ...(o.duplicate ? { duplicate: true } : {}),
  }));
}

const submitRefusals = {
  400: 'malformed, non-canonical, wrong chain, unknown type or stale time; for a batch, details.index names the submission',
  401: 'BAD_SIGNATURE',
  403: 'UNKNOWN_KEY or KEY_REVOKED',
  413: 'TOO_LARGE or TOO_MANY (also a second account registration)',
  415: 'not application/json',
  422: 'COMMITMENT_MISMATCH or PRIVATE_MISSING',
  429: "RATE_LIMITED: a spam limit (registrations, an applicant's refusals); Retry-After",
  503: 'UNAVAILABLE: the node stopped committing',
};

const HealthSchema = z
  .object({
    ok: z.boolean(),
    code: z.string().exactOptional().describe('why the node stopped committing'),
    fault: z.string().exactOptional(),
    diverged: z.array(z.unknown()).exactOptional().describe('peers whose checkpoints differ'),
    chain: z.string(),
    org: z.string(),
    height: z.number().int(),
    size: z.number().int(),
    protocol: z.object({
      next: z.number().int().describe('the protocol version of the next block'),
      schedule: z
        .array(ProtocolStepSchema)
        .describe('the genesis schedule, then the steps adopted by vote'),
      known: z.number().int().describe('the newest protocol version this build runs'),
    }),
  })
  .meta({ id: 'Health' });

/** The node's own routes. */
export function logRoutes(node: AidNode): Route[] {
  const ledger = node.ledger;
  const submit = async (text: string | undefined, many: boolean, client: string) => {
    if (text === undefined)
      throw new AidError('MALFORMED', 'send the submission as application/json');
    // The address counts against the registration limits; it is never logged.
    return outcomes(await node.submit(text, many, { client }));
  };
  return [
    route({
      id: 'submitTx',
      method: 'POST',
      path: '/v1/tx',
      summary:
        'Submit one signed transaction (with its private part beside it); answered once committed',
      bodyText: SubmissionSchema,
      bodyLimit: 256 * 1024,
      response: OutcomeSchema,
      errors: submitRefusals,
      handler: async (req) => (await submit(req.text, false, req.client))[0]!,
    }),
    route({
      id: 'submitTxs',
      method: 'POST',
      path: '/v1/txs',
      summary: 'Submit up to 1,000 signed transactions; all are admitted or none',
      bodyText: z.array(SubmissionSchema).max(1000),
      bodyLimit: 32 * 1024 * 1024,
      response: z.object({ results: z.array(OutcomeSchema) }),
      errors: submitRefusals,
      handler: async (req) => ({ results: await submit(req.text, true, req.client) }),
    }),
    route({
      id: 'health',
      method: 'GET',
      path: '/v1/health',
      summary:
        'Liveness, height and size, and the protocol: the version of the next block, the schedule (genesis, then steps adopted by vote) and the newest version this build runs',
      response: HealthSchema,
      alsoAnswers: { 503: 'the node stopped committing: ok is false, code and fault say why' },
      handler: () => {
        const h = node.healthy;
        return new Reply(h.ok ? 200 : 503, {
          ...h,
          chain: ledger.chain,
          org: node.org,
          height: ledger.height,
          size: ledger.size,
          // Which contract code runs next, what is scheduled, and the newest this build has: an
          // operator sees an adopted step coming before the node reaches it.
          protocol: {
            next: ledger.protocolVersionAt(ledger.height + 1),
            schedule: [...ledger.genesis.protocol, ...ledger.adoptedProtocol()],
            known: LATEST_PROTOCOL,
          },
        });
      },
    }),
    route({
      id: 'genesis',
      method: 'GET',
      path: '/v1/genesis',
      summary: 'The genesis document; its hash is block 0 prev',
      response: GenesisSchema,
      handler: () => ledger.genesis,
    }),
    route({
      id: 'policy',
      method: 'GET',
      path: '/v1/policy',
      summary: 'The verifier policy: checkpoint signers and quorum',
      response: PolicySchema,
      handler: () => ledger.policy(),
    }),
    route({
      id: 'getTx',
      method: 'GET',
      path: '/v1/tx/{id}',
      summary: 'A committed transaction with its result, block height and log index',
      params: z.object({ id: hexParam('a transaction id') }),
      response: TxViewSchema,
      errors: { 404: 'unknown id' },
      handler: (req) => found(ledger.tx(req.params.id), 'no such transaction'),
    }),
    route({
      id: 'getBlock',
      method: 'GET',
      path: '/v1/blocks/{height}',
      summary: 'One block with its transactions',
      params: z.object({ height: uintParam('height') }),
      response: BlockDetailSchema,
      errors: { 404: 'no such block' },
      handler: (req) => {
        const h = req.params.height;
        const b = found(ledger.block(h), `no block ${h}`);
        return { ...b, transactions: ledger.blockTxs(h) };
      },
    }),
    route({
      id: 'listBlocks',
      method: 'GET',
      path: '/v1/blocks',
      summary: 'Blocks from a height, in order',
      query: z.object({
        from: uintParam('from').default(0).describe('first height (default 0)'),
        limit: page('limit', 20),
      }),
      response: BlocksPageSchema,
      handler: (req) => ({
        height: ledger.height,
        blocks: ledger.blocks(req.query.from, req.query.limit),
      }),
    }),
    route({
      id: 'getLogEntry',
      method: 'GET',
      path: '/v1/log/entries/{index}',
      summary:
        'What sits at a log index: a transaction (its id and block) or the closing leaf of a block',
      params: z.object({ index: uintParam('index') }),
      response: LogEntrySchema,
      errors: { 404: 'at or beyond the log size' },
      handler: (req) => {
        const index = req.params.index;
        return found(ledger.entryAt(index), `no log entry ${index} (the log has ${ledger.size})`);
      },
    }),
    route({
      id: 'listCheckpoints',
      method: 'GET',
      path: '/v1/checkpoints',
      summary:
        'Checkpoints this node signed (one per block), newest first, with the cosignatures gathered',
      query: z.object({
        before: uintParam('before')
          .default(Number.MAX_SAFE_INTEGER)
          .describe('only sizes below this (default: all)'),
        limit: page('limit', 20),
      }),
      response: CheckpointsPageSchema,
      handler: (req) => ({
        size: ledger.size,
        checkpoints: ledger.log.checkpoints(req.query.before, req.query.limit).map((c) => ({
          size: c.size,
          root: toHex(c.root),
          signers: noteSigners(c.note),
          note: c.note,
        })),
      }),
    }),
    route({
      id: 'checkpoint',
      method: 'GET',
      path: '/v1/log/checkpoint',
      summary: 'The latest signed checkpoint (C2SP tlog-checkpoint in a signed note)',
      response: z.string().describe('the signed note'),
      type: 'text/plain; charset=utf-8',
      handler: () => ledger.log.checkpoint().note,
    }),
    route({
      id: 'logEntries',
      method: 'GET',
      path: '/v1/log/entries',
      summary: 'Exact leaf bytes (base64) for start <= i < end; a page may be shorter',
      query: z.object({
        start: uintParam('start').describe('first index'),
        end: uintParam('end').describe('one past the last index'),
      }),
      response: LogEntriesSchema,
      errors: { 400: 'bad range: end not above start, or start at or beyond the log size' },
      handler: (req) => {
        const { start, end } = req.query;
        if (end <= start) throw new AidError('BAD_REQUEST', 'end must exceed start');
        if (start >= ledger.size)
          throw new AidError('BAD_REQUEST', `start must be below the log size ${ledger.size}`);
        return { entries: ledger.log.leaves(start, end, 1000).map((b) => toBase64(b)) };
      },
    }),
    route({
      id: 'inclusionProof',
      method: 'GET',
      path: '/v1/log/proof/inclusion',
      summary: 'RFC 9162 inclusion proof',
      query: z.object({
        index: uintParam('index').describe('leaf index'),
        size: uintParam('size').describe('tree size'),
      }),
      response: InclusionProofSchema,
      errors: { 400: 'index >= size, size beyond the log, or not an integer' },
      handler: (req) => {
        const { index, size } = req.query;
        const p = ledger.log.inclusionProof(index, size);
        return { index, size, leafHash: toHex(p.leafHash), proof: p.proof.map(toHex) };
      },
    }),
    route({
      id: 'consistencyProof',
      method: 'GET',
      path: '/v1/log/proof/consistency',
      summary: 'RFC 9162 consistency proof',
      query: z.object({
        first: uintParam('first').describe('older tree size'),
        second: uintParam('second').describe('newer tree size'),
      }),
      response: ConsistencyProofSchema,
      errors: { 400: 'first > second, second beyond the log, or not an integer' },
      handler: (req) => {
        const { first, second } = req.query;
        return { first, second, proof: ledger.log.consistencyProof(first, second).map(toHex) };
      },
    }),
    route({
      id: 'receipt',
      method: 'GET',
      path: '/v1/receipt/{txid}',
      summary: 'A receipt: the leaf, its inclusion proof and the latest signed checkpoint',
      params: z.object({ txid: hexParam('a transaction id') }),
      response: ReceiptSchema,
      errors: { 404: 'unknown transaction' },
      handler: (req) => found(ledger.receipt(req.params.txid), 'no such transaction'),
    }),
    // A node that was away longer than etcd keeps batches catches up from a peer's blocks.
    route({
      id: 'clusterBatches',
      method: 'GET',
      path: '/v1/cluster/batches',
      summary:
        'For the consortium’s nodes (signed in with a node key): the batches this node applied after an ordering position, with their private parts, so a node that was away longer than etcd keeps batches can catch up',
      access: 'node',
      query: z.object({
        after: uintParam('after')
          .default(0)
          .describe('ordering position (etcd revision) already applied'),
        limit: page('limit', 20),
      }),
      response: z.object({
        batches: z.array(
          z.object({
            position: z.number().int(),
            id: z.string(),
            proposer: z.string(),
            time: z.number().int(),
            items: z
              .array(z.unknown())
              .describe('each {tx, private?}: a transaction and, if it has one, its private part'),
          }),
        ),
      }),
      errors: { 503: 'a private part was erased here' },
      handler: (req) => ({ batches: ledger.batchesAfter(req.query.after, req.query.limit) }),
    }),
  ];
}
