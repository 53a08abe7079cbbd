/**
 * Cases under protocol 3: one open case per patient per program, and a case bound to the family's
 * new phone by the treating hospital when the old one is lost.
 *
 * - `submit` is refused with `CASE_OPEN` while the patient has a case in the program that has not
 *   ended (`ENDED_STATES`), whoever applied for it: a second application from the same family, from
 *   another account, or from the hospital's social worker. So is an `appeal` of a rejected case
 *   while the patient has opened another one meanwhile. `cases/open/<patient>/<program>` names
 *   the patient's newest case there; the upgrade to version 3 writes it for the cases still open.
 * - `recover` binds a case to another registered applicant account and closes the account it
 *   was bound to, so its key is refused from then on. Signed by the treating hospital's clerk or
 *   social worker after checking the patient's identity in person, or by the applicant's old key
 *   (moving to a new phone while the old one still works). No server keeps a secret to recover.
 *
 * - `requestInfo` (a reviewer or the program's manager, from `assessed` or `appealed`) asks the
 *   applicant's side or the treating hospital for more information with a published reason code;
 *   `answerInfo` by whoever was asked returns the case to where it waited.
 *
 * Versions 1 and 2 are left exactly as they ran; this file only wraps their actions.
 */
import { z } from 'zod';
import { ENDED_STATES, type CaseRecord } from '../types.js';
import { TxRefSchema } from './aid-common.js';
import { SubmitFactsSchema } from '../application.js';
import { patientKey } from './attest.js';
import { AidError } from '../../../core/errors.js';
import { caseKeys, getCase, putCase } from './case-record.js';
import {
  cancelV3,
  casesV2,
  load,
  requireApplicantSide,
  requireHospital,
  requireOwner,
} from './cases.js';
import { transition } from './case-record.js';
import { InfoReasonSchema, PrivateNoteSchema } from '../reasons.js';
import {
  action,
  refuse,
  type Action,
  type ActionContext,
  type Contract,
  type StateScan,
  type StateView,
} from '../../../runtime/contract.js';
import { accountKeys, type AccountRecord } from '../../membership/contracts/accounts.js';

const KeySchema = z.string().regex(/^[0-9a-f]{64}$/, 'an Ed25519 public key, 64 hex digits');

function isOpen(rec: CaseRecord | undefined): rec is CaseRecord {
  return rec !== undefined && !(ENDED_STATES as readonly string[]).includes(rec.state);
}

/** The patient's case in the program that has not ended, if any other than `except`. */
function openCase(
  state: StateView,
  patient: string,
  program: string,
  except?: string,
): CaseRecord | undefined {
  const id = state.get<string>(caseKeys.open(patient, program));
  if (id === undefined || id === except) return undefined;
  const rec = state.get<CaseRecord>(caseKeys.case(id));
  return isOpen(rec) ? rec : undefined;
}

function refuseOpen(rec: CaseRecord): never {
  refuse('CASE_OPEN', `this patient has an open case in ${rec.program}: ${rec.id}`);
}

/** Runs `inner` (an action of version 2), then names the case the patient's open one. */
function wrap(
  inner: Action<never>,
  before: (ctx: ActionContext, payload: never) => void,
  caseOf: (ctx: ActionContext, payload: never) => string,
): Action<never> {
  return {
    ...inner,
    apply(ctx, payload) {
      before(ctx, payload);
      inner.apply(ctx, payload);
      const rec = getCase(ctx.state, caseOf(ctx, payload));
      ctx.state.put(caseKeys.open(rec.patient, rec.program), rec.id);
    },
  };
}

interface Submit {
  program: string;
}
interface CaseRef {
  case: string;
}

/**
 * The patient's key, as version 2's `submit` computes it from the same private part; undefined
 * when the part names no valid ID, which that action then refuses with its own code.
 */
function submitPatient(ctx: ActionContext): string | undefined {
  const parsed = SubmitFactsSchema.safeParse(ctx.facts);
  if (!parsed.success) return undefined;
  try {
    return patientKey(ctx.secrets, parsed.data.patient);
  } catch (e) {
    if (e instanceof AidError) return undefined;
    throw e;
  }
}

const submit = wrap(
  casesV2.actions.submit!,
  (ctx, payload: Submit) => {
    const patient = submitPatient(ctx);
    const open = patient === undefined ? undefined : openCase(ctx.state, patient, payload.program);
    if (open) refuseOpen(open);
  },
  (ctx) => ctx.txId,
);

const appeal = wrap(
  casesV2.actions.appeal!,
  (ctx, payload: CaseRef) => {
    const rec = getCase(ctx.state, payload.case);
    const open = openCase(ctx.state, rec.patient, rec.program, rec.id);
    if (open) refuseOpen(open);
  },
  (_ctx, payload: CaseRef) => payload.case,
);

const recover = action({
  schema: z.strictObject({ case: TxRefSchema, account: KeySchema }),
  roles: ['applicant', 'social-worker', 'clerk'],
  apply(ctx, p) {
    const rec = getCase(ctx.state, p.case);
    const current = rec.applicant.kind === 'account' ? rec.applicant.key : undefined;
    const self = current !== undefined && current === ctx.signer.key;
    if (!self) {
      if (ctx.signer.org === '')
        refuse('NOT_APPLICANT', 'only the case’s applicant or its treating hospital does this');
      if (ctx.signer.org !== rec.hospital)
        refuse('WRONG_ORG', `only ${rec.hospital}, the treating hospital, does this`);
    }
    if (p.account === current) refuse('INVALID_STATE', 'the case is bound to that account already');
    const next = ctx.state.get<AccountRecord>(accountKeys.account(p.account));
    if (next?.status !== 'active')
      refuse('NOT_FOUND', 'no open applicant account has that key: register it on the new phone');
    if (current !== undefined) {
      const old = ctx.state.get<AccountRecord>(accountKeys.account(current));
      if (old?.status === 'active')
        ctx.state.put(accountKeys.account(current), {
          ...old,
          status: 'closed',
        } satisfies AccountRecord);
    }
    putCase(ctx.state, {
      ...rec,
      applicant: { kind: 'account', key: p.account },
      updated: ctx.time,
      recovered: [
        ...(rec.recovered ?? []),
        { time: ctx.time, tx: ctx.txId, by: ctx.signer.member || 'applicant' },
      ],
    });
  },
});

/**
 * A reviewer (or the program's manager) asks the applicant's side or the treating hospital for
 * more information before deciding: a published reason code in public, any words in the private
 * part. The case waits in `info-requested` and no reviewer decides it meanwhile.
 */
const requestInfo = action({
  schema: z.strictObject({
    case: TxRefSchema,
    reason: InfoReasonSchema,
    from: z.enum(['applicant', 'hospital']),
  }),
  roles: ['reviewer', 'program-manager'],
  private: 'optional',
  facts: PrivateNoteSchema,
  apply(ctx, p) {
    const rec = load(ctx, p.case, ['assessed', 'appealed']);
    requireOwner(ctx, rec);
    const returnTo = rec.state as 'assessed' | 'appealed';
    putCase(ctx.state, {
      ...transition(ctx, rec, 'info-requested'),
      infoRequests: [
        ...(rec.infoRequests ?? []),
        {
          reason: p.reason,
          from: p.from,
          returnTo,
          asked: { time: ctx.time, tx: ctx.txId, by: ctx.signer.member },
        },
      ],
    });
  },
});

/**
 * The answer: by whoever was asked (the applicant or the hospital's social worker for the
 * applicant's side; the hospital's clerk or social worker for the hospital), with words in the
 * private part and documents attached beside it. The case goes back to where it waited.
 */
const answerInfo = action({
  schema: z.strictObject({ case: TxRefSchema }),
  roles: ['applicant', 'social-worker', 'clerk'],
  private: 'optional',
  facts: PrivateNoteSchema,
  apply(ctx, p) {
    const rec = load(ctx, p.case, ['info-requested']);
    const asks = rec.infoRequests ?? [];
    const open = asks[asks.length - 1];
    if (open === undefined || open.answered !== undefined)
      refuse('INVALID_STATE', 'no request for information is waiting');
    if (open.from === 'applicant') requireApplicantSide(ctx, rec);
    else requireHospital(ctx, rec);
    putCase(ctx.state, {
      ...transition(ctx, rec, open.returnTo),
      infoRequests: [
        ...asks.slice(0, -1),
        {
          ...open,
          answered: { time: ctx.time, tx: ctx.txId, by: ctx.signer.member || 'applicant' },
        },
      ],
    });
  },
});

/**
 * Protocol 3: version 2's cases with one open case per patient per program, recovery onto a new
 * phone, and requests for more information.
 */
export const casesV3: Contract = {
  ...casesV2,
  writes: [...(casesV2.writes ?? []), 'accounts/'],
  actions: {
    ...casesV2.actions,
    submit,
    appeal,
    recover,
    requestInfo,
    answerInfo,
    cancel: cancelV3,
  },
};

/** At the first block of version 3: names each patient's open case in each program. */
export function casesUpgradeV3(state: StateView, scan: StateScan): void {
  for (const { value } of scan(caseKeys.case(''))) {
    const rec = value as CaseRecord;
    // Where a patient has two open cases in a program (possible before version 3) the one
    // applied for later is named: a new application is refused while that one is open.
    if (!isOpen(rec)) continue;
    const key = caseKeys.open(rec.patient, rec.program);
    const named = state.get<string>(key);
    const other = named === undefined ? undefined : state.get<CaseRecord>(caseKeys.case(named));
    if (isOpen(other) && other.submitted > rec.submitted) continue;
    state.put(key, rec.id);
  }
}
