/**
 * Executes one ordered transaction against the block's state (DESIGN §3, "admission vs
 * execution"). Order of checks: nonce (a reused nonce changes nothing at all), then the nonce is
 * used up, then key status, action, role, private part and the contract's own rules. A refusal
 * keeps only the nonce write.
 */
import type { TxResult } from '../chain/leaf.js';
import type { PrivatePart, SignedTx } from '../chain/tx.js';
import type { TxId } from '../chain/schemas.js';
import type { ExecutionCode } from '../core/errors.js';
import type { Genesis } from '../chain/genesis.js';
import {
  ContractError,
  findAction,
  type Action,
  type Protocol,
  type Secrets,
  type SignatureCheck,
  type SignatureClaim,
  type Signer,
} from './contract.js';
import { verifyHexOnce } from './node-ed25519.js';
import { Overlay } from './overlay.js';

/** A transaction that passed admission: parsed, canonical, signature checked. */
export interface AdmittedItem {
  id: TxId;
  /** The transaction's exact RFC 8785 text. */
  text: string;
  tx: SignedTx;
  private: PrivatePart | undefined;
  /** The submission's RFC 8785 text (`{"private":…,"tx":…}`): what an etcd batch carries. */
  itemText?: string;
  /** The RFC 8785 text of the private facts, as the commitment hashed it: what the store keeps. */
  factsText?: string;
  /**
   * The action schema's output for the payload under protocol `version`, from the signature
   * worker that also checked the facts against theirs: execution uses it instead of parsing
   * again when it runs the same version. It crossed a thread as a structured clone, which keeps
   * every value a schema outputs here (plain data, strings with a brand, bigint).
   */
  checked?: {
    version: number;
    payload: unknown;
    /** The action's `facts` schema's output for the private facts, when it has one. */
    facts?: unknown;
  };
  /** Signature checks already made and passed: a contract's proofs of possession (one or two). */
  proven?: readonly SignatureClaim[];
}

export const NONCE_PREFIX = 'ledger/nonce/';

export function nonceKey(tx: SignedTx): string {
  return `${NONCE_PREFIX}${tx.signer}/${tx.nonce}`;
}

/**
 * Runs `item` over `block`, merging its writes on success (and only the nonce on refusal).
 * Returns the result recorded in the log, and the writes this transaction made.
 */
export function executeTx(
  protocol: Protocol,
  block: Overlay,
  item: AdmittedItem,
  height: number,
  time: number,
  secrets: Secrets,
): { result: TxResult; writes: Map<string, string | null> } {
  const tx = item.tx;
  const nk = nonceKey(tx);
  if (block.read(nk) != null)
    return { result: { ok: false, code: 'NONCE_USED' }, writes: new Map() };
  const nonceOnly = (code: ExecutionCode) => {
    block.set(nk, '1');
    return { result: { ok: false as const, code }, writes: new Map([[nk, '1']]) };
  };

  const action = findAction(protocol, tx.type);
  const status = block.keyStatus(tx.signer, protocol.resolveKey);
  let signer: Signer;
  if (status.kind === 'active') signer = status.signer;
  else if (status.kind === 'unknown' && action?.selfSigned)
    signer = { key: tx.signer, member: '', org: '', roles: [] };
  else return nonceOnly(status.kind === 'unknown' ? 'UNKNOWN_KEY' : 'KEY_REVOKED');

  if (!action) return nonceOnly('UNKNOWN_TYPE');
  if (action.selfSigned && status.kind !== 'unknown') return nonceOnly('KEY_IN_USE');
  const allowed =
    action.selfSigned === true ||
    (action.roles === 'member'
      ? signer.org !== ''
      : signer.roles.some((r) => action.roles.includes(r)));
  if (!allowed) {
    return nonceOnly('FORBIDDEN_ROLE');
  }
  if (action.private === 'required' && item.private === undefined)
    return nonceOnly('PRIVATE_MISSING');
  if (action.private === undefined && tx.private !== undefined) return nonceOnly('MALFORMED');
  const payload = checkedPayload(protocol, action, item);
  if (payload === MALFORMED) return nonceOnly('MALFORMED');

  const txView = new Overlay((k) => block.read(k));
  txView.set(nk, '1');
  const name = tx.type.slice(0, tx.type.indexOf('.'));
  const contract = protocol.contracts.get(name)!;
  try {
    action.apply(
      {
        protocol: protocol.version,
        height,
        time,
        txId: item.id,
        signer,
        state: txView.view([`${name}/`, ...(contract.writes ?? [])]),
        facts: item.private?.facts,
        parseFacts: (schema) =>
          schema === action.facts &&
          item.checked?.version === protocol.version &&
          item.checked.facts !== undefined
            ? (item.checked.facts as never)
            : schema.parse(item.private?.facts),
        commitment: tx.private?.commitment,
        secrets,
        verifySignature: signatureCheck(item.proven),
      },
      payload as never,
    );
  } catch (e) {
    if (e instanceof ContractError) return nonceOnly(e.code);
    throw e;
  }
  txView.mergeInto(block);
  return { result: { ok: true }, writes: txView.writes };
}

export const MALFORMED = Symbol('malformed');

/**
 * The payload as `action`'s schema outputs it: the signature worker's output when it ran the
 * schemas of this same protocol version (its facts schema too), else parsed here. MALFORMED when
 * the payload or the facts do not fit.
 */
export function checkedPayload(
  protocol: Protocol,
  action: Action<never>,
  item: AdmittedItem,
): unknown {
  if (item.checked !== undefined && item.checked.version === protocol.version)
    return item.checked.payload;
  if (item.private && action.facts && !action.facts.safeParse(item.private.facts).success)
    return MALFORMED;
  const parsed = action.schema.safeParse(item.tx.payload);
  return parsed.success ? parsed.data : MALFORMED;
}

/** `ctx.verifySignature`: a check already passed is taken from `proven`, any other made here. */
function signatureCheck(proven: readonly SignatureClaim[] | undefined): SignatureCheck {
  if (proven === undefined || proven.length === 0) return verifyHexOnce;
  return (key, text, sig) =>
    proven.some((c) => c.sig === sig && c.key === key && c.text === text) ||
    verifyHexOnce(key, text, sig);
}

/**
 * At the first block of a newer protocol version, runs its upgrade over the committed state,
 * writing into the block's overlay (so into its state digest). `scan` reads committed rows.
 */
export function upgradeIfNew(
  protocol: Protocol,
  previous: number,
  block: Overlay,
  scan: (prefix: string) => { key: string; value: string }[],
  genesis: Genesis,
): void {
  if (protocol.version === previous || !protocol.upgrade) return;
  protocol.upgrade(
    block.view(['']),
    (prefix) => scan(prefix).map((r) => ({ key: r.key, value: JSON.parse(r.value) as unknown })),
    previous,
    genesis,
  );
}
