/**
 * Live updates for a signed-in screen: follows `GET /v1/events` (read with `fetch`, the token in
 * the Authorization header, never in a URL) and refreshes the cached reads a new block may have
 * changed, so queues and case pages follow the ledger without a reload and without polling. A
 * dropped stream is followed again after a pause that doubles up to a minute; an expired token is
 * renewed; a revoked key ends the session.
 */
import { useEffect } from 'react';
import { AidError, followEvents, type Change } from '@sdk';
import { client, queryClient } from './api';

/** How a screen follows the stream: its token, and what to do with what changed. */
export interface LiveOptions {
  /** A token for the signed-in key; `renew` asks for a fresh one (the last one expired). */
  token(renew: boolean): Promise<string>;
  /** The cached reads to refresh when a block changes something the viewer may see. */
  queryKey: readonly unknown[];
  /** The key was revoked while the screen was open. */
  revoked(): void;
  /** Called with each block's changes (after the refresh is asked for). */
  changes?(changes: Change[]): void;
}

const FIRST_PAUSE_MS = 1_000;
const LONGEST_PAUSE_MS = 60_000;

/**
 * Follows the events stream while `active` (the screen is signed in), refreshing `queryKey`'s
 * reads on every change and once more whenever the stream (re)opens, since a block may have been
 * missed while it was closed.
 */
export function useLiveUpdates(active: boolean, opts: LiveOptions): void {
  const { token, queryKey, revoked, changes } = opts;
  const keyText = JSON.stringify(queryKey);
  useEffect(() => {
    if (!active) return;
    const stop = new AbortController();
    const key = JSON.parse(keyText) as unknown[];
    const refresh = () => void queryClient.invalidateQueries({ queryKey: key });
    void (async () => {
      let pause = FIRST_PAUSE_MS;
      let renew = false;
      let opened = false;
      /** A fresh token was asked for since the stream last opened. */
      let renewed = false;
      while (!stop.signal.aborted) {
        const end: { reason: 'revoked' | 'expired' | 'closed' } = { reason: 'closed' };
        let t: string | undefined;
        try {
          t = await token(renew);
        } catch (e) {
          if (stop.signal.aborted) return;
          // The node no longer lets the key sign in: it was revoked.
          if (e instanceof AidError && e.code === 'UNAUTHORIZED') return revoked();
        }
        renew = false;
        if (t !== undefined)
          try {
            await followEvents(
              client,
              t,
              {
                ready: () => {
                  pause = FIRST_PAUSE_MS;
                  renewed = false;
                  // The first opening follows the page's own first reads; a reopening may have
                  // missed blocks.
                  if (opened) refresh();
                  opened = true;
                },
                changes: (_h, list) => {
                  refresh();
                  changes?.(list);
                },
                signedOut: (reason) => (end.reason = reason),
              },
              stop.signal,
            );
          } catch (e) {
            if (stop.signal.aborted) return;
            if (e instanceof AidError && e.code === 'UNAUTHORIZED') end.reason = 'expired';
          }
        if (stop.signal.aborted) return;
        if (end.reason === 'revoked') return revoked();
        if (end.reason === 'expired' && !renewed) {
          renew = renewed = true;
          continue;
        }
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
      }
    })();
    return () => stop.abort();
    // `token`, `revoked` and `changes` are read when called; the stream depends on the key only.
  }, [active, keyText]);
}
