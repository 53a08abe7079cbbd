/**
 * Authenticated reads. A client asks for a challenge, signs it with its member or applicant key
 * (`aidledger-auth/v1\n<chain>\n<challenge>`), and gets a bearer token good for 15 minutes. Each
 * request re-resolves the key, so a revoked member loses access at once. Challenges and tokens are
 * MACed under a per-process secret and never stored (src/api/challenge.ts): a restart signs
 * everyone out, which is all a short-lived token needs, and no number of requests can fill a
 * store and lock others out. Each key may sign in a limited number of times a minute.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AidError } from '../core/errors.js';
import { SlidingWindow } from '../core/sliding-window.js';
import { challengeText } from '../chain/auth.js';
import { Challenges } from './challenge.js';

export { AUTH_CONTEXT, challengeText } from '../chain/auth.js';
import type { OrgType } from '../chain/genesis.js';
import type { Role } from '../runtime/contract.js';
import type { Ledger } from '../runtime/ledger.js';
import { verifyHex } from '../runtime/node-ed25519.js';
import type { AidQueries } from '../domains/aid/model.js';

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

/** Who is reading: a member of an organisation, or an applicant (org ''). */
export interface Viewer {
  key: string;
  member: string;
  org: string;
  orgType: OrgType | '';
  roles: readonly Role[];
  /** Signed in with an organisation's node key: a peer node of the consortium. */
  node?: boolean;
}

const KEY_RE = /^[0-9a-f]{64}$/;

export class Auth {
  private readonly secret = randomBytes(32);
  private readonly challenges: Challenges;
  private readonly signIns: SlidingWindow;
  private readonly now: () => number;

  constructor(
    private readonly ledger: Ledger,
    private readonly queries: AidQueries,
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

  /** A challenge for `key`; nothing is stored. @throws AidError BAD_REQUEST. */
  challenge(key: unknown): { challenge: string; expires: number } {
    if (typeof key !== 'string' || !KEY_RE.test(key))
      throw new AidError('BAD_REQUEST', 'key is 32 bytes of lowercase hex');
    return this.challenges.issue(key, this.now());
  }

  /**
   * Exchanges a signed challenge for a token. A challenge is exchanged at most once. Only a
   * sign-in whose signature verifies counts against the key's limit: nobody but the key's holder
   * can use up that key's sign-ins. There is no limit per address: a hospital's staff share one.
   * @throws AidError BAD_REQUEST, UNAUTHORIZED, BAD_SIGNATURE, RATE_LIMITED (`details.retryAfter`
   * in seconds).
   */
  token(body: unknown): { token: string; expires: number; viewer: Viewer } {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b.challenge !== 'string' || typeof b.key !== 'string' || typeof b.sig !== 'string')
      throw new AidError('BAD_REQUEST', 'send {"key","challenge","sig"}');
    const now = this.now();
    const c = this.challenges.open(b.key, b.challenge, now);
    if (!verifyHex(b.key, challengeText(this.ledger.chain, b.challenge), b.sig))
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
    if (header === undefined) return undefined;
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
    return this.viewerOf(p.k);
  }

  private viewerOf(key: string): Viewer {
    // A peer node signs in with its organisation's node key. Looked up first: a member record
    // that protocol 1 let claim a node key (then revoked) must not lock the node out.
    const node = this.queries.nodeOrg(key);
    if (node)
      return {
        key,
        member: `${node.id}/node`,
        org: node.id,
        orgType: node.type,
        roles: [],
        node: true,
      };
    const s = this.ledger.keyStatus(key);
    if (s.kind !== 'active') throw new AidError('UNAUTHORIZED', 'the key is unknown or revoked');
    const org = s.signer.org === '' ? undefined : this.queries.org(s.signer.org);
    return {
      key,
      member: s.signer.member,
      org: s.signer.org,
      orgType: org?.type ?? '',
      roles: s.signer.roles,
    };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

/** Regulators and auditors see every case. */
export function seesAll(v: Viewer): boolean {
  return v.roles.includes('regulator') || v.roles.includes('auditor');
}

const OWNER_ROLES: readonly Role[] = [
  'reviewer',
  'program-manager',
  'finance',
  'operator',
  'admin',
];

/** Whether the viewer may see a case: its hospital, its program's staff, regulators, its applicant. */
export function canSeeCase(
  v: Viewer,
  c: { owner: string; hospital: string; applicant: { kind: string; key?: string } },
): boolean {
  if (seesAll(v)) return true;
  if (v.org !== '' && v.org === c.hospital) return true;
  if (v.org !== '' && v.org === c.owner && v.roles.some((r) => OWNER_ROLES.includes(r)))
    return true;
  return c.applicant.kind === 'account' && c.applicant.key === v.key;
}

/** Whether the viewer may take the private parts a rule assessment needs. */
export function canAssess(v: Viewer, c: { owner: string }): boolean {
  return (
    v.org === c.owner &&
    v.roles.some((r) => r === 'reviewer' || r === 'program-manager' || r === 'operator')
  );
}

export function requireViewer(v: Viewer | undefined): Viewer {
  if (!v)
    throw new AidError('UNAUTHORIZED', 'sign in: POST /v1/auth/challenge, then /v1/auth/token');
  return v;
}
