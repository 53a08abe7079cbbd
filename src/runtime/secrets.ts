/**
 * The consortium secret on a member node: the key of patient pseudonyms and invoice-line
 * fingerprints. Every member node holds the same key (shared out of band when an organisation
 * joins); the public never sees it, so neither a pseudonym nor a fingerprint names anyone to them.
 */
import { createHmac } from 'node:crypto';
import { AidError } from '../core/errors.js';
import { pseudonym, type HmacSha256, type IdKind } from '../core/national-id.js';
import type { Secrets } from './contract.js';

/** The key version protocol 1 pseudonymises under: a new key comes with a new protocol version. */
export const PSEUDONYM_KEY_VERSION = 1;

export function consortiumSecrets(key: Uint8Array): Secrets {
  if (key.length !== 32) throw new AidError('CONFIG', 'the consortium key is 32 bytes');
  return {
    // Through node:crypto: a case's stages derive a patient's pseudonym several times, and the
    // portable HMAC costs several times more.
    pseudonym: (kind, id) =>
      pseudonym({ kind: kind as IdKind, value: id }, key, PSEUDONYM_KEY_VERSION, nodeHmac),
    fingerprint: (text) =>
      createHmac('sha256', key).update(`fingerprint\n${text}`, 'utf8').digest('hex'),
  };
}

const nodeHmac: HmacSha256 = (k, m) => createHmac('sha256', k).update(m).digest();

/** For a node that holds no consortium key: any use is a configuration error, named. */
export const NO_SECRETS: Secrets = {
  pseudonym: () => {
    throw new AidError('CONFIG', 'this node holds no consortium key (keys/consortium.json)');
  },
  fingerprint: () => {
    throw new AidError('CONFIG', 'this node holds no consortium key (keys/consortium.json)');
  },
};
