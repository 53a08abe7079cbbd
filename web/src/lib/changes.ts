/**
 * A value kept outside React (a tab's unlocked key, the version of a stored key) that components
 * read and follow: `emit` after changing it, `use` in a component to re-render on each change.
 */
import { useSyncExternalStore } from 'react';

export function changeSignal() {
  const listeners = new Set<() => void>();
  const subscribe = (l: () => void) => {
    listeners.add(l);
    return () => void listeners.delete(l);
  };
  return {
    emit(): void {
      for (const l of listeners) l();
    },
    /** Reads `get()` now and again after every `emit`; `fallback` when rendered on no page. */
    use<T>(get: () => T, fallback: T): T {
      return useSyncExternalStore(subscribe, get, () => fallback);
    },
  };
}
