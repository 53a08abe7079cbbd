/**
 * Authenticated reads. A client asks for a challenge, signs it with its member or applicant key
 * (`aidledger-auth/v1\n<chain>\n<challenge>`), and gets a bearer token good for 15 minutes. Each
 * request re-resolves the key, so a revoked member loses access at once. Challenges and tokens are
 * MACed under a per-process secret and never stored (src/api/challenge.ts): a restart signs
 * everyone out, which is all a short-lived token needs, and no number of requests can fill a
 * store and lock others out. Each key may sign in a limited number of times a minute.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { challengeText } from '../chain/auth.js';
import { AidError } from '../core/errors.js';
import { SlidingWindow } from '../core/sliding-window.js';
import type { Viewer, ViewerLookup } from '../runtime/routes.js';
import { verifyHex } from '../runtime/node-ed25519.js';
import { Challenges } from './challenge.js';

export const CHALLENGE_TTL_MS = 2 * 60_000;
export const TOKEN_TTL_MS = 15 * 60_000;
/** Sign-ins a key may make a minute, unless the node says otherwise. */
export const DEFAULT_SIGN_INS_PER_MINUTE = 30;
/** Keys whose recent sign-ins are remembered; beyond it the least recent is forgotten. */
const MAX_TRACKED_KEYS = 100_000;

export interface AuthOptions {
  /** The clock (ms); a test's clock in tests. */
  now?: () => number;
  /** Sign-ins a key may make in any minute. */
  signInsPerMinute?: number;
}

export class Auth {
  private readonly secret = randomBytes(32);
  private readonly challenges: Challenges;
  private readonly signIns: SlidingWindow;
  private readonly now: () => number;

  /**
   * @param chain the chain id a challenge is signed for
   * @param lookup who signs in with a key (the domain that keeps the keys says)
   */
  constructor(
    private readonly chain: string,
    private readonly lookup: ViewerLookup,
    opts: AuthOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.challenges = new Challenges(
      createHmac('sha256', this.secret).update('aidledger-challenge-key').digest(),
      CHALLENGE_TTL_MS,
    );
    this.signIns = new SlidingWindow({
      limit: opts.signInsPerMinute ?? DEFAULT_SIGN_INS_PER_MINUTE,
      windowMs: 60_000,
      maxKeys: MAX_TRACKED_KEYS,
    });
  }

  /** A challenge for `key` (32 bytes of lowercase hex); nothing is stored. */
  challenge(key: string): { challenge: string; expires: number } {
    return this.challenges.issue(key, this.now());
  }

  /**
   * Exchanges a signed challenge for a token. A challenge is exchanged at most once. Only a
   * sign-in whose signature verifies counts against the key's limit: nobody but the key's holder
   * can use up that key's sign-ins. There is no limit per address: a hospital's staff share one.
   * @throws AidError BAD_REQUEST, UNAUTHORIZED, BAD_SIGNATURE, RATE_LIMITED (`details.retryAfter`
   * in seconds).
   */
  token(b: { key: string; challenge: string; sig: string }): {
    token: string;
    expires: number;
    viewer: Viewer;
  } {
    const now = this.now();
    const c = this.challenges.open(b.key, b.challenge, now);
    if (!verifyHex(b.key, challengeText(this.chain, b.challenge), b.sig))
      throw new AidError('BAD_SIGNATURE', 'the challenge signature does not verify');
    const viewer = this.viewerOf(b.key);
    const wait = this.signIns.wait(b.key, now);
    if (wait > 0)
      throw new AidError('RATE_LIMITED', 'too many sign-ins with this key; try again later', {
        details: { retryAfter: Math.ceil(wait / 1000) },
      });
    this.signIns.hit(b.key, now);
    this.challenges.spend(c.nonce, c.expires, now);
    const expires = now + TOKEN_TTL_MS;
    const payload = Buffer.from(JSON.stringify({ k: b.key, e: expires })).toString('base64url');
    return { token: `${payload}.${this.mac(payload)}`, expires, viewer };
  }

  /** The viewer of a request, or undefined when it carries no token. @throws UNAUTHORIZED. */
  viewer(header: string | undefined): Viewer | undefined {
    return header === undefined ? undefined : this.session(header).viewer;
  }

  /** The viewer of a token and when the token expires (ms). @throws UNAUTHORIZED. */
  session(header: string): { viewer: Viewer; expires: number } {
    const m = /^Bearer ([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(header);
    if (!m) throw new AidError('UNAUTHORIZED', 'authorization is "Bearer <token>"');
    const expected = Buffer.from(this.mac(m[1]!));
    const got = Buffer.from(m[2]!);
    if (expected.length !== got.length || !timingSafeEqual(expected, got))
      throw new AidError('UNAUTHORIZED', 'token is not valid on this node');
    const p = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as {
      k: string;
      e: number;
    };
    if (p.e <= this.now())
      throw new AidError('UNAUTHORIZED', 'token expired; sign a new challenge');
    return { viewer: this.viewerOf(p.k), expires: p.e };
  }

  /** The clock sign-in runs on (ms). */
  time(): number {
    return this.now();
  }

  private viewerOf(key: string): Viewer {
    const v = this.lookup(key);
    if (!v) throw new AidError('UNAUTHORIZED', 'the key is unknown or revoked');
    return v;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}
