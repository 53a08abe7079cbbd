/**
 * Applicant accounts. An applicant's key pair is made on their own device; registering it is a
 * transaction signed by that new key (so the key's holder proves they hold it), and from then on
 * the applicant signs their own applications. An account holds no personal data.
 */
import { z } from 'zod';
import { keys as membershipKeys } from './membership.js';
import { action, refuse, type Contract, type KeyStatus, type StateView } from './runtime.js';

export interface AccountRecord {
  key: string;
  status: 'active' | 'closed';
  since: number;
  /** The language the applicant reads: for notices and explanations. */
  lang: 'zh-Hant' | 'zh-Hans' | 'en';
}

export const accountKeys = {
  account: (key: string) => `accounts/k/${key}`,
};

export function resolveAccount(state: StateView, key: string): KeyStatus {
  const a = state.get<AccountRecord>(accountKeys.account(key));
  if (a === undefined) return { kind: 'unknown' };
  if (a.status !== 'active') return { kind: 'revoked', member: 'applicant' };
  return { kind: 'active', signer: { key, member: 'applicant', org: '', roles: ['applicant'] } };
}

const Lang = z.enum(['zh-Hant', 'zh-Hans', 'en']);

export const accounts: Contract = {
  name: 'accounts',
  actions: {
    register: action({
      schema: z.strictObject({ lang: Lang }),
      roles: [],
      selfSigned: true,
      apply(ctx, p) {
        if (ctx.state.get(membershipKeys.key(ctx.signer.key)) !== undefined)
          refuse('KEY_IN_USE', 'that key belongs to a member');
        ctx.state.put(accountKeys.account(ctx.signer.key), {
          key: ctx.signer.key,
          status: 'active',
          since: ctx.time,
          lang: p.lang,
        } satisfies AccountRecord);
      },
    }),
    close: action({
      schema: z.strictObject({}),
      roles: ['applicant'],
      apply(ctx) {
        const a = ctx.state.get<AccountRecord>(accountKeys.account(ctx.signer.key));
        if (!a) refuse('NOT_FOUND', 'no such account');
        ctx.state.put(accountKeys.account(ctx.signer.key), { ...a, status: 'closed' });
      },
    }),
  },
};
