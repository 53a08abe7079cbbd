/**
 * Layered state views. A block overlay collects the block's writes over the committed state; a
 * transaction overlay sits on it and is merged only if the transaction succeeds. Values are kept
 * as RFC 8785 text so the state digest hashes exactly what is stored.
 */
import { canonicalJson } from '../core/canonical.js';
import { AidError } from '../core/errors.js';
import type { StateView } from './contract.js';

export class Overlay {
  readonly writes = new Map<string, string | null>();
  private reader: StateView | undefined;
  constructor(private readonly base: (key: string) => string | null | undefined) {}

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
        this.writes.set(key, canonicalJson(value));
      },
      del: (key) => {
        this.checkKey(key, prefixes);
        this.writes.set(key, null);
      },
    };
  }

  set(key: string, value: string | null): void {
    this.writes.set(key, value);
  }

  private checkKey(key: string, prefixes: readonly string[]): void {
    if (!prefixes.some((p) => key.startsWith(p)) || key.length > 1024) {
      throw new AidError('CONFIG', `contract wrote ${key} outside ${prefixes.join(', ')}`);
    }
  }

  mergeInto(parent: Overlay): void {
    for (const [k, v] of this.writes) parent.writes.set(k, v);
  }
}
