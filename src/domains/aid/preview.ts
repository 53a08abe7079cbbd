/**
 * What a draft of a program's rules would have decided on the program's past cases: for each case
 * already assessed, its recorded decision beside the draft's, on the very facts and figures that
 * assessment used. The facts come back from the assessment's own private part (the sources it
 * carried, salts and all) through the contract's `gatherFacts`, the conditions are evaluated by the
 * contract's `evaluate`, and the amount by its `benefitFormula` on the expense and the year's use
 * the decision recorded, so a draft equal to the version that decided a case decides it the same.
 *
 * Runs on the program owner's node, which holds the private parts; the route (routes.ts) lets only
 * the program's own managers and reviewers ask, a page of cases at a time.
 */
import type { ProgramSpec } from './contracts/programs.js';
import { benefitFormula, evaluate, gatherFacts } from './contracts/cases.js';
import type { Attestation, PatientAttestations } from './contracts/attest.js';
import type { OrgType } from '../../chain/genesis.js';
import type { Secrets } from '../../runtime/contract.js';
import type { CaseRecord } from './types.js';
import { max } from './contracts/aid-common.js';
import { AidError, isAidError } from '../../core/errors.js';
import type { FactName } from './application.js';

/** What the preview needs of the node: private parts, transactions' order and signers' orgs. */
export interface PreviewSource {
  privatePart(tx: string): { salt: string; facts: unknown } | undefined;
  /** The transaction's position in the log, or undefined when unknown. */
  position(tx: string): number | undefined;
  /** The organisation (id and type) of the member who signed the transaction. */
  signerOrg(tx: string): { id: string; type: OrgType } | undefined;
}

export interface PreviewDecision {
  eligible: boolean;
  amount: string;
  /** The conditions that did not hold. */
  failed: string[];
}

/** One past case: what was decided and what the draft decides. */
export interface CasePreview {
  id: string;
  state: string;
  before: PreviewDecision & { version: number };
  after: (PreviewDecision & { review: 'auto' | 'one' | 'two' }) | null;
  /** Why the draft could not be evaluated on this case (its private parts were erased). */
  unavailable?: string;
}

/** The attestations in force when the case was assessed, rebuilt from the sources it carried. */
function attestationsAt(
  src: PreviewSource,
  rec: CaseRecord,
  sources: ReadonlyMap<string, Record<string, unknown>>,
): PatientAttestations {
  const facts: Partial<Record<FactName, Attestation>> = {};
  const txs = [...sources.keys()]
    .filter((tx) => tx !== rec.sources.submit.tx && tx !== rec.sources.verify?.tx)
    .map((tx) => ({ tx, at: src.position(tx) ?? -1 }))
    .sort((a, b) => a.at - b.at);
  // As `attest.facts` built them: the later attestation of a fact replaces the earlier.
  for (const { tx } of txs) {
    const org = src.signerOrg(tx);
    const person = (sources.get(tx)?.facts ?? {}) as Record<string, unknown>;
    if (!org) continue;
    for (const name of Object.keys(person))
      facts[name as FactName] = { tx, org: org.id, orgType: org.type, time: 0 };
  }
  return { facts, commitments: {} };
}

/**
 * The draft's decision on one assessed case.
 * @throws AidError NOT_FOUND when the assessment's private part is not held (erased).
 */
export function previewCase(
  src: PreviewSource,
  secrets: Secrets,
  rec: CaseRecord,
  draft: ProgramSpec,
): CasePreview {
  const d = rec.decision!;
  const before = {
    version: d.version,
    eligible: d.eligible,
    amount: d.benefit.amount,
    failed: d.conditions.filter((c) => !c.passed).map((c) => c.name),
  };
  const part = src.privatePart(d.tx) as
    { facts: { sources?: { tx: string; facts: Record<string, unknown> }[] } } | undefined;
  if (!part?.facts.sources)
    return {
      id: rec.id,
      state: rec.state,
      before,
      after: null,
      unavailable: 'the assessment’s private part is not held',
    };
  const sources = new Map(part.facts.sources.map((s) => [s.tx, s.facts]));
  let facts;
  try {
    ({ facts } = gatherFacts({ secrets }, rec, sources, attestationsAt(src, rec, sources)));
  } catch (e) {
    if (!isAidError(e) && !(e instanceof Error && e.name === 'ZodError')) throw e;
    return { id: rec.id, state: rec.state, before, after: null, unavailable: 'sources' };
  }
  const conditions = evaluate(draft, facts);
  const b = d.benefit;
  const base = BigInt(b.expense) - BigInt(b.claimedElsewhere);
  const yearLeft = max(0n, BigInt(draft.benefit.perPatientYearCap) - BigInt(b.usedThisYear));
  const amount = benefitFormula(draft.benefit, base, yearLeft).amount;
  const differ = (d.differences ?? []).length > 0;
  const review =
    amount <= BigInt(draft.review.autoApproveUpTo) && !differ
      ? 'auto'
      : amount > BigInt(draft.review.twoReviewersAbove)
        ? 'two'
        : 'one';
  return {
    id: rec.id,
    state: rec.state,
    before,
    after: {
      eligible: conditions.every((c) => c.passed),
      amount: amount.toString(),
      failed: conditions.filter((c) => !c.passed).map((c) => c.name),
      review,
    },
  };
}

/** What a decision grants: its amount when eligible, else nothing. */
export const granted = (d: PreviewDecision): bigint => (d.eligible ? BigInt(d.amount) : 0n);

/** Whether the draft decides a case otherwise than it was decided: eligibility or amount. */
export function changed(p: CasePreview): boolean {
  return (
    p.after !== null &&
    (p.after.eligible !== p.before.eligible || granted(p.after) !== granted(p.before))
  );
}

/** Refuses a draft of another program than the one in the address. */
export function checkDraftId(draft: ProgramSpec, id: string): void {
  if (draft.id !== id)
    throw new AidError('BAD_REQUEST', `the draft is of program ${draft.id}, not ${id}`);
}
