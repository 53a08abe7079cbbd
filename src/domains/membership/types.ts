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

/**
 * An invitation to join an organisation, as its administrators see it (`GET /v1/invitations`).
 * Invitations are node-local (the admin's node keeps them in its own SQLite file, never on the
 * ledger); the node keeps only a SHA-256 hash of the secret, which travels in the link's fragment.
 * `status`: `open` (not yet used), `requested` (the new member made a key and proved it: the
 * administrator may sign the enrolment), `enrolled` (the ledger holds the member with that key),
 * `revoked`, `expired`.
 */
export const InvitationViewSchema = z
  .object({
    id: z.string(),
    org: z.string(),
    name: z.string().describe('the member name the enrolment will give: <org>/<name>'),
    roles: z.array(z.string()),
    status: z.enum(['open', 'requested', 'enrolled', 'revoked', 'expired']),
    created: z.number().int(),
    createdBy: z.string().describe('the administrator who made it'),
    expires: z.number().int().describe('ms since the epoch; an unused invitation is refused after'),
    requested: z.number().int().exactOptional().describe('when the new member answered'),
    key: z.string().exactOptional().describe('the new member’s public key, once requested'),
    pop: z
      .string()
      .exactOptional()
      .describe('the key’s proof of possession for <org>/<name>: the `pop` of membership.enrol'),
  })
  .meta({ id: 'Invitation' });
export type InvitationView = z.infer<typeof InvitationViewSchema>;

/** What the link's holder learns before answering: which organisation, name and roles. */
export const InvitationOfferSchema = z
  .object({
    chain: z.string(),
    org: z.string(),
    orgNames: NamesSchema,
    orgType: OrgTypeSchema,
    name: z.string(),
    holder: z.string().describe('<org>/<name>: what the proof of possession names'),
    roles: z.array(z.string()),
    expires: z.number().int(),
  })
  .meta({ id: 'InvitationOffer' });
export type InvitationOffer = z.infer<typeof InvitationOfferSchema>;

/** A member of the administrator's own organisation (`GET /v1/members`). */
export const MemberViewSchema = z
  .object({
    id: z.string(),
    roles: z.array(z.string()).describe('as enrolled'),
    effectiveRoles: z
      .array(z.string())
      .describe('the roles the member signs with now (the organisation may hold them)'),
    key: z.string(),
    status: z.enum(['active', 'revoked']),
    since: z.number().int(),
  })
  .meta({ id: 'Member' });
export type MemberView = z.infer<typeof MemberViewSchema>;
