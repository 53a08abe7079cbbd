/**
 * The staff member's session in this tab: the unlocked seed (in memory only: gone on lock, reload
 * or closing the tab), the bearer token it signs in for (15 minutes, renewed when it lapses), who
 * the node says the key belongs to (`GET /v1/me`: member, organisation, roles), and transactions
 * signed with it. Kept outside React so that moving between the workspace's pages keeps the tab
 * unlocked.
 */
import { AidError, buildSubmission, publicKeyFromSeed, signIn, toHex, type Outcome } from '@sdk';
import { client, queryClient } from '../lib/api';
import { changeSignal } from '../lib/changes';

/** Who the node says the signed-in key is (the `viewer` of `GET /v1/me`). */
export interface StaffViewer {
  key: string;
  member: string;
  org: string;
  orgType: string;
  roles: readonly string[];
  node?: boolean;
}

export interface StaffSession {
  seed: Uint8Array;
  /** The public key, hex. */
  key: string;
  /** Set once the node has let the key sign in. */
  viewer: StaffViewer | null;
}

let current: StaffSession | null = null;
/** Bumped when the stored key changes (made, imported, forgotten). */
let storeVersion = 0;
const signal = changeSignal();
const emit = signal.emit;

/** The session of this tab, or null while locked. */
export function useStaffSession(): StaffSession | null {
  return signal.use(() => current, null);
}

/** A number that changes whenever the stored key does, for pages to read it again. */
export function useStoreVersion(): number {
  return signal.use(() => storeVersion, 0);
}

export function storedKeyChanged(): void {
  storeVersion++;
  emit();
}

/** The node's chain id, which every signature names. */
export async function chainId(): Promise<string> {
  const h = await queryClient.fetchQuery({ queryKey: ['health'], queryFn: () => client.health() });
  return h.chain;
}

/** Tokens last 15 minutes on the node; renew a little before. */
const TOKEN_LIFE_MS = 14 * 60_000;
let token: { key: string; value: string; at: number } | undefined;
let pending: Promise<string> | undefined;

/**
 * Unlocks the tab with a seed and signs in with it.
 * @throws AidError UNAUTHORIZED when no active member holds the key (not yet enrolled, or revoked).
 */
export async function unlockAndSignIn(seed: Uint8Array): Promise<StaffViewer> {
  const key = toHex(publicKeyFromSeed(seed));
  const value = await signIn(client, await chainId(), seed);
  const { viewer } = await client.get<{ viewer: StaffViewer }>('/v1/me', value);
  if (viewer.node || viewer.org === '')
    throw new AidError('UNAUTHORIZED', 'this key is not a member’s key');
  current?.seed.fill(0);
  current = { seed, key, viewer };
  token = { key, value, at: Date.now() };
  emit();
  return viewer;
}

/** Drops the seed, the token and every signed-in answer the cache holds. */
export function lock(): void {
  current?.seed.fill(0);
  current = null;
  token = undefined;
  queryClient.removeQueries({ queryKey: ['staff'] });
  emit();
}

function requireSession(): StaffSession {
  if (!current) throw new AidError('UNAUTHORIZED', 'the key is locked');
  return current;
}

async function getToken(renew: boolean): Promise<string> {
  const s = requireSession();
  if (!renew && token && token.key === s.key && Date.now() - token.at < TOKEN_LIFE_MS)
    return token.value;
  pending ??= chainId()
    .then((chain) => signIn(client, chain, s.seed))
    .finally(() => (pending = undefined));
  const value = await pending;
  token = { key: s.key, value, at: Date.now() };
  return value;
}

/** Set while the member moves to a new key (rotation): the old key's revocation is expected. */
let moving = false;

/** Runs a move to a new key; meanwhile the old key's revocation does not lock the tab. */
export async function movingKey<T>(move: () => Promise<T>): Promise<T> {
  moving = true;
  try {
    return await move();
  } finally {
    moving = false;
  }
}

/**
 * The events stream said `key` was revoked: locks the tab if that is still its key and the member
 * is not moving to a new one.
 */
export function revokedKey(key: string): void {
  if (current?.key === key && !moving) lock();
}

/** A token for the unlocked key, for the events stream; `renew` signs in afresh. */
export function liveToken(renew: boolean): Promise<string> {
  return getToken(renew);
}

/**
 * Runs a signed-in call with a token, signing in first when there is none or it lapsed, and
 * once more if the node says it lapsed anyway. A key the node no longer knows (revoked) locks
 * the tab.
 */
export async function withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
  try {
    return await call(await getToken(false));
  } catch (e) {
    if (!(e instanceof AidError && e.code === 'UNAUTHORIZED' && current)) throw e;
    let fresh: string;
    try {
      fresh = await getToken(true);
    } catch (again) {
      if (again instanceof AidError && again.code === 'UNAUTHORIZED') lock();
      throw again;
    }
    return call(fresh);
  }
}

/** Signs a transaction with the unlocked key and submits it; resolves once committed. */
export async function submitSigned(spec: {
  type: string;
  payload: Record<string, unknown>;
  facts?: Record<string, unknown>;
}): Promise<Outcome> {
  const s = requireSession();
  const chain = await chainId();
  return client.submit(buildSubmission({ chain, ...spec }, s.seed));
}

/**
 * Moves the session to a new seed after `membership.rotateKey` took effect: the old seed is
 * wiped, and the new key signs in.
 */
export async function switchSeed(seed: Uint8Array): Promise<void> {
  const viewer = await unlockAndSignIn(seed);
  void viewer;
  await queryClient.invalidateQueries({ queryKey: ['staff'] });
}
