/**
 * A sliding-window counter of events per key (sign-ins of a key, registrations from an address),
 * bounded in memory: a key keeps at most `limit` timestamps, timestamps older than the window are
 * dropped, and past `maxKeys` the key touched longest ago is forgotten. Forgetting a key only
 * lets it start afresh, so callers pair a per-key window with a global one where that matters.
 * Time comes from the caller: the same code runs under a test's clock.
 */

export interface SlidingWindowOptions {
  /** Events allowed per key within the window (0: none). */
  limit: number;
  windowMs: number;
  /** Keys tracked at once; the least recently touched is dropped beyond it. */
  maxKeys: number;
}

export class SlidingWindow {
  /** Per key, event times ascending; Map order is the order keys were last touched. */
  private readonly events = new Map<string, number[]>();

  constructor(private readonly opts: SlidingWindowOptions) {}

  /** Milliseconds until `key` may have one more event (0: it may now). */
  wait(key: string, now: number): number {
    if (this.opts.limit <= 0) return this.opts.windowMs; // a limit of 0 allows nothing
    const list = this.live(key, now);
    if (list === undefined || list.length < this.opts.limit) return 0;
    return Math.max(1, list[list.length - this.opts.limit]! + this.opts.windowMs - now);
  }

  /** Records one event of `key` at `now`. */
  hit(key: string, now: number): void {
    const list = this.live(key, now) ?? [];
    list.push(now);
    if (list.length > this.opts.limit) list.splice(0, list.length - this.opts.limit);
    this.events.delete(key);
    this.events.set(key, list);
    if (this.events.size > this.opts.maxKeys) {
      const oldest = this.events.keys().next();
      if (!oldest.done) this.events.delete(oldest.value);
    }
  }

  /** How many keys are tracked now. */
  get size(): number {
    return this.events.size;
  }

  /** The key's events still inside the window, or undefined when none are. */
  private live(key: string, now: number): number[] | undefined {
    const list = this.events.get(key);
    if (list === undefined) return undefined;
    const from = now - this.opts.windowMs;
    let drop = 0;
    while (drop < list.length && list[drop]! <= from) drop++;
    if (drop === list.length) {
      this.events.delete(key);
      return undefined;
    }
    if (drop > 0) list.splice(0, drop);
    return list;
  }
}
