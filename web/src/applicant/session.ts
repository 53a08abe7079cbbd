/**
 * The applicant's session in this tab: the unlocked seed (in memory only, gone on lock, reload or
 * closing the tab), the bearer token it signs in for (15 minutes, renewed when it lapses), and
 * transactions signed with it. Kept outside React so that moving between pages keeps the tab
 * unlocked.
 */
import { AidError, publicKeyFromSeed, signIn, toHex, type Lang, type Outcome } from '@sdk';
import { client, queryClient } from '../lib/api';
import { changeSignal } from '../lib/changes';
import { storedKey, storeKey, type StoredKey } from './keystore';
import type * as Submission from '../lib/submission';

export interface Unlocked {
  seed: Uint8Array;
  /** The public key, hex. */
  key: string;
}

let current: Unlocked | null = null;
/** Bumped when the stored key changes (created, restored, forgotten). */
let storeVersion = 0;
const signal = changeSignal();
const emit = signal.emit;

/** The unlocked key of this tab, or null. */
export function useUnlocked(): Unlocked | null {
  return signal.use(() => current, null);
}

/** The sealed key this browser holds (re-read when it changes). */
export function useStoredKey(): StoredKey | undefined {
  const v = signal.use(() => storeVersion, 0);
  void v;
  return storedKey();
}

/** Marks the stored key as changed, so pages read it again. */
export function storedKeyChanged(): void {
  storeVersion++;
  emit();
}

export function unlock(seed: Uint8Array): void {
  current = { seed, key: toHex(publicKeyFromSeed(seed)) };
  token = undefined;
  emit();
}

/** Drops the seed and the token, and every private answer the cache holds. */
export function lock(): void {
  current?.seed.fill(0);
  current = null;
  token = undefined;
  queryClient.removeQueries({ queryKey: ['me'] });
  emit();
}

// ---- the ledger ----------------------------------------------------------------------------

/** The node's chain id, which every signature names. */
export async function chainId(): Promise<string> {
  const h = await queryClient.fetchQuery({
    queryKey: ['health'],
    queryFn: () => client.health(),
  });
  return h.chain;
}

/** The transaction builder (lib/submission.ts), fetched once, when first needed or asked for. */
let builder: Promise<typeof Submission> | undefined;

/**
 * Starts fetching the transaction builder, for a form about to sign (creating an account), so
 * that signing does not wait for it.
 */
export function prepareToSign(): Promise<typeof Submission> {
  builder ??= import('../lib/submission').catch((e: unknown) => {
    builder = undefined;
    throw e;
  });
  return builder;
}

function requireUnlocked(): Unlocked {
  if (!current) throw new AidError('UNAUTHORIZED', 'the key is locked');
  return current;
}

/** Signs a transaction with the unlocked key and submits it; resolves once committed. */
export async function submitSigned(spec: {
  type: string;
  payload: Record<string, unknown>;
  facts?: Record<string, unknown>;
}): Promise<Outcome> {
  const u = requireUnlocked();
  const [chain, { buildSubmission }] = await Promise.all([chainId(), prepareToSign()]);
  return client.submit(buildSubmission({ chain, ...spec }, u.seed));
}

/** Registers the unlocked key as an applicant account (`accounts.register`, self-signed). */
export async function registerAccount(lang: Lang): Promise<Outcome> {
  const out = await submitSigned({ type: 'accounts.register', payload: { lang } });
  if (out.result.ok) markRegistered();
  return out;
}

function markRegistered(): void {
  const k = storedKey();
  if (k && !k.registered && current && k.key === current.key) {
    storeKey({ ...k, registered: true });
    storedKeyChanged();
  }
}

/** Tokens last 15 minutes on the node; renew a little before. */
const TOKEN_LIFE_MS = 14 * 60_000;
let token: { key: string; value: string; at: number } | undefined;
let pending: Promise<string> | undefined;

async function freshToken(lang: Lang): Promise<string> {
  const u = requireUnlocked();
  const chain = await chainId();
  try {
    return await signIn(client, chain, u.seed);
  } catch (e) {
    // A key made here whose registration never reached the ledger (offline at the time):
    // register it now and sign in again.
    const k = storedKey();
    if (e instanceof AidError && e.code === 'UNAUTHORIZED' && k?.key === u.key && !k.registered) {
      const out = await registerAccount(lang);
      if (!out.result.ok) throw new AidError('UNAUTHORIZED', `registration: ${out.result.code}`);
      return signIn(client, chain, u.seed);
    }
    throw e;
  }
}

async function getToken(lang: Lang, renew: boolean): Promise<string> {
  const u = requireUnlocked();
  if (!renew && token && token.key === u.key && Date.now() - token.at < TOKEN_LIFE_MS)
    return token.value;
  pending ??= freshToken(lang).finally(() => (pending = undefined));
  const value = await pending;
  token = { key: u.key, value, at: Date.now() };
  markRegistered();
  return value;
}

/** A token for the unlocked account, for the events stream; `renew` signs in afresh. */
export function liveToken(lang: Lang, renew: boolean): Promise<string> {
  return getToken(lang, renew);
}

/**
 * Runs a signed-in read with a token, signing in first when there is none or it lapsed, and
 * once more if the node says it lapsed anyway.
 */
export async function withToken<T>(lang: Lang, read: (token: string) => Promise<T>): Promise<T> {
  try {
    return await read(await getToken(lang, false));
  } catch (e) {
    if (e instanceof AidError && e.code === 'UNAUTHORIZED' && current)
      return read(await getToken(lang, true));
    throw e;
  }
}
