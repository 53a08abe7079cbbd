/**
 * Authenticated reads. A client asks for a challenge, signs it with its member or applicant key
 * (`aidledger-auth/v1\n<chain>\n<challenge>`), and gets a bearer token good for 15 minutes. Each
 * request re-resolves the key, so a revoked member loses access at once. Tokens are MACed under
 * a per-process secret: a restart signs everyone out, which is all a short-lived token needs.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AidError } from '../core/errors.js';
import { challengeText } from '../chain/auth.js';

export { AUTH_CONTEXT, challengeText } from '../chain/auth.js';
import type { OrgType } from '../chain/genesis.js';
import type { Role } from '../contracts/runtime.js';
import type { Ledger } from '../ledger/ledger.js';
import { verifyHex } from '../ledger/node-ed25519.js';
import type { AidQueries } from '../ledger/aid-queries.js';

export const CHALLENGE_TTL_MS = 2 * 60_000;
export const TOKEN_TTL_MS = 15 * 60_000;
const MAX_OPEN_CHALLENGES = 10_000;

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
  private readonly challenges = new Map<string, { key: string; expires: number }>();

  constructor(
    private readonly ledger: Ledger,
    private readonly queries: AidQueries,
    private readonly now: () => number = Date.now,
  ) {}

  challenge(key: unknown): { challenge: string; expires: number } {
    if (typeof key !== 'string' || !KEY_RE.test(key))
      throw new AidError('BAD_REQUEST', 'key is 32 bytes of lowercase hex');
    const t = this.now();
    if (this.challenges.size >= MAX_OPEN_CHALLENGES) {
      for (const [c, v] of this.challenges) if (v.expires <= t) this.challenges.delete(c);
      if (this.challenges.size >= MAX_OPEN_CHALLENGES)
        throw new AidError('UNAVAILABLE', 'too many open challenges; try again shortly');
    }
    const challenge = randomBytes(32).toString('base64url');
    const expires = t + CHALLENGE_TTL_MS;
    this.challenges.set(challenge, { key, expires });
    return { challenge, expires };
  }

  /** Exchanges a signed challenge for a token. Each challenge is good for one try. */
  token(body: unknown): { token: string; expires: number; viewer: Viewer } {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b.challenge !== 'string' || typeof b.key !== 'string' || typeof b.sig !== 'string')
      throw new AidError('BAD_REQUEST', 'send {"key","challenge","sig"}');
    const c = this.challenges.get(b.challenge);
    this.challenges.delete(b.challenge);
    if (!c || c.expires <= this.now() || c.key !== b.key)
      throw new AidError('UNAUTHORIZED', 'unknown or expired challenge');
    if (!verifyHex(b.key, challengeText(this.ledger.chain, b.challenge), b.sig))
      throw new AidError('BAD_SIGNATURE', 'the challenge signature does not verify');
    const viewer = this.viewerOf(b.key);
    const expires = this.now() + TOKEN_TTL_MS;
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
    const s = this.ledger.keyStatus(key);
    if (s.kind === 'unknown') {
      // A peer node signs in with its organisation's node key.
      const org = this.queries.nodeOrg(key);
      if (org)
        return {
          key,
          member: `${org.id}/node`,
          org: org.id,
          orgType: org.type,
          roles: [],
          node: true,
        };
    }
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
