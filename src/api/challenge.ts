/**
 * Sign-in challenges that the node does not store. A challenge is `<expires>.<nonce>.<mac>`: an
 * HMAC-SHA-256, under a per-process secret, over the key it was issued for, its expiry and a
 * random nonce. The node checks it at `/v1/auth/token` by recomputing the MAC, so any number of
 * challenges can be asked for and nothing fills up. To the client the challenge stays an opaque
 * string it signs as `challengeText(chain, challenge)` (src/chain/auth.ts).
 *
 * One-time use is kept by remembering the nonces of the challenges that were exchanged for a
 * token, each only until its challenge expires. Only a verified signature by a signed-in key
 * adds a nonce, and the sign-ins of a key are limited per minute, so the set is bounded by the
 * keys the ledger knows times that limit over the challenge's life.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AidError } from '../core/errors.js';

const CHALLENGE_RE = /^([0-9]{1,16})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;

export class Challenges {
  /** Nonces of exchanged challenges, until their challenge expires. */
  private readonly used = new Map<string, number>();
  private sweepAt = 1024;

  /**
   * @param secret the per-process MAC key; a restart invalidates open challenges.
   * @param ttlMs how long a challenge may be exchanged.
   */
  constructor(
    private readonly secret: Uint8Array,
    private readonly ttlMs: number,
  ) {}

  /** A fresh challenge for `key` (already checked to be 64 hex characters). */
  issue(key: string, now: number): { challenge: string; expires: number } {
    const expires = now + this.ttlMs;
    const nonce = randomBytes(16).toString('base64url');
    return { challenge: `${expires}.${nonce}.${this.mac(key, expires, nonce)}`, expires };
  }

  /**
   * Checks that `challenge` was issued by this process for `key`, has not expired and was not
   * exchanged before. Returns its nonce, to be passed to `spend` once the sign-in succeeds.
   * @throws AidError UNAUTHORIZED.
   */
  open(key: string, challenge: string, now: number): { nonce: string; expires: number } {
    const m = CHALLENGE_RE.exec(challenge);
    if (!m) throw new AidError('UNAUTHORIZED', 'unknown or expired challenge');
    const expires = Number(m[1]);
    const nonce = m[2]!;
    const expected = Buffer.from(this.mac(key, expires, nonce));
    const got = Buffer.from(m[3]!);
    if (!timingSafeEqual(expected, got) || expires <= now || expires > now + this.ttlMs)
      throw new AidError('UNAUTHORIZED', 'unknown or expired challenge');
    if ((this.used.get(nonce) ?? 0) > now)
      throw new AidError('UNAUTHORIZED', 'this challenge was used already');
    return { nonce, expires };
  }

  /** Marks a challenge's nonce used until the challenge expires. */
  spend(nonce: string, expires: number, now: number): void {
    this.used.set(nonce, expires);
    // Amortised sweep: a full pass only when the set has doubled since the last one.
    if (this.used.size >= this.sweepAt) {
      for (const [n, e] of this.used) if (e <= now) this.used.delete(n);
      this.sweepAt = Math.max(1024, this.used.size * 2);
    }
  }

  private mac(key: string, expires: number, nonce: string): string {
    return createHmac('sha256', this.secret)
      .update(`aidledger-challenge/v1\n${key}\n${expires}\n${nonce}`)
      .digest('base64url');
  }
}
