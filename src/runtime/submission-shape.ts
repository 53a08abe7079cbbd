/**
 * The shape a submission's JSON text may have, checked before it is parsed (see
 * core/json-shape.ts): at the door on every request body, and on every item of a batch read
 * from etcd or served by a peer. The limits are generous for every action of the protocol and
 * small enough that no item can cost a signature worker more than a few megabytes.
 */
import { canonicalJson } from '../core/canonical.js';
import { AidError } from '../core/errors.js';
import { scanJsonShape, type JsonShapeLimits } from '../core/json-shape.js';

/** The admission limits the shape follows (see admission.ts). */
export interface ShapeBudget {
  /** Largest accepted transaction, in characters of its canonical text. */
  maxTxBytes: number;
  /** Most submissions in one request. */
  maxBatch: number;
}

/** Room for a private part beside its transaction, in characters of its JSON text. */
export const PRIVATE_ALLOWANCE = 64 * 1024;

/**
 * Most values in one request body: a thousand submissions of a thousand values each, or about
 * 60 MB once parsed, whatever the body's bytes hold.
 */
export const MAX_BODY_VALUES = 1_000_000;

/**
 * The shape limits of one submission under `limits`: a transaction of at most `maxTxBytes` and
 * its private part. The deepest action payload nests about ten levels, the longest array of any
 * schema holds 200 elements and the longest string 4,000 characters.
 */
export function submissionShape(limits: ShapeBudget): JsonShapeLimits {
  return {
    maxDepth: 32,
    maxElements: 1024,
    maxStringLength: 16 * 1024,
    maxNumberLength: 64,
    maxValues: 8192,
    maxItemLength: limits.maxTxBytes + PRIVATE_ALLOWANCE,
  };
}

/**
 * Checks a request body before it is parsed: one submission, or (`many`) an array of at most
 * `maxBatch` of them.
 * @returns with `many`, where each submission starts and ends in `body` (see `scanJsonShape`)
 * @throws AidError MALFORMED, TOO_LARGE or TOO_MANY, with `details.index` for an item at fault.
 */
export function scanSubmissions(body: string, many: boolean, limits: ShapeBudget): number[] {
  const list = { maxItems: limits.maxBatch, maxValues: MAX_BODY_VALUES };
  return scanJsonShape(body, submissionShape(limits), many ? list : undefined);
}

/**
 * The refusal of one already parsed item of a batch (from etcd or a peer), judged on its RFC 8785
 * text, which is how the proposer wrote it: the same on every node. Undefined when it passes.
 */
export function submissionShapeRefusal(value: unknown, limits: ShapeBudget): AidError | undefined {
  try {
    scanJsonShape(canonicalJson(value), submissionShape(limits));
    return undefined;
  } catch (e) {
    if (e instanceof AidError) return e;
    return new AidError('MALFORMED', 'an item has no RFC 8785 form', { cause: e });
  }
}
