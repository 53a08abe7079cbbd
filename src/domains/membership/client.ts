/**
 * The SDK's membership calls for an organisation's staff (browser-safe): the administrator's view
 * of its members and invitations, and the two calls the holder of an invitation link makes.
 */
import type { Role } from '../../runtime/contract.js';
import { AidClient } from '../../sdk/client.js';
import type { InvitationOffer, InvitationView, MemberView } from './types.js';

const asClient = (c: AidClient | string) => (typeof c === 'string' ? new AidClient(c) : c);

/**
 * The members of the administrator's organisation, and the roles it may give them now.
 * @throws AidError FORBIDDEN.
 */
export function orgMembers(
  client: AidClient | string,
  token: string,
): Promise<{ members: MemberView[]; roles: Role[] }> {
  return asClient(client).get('/v1/members', token);
}

/** The organisation's invitations, newest first. @throws AidError FORBIDDEN. */
export async function listInvitations(
  client: AidClient | string,
  token: string,
): Promise<InvitationView[]> {
  return (await asClient(client).get<{ invitations: InvitationView[] }>('/v1/invitations', token))
    .invitations;
}

/**
 * A new invitation; its token is shown once (put it after `#` in the link).
 * @throws AidError ROLE_NOT_ALLOWED, ALREADY_EXISTS, TOO_MANY, FORBIDDEN.
 */
export function createInvitation(
  client: AidClient | string,
  token: string,
  spec: { name: string; roles: readonly Role[]; hours?: number },
): Promise<{ invitation: InvitationView; token: string }> {
  return asClient(client).post('/v1/invitations', spec, token);
}

/** Revokes an invitation that has not led to an enrolment. */
export async function revokeInvitation(
  client: AidClient | string,
  token: string,
  id: string,
): Promise<InvitationView> {
  return (
    await asClient(client).post<{ invitation: InvitationView }>(
      `/v1/invitations/${encodeURIComponent(id)}/revoke`,
      {},
      token,
    )
  ).invitation;
}

/**
 * What an invitation link offers. @throws AidError NOT_FOUND, INVITATION_USED,
 * INVITATION_EXPIRED, INVITATION_REVOKED, ROLE_NOT_ALLOWED, RATE_LIMITED.
 */
export function openInvitation(
  client: AidClient | string,
  invitation: string,
): Promise<InvitationOffer> {
  return asClient(client).post('/v1/invitations/open', { token: invitation });
}

/** Answers an invitation with a new key and its proof of possession (see `proveKey`). */
export function acceptInvitation(
  client: AidClient | string,
  invitation: string,
  key: string,
  pop: string,
): Promise<{ holder: string; requested: number }> {
  return asClient(client).post('/v1/invitations/accept', { token: invitation, key, pop });
}

/** Where an invitation answered with `key` stands: `requested`, `enrolled` or `revoked`. */
export async function invitationAnswer(
  client: AidClient | string,
  id: string,
  key: string,
): Promise<InvitationView['status']> {
  return (
    await asClient(client).get<{ status: InvitationView['status'] }>(
      `/v1/invitations/${encodeURIComponent(id)}/answer/${encodeURIComponent(key)}`,
    )
  ).status;
}
