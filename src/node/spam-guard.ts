/**
 * Spam limits at the door. The ledger is permanent, so whatever is logged stays: an unauthenticated
 * caller must not be able to grow it without bound. After admission's own checks (src/ledger/
 * admission.ts), the node refuses, never orders and never logs:
 *
 * - a transaction signed by a key with no account and no membership: an unknown key, an
 *   applicant account that was closed, an organisation's node key (node keys sign checkpoints
 *   and sign in; they sign no transactions, not even an account registration);
 * - over the API, more than one account registration in one request body, and registrations
 *   beyond a limit per client address (an IPv6 /64 counts as one address) and per node;
 * - a transaction by an applicant account that would be refused when the log already records
 *   the account's daily allowance of refusals (counted per UTC day by block time, from the
 *   store, so a restart does not reset it).
 *
 * A registration is self-signed: its signature by the new key is the proof that the caller holds
 * that key. Members' refusals stay logged: they are evidence of what a member tried.
 */
import { AidError, type ErrorCode } from '../core/errors.js';
import { SlidingWindow } from '../core/sliding-window.js';
import { addressBucket } from '../core/address.js';
import type { OrgRecord } from '../domains/membership/contracts/membership.js';
import { findAction } from '../runtime/contract.js';
import type { KeyStatus } from '../runtime/contract.js';
import type { AdmittedItem } from '../runtime/execute.js';
import type { Ledger } from '../runtime/ledger.js';
import { DAY_MS } from '../runtime/refusals.js';

export interface SpamLimits {
  /** Account registrations in one request body. */
  registrationsPerRequest: number;
  /** Account registrations from one client address in any hour. */
  registrationsPerAddressPerHour: number;
  /** Account registrations over the API in any 24 hours, all addresses together. */
  registrationsPerDay: number;
  /** Refused transactions an applicant account may have logged per UTC day. */
  applicantRefusalsPerDay: number;
  /** Sign-ins of one key in any minute. */
  signInsPerKeyPerMinute: number;
}

export const DEFAULT_SPAM_LIMITS: SpamLimits = {
  registrationsPerRequest: 1,
  registrationsPerAddressPerHour: 10,
  registrationsPerDay: 1000,
  applicantRefusalsPerDay: 10,
  signInsPerKeyPerMinute: 30,
};

/** The defaults overridden by each layer in turn (node.json, then the node's options). */
export function spamLimits(
  ...layers: ({ [K in keyof SpamLimits]?: number | undefined } | undefined)[]
): SpamLimits {
  const out = { ...DEFAULT_SPAM_LIMITS };
  for (const layer of layers)
    for (const k of Object.keys(out) as (keyof SpamLimits)[]) {
      const v = layer?.[k];
      if (v !== undefined) out[k] = v;
    }
  return out;
}

const HOUR_MS = 3_600_000;
/** Client addresses tracked at once. Past it the least recent is forgotten, which only lets
 * that address start afresh: the limit per node still holds. */
const MAX_TRACKED_ADDRESSES = 100_000;

export { addressBucket };

/** Who sent a submission: a client over the API (its address), or the node's own tools. */
export interface Origin {
  /** The client's IP address; absent for submissions from the node's own process. */
  client?: string;
}

export class SpamGuard {
  private readonly perAddress: SlidingWindow;
  private readonly perNode: SlidingWindow;
  /** Refusals predicted for applicant keys in requests admitted but not yet answered. */
  private readonly inflight = new Map<string, number>();

  constructor(
    private readonly ledger: Ledger,
    readonly limits: SpamLimits,
  ) {
    this.perAddress = new SlidingWindow({
      limit: limits.registrationsPerAddressPerHour,
      windowMs: HOUR_MS,
      maxKeys: MAX_TRACKED_ADDRESSES,
    });
    this.perNode = new SlidingWindow({
      limit: limits.registrationsPerDay,
      windowMs: DAY_MS,
      maxKeys: 1,
    });
  }

  /**
   * Applies the rules to a request's admitted items (`committed`: each one's outcome when it is
   * in the log already, as the caller looked it up). Returns a function to call once the
   * request is answered. The client's address is used for counting only and never kept beyond
   * its window nor logged.
   * @throws AidError UNKNOWN_KEY, TOO_MANY or RATE_LIMITED (`details.retryAfter`, seconds),
   * with `details.index` when `many`.
   */
  admit(
    items: readonly AdmittedItem[],
    many: boolean,
    now: number,
    origin: Origin,
    committed: readonly (unknown | undefined)[] = items.map((it) => this.ledger.findTx(it.id)),
  ): () => void {
    const refuse = (code: ErrorCode, msg: string, i: number, extra = {}): never => {
      throw new AidError(code, msg, { details: { ...(many ? { index: i } : {}), ...extra } });
    };
    const protocol = this.ledger.protocolFor(this.ledger.height + 1);
    const isRegistration = (i: number) =>
      findAction(protocol, items[i]!.tx.type)?.selfSigned === true;
    // Resubmitting a committed transaction only fetches its outcome: no rule applies to it.
    const fresh = committed.map((c) => c === undefined);

    const applicants = new Set<string>();
    const registrations: number[] = [];
    // The organisations' node keys, read once a request and only if a registration needs them.
    let nodeKeys: ReadonlySet<string | null> | undefined;
    // A batch usually comes from a few signers: look each one up once.
    const statuses = new Map<string, KeyStatus>();
    for (let i = 0; i < items.length; i++) {
      if (!fresh[i]) continue;
      const signer = items[i]!.tx.signer;
      let s = statuses.get(signer);
      if (s === undefined) {
        s = this.ledger.keyStatus(signer);
        statuses.set(signer, s);
      }
      if (s.kind === 'revoked' && s.member === 'applicant')
        refuse('UNKNOWN_KEY', 'the applicant account of this key was closed', i);
      // A revoked member's key was often revoked because it leaked: whoever holds it now may not
      // grow the log with refusals. (One revoked after admission is still refused, and logged,
      // when its transaction executes.)
      if (s.kind === 'revoked') refuse('KEY_REVOKED', `the key of ${s.member} was revoked`, i);
      if (isRegistration(i)) {
        if (s.kind === 'unknown' && (nodeKeys ??= this.nodeKeys()).has(signer))
          refuse('UNKNOWN_KEY', "an organisation's node key signs no transactions", i);
        registrations.push(i);
      }
      if (s.kind === 'active' && s.signer.org === '') applicants.add(signer);
    }

    let address: string | undefined;
    if (origin.client !== undefined && registrations.length > 0) {
      const most = this.limits.registrationsPerRequest;
      if (registrations.length > most)
        refuse('TOO_MANY', `at most ${most} account registrations a request`, registrations[most]!);
      address = addressBucket(origin.client);
      const wait = Math.max(this.perAddress.wait(address, now), this.perNode.wait('', now));
      if (wait > 0)
        refuse(
          'RATE_LIMITED',
          'too many account registrations; try again later',
          registrations[0]!,
          {
            retryAfter: Math.ceil(wait / 1000),
          },
        );
    }

    const predicted =
      applicants.size > 0
        ? this.applicantRefusals(items, fresh, applicants, now, many)
        : new Map<string, number>();
    if (predicted instanceof AidError) throw predicted;

    if (address !== undefined) {
      this.perAddress.hit(address, now);
      this.perNode.hit('', now);
    }
    for (const [k, n] of predicted) this.inflight.set(k, (this.inflight.get(k) ?? 0) + n);
    return () => {
      for (const [k, n] of predicted) {
        const left = (this.inflight.get(k) ?? 0) - n;
        if (left > 0) this.inflight.set(k, left);
        else this.inflight.delete(k);
      }
    };
  }

  /**
   * Counts, per applicant key, the request's transactions that may be refused: while no key could
   * pass its allowance even if every one of them were refused, all of them (an upper bound, at no
   * cost); otherwise those that a preview against the committed state says would be. Returns the
   * counts, to hold as in flight until the request is answered, or the refusal for the first
   * transaction beyond its key's daily allowance.
   */
  private applicantRefusals(
    items: readonly AdmittedItem[],
    fresh: readonly boolean[],
    applicants: ReadonlySet<string>,
    now: number,
    many: boolean,
  ): Map<string, number> | AidError {
    const used = (k: string) => this.ledger.refusalsOn(k, now) + (this.inflight.get(k) ?? 0);
    const mine = new Map<string, number>();
    let last = -1;
    for (let i = 0; i < items.length; i++) {
      const k = items[i]!.tx.signer;
      if (!fresh[i] || !applicants.has(k)) continue;
      mine.set(k, (mine.get(k) ?? 0) + 1);
      last = i;
    }
    const limit = this.limits.applicantRefusalsPerDay;
    if ([...mine].every(([k, n]) => used(k) + n <= limit)) return mine;

    const at = items.map((_, i) => i).filter((i) => i <= last && fresh[i]);
    const run = at.map((i) => items[i]!);
    let results;
    try {
      results = this.ledger.preview(run, now);
    } catch {
      // What cannot be previewed is left to execution, which records it as it always has.
      return new Map();
    }
    const counts = new Map<string, number>();
    for (let j = 0; j < run.length; j++) {
      const signer = run[j]!.tx.signer;
      const r = results[j]!;
      if (r.ok || !applicants.has(signer)) continue;
      const n = counts.get(signer) ?? 0;
      if (used(signer) + n >= limit) {
        const midnight = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
        return new AidError(
          'RATE_LIMITED',
          `this account has had ${limit} refused transactions today; this one would be refused too`,
          {
            details: {
              ...(many ? { index: at[j]! } : {}),
              wouldBe: r.code,
              retryAfter: Math.ceil((midnight - now) / 1000),
            },
          },
        );
      }
      counts.set(signer, n + 1);
    }
    return counts;
  }

  /** Every organisation's node key in the committed state. */
  private nodeKeys(): ReadonlySet<string | null> {
    return new Set(
      this.ledger
        .stateScan('membership/org/')
        .map((r) => (JSON.parse(r.value) as OrgRecord).nodeKey),
    );
  }
}
