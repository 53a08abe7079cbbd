/**
 * Signing in to a node: the text a client signs with its member or applicant key to prove it
 * holds it. Domain-separated and bound to the chain, so it is never a valid transaction or a
 * sign-in to another ledger.
 */
export const AUTH_CONTEXT = 'aidledger-auth/v1';

/** `aidledger-auth/v1\n<chain>\n<challenge>` */
export function challengeText(chain: string, challenge: string): string {
  return `${AUTH_CONTEXT}\n${chain}\n${challenge}`;
}
