/**
 * The shapes of the public membership reads (`GET /v1/orgs`, `GET /v1/public/governance`): the
 * consortium's organisations and how it governs itself. The node's queries build them, the API
 * documents them and the SDK returns them, from these schemas. None carries personal data.
 */
import { z } from 'zod';
import { OrgTypeSchema } from '../../chain/genesis.js';
import { NamesSchema } from '../../chain/schemas.js';

/** An organisation of the consortium as `GET /v1/orgs` lists it: names, type and node key. */
export const OrgViewSchema = z
  .object({
    id: z.string(),
    names: NamesSchema,
    type: OrgTypeSchema,
    nodeKey: z
      .string()
      .nullable()
      .describe('the key its node signs checkpoints with; null for an organisation without one'),
    since: z.number().int(),
  })
  .meta({ id: 'OrgView' });
export type OrgView = z.infer<typeof OrgViewSchema>;

export const PROPOSAL_KINDS = [
  'admitOrg',
  'setGovernanceQuorum',
  'setCheckpointQuorum',
  'scheduleProtocol',
  'cancelProtocol',
  'grantOversight',
  'revokeOversight',
  'liftFreeze',
] as const;

/** A governance proposal, what it is about, and the organisations' votes. */
export const ProposalViewSchema = z.object({
  id: z.string(),
  kind: z.enum(PROPOSAL_KINDS),
  org: z
    .object({ id: z.string(), names: NamesSchema, type: z.string() })
    .exactOptional()
    .describe('the organisation to admit'),
  quorum: z.number().int().exactOptional().describe('the quorum asked for'),
  protocol: z
    .object({ version: z.number().int(), fromHeight: z.number().int() })
    .exactOptional()
    .describe(
      'the protocol version asked for and the height it would run from (0 when cancelling)',
    ),
  oversight: z
    .object({ org: z.string(), roles: z.array(z.string()) })
    .exactOptional()
    .describe('the organisation granted (or losing) oversight, and the roles granted'),
  freeze: z.string().exactOptional().describe('the freeze (its transaction id) to lift'),
  status: z.enum(['open', 'adopted', 'rejected', 'failed']),
  votes: z.array(z.object({ org: z.string(), approve: z.boolean() })),
  since: z.number().int(),
});

/** How the consortium governs itself, as its state records it. */
export const GovernanceSchema = z
  .object({
    governanceQuorum: z
      .number()
      .int()
      .describe("organisations' votes that admit a new organisation or change a quorum"),
    checkpointQuorum: z
      .number()
      .int()
      .describe('organisations whose nodes must sign a checkpoint for it to be final'),
    orgs: z.number().int(),
    nodes: z.number().int().describe('organisations that run a node and sign checkpoints'),
    proposals: z.array(ProposalViewSchema).describe('newest first'),
  })
  .meta({ id: 'Governance' });
export type Governance = z.infer<typeof GovernanceSchema>;
