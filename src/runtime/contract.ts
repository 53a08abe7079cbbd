/**
 * The contract runtime's vocabulary. A contract is a deterministic module: a schema per action, the
 * roles allowed to call it, and a pure `apply` over a state view, the block time and the checked
 * private facts. No clock, randomness, I/O or floats; keys are `<contract>/<id>`.
 */
import type { z } from 'zod';
import { AidError, type ExecutionCode } from '../core/errors.js';
import type { Genesis } from '../chain/genesis.js';

/** Read and write access to the contract state during one transaction. Values are JSON. */
export interface StateView {
  get<T>(key: string): T | undefined;
  put(key: string, value: unknown): void;
  del(key: string): void;
}

export const ROLES = [
  'admin',
  'clerk',
  'social-worker',
  'reviewer',
  'finance',
  'program-manager',
  'auditor',
  'regulator',
  'operator',
] as const;
/** A role a member of an organisation can hold. */
export type MemberRole = (typeof ROLES)[number];
/** Member roles, and 'applicant': the holder of an applicant account, who belongs to no org. */
export type Role = MemberRole | 'applicant';

export interface Signer {
  key: string;
  /** `<org>/<name>` for a member; `applicant` for an applicant account. */
  member: string;
  /** Empty for an applicant account. */
  org: string;
  roles: readonly Role[];
}

/**
 * Keyed hashes under the consortium secret, which every member node holds and the public never
 * sees: deterministic across the consortium's nodes, unguessable outside it.
 */
export interface Secrets {
  /** `p<version>:<hex>`: the pseudonym of a validated national ID. */
  pseudonym(kind: string, canonicalId: string): string;
  /** The fingerprint of a normalised text (an invoice line), hex. */
  fingerprint(text: string): string;
}

/** Checks an Ed25519 signature (strict RFC 8032) over a UTF-8 text: deterministic on every node. */
export type SignatureCheck = (keyHex: string, text: string, sigHex: string) => boolean;

/** One signature check an action's `apply` will ask for (see `Action.signatures`). */
export interface SignatureClaim {
  key: string;
  text: string;
  sig: string;
}

export interface ActionContext {
  /** The protocol version executing this transaction. */
  protocol: number;
  height: number;
  /** The block time in milliseconds: the only clock a contract sees. */
  time: number;
  txId: string;
  signer: Signer;
  state: StateView;
  /** The private facts, already checked against the commitment; absent when there are none. */
  facts: Record<string, unknown> | undefined;
  /**
   * The private facts as `schema` outputs them: for the action's own `facts` schema, the output
   * admission already made on a signature worker (under this protocol version), so execution
   * does not run it again; for any other schema, or without it, `schema.parse(facts)`.
   * @throws what `schema.parse` throws
   */
  parseFacts<S extends z.ZodType>(schema: S): z.output<S>;
  /** The transaction's commitment to its private part, when it has one. */
  commitment: string | undefined;
  secrets: Secrets;
  /** Proof-of-possession checks: a new key signs the request that names it. */
  verifySignature: SignatureCheck;
}

export interface Action<P = unknown> {
  schema: z.ZodType<P>;
  /** Roles any one of which may call the action; 'member' lets any active member call it. */
  roles: readonly Role[] | 'member';
  /** Whether the action takes a private part; without this, it takes none. */
  private?: 'required' | 'optional';
  /** The shape of the private facts, checked at admission and again at execution. */
  facts?: z.ZodType;
  /** Signed by a key no one knows yet, which the action itself registers. */
  selfSigned?: boolean;
  /**
   * The checks `apply` will ask `ctx.verifySignature` for (proofs of possession), predicted from
   * the checked payload, the signer as the committed state knows it and the chain: they are run
   * ahead on the signature workers. Only a prediction: `apply` still asks, and a check that was
   * not predicted (or whose signer changed meanwhile) is made inline, so results never depend on
   * it.
   */
  signatures?(payload: P, signer: Signer, chain: string): SignatureClaim[];
  apply(ctx: ActionContext, payload: P): void;
}

export interface Contract {
  name: string;
  actions: Readonly<Record<string, Action<never>>>;
  /** Other contracts' state this one writes through their exported functions. */
  writes?: readonly string[];
}

/** Defines an action with its payload type inferred from the schema. */
export function action<S extends z.ZodType>(a: {
  schema: S;
  roles: readonly Role[] | 'member';
  private?: 'required' | 'optional';
  facts?: z.ZodType;
  selfSigned?: boolean;
  signatures?(payload: z.infer<S>, signer: Signer, chain: string): SignatureClaim[];
  apply(ctx: ActionContext, payload: z.infer<S>): void;
}): Action<never> {
  return a as unknown as Action<never>;
}

/** What a signer's key currently is, according to the membership state. */
export type KeyStatus =
  { kind: 'unknown' } | { kind: 'revoked'; member: string } | { kind: 'active'; signer: Signer };

/** Committed state under a key prefix, in UTF-8 key order, values parsed. */
export type StateScan = (prefix: string) => { key: string; value: unknown }[];

/**
 * One version of the contract code, in force from a height given by the genesis schedule or by an
 * adopted governance proposal (`membership` change `scheduleProtocol`).
 */
export interface Protocol {
  version: number;
  contracts: ReadonlyMap<string, Contract>;
  /** Writes the genesis state. */
  genesis(g: Genesis, state: StateView): void;
  resolveKey(state: StateView, key: string): KeyStatus;
  /**
   * Runs once, at the start of the first block this version executes on a ledger that ran an
   * older one: writes the state the new rules need (an index the old ones never kept). Its
   * writes belong to that block, so they are in its state digest and `verify` repeats them.
   */
  upgrade?(state: StateView, scan: StateScan, from: number, genesis: Genesis): void;
}

/** Looks up an action, or undefined when the type names none in this protocol. */
export function findAction(p: Protocol, type: string): Action<never> | undefined {
  const dot = type.indexOf('.');
  const c = p.contracts.get(type.slice(0, dot));
  return c && Object.hasOwn(c.actions, type.slice(dot + 1))
    ? c.actions[type.slice(dot + 1)]
    : undefined;
}

/** A refusal by a contract: recorded in the log with its code, changes nothing but the nonce. */
export class ContractError extends AidError {
  /** What the log records for the refused transaction. */
  declare readonly code: ExecutionCode;

  constructor(code: ExecutionCode, message: string) {
    super(code, message);
    this.name = 'ContractError';
  }
}

export function refuse(code: ExecutionCode, message: string): never {
  throw new ContractError(code, message);
}
