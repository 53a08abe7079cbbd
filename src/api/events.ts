/**
 * `GET /v1/events`: tells a signed-in screen, as server-sent events, when a committed block
 * changed something it may see (a case of its organisation or its own, a proposal, a member of
 * its organisation), so queues and case pages update without polling. Sign-in is by the
 * `Authorization` header (a web app reads the stream with `fetch`; no token goes in a URL).
 *
 * Each block's writes are read once, by every domain's reader, however many streams are open;
 * each stream is then told the changes its viewer may see, its viewer looked up again first, so a
 * revoked member's stream ends at the block that revokes them. A stream ends when its token
 * expires (`signed-out`), and the screen signs in again and reconnects. Streams are bounded per
 * key and per node, since each holds a socket open.
 */
import { z } from 'zod';
import { AidError } from '../core/errors.js';
import {
  ChangeSchema,
  type Change,
  type ChangeReader,
  type VisibleChange,
} from '../runtime/events.js';
import type { Ledger } from '../runtime/ledger.js';
import { EventStream, route, type Route, type Viewer } from '../runtime/routes.js';
import type { Auth } from './auth.js';

export interface EventLimits {
  /** Open streams one key may hold (several tabs, a tablet and a phone). */
  perKey: number;
  /** Open streams on the node. */
  total: number;
  /** Milliseconds between keep-alive comments. */
  keepAliveMs: number;
}

export const DEFAULT_EVENT_LIMITS: EventLimits = { perKey: 5, total: 1000, keepAliveMs: 20_000 };

type Listener = (height: number, changes: readonly VisibleChange[]) => void;

/** Reads each committed block once for every open stream. */
class EventHub {
  private readonly listeners = new Set<Listener>();
  private readonly perKey = new Map<string, number>();
  private stopLedger: (() => void) | undefined;

  constructor(
    private readonly ledger: Ledger,
    private readonly readers: readonly ChangeReader[],
  ) {}

  get open(): number {
    return this.listeners.size;
  }

  streamsOf(key: string): number {
    return this.perKey.get(key) ?? 0;
  }

  add(key: string, l: Listener): () => void {
    this.listeners.add(l);
    this.perKey.set(key, this.streamsOf(key) + 1);
    this.stopLedger ??= this.ledger.onCommit((height, writes) => this.tell(height, writes));
    return () => {
      if (!this.listeners.delete(l)) return;
      const n = this.streamsOf(key) - 1;
      if (n > 0) this.perKey.set(key, n);
      else this.perKey.delete(key);
      if (this.listeners.size === 0) {
        this.stopLedger?.();
        this.stopLedger = undefined;
      }
    };
  }

  private tell(height: number, writes: ReadonlyMap<string, string | null>): void {
    const changes = this.readers.flatMap((r) => r(writes));
    for (const l of this.listeners) l(height, changes);
  }
}

/** The events route, over the domains' readers. */
export function eventRoutes(
  ledger: Ledger,
  auth: Auth,
  readers: readonly ChangeReader[],
  limits: EventLimits = DEFAULT_EVENT_LIMITS,
): Route[] {
  const hub = new EventHub(ledger, readers);
  return [
    route({
      id: 'events',
      method: 'GET',
      path: '/v1/events',
      summary: 'Server-sent events: what each new block changed that the signed-in reader may see',
      description:
        'A `text/event-stream`. First `ready` `{height}` (read what you show as of this height), then for each block that changed something the reader may see, `changes` `{height, changes: [Change]}`: a change names a record (`aid` `case`, `membership` `proposal`, `member`, `org`) and its new state, never its contents. A comment line keeps the stream alive every 20 s. `signed-out` `{reason: "expired" | "revoked"}` ends the stream: sign in again and reconnect. At most 5 streams a key (`RATE_LIMITED`) and 1,000 a node (`UNAVAILABLE`).',
      access: 'signed-in',
      type: 'text/event-stream',
      response: z
        .string()
        .describe(
          `events: ready {height}; changes {height, changes: [${Object.keys(ChangeSchema.shape).join(', ')}]}; signed-out {reason}`,
        ),
      errors: {
        429: 'this key holds as many streams as it may',
        503: 'the node holds as many streams as it may',
      },
      handler: (req) => {
        const header = req.header('authorization')!;
        const { viewer, expires } = auth.session(header);
        if (hub.streamsOf(viewer.key) >= limits.perKey)
          throw new AidError('RATE_LIMITED', 'this key holds as many event streams as it may', {
            details: { retryAfter: 30 },
          });
        if (hub.open >= limits.total)
          throw new AidError('UNAVAILABLE', 'this node holds as many event streams as it may');
        return new EventStream((sink) => {
          let current: Viewer = viewer;
          const signedOut = (reason: 'expired' | 'revoked') => {
            sink.send('signed-out', { reason });
            sink.close();
          };
          const stop = hub.add(viewer.key, (height, changes) => {
            if (changes.length === 0) return;
            try {
              current = auth.session(header).viewer;
            } catch {
              return signedOut(auth.time() >= expires ? 'expired' : 'revoked');
            }
            const seen: Change[] = changes.filter((c) => c.visibleTo(current)).map((c) => c.change);
            if (seen.length > 0) sink.send('changes', { height, changes: seen });
          });
          const keepAlive = setInterval(() => sink.comment('keep-alive'), limits.keepAliveMs);
          const expiry = setTimeout(
            () => signedOut('expired'),
            Math.max(0, Math.min(expires - auth.time(), 2 ** 31 - 1)),
          );
          keepAlive.unref();
          expiry.unref();
          sink.send('ready', { height: ledger.height });
          return () => {
            stop();
            clearInterval(keepAlive);
            clearTimeout(expiry);
          };
        });
      },
    }),
  ];
}
