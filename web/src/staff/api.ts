/**
 * The workspace's signed-in reads and actions: every read goes through the session's token
 * (`withToken`) and is cached under `['staff', key, …]`, so locking drops them all; an action signs
 * a transaction with the unlocked key and refreshes what it may have changed.
 */
import { useCallback, useState } from 'react';
import { useQuery, type UseQueryOptions } from '@tanstack/react-query';
import { AidError, type Outcome } from '@sdk';
import { queryClient } from '../lib/api';
import { submitSigned, useStaffSession, withToken } from './session';

/** A signed-in read of the workspace, cached per key; disabled while locked. */
export function useStaffQuery<T>(
  key: readonly unknown[],
  read: (token: string) => Promise<T>,
  opts: Omit<UseQueryOptions<T>, 'queryKey' | 'queryFn'> = {},
) {
  const s = useStaffSession();
  return useQuery<T>({
    queryKey: ['staff', s?.key ?? '', ...key],
    queryFn: () => withToken(read),
    enabled: Boolean(s?.viewer) && (opts.enabled ?? true),
    ...opts,
  });
}

/** What an action came to: nothing yet, running, done, or refused with a code. */
export type ActionState =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'done'; outcome: Outcome }
  | { kind: 'failed'; code: string; error?: unknown };

/**
 * Signs and submits a transaction; a refusal (recorded by the ledger or at the door) is a
 * `failed` state with its code, never a thrown error. Refreshes the workspace's reads after.
 */
export function useSignedAction() {
  const [state, setState] = useState<ActionState>({ kind: 'idle' });
  const run = useCallback(
    async (spec: {
      type: string;
      payload: Record<string, unknown>;
      facts?: Record<string, unknown>;
    }): Promise<boolean> => {
      setState({ kind: 'busy' });
      try {
        const outcome = await submitSigned(spec);
        await queryClient.invalidateQueries({ queryKey: ['staff'] });
        await queryClient.invalidateQueries({ queryKey: ['governance'] });
        if (!outcome.result.ok) {
          setState({ kind: 'failed', code: outcome.result.code });
          return false;
        }
        setState({ kind: 'done', outcome });
        return true;
      } catch (e) {
        setState({
          kind: 'failed',
          code: e instanceof AidError ? e.code : 'UNAVAILABLE',
          error: e,
        });
        return false;
      }
    },
    [],
  );
  const reset = useCallback(() => setState({ kind: 'idle' }), []);
  return { state, run, reset };
}
