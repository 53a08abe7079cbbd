/**
 * The membership reads of the HTTP API, all public: the organisations of the consortium, who
 * holds a signing key, and how the consortium governs itself.
 */
import { z } from 'zod';
import { KeyHolderSchema } from '../../chain/explorer-types.js';
import { hexParam, route, type DomainRoutes } from '../../runtime/routes.js';
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
