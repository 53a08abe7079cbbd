/**
 * Proof of possession: before a key is bound to a holder (a member being enrolled, a member
 * rotating to a new key, an organisation's node key or its first administrator's key), the new key
 * signs a statement naming the chain, the holder and the key itself. Nobody can then bind a key
 * they do not hold, such as another organisation's node key, to themselves or to anyone.
 */
import { toHex, utf8 } from '../../core/bytes.js';
import { publicKeyFromSeed, signEd25519 } from '../../core/ed25519.js';

export const POSSESSION_CONTEXT = 'aidledger-possession/v1';

/**
 * The text a new key signs. `holder` is `<org>/<member>` for a member's key, `<org>/node` for an
 * organisation's node key.
 */
export function possessionText(chain: string, holder: string, key: string): string {
  return `${POSSESSION_CONTEXT}\n${chain}\n${holder}\n${key}\n`;
}

/** Signs the statement with the new key's seed: the `pop` field of the request, hex. */
export function proveKey(chain: string, holder: string, seed: Uint8Array): string {
  const key = toHex(publicKeyFromSeed(seed));
  return toHex(signEd25519(seed, utf8(possessionText(chain, holder, key))));
}

/** The holder of an organisation's node key, as the statement names it. */
export function nodeHolder(org: string): string {
  return `${org}/node`;
}
