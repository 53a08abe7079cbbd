/**
 * The medical-aid part of the OpenAPI document: the public and signed-in reads, sign-in, and a
 * schema for the payload and private facts of every transaction type, taken from the contracts.
 */
import { z } from 'zod';
import { CASE_STATES } from './contracts/case-record.js';
import { getProtocol, LATEST_PROTOCOL } from '../protocols.js';

const errorRef = { $ref: '#/components/schemas/Error' };
const err = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorRef } },
});
const ok = (description: string, properties: Record<string, object> = {}) => ({
  description,
  content: { 'application/json': { schema: { type: 'object', properties } } },
});
const q = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const p = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
const lang = q('lang', 'zh-Hant, zh-Hans or en (else Accept-Language, else English)', {
  type: 'string',
  enum: ['zh-Hant', 'zh-Hans', 'en'],
});
const signedIn = [{ bearer: [] }];
const amount = { type: 'string', description: 'decimal string of minor units' };

const flowEnd = {
  type: 'object',
  required: ['kind'],
  description:
    'donors (by kind: org, person, anonymous), allocation (by org), unassigned (general donations of org), program, hospital (org), available, returned',
  properties: {
    kind: {
      type: 'string',
      enum: ['donors', 'allocation', 'unassigned', 'program', 'hospital', 'available', 'returned'],
    },
    donor: { type: 'string', enum: ['org', 'person', 'anonymous'] },
    org: { type: 'string' },
    program: { type: 'string' },
  },
};
const donation = {
  type: 'object',
  required: ['id', 'org', 'donor', 'amount', 'currency', 'program', 'time'],
  properties: {
    id: { type: 'string', description: 'the donations.receive transaction' },
    org: { type: 'string', description: 'the organisation that received it' },
    donor: {
      type: 'object',
      description: 'kind org (with its id), person (with the alias they chose) or anonymous',
    },
    amount,
    currency: { type: 'string' },
    program: { type: ['string', 'null'], description: 'null for a general donation' },
    time: { type: 'integer' },
  },
};

const caseFilters = [
  q('program', 'program id'),
  q('state', 'case state', { type: 'string', enum: [...CASE_STATES] }),
  q('hospital', 'hospital organisation id'),
  q('from', 'submitted at or after (ms since the epoch)', { type: 'integer' }),
  q('to', 'submitted before (ms since the epoch)', { type: 'integer' }),
  q('limit', '1 to 200, default 50', { type: 'integer' }),
  q('cursor', 'nextCursor of the previous page'),
];

export function aidPaths() {
  return {
    '/v1/auth/challenge': {
      post: {
        summary:
          'Start signing in: a one-time challenge for a member or applicant key (opaque, good for 2 minutes, not stored by the node)',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['key'],
                properties: { key: { type: 'string' } },
              },
            },
          },
        },
        responses: {
          200: ok('challenge', { challenge: { type: 'string' }, expires: { type: 'integer' } }),
          400: err('bad key'),
        },
      },
    },
    '/v1/auth/token': {
      post: {
        summary:
          'Exchange the challenge signed with Ed25519 over "aidledger-auth/v1\\n<chain>\\n<challenge>" for a 15-minute bearer token',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['key', 'challenge', 'sig'],
                properties: {
                  key: { type: 'string' },
                  challenge: { type: 'string' },
                  sig: { type: 'string' },
                },
              },
            },
          },
        },
        responses: {
          200: ok('token', {
            token: { type: 'string' },
            expires: { type: 'integer' },
            viewer: { type: 'object' },
          }),
          401: err('unknown, expired or wrongly signed challenge; unknown or revoked key'),
          429: err('RATE_LIMITED: too many sign-ins of this key this minute; Retry-After'),
        },
      },
    },
    '/v1/me': {
      get: {
        summary: 'Who the token speaks for',
        security: signedIn,
        responses: { 200: ok('viewer'), 401: err('not signed in') },
      },
    },
    '/v1/public/programs': {
      get: {
        summary: 'Every program and its money (no personal data); committed = reserved or payable',
        parameters: [lang],
        responses: {
          200: ok('programs', {
            programs: {
              type: 'array',
              items: {
                type: 'object',
                required: [
                  'id',
                  'name',
                  'currency',
                  'budget',
                  'received',
                  'committed',
                  'paid',
                  'available',
                ],
                properties: {
                  id: { type: 'string' },
                  name: { type: 'string' },
                  currency: { type: 'string' },
                  budget: amount,
                  received: amount,
                  committed: amount,
                  paid: amount,
                  available: amount,
                },
              },
            },
          }),
        },
      },
    },
    '/v1/public/donations': {
      get: {
        summary: 'Donations received (donor shown by alias or organisation)',
        parameters: [q('limit', '1 to 500', { type: 'integer' })],
        responses: { 200: ok('donations', { donations: { type: 'array', items: donation } }) },
      },
    },
    '/v1/public/flows': {
      get: {
        summary:
          'The fund flows as a whole: donors by kind and budget allocations into programs, general donations not yet assigned, and programs out to hospitals (committed and paid), to what is available and to returns; what flows into a program equals what flows out',
        responses: {
          200: ok('flows', {
            flows: {
              type: 'array',
              items: {
                type: 'object',
                required: ['from', 'to', 'currency', 'amount'],
                properties: {
                  from: flowEnd,
                  to: flowEnd,
                  currency: { type: 'string' },
                  amount,
                  committed: { ...amount, description: 'to a hospital: set aside or sent' },
                  paid: { ...amount, description: 'to a hospital: confirmed received' },
                },
              },
            },
          }),
        },
      },
    },
    '/v1/public/activity': {
      get: {
        summary:
          'The latest donations received and the latest payments sent to hospitals, newest first (no personal data)',
        parameters: [q('limit', 'how many of each, 1 to 100, default 10', { type: 'integer' })],
        responses: {
          200: ok('recent activity', {
            donations: { type: 'array', items: donation },
            disbursements: {
              type: 'array',
              items: {
                type: 'object',
                required: ['tx', 'time', 'case', 'program', 'hospital', 'amount', 'currency'],
                properties: {
                  tx: { type: 'string', description: 'the cases.disburse transaction' },
                  time: { type: 'integer' },
                  case: { type: 'string' },
                  program: { type: 'string' },
                  hospital: { type: 'string' },
                  amount,
                  currency: { type: 'string' },
                  confirmed: {
                    type: 'integer',
                    description: 'when the hospital confirmed receipt',
                  },
                },
              },
            },
          }),
          400: err('bad limit'),
        },
      },
    },
    '/v1/public/governance': {
      get: {
        summary:
          'How the consortium governs itself: the quorum of organisations that admits a member or changes a rule, the quorum that makes a checkpoint final, and every proposal with its votes',
        responses: {
          200: ok('governance', {
            governanceQuorum: { type: 'integer' },
            checkpointQuorum: { type: 'integer' },
            orgs: { type: 'integer' },
            nodes: { type: 'integer' },
            proposals: { type: 'array' },
          }),
        },
      },
    },
    '/v1/public/donations/{id}/trace': {
      get: {
        summary:
          'Where a donation’s (or an allocation’s) money went: lot by lot, case by case (with the transactions that moved each case’s money), first in first out',
        parameters: [p('id', 'donation or allocation id (its transaction id)'), lang],
        responses: { 200: ok('trace'), 404: err('no such donation or allocation') },
      },
    },
    '/v1/public/cases': {
      get: {
        summary: 'Cases without personal data: program, hospital, state, amount, history',
        parameters: [...caseFilters, lang],
        responses: {
          200: ok('a page of cases', { cases: { type: 'array' }, nextCursor: { type: 'string' } }),
        },
      },
    },
    '/v1/public/cases/{id}': {
      get: {
        summary: 'One case without personal data, and the donations and allocations that paid it',
        parameters: [p('id', 'case id'), lang],
        responses: { 200: ok('case'), 404: err('no such case') },
      },
    },
    '/v1/public/journal': {
      get: {
        summary: 'The double-entry journal of every money movement',
        parameters: [
          q('after', 'entries after this sequence number', { type: 'integer' }),
          q('limit', '1 to 500', { type: 'integer' }),
        ],
        responses: { 200: ok('entries') },
      },
    },
    '/v1/programs': {
      get: {
        summary: 'Programs with their money and case counts',
        parameters: [lang],
        responses: { 200: ok('programs') },
      },
    },
    '/v1/programs/{id}': {
      get: {
        summary:
          'A program: its current rules (and the facts each condition reads), its versions and its money',
        parameters: [p('id', 'program id'), lang],
        responses: { 200: ok('program'), 404: err('no such program') },
      },
    },
    '/v1/programs/{id}/versions/{v}': {
      get: {
        summary: 'One published version of a program’s rules',
        parameters: [p('id', 'program id'), p('v', 'version')],
        responses: { 200: ok('version'), 404: err('no such version') },
      },
    },
    '/v1/cluster/batches': {
      get: {
        summary:
          'For the consortium’s nodes (signed in with a node key): the batches this node applied after an ordering position, with their private parts, so a node that was away longer than etcd keeps batches can catch up',
        security: signedIn,
        parameters: [
          q('after', 'ordering position (etcd revision) already applied', { type: 'integer' }),
          q('limit', '1 to 100, default 20', { type: 'integer' }),
        ],
        responses: {
          200: ok('batches', { batches: { type: 'array' } }),
          403: err('not a node of the consortium'),
          503: err('a private part was erased here'),
        },
      },
    },
    '/v1/cases': {
      get: {
        summary:
          'Cases the viewer may see: a hospital its own, a program’s staff their program’s, regulators and auditors all, an applicant theirs',
        security: signedIn,
        parameters: caseFilters,
        responses: {
          200: ok('a page of cases', { cases: { type: 'array' }, nextCursor: { type: 'string' } }),
          401: err('not signed in'),
          403: err('not yours to see'),
        },
      },
    },
    '/v1/cases/{id}': {
      get: {
        summary:
          'A case as the contracts keep it (no personal facts), its funding, and for a waitlisted case its place in the queue (`waitlist: {position, ahead}`, 1 = funded next). `reason` and each review’s `reason` are codes of the published lists (DECLINE_REASONS, CANCEL_REASONS, REVIEW_REASONS in chain/reasons.ts) from protocol 2; `identified` is the transaction in which the treating hospital matched the patient to its admission record. Members (not applicants) get each payment’s `reference` from the disbursement’s private part',
        security: signedIn,
        parameters: [p('id', 'case id')],
        responses: {
          200: ok('case'),
          401: err('not signed in'),
          403: err('not yours to see'),
          404: err('no such case'),
        },
      },
    },
    '/v1/cases/{id}/explain': {
      get: {
        summary:
          'Why a case was decided so, in the reader’s language: each condition, where each fact came from, how the amount was computed, under which rule version. Fact values (`shown`): `all` for the program’s staff and regulators; `declared` for the applicant, who sees only what they declared (a fact an organisation attested carries the applicant’s own `declared` value, never the attested one); `none` for the treating hospital. `differences` names the declared facts an attested value contradicted (protocol 2: such a case always goes to a reviewer); each review has its `reasonLabel`',
        security: signedIn,
        parameters: [p('id', 'case id'), lang],
        responses: {
          200: ok('explanation'),
          401: err('not signed in'),
          403: err('not yours to see'),
          404: err('not assessed yet'),
        },
      },
    },
    '/v1/cases/{id}/sources': {
      get: {
        summary:
          'The private parts an assessment must carry (for the program’s reviewers and managers): submit them as the private facts of cases.assess',
        security: signedIn,
        parameters: [p('id', 'case id')],
        responses: {
          200: ok('sources', { sources: { type: 'array' } }),
          403: err('not an assessor of this program'),
          404: err('a source was erased'),
        },
      },
    },
  };
}

/** A payload and a private-facts schema for every transaction type of the newest protocol. */
export function actionSchemas(): Record<string, object> {
  const out: Record<string, object> = {};
  const schema = (s: z.ZodType) => z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' });
  for (const [name, c] of getProtocol(LATEST_PROTOCOL).contracts) {
    for (const [action, a] of Object.entries(c.actions)) {
      out[`${name}.${action}`] = {
        description: `roles: ${a.roles === 'member' ? 'any member' : a.roles.join(', ') || 'self-signed by a new key'}; private part: ${a.private ?? 'none'}`,
        type: 'object',
        properties: {
          payload: schema(a.schema),
          ...(a.facts ? { private: schema(a.facts) } : {}),
        },
      };
    }
  }
  return out;
}

export const bearerScheme = {
  type: 'http',
  scheme: 'bearer',
  description: 'a token from POST /v1/auth/token',
};
