/** The OpenAPI 3.1 document served at `GET /v1/openapi.json`, with schemas from the wire types. */
import { z } from 'zod';
import { BlockLeafSchema, TxResultSchema } from '../chain/leaf.js';
import { PolicySchema } from '../chain/policy.js';
import { ReceiptSchema } from '../chain/receipt.js';
import { SignedTxSchema, SubmissionSchema } from '../chain/tx.js';
import { actionSchemas, aidPaths, bearerScheme } from '../domains/aid/openapi.js';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' });

const errorRef = { $ref: '#/components/schemas/Error' };
const err = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorRef } },
});
const json = (description: string, s: object) => ({
  description,
  content: { 'application/json': { schema: s } },
});
const intParam = (name: string, description: string, required = true) => ({
  name,
  in: 'query',
  required,
  description,
  schema: { type: 'integer', minimum: 0 },
});

const outcome = {
  type: 'object',
  required: ['id', 'height', 'index', 'result'],
  properties: {
    id: { type: 'string', description: 'transaction id (hex SHA-256 of its RFC 8785 bytes)' },
    height: { type: 'integer' },
    index: { type: 'integer', description: 'log index of its leaf' },
    result: { $ref: '#/components/schemas/TxResult' },
    duplicate: {
      type: 'boolean',
      description: 'already committed before; this is the original outcome',
    },
  },
};

export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'AidLedger node API',
      version,
      description:
        'A permissioned ledger for medical aid. Submissions must be RFC 8785 canonical JSON. Errors are {"error":{"code","message","details"}}.',
    },
    paths: {
      '/v1/tx': {
        post: {
          summary:
            'Submit one signed transaction (with its private part beside it); answered once committed',
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/Submission' } },
            },
          },
          responses: {
            200: json('committed', outcome),
            400: err('malformed, non-canonical, wrong chain, unknown type or stale time'),
            401: err('BAD_SIGNATURE'),
            403: err('UNKNOWN_KEY'),
            413: err('TOO_LARGE'),
            422: err('COMMITMENT_MISMATCH or PRIVATE_MISSING'),
            429: err(
              "RATE_LIMITED: a spam limit (registrations, an applicant's refusals); Retry-After",
            ),
          },
        },
      },
      '/v1/txs': {
        post: {
          summary: 'Submit up to 1,000 signed transactions; all are admitted or none',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'array',
                  maxItems: 1000,
                  items: { $ref: '#/components/schemas/Submission' },
                },
              },
            },
          },
          responses: {
            200: json('committed', {
              type: 'object',
              properties: { results: { type: 'array', items: outcome } },
            }),
            400: err('refused at admission; details.index names the submission'),
            401: err('BAD_SIGNATURE'),
            403: err('UNKNOWN_KEY'),
            413: err('TOO_LARGE or TOO_MANY (also a second account registration)'),
            422: err('COMMITMENT_MISMATCH or PRIVATE_MISSING'),
            429: err(
              "RATE_LIMITED: a spam limit (registrations, an applicant's refusals); Retry-After",
            ),
          },
        },
      },
      '/v1/tx/{id}': {
        get: {
          summary: 'A committed transaction with its result, block height and log index',
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
            },
          ],
          responses: {
            200: json('the transaction', {
              type: 'object',
              properties: {
                id: { type: 'string' },
                tx: { $ref: '#/components/schemas/SignedTx' },
                result: { $ref: '#/components/schemas/TxResult' },
                height: { type: 'integer' },
                index: { type: 'integer' },
              },
            }),
            400: err('malformed id'),
            404: err('unknown id'),
          },
        },
      },
      '/v1/blocks/{height}': {
        get: {
          summary: 'One block with its transactions',
          parameters: [
            { name: 'height', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
          ],
          responses: {
            200: json('the block', { type: 'object' }),
            400: err('malformed height'),
            404: err('no such block'),
          },
        },
      },
      '/v1/blocks': {
        get: {
          summary: 'Blocks from a height, in order',
          parameters: [
            intParam('from', 'first height', false),
            intParam('limit', 'at most 100', false),
          ],
          responses: {
            200: json('blocks', { type: 'object', properties: { blocks: { type: 'array' } } }),
            400: err('bad parameters'),
          },
        },
      },
      '/v1/log/checkpoint': {
        get: {
          summary: 'The latest signed checkpoint (C2SP tlog-checkpoint in a signed note)',
          responses: {
            200: {
              description: 'checkpoint',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/v1/log/entries': {
        get: {
          summary: 'Exact leaf bytes (base64) for start <= i < end; a page may be shorter',
          parameters: [
            intParam('start', 'first index'),
            intParam('end', 'one past the last index'),
          ],
          responses: {
            200: json('entries', {
              type: 'object',
              properties: { entries: { type: 'array', items: { type: 'string' } } },
            }),
            400: err('bad range'),
          },
        },
      },
      '/v1/log/entries/{index}': {
        get: {
          summary:
            'What sits at a log index: a transaction (its id and block) or the closing leaf of a block',
          parameters: [
            { name: 'index', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
          ],
          responses: {
            200: json('the entry', {
              oneOf: [
                {
                  type: 'object',
                  required: ['index', 'kind', 'id', 'height'],
                  properties: {
                    index: { type: 'integer' },
                    kind: { const: 'tx' },
                    id: { type: 'string', description: 'transaction id' },
                    height: { type: 'integer', description: 'the block it was executed in' },
                  },
                },
                {
                  type: 'object',
                  required: ['index', 'kind', 'height'],
                  properties: {
                    index: { type: 'integer' },
                    kind: { const: 'block' },
                    height: { type: 'integer', description: 'the block this leaf closes' },
                  },
                },
              ],
            }),
            400: err('not a non-negative integer'),
            404: err('at or beyond the log size'),
          },
        },
      },
      '/v1/checkpoints': {
        get: {
          summary:
            'Checkpoints this node signed (one per block), newest first, with the cosignatures gathered',
          parameters: [
            intParam('before', 'only sizes below this (default: all)', false),
            intParam('limit', '1 to 100 (default 20)', false),
          ],
          responses: {
            200: json('checkpoints', {
              type: 'object',
              properties: {
                size: { type: 'integer', description: 'the log size now' },
                checkpoints: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['size', 'root', 'signers', 'note'],
                    properties: {
                      size: { type: 'integer' },
                      root: { type: 'string', description: 'hex Merkle root' },
                      signers: {
                        type: 'array',
                        items: { type: 'string' },
                        description:
                          'names on the signature lines, as claimed: verify the note under the policy to trust them',
                      },
                      note: { type: 'string', description: 'the C2SP signed note' },
                    },
                  },
                },
              },
            }),
            400: err('bad parameters'),
          },
        },
      },
      '/v1/keys/{key}': {
        get: {
          summary:
            'Who signs with a public key: a member (organisation, roles), an applicant account, or a node',
          parameters: [
            {
              name: 'key',
              in: 'path',
              required: true,
              schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
            },
          ],
          responses: {
            200: json('the key holder', {
              type: 'object',
              required: ['key', 'kind', 'status'],
              properties: {
                key: { type: 'string' },
                kind: { enum: ['member', 'applicant', 'node'] },
                member: { type: 'string', description: 'member id <org>/<name>' },
                org: { type: 'string' },
                roles: { type: 'array', items: { type: 'string' } },
                status: {
                  enum: ['active', 'revoked', 'closed'],
                  description: 'revoked: the key was rotated or revoked and signs nothing more',
                },
              },
            }),
            400: err('malformed key'),
            404: err('no one holds this key'),
          },
        },
      },
      '/v1/log/proof/inclusion': {
        get: {
          summary: 'RFC 9162 inclusion proof',
          parameters: [intParam('index', 'leaf index'), intParam('size', 'tree size')],
          responses: {
            200: json('proof', {
              type: 'object',
              properties: {
                index: { type: 'integer' },
                size: { type: 'integer' },
                leafHash: { type: 'string' },
                proof: { type: 'array', items: { type: 'string' } },
              },
            }),
            400: err('index >= size, size beyond the log, or not an integer'),
          },
        },
      },
      '/v1/log/proof/consistency': {
        get: {
          summary: 'RFC 9162 consistency proof',
          parameters: [intParam('first', 'older tree size'), intParam('second', 'newer tree size')],
          responses: {
            200: json('proof', {
              type: 'object',
              properties: {
                first: { type: 'integer' },
                second: { type: 'integer' },
                proof: { type: 'array', items: { type: 'string' } },
              },
            }),
            400: err('first > second, second beyond the log, or not an integer'),
          },
        },
      },
      '/v1/receipt/{txid}': {
        get: {
          summary: 'A receipt: the leaf, its inclusion proof and the latest signed checkpoint',
          parameters: [{ name: 'txid', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            200: json('receipt', { $ref: '#/components/schemas/Receipt' }),
            404: err('unknown transaction'),
          },
        },
      },
      '/v1/policy': {
        get: {
          summary: 'The verifier policy: checkpoint signers and quorum',
          responses: { 200: json('policy', { $ref: '#/components/schemas/Policy' }) },
        },
      },
      '/v1/genesis': {
        get: {
          summary: 'The genesis document; its hash is block 0 prev',
          responses: { 200: json('genesis', { type: 'object' }) },
        },
      },
      '/v1/orgs': {
        get: {
          summary: 'Member organisations (public)',
          responses: { 200: json('organisations', { type: 'object' }) },
        },
      },
      ...aidPaths(),
      '/v1/health': {
        get: {
          summary:
            'Liveness, height and size, and the protocol: the version of the next block, the schedule (genesis, then steps adopted by vote) and the newest version this build runs',
          responses: { 200: json('healthy', { type: 'object' }), 503: err('stopped committing') },
        },
      },
    },
    components: {
      securitySchemes: { bearer: bearerScheme },
      /** Every transaction type: its payload and, when it has one, its private facts. */
      'x-actions': actionSchemas(),
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                details: { type: 'object' },
              },
            },
          },
        },
        SignedTx: schema(SignedTxSchema),
        Submission: schema(SubmissionSchema),
        TxResult: schema(TxResultSchema),
        BlockLeaf: schema(BlockLeafSchema),
        Receipt: schema(ReceiptSchema),
        Policy: schema(PolicySchema),
      },
    },
  };
}
