/**
 * Erasure of private parts (right to erasure). A replay cannot run a transaction again without
 * its facts, so the state writes it made are kept in its place, bound by its block's state
 * digest. They are recorded here, from a replay of the whole file as `verify --dir` makes it,
 * not at every commit: erasure is rare, and a copy of every private transaction's writes doubled
 * what each block wrote. An erasure therefore takes as long as a `verify --dir`; a patient's
 * transactions are best erased together.
 */
import type { Ledger } from './ledger.js';
import { recordTxWrites } from './verify.js';

/**
 * Erases the private parts of `ids` that `ledger` holds, keeping the writes of each.
 * @returns the ids whose part was held and is now erased
 * @throws AidError VERIFY_FAILED when the file does not replay (nothing is erased), CONFIG when
 * the ledger has no consortium key to re-run transactions with private parts
 */
export async function erasePrivateParts(ledger: Ledger, ids: readonly string[]): Promise<string[]> {
  const held = new Set(ids.filter((id) => ledger.holdsPrivate(id)));
  if (held.size === 0) return [];
  const { writes } = await recordTxWrites(
    ledger.db.name,
    { registry: ledger.registry, secrets: ledger.secrets },
    held,
  );
  return ledger.erasePrivateKeeping(writes);
}
