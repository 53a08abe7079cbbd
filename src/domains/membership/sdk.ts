/** What the SDK exports of membership: wire types and staff calls (browser-safe). */
export type { OrgView, Governance, InvitationView, InvitationOffer, MemberView } from './types.js';
export {
  orgMembers,
  listInvitations,
  createInvitation,
  revokeInvitation,
  openInvitation,
  acceptInvitation,
  invitationAnswer,
} from './client.js';
export { possessionText, proveKey } from './possession.js';
