/**
 * Follows `GET /v1/events` from a browser or Node: the stream is read with `fetch`, so sign-in
 * travels in the Authorization header (the browser's EventSource cannot send one, and a token in a
 * URL would end up in logs). Browser-safe.
 */
import { AidClient } from './client.js';
import { AidError } from '../core/errors.js';

/** A record a block changed: which domain keeps it, what it is, its id and its new state. */
export interface Change {
  domain: string;
  kind: string;
  id: string;
  state?: string;
}

export interface EventHandlers {
  /** The stream is live from this height: read what the screen shows as of it. */
  ready?(height: number): void;
  /** A block changed records the reader may see. */
  changes?(height: number, changes: Change[]): void;
  /** The token expired or the key was revoked: sign in again (then follow again). */
  signedOut?(reason: 'expired' | 'revoked'): void;
}

/**
 * Reads events until `signal` aborts or the node ends the stream; resolves then.
 * @throws AidError UNAUTHORIZED, RATE_LIMITED, UNAVAILABLE when the stream cannot be opened.
 */
export async function followEvents(
  client: AidClient | string,
  token: string,
  on: EventHandlers,
  signal: AbortSignal,
): Promise<void> {
  const c = typeof client === 'string' ? new AidClient(client) : client;
  const res = await c.openStream('/v1/events', token, signal);
  if (!res.body) throw new AidError('UNAVAILABLE', 'the node sent no event stream');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += value;
      let cut: number;
      while ((cut = buf.indexOf('\n\n')) >= 0) {
        dispatch(buf.slice(0, cut), on);
        buf = buf.slice(cut + 2);
      }
    }
  } catch (e) {
    if (signal.aborted) return;
    throw e;
  } finally {
    reader.releaseLock();
  }
}

function dispatch(block: string, on: EventHandlers): void {
  let event = '';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data += line.slice(6);
  }
  if (event === '' || data === '') return; // a keep-alive comment
  const d = JSON.parse(data) as { height?: number; changes?: Change[]; reason?: string };
  if (event === 'ready') on.ready?.(d.height ?? 0);
  else if (event === 'changes') on.changes?.(d.height ?? 0, d.changes ?? []);
  else if (event === 'signed-out') on.signedOut?.(d.reason === 'revoked' ? 'revoked' : 'expired');
}
