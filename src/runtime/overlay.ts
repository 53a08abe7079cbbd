/**
 * Layered state views. A block overlay collects the block's writes over the committed state; a
 * transaction overlay sits on it and is merged only if the transaction succeeds. Values are kept
 * as RFC 8785 text so the state digest hashes exactly what is stored.
 */
import { canonicalJson } from '../core/canonical.js';
import { AidError } from '../core/errors.js';
import type { KeyStatus, StateView } from './contract.js';

export class Overlay {
  readonly writes = new Map<string, string | null>();
  private reader: StateView | undefined;
  /** Signer keys' statuses worked out over this overlay (see `keyStatus`). */
  private readonly statuses = new Map<string, KeyStatus>();
  /** For each state key a status was worked out from, the signer keys whose status read it. */
  private readonly readers = new Map<string, string[]>();
  constructor(private readonly base: (key: string) => string | null | undefined) {}

  /**
   * The status of signer `key` as `resolve` works it out over this overlay, worked out once and
   * reused until one of the state keys it read is written here: a block signed by a few members
   * resolves each of them once, not once a transaction. `resolve` must be a function of what it
   * reads alone (a protocol's `resolveKey` is). The status is frozen: every transaction shares it.
   */
  keyStatus(key: string, resolve: (state: StateView, key: string) => KeyStatus): KeyStatus {
    const known = this.statuses.get(key);
    if (known !== undefined) return known;
    const read: string[] = [];
    const view = this.readView();
    const recording: StateView = {
      get: <T>(k: string): T | undefined => {
        read.push(k);
        return view.get<T>(k);
      },
      put: view.put,
      del: view.del,
    };
    const status = deepFreeze(resolve(recording, key));
    this.statuses.set(key, status);
    for (const k of read) {
      const who = this.readers.get(k);
      if (who === undefined) this.readers.set(k, [key]);
      else who.push(key);
    }
    return status;
  }

  /** A state key changed here: the statuses worked out from it are worked out again. */
  private changed(key: string): void {
    if (this.readers.size === 0) return;
    const who = this.readers.get(key);
    if (who === undefined) return;
    for (const signer of who) this.statuses.delete(signer);
    this.readers.delete(key);
  }

  /** A view that reads through this overlay and writes nothing; made once, reused. */
  readView(): StateView {
    this.reader ??= {
      get: <T>(key: string): T | undefined => {
        const v = this.read(key);
        return v === null || v === undefined ? undefined : (JSON.parse(v) as T);
      },
      put: (key) => {
        throw new AidError('CONFIG', `read-only view cannot write ${key}`);
      },
      del: (key) => {
        throw new AidError('CONFIG', `read-only view cannot delete ${key}`);
      },
    };
    return this.reader;
  }

  read(key: string): string | null | undefined {
    return this.writes.has(key) ? this.writes.get(key) : this.base(key);
  }

  /** A contract's view, allowed to write only under `prefixes` (its own `<contract>/` keys). */
  view(prefixes: readonly string[]): StateView {
    return {
      get: <T>(key: string): T | undefined => {
        const v = this.read(key);
        return v === null || v === undefined ? undefined : (JSON.parse(v) as T);
      },
      put: (key, value) => {
        this.checkKey(key, prefixes);
        this.set(key, canonicalJson(value));
      },
      del: (key) => {
        this.checkKey(key, prefixes);
        this.set(key, null);
      },
    };
  }

  set(key: string, value: string | null): void {
    this.writes.set(key, value);
    this.changed(key);
  }

  private checkKey(key: string, prefixes: readonly string[]): void {
    if (!prefixes.some((p) => key.startsWith(p)) || key.length > 1024) {
      throw new AidError('CONFIG', `contract wrote ${key} outside ${prefixes.join(', ')}`);
    }
  }

  mergeInto(parent: Overlay): void {
    for (const [k, v] of this.writes) parent.set(k, v);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
