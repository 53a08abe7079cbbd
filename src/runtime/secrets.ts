/**
 * The consortium secret on a member node: the key of patient pseudonyms and invoice-line
 * fingerprints. Every member node holds the same key (shared out of band when an organisation
 * joins); the public never sees it, so neither a pseudonym nor a fingerprint names anyone to them.
 */
import { createHmac } from 'node:crypto';
import { AidError } from '../core/errors.js';
import type { Secrets } from './contract.js';

/** The key version protocol 1 pseudonymises under: a new key comes with a new protocol version. */
export const PSEUDONYM_KEY_VERSION = 1;

export function consortiumSecrets(key: Uint8Array): Secrets {
  if (key.length !== 32) throw new AidError('CONFIG', 'the consortium key is 32 bytes');
  // core/national-id.ts `pseudonym`, through node:crypto: a case's stages derive a patient's
  // pseudonym several times, and the portable HMAC costs several times more.
  return {
    pseudonym: (kind, id) =>
      `p${PSEUDONYM_KEY_VERSION}:${createHmac('sha256', key).update(`${kind}:${id}`, 'utf8').digest('hex')}`,
    fingerprint: (text) =>
      createHmac('sha256', key).update(`fingerprint\n${text}`, 'utf8').digest('hex'),
  };
}

/** For a node that holds no consortium key: any use is a configuration error, named. */
export const NO_SECRETS: Secrets = {
  pseudonym: () => {
    throw new AidError('CONFIG', 'this node holds no consortium key (keys/consortium.json)');
  },
  fingerprint: () => {
    throw new AidError('CONFIG', 'this node holds no consortium key (keys/consortium.json)');
  },
};
