/**
 * The membership reads of the HTTP API: the organisations of the consortium, who holds a signing
 * key, and how the consortium governs itself (public); and, signed in, the refused transactions
 * of those one oversees.
 */
import { z } from 'zod';
import { KeyHolderSchema } from '../../chain/explorer-types.js';
import { AidError, EXECUTION_CODES } from '../../core/errors.js';
import { hexParam, route, uintParam, type DomainRoutes } from '../../runtime/routes.js';
import { MembershipQueries } from './model.js';
import { GovernanceSchema, OrgViewSchema } from './types.js';

export const membershipRoutes: DomainRoutes = ({ ledger }) => {
  const q = new MembershipQueries(ledger);
  return [
    route({
      id: 'listOrgs',
      method: 'GET',
      path: '/v1/orgs',
      summary: 'Member organisations (public)',
      response: z.object({ orgs: z.array(OrgViewSchema) }),
      handler: () => ({ orgs: q.orgs() }),
    }),
    route({
      id: 'keyHolder',
      method: 'GET',
      path: '/v1/keys/{key}',
      summary:
        'Who signs with a public key: a member (organisation, roles), an applicant account, or a node',
      params: z.object({ key: hexParam('a public key') }),
      response: KeyHolderSchema,
      errors: { 404: 'no one holds this key' },
      handler: (req) => q.keyHolder(req.params.key),
    }),
    route({
      id: 'refusals',
      method: 'GET',
      path: '/v1/refusals',
      summary:
        'Refused transactions to investigate, newest first: regulators and auditors every organisation’s, a member their own organisation’s, an applicant their own',
      description:
        'Each is in the public log with its code already (`GET /v1/log/entries/{index}`); this is its index, by code (`DUPLICATE_CLAIM`, `FORBIDDEN_ROLE`, `CONFLICT_OF_INTEREST`, …), transaction type and the signer’s organisation. `nextBefore` pages on.',
      access: 'signed-in',
      query: z.object({
        code: z
          .enum(EXECUTION_CODES, { error: 'code is an execution refusal code' })
          .optional()
          .describe('a refusal code'),
        type: z
          .string()
          .regex(/^[a-z]+\.[A-Za-z]+$/, 'type is <contract>.<action>')
          .optional()
          .describe('a transaction type'),
        org: z
          .string()
          .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'org is an organisation id')
          .optional()
          .describe('the signer’s organisation (regulators and auditors)'),
        before: uintParam('before').optional().describe('nextBefore of the previous page'),
        limit: uintParam('limit', 1, 200).default(50).describe('1 to 200 (default 50)'),
      }),
      response: z.object({
        refusals: z.array(
          z.object({
            index: z.number().int().describe('its log index'),
            type: z.string(),
            code: z.string(),
            signer: z.string(),
            member: z.string().exactOptional().describe('the member who signed, if a member'),
            org: z.string().describe("the signer's organisation; '' for an applicant"),
            time: z.number().int().describe('block time, ms'),
          }),
        ),
        nextBefore: z.number().int().exactOptional(),
      }),
      errors: { 403: 'another organisation’s refusals, without oversight' },
      handler: (req) => {
        const v = req.viewer;
        const oversees = v.roles.includes('regulator') || v.roles.includes('auditor');
        const { code, type, org, before, limit } = req.query;
        if (!oversees && org !== undefined && org !== v.org)
          throw new AidError('FORBIDDEN', 'regulators and auditors see other organisations');
        const rows = ledger.refused({
          limit,
          ...(code === undefined ? {} : { code }),
          ...(type === undefined ? {} : { type }),
          ...(before === undefined ? {} : { before }),
          ...(oversees
            ? org === undefined
              ? {}
              : { org }
            : v.org === ''
              ? { signer: v.key }
              : { org: v.org }),
        });
        const last = rows.at(-1);
        return {
          refusals: rows.map((r) => {
            const h = r.org === '' ? undefined : q.memberOfKey(r.signer);
            return { ...r, ...(h === undefined ? {} : { member: h }) };
          }),
          ...(rows.length === limit && last ? { nextBefore: last.index } : {}),
        };
      },
    }),
    route({
      id: 'governance',
      method: 'GET',
      path: '/v1/public/governance',
      summary:
        'How the consortium governs itself: the quorum of organisations that admits a member or changes a rule, the quorum that makes a checkpoint final, and every proposal with its votes',
      response: GovernanceSchema,
      handler: () => q.governance(),
    }),
  ];
};
