/**
/**
 * The membership part of the HTTP API: the public reads (the organisations of the consortium, who
 * holds a signing key, how the consortium governs itself), an administrator's view of its own
 * members, enrolment by invitation (src/domains/membership/invitations.ts), and, signed in, the
 * refused transactions of those one oversees. The administrator makes, lists and revokes
 * invitations; the holder of a link reads what it offers and answers it with a new key and its
 * proof of possession. The two routes a link's holder calls are public, so they are bounded per
 * client address and per node.
 */
import { z } from 'zod';
import { KeyHolderSchema } from '../../chain/explorer-types.js';
import { hex32, hex64 } from '../../chain/schemas.js';
import { addressBucket } from '../../core/address.js';
import { AidError, EXECUTION_CODES } from '../../core/errors.js';
import { SlidingWindow } from '../../core/sliding-window.js';
import { ROLES } from '../../runtime/contract.js';
import {
  hexParam,
  route,
  uintParam,
  type DomainRoutes,
  type Viewer,
} from '../../runtime/routes.js';
import { INVITATION_HOURS, INVITATION_TOKEN, Invitations } from './invitations.js';
import { MembershipQueries } from './model.js';
import {
  GovernanceSchema,
  InvitationOfferSchema,
  InvitationViewSchema,
  MemberViewSchema,
  OrgViewSchema,
} from './types.js';

/** Answers to invitation links one client address may send in any hour. */
export const INVITATION_ANSWERS_PER_ADDRESS_PER_HOUR = 60;
/** Answers to invitation links a node takes in any hour, from all addresses together. */
export const INVITATION_ANSWERS_PER_NODE_PER_HOUR = 2_000;
const HOUR_MS = 3_600_000;

/** The administrator of an organisation, or a refusal. @throws AidError FORBIDDEN. */
function adminOf(v: Viewer): { org: string; member: string } {
  if (v.node || v.org === '' || !v.roles.includes('admin'))
    throw new AidError('FORBIDDEN', "only an organisation's administrator");
  return { org: v.org, member: v.member };
}

const MemberNameSchema = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,62}$/,
    'name is lowercase letters, digits, ".", "_" or "-", up to 63',
  )
  .refine((n) => n !== 'node', 'the name "node" is reserved');
const TokenSchema = z
  .string()
  .regex(INVITATION_TOKEN, 'token is the part of the invitation link after "#"')
  .describe('the part of the invitation link after "#": <id>.<secret>');

export const membershipRoutes: DomainRoutes = ({ ledger, node }) => {
  const q = new MembershipQueries(ledger);
  const now = node ? () => node.clock() : Date.now;
  const invitations = new Invitations(ledger.db, q, ledger.chain, now);
  const perAddress = new SlidingWindow({
    limit: INVITATION_ANSWERS_PER_ADDRESS_PER_HOUR,
    windowMs: HOUR_MS,
    maxKeys: 100_000,
  });
  const perNode = new SlidingWindow({
    limit: INVITATION_ANSWERS_PER_NODE_PER_HOUR,
    windowMs: HOUR_MS,
    maxKeys: 1,
  });
  /** Counts one answer of a link's holder. @throws AidError RATE_LIMITED. */
  const countAnswer = (client: string) => {
    const t = now();
    const address = addressBucket(client);
    const wait = Math.max(perAddress.wait(address, t), perNode.wait('', t));
    if (wait > 0)
      throw new AidError('RATE_LIMITED', 'too many invitation answers; try again later', {
        details: { retryAfter: Math.ceil(wait / 1000) },
      });
    perAddress.hit(address, t);
    perNode.hit('', t);
  };
  const linkRefusals = {
    400: 'not an invitation token (or, answering, not a key and proof)',
    404: 'no such invitation, or a wrong secret',
    403: 'ROLE_NOT_ALLOWED: the organisation may no longer hold a role it names',
    409: 'INVITATION_USED: it was answered already',
    410: 'INVITATION_EXPIRED or INVITATION_REVOKED',
    429: 'RATE_LIMITED: too many answers from this address or to this node; Retry-After',
  };
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
    route({
      id: 'members',
      method: 'GET',
      path: '/v1/members',
      summary:
        "The members of the administrator's own organisation: ids, roles (as enrolled and as the organisation may hold them now), keys, status",
      access: 'signed-in',
      response: z.object({
        members: z.array(MemberViewSchema),
        roles: z.array(z.string()).describe('the roles the organisation may give its members now'),
      }),
      errors: { 403: "not an organisation's administrator" },
      handler: (req) => {
        const org = q.org(adminOf(req.viewer).org);
        if (!org) throw new AidError('NOT_FOUND', 'no such organisation');
        return {
          members: q.members(org.id),
          roles: ROLES.filter((r) => q.allowedRoles(org).has(r)),
        };
      },
    }),
    route({
      id: 'createInvitation',
      method: 'POST',
      path: '/v1/invitations',
      summary:
        'Invite a new member: a one-time link for a member name and roles the organisation may hold, expiring after `hours`',
      description:
        'The answer holds the token once; the node keeps only its hash. Put it in the link’s fragment (`/staff/join#<token>`), so it never reaches a server log.',
      access: 'signed-in',
      body: z.strictObject({
        name: MemberNameSchema.describe('the member name: the new member will be <org>/<name>'),
        roles: z
          .array(z.enum(ROLES))
          .min(1)
          .max(ROLES.length)
          .refine((r) => new Set(r).size === r.length, 'roles are listed once'),
        hours: z
          .number()
          .int()
          .min(INVITATION_HOURS.min)
          .max(INVITATION_HOURS.max)
          .default(INVITATION_HOURS.default)
          .describe(`hours until it expires: ${INVITATION_HOURS.min} to ${INVITATION_HOURS.max}`),
      }),
      bodyLimit: 4096,
      response: z.object({ invitation: InvitationViewSchema, token: z.string() }),
      errors: {
        403: "FORBIDDEN: not an organisation's administrator; ROLE_NOT_ALLOWED: a role the organisation may not hold",
        409: 'ALREADY_EXISTS: the name is a member’s or another live invitation’s',
        413: 'TOO_MANY: too many open invitations',
      },
      handler: (req) => invitations.create(adminOf(req.viewer), req.body),
    }),
    route({
      id: 'invitations',
      method: 'GET',
      path: '/v1/invitations',
      summary:
        "The organisation's invitations, newest first: open, requested (to sign), enrolled, revoked, expired",
      access: 'signed-in',
      response: z.object({ invitations: z.array(InvitationViewSchema) }),
      errors: { 403: "not an organisation's administrator" },
      handler: (req) => ({ invitations: invitations.list(adminOf(req.viewer).org) }),
    }),
    route({
      id: 'revokeInvitation',
      method: 'POST',
      path: '/v1/invitations/{id}/revoke',
      summary: 'Revoke an invitation that has not led to an enrolment (also declines a request)',
      access: 'signed-in',
      params: z.object({ id: z.string().regex(/^[0-9a-f]{16}$/, 'id is 16 hex characters') }),
      response: z.object({ invitation: InvitationViewSchema }),
      errors: {
        403: "not an organisation's administrator",
        404: 'no such invitation in your organisation',
        409: 'INVALID_STATE: already enrolled or revoked',
      },
      handler: (req) => ({
        invitation: invitations.revoke(adminOf(req.viewer).org, req.params.id),
      }),
    }),
    route({
      id: 'invitationAnswer',
      method: 'GET',
      path: '/v1/invitations/{id}/answer/{key}',
      summary:
        'Where an answered invitation stands, for the device that answered it with this key: requested (the administrator has not signed yet), enrolled or revoked',
      description:
        'A cheap read that the answering page polls until the enrolment is on the ledger; it reveals nothing to anyone who does not already know both the invitation id and the key sent.',
      params: z.object({
        id: z.string().regex(/^[0-9a-f]{16}$/, 'id is 16 hex characters'),
        key: hexParam('key'),
      }),
      response: z.object({ status: InvitationViewSchema.shape.status }),
      errors: { 404: 'no invitation with this id answered with this key' },
      handler: (req) => ({ status: invitations.answerStatus(req.params.id, req.params.key) }),
    }),
    route({
      id: 'openInvitation',
      method: 'POST',
      path: '/v1/invitations/open',
      summary:
        'What an invitation link offers (organisation, member name, roles, expiry), if it can still be answered',
      description:
        'A POST, so the secret travels in the body and never in a URL. Counted against the answers allowed per client address and per node.',
      body: z.strictObject({ token: TokenSchema }),
      bodyLimit: 1024,
      response: InvitationOfferSchema,
      errors: linkRefusals,
      handler: (req) => {
        countAnswer(req.client);
        return invitations.offer(req.body.token);
      },
    }),
    route({
      id: 'acceptInvitation',
      method: 'POST',
      path: '/v1/invitations/accept',
      summary:
        'Answer an invitation with a new public key and its proof of possession for <org>/<name>; the invitation is then used up, and an administrator signs the enrolment',
      body: z.strictObject({
        token: TokenSchema,
        key: hex32.describe('the new Ed25519 public key, hex'),
        pop: hex64.describe(
          'the key’s signature of "aidledger-possession/v1\\n<chain>\\n<org>/<name>\\n<key>\\n", hex',
        ),
      }),
      bodyLimit: 1024,
      response: z.object({ holder: z.string(), requested: z.number().int() }),
      errors: {
        ...linkRefusals,
        401: 'NO_POSSESSION: the proof does not verify',
        409: 'INVITATION_USED, or KEY_IN_USE: the key is already held',
      },
      handler: (req) => {
        countAnswer(req.client);
        return invitations.accept(req.body.token, req.body.key, req.body.pop);
      },
    }),
  ];
};
