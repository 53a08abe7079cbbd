/**
 * Reads of the medical-aid state for the API, the CLI and the demo: programs and their money,
 * cases and their explanations, donations traced to the cases they paid. Public views carry no
 * personal data; the views with private facts are for callers the API has authorised.
 */
import {
  FACT_LABELS,
  REASON_LABELS,
  SOURCE_LABELS,
  STATE_LABELS,
  STEP_LABELS,
  OUTCOME_LABELS,
  type Lang,
} from './text.js';
import type { z } from 'zod';
import type { NationalIdSchema } from './application.js';
import { ENDED_STATES, type AssessmentSources, type Explanation } from './types.js';
import { REVIEW_REASONS } from './reasons.js';
import type {
  Disbursement,
  DonationTrace,
  FlowEnd,
  FundFlow,
  ProgramView,
  PublicCase,
  PublicDonation,
} from './public-types.js';

export type { Explanation };
import { compareUtf8 } from '../../core/bytes.js';
import { AidError } from '../../core/errors.js';
import { attestKeys, patientKey, type PatientAttestations } from './contracts/attest.js';
import { caseKeys, type CaseRecord } from './contracts/case-record.js';
import { donationKeys, type AllocationRecord, type DonationRecord } from './contracts/donations.js';
import {
  fundsKeys,
  programFunds,
  type JournalEntry,
  type Lot,
  type LotUse,
} from './contracts/journal.js';
import type { OrgRecord } from '../membership/contracts/membership.js';
import { MembershipQueries } from '../membership/model.js';
import {
  label,
  programKeys,
  ruleOf,
  type ProgramRecord,
  type ProgramVersion,
} from './contracts/programs.js';
import type { StateView } from '../../runtime/contract.js';
import type { Ledger } from '../../runtime/ledger.js';
import { Overlay } from '../../runtime/overlay.js';
import type { CaseFilter, CaseRow } from './projections.js';
import { caseIndex } from './projections.js';

/** Case states whose money is set aside or sent but not yet confirmed, and confirmed. */
const COMMITTED_STATES = ['funded', 'disbursed'] as const;
const PAID_STATES = ['confirmed', 'closed'] as const;
/** States whose steps move a case's money, shown on a donation's trace. */
const MONEY_STEPS: readonly string[] = ['funded', 'disbursed', 'confirmed', 'closed'];
const ALL = Number.MAX_SAFE_INTEGER;
/** How far back the recent-activity reader walks the journal before it stops looking. */
const ACTIVITY_SCAN = 50_000;

export class AidQueries {
  private readonly view: StateView;
  private readonly members: MembershipQueries;
  private flowsAt?: { size: number; flows: FundFlow[] };

  constructor(private readonly ledger: Ledger) {
    this.view = new Overlay((k) => ledger.stateGet(k)).readView();
    this.members = new MembershipQueries(ledger);
  }

  get<T>(key: string): T | undefined {
    return this.view.get<T>(key);
  }

  /**
   * The patient's case in the program that has not ended (protocol 3 keeps one), or undefined.
   * The ID number is turned into the patient's keyed pseudonym here and goes no further.
   */
  openCaseOf(patient: z.infer<typeof NationalIdSchema>, program: string): CaseRecord | undefined {
    const id = this.get<string>(caseKeys.open(patientKey(this.ledger.secrets, patient), program));
    const rec = id === undefined ? undefined : this.get<CaseRecord>(caseKeys.case(id));
    return rec !== undefined && !(ENDED_STATES as readonly string[]).includes(rec.state)
      ? rec
      : undefined;
  }

  private scan<T>(prefix: string, limit?: number): T[] {
    return this.ledger.stateScan(prefix, limit).map((r) => JSON.parse(r.value) as T);
  }

  org(id: string): OrgRecord | undefined {
    return this.members.org(id);
  }

  private orgName(id: string, lang: Lang): string {
    const o = this.org(id);
    return o ? o.names[lang] : id;
  }

  programRecord(id: string): ProgramRecord {
    return this.get<ProgramRecord>(programKeys.program(id)) ?? notFound(`no program ${id}`);
  }

  programVersion(id: string, version?: number): ProgramVersion {
    const v = version ?? this.programRecord(id).version;
    return (
      this.get<ProgramVersion>(programKeys.version(id, v)) ?? notFound(`no version ${v} of ${id}`)
    );
  }

  programVersions(id: string): { version: number; tx: string; time: number }[] {
    this.programRecord(id);
    return this.scan<ProgramVersion>(`programs/v/${id}/`).map((v) => ({
      version: v.version,
      tx: v.tx,
      time: v.time,
    }));
  }

  /** The facts each condition of a version reads, by condition name, in the rule's order. */
  conditionFacts(spec: ProgramVersion): Record<string, string[]> {
    return Object.fromEntries(spec.conditions.map((c) => [c.name, [...ruleOf(c.expr).reads]]));
  }

  frozen(kind: 'case' | 'program' | 'org', id: string): unknown {
    return this.get(`audit/freeze/${kind}/${id}`);
  }

  /** Every program with its money: what the public portal and `GET /v1/public/programs` show. */
  publicPrograms(lang: Lang = 'en'): ProgramView[] {
    return this.scan<ProgramRecord>('programs/p/').map((p) => this.publicProgram(p, lang));
  }

  publicProgram(p: ProgramRecord, lang: Lang = 'en'): ProgramView {
    const spec = this.programVersion(p.id, p.version);
    const f = programFunds(this.view, p.id);
    return {
      id: p.id,
      owner: p.owner,
      name: label(spec.names, lang),
      names: spec.names,
      currency: p.currency,
      version: p.version,
      open: p.open,
      frozen: this.frozen('program', p.id) !== undefined,
      budget: spec.budget,
      received: f.received.toString(),
      committed: (f.reserved + f.payable).toString(),
      paid: f.paid.toString(),
      available: f.available.toString(),
      returned: f.returned.toString(),
      cases: caseIndex(this.ledger).countByState(p.id),
    };
  }

  caseRecord(id: string): CaseRecord {
    return this.get<CaseRecord>(caseKeys.case(id)) ?? notFound(`no case ${id}`);
  }

  cases(filter: CaseFilter): CaseRow[] {
    return caseIndex(this.ledger).query(filter);
  }

  /** How many cases a filter matches in each state. */
  caseCounts(
    filter: Omit<CaseFilter, 'limit' | 'state' | 'states' | 'after'>,
  ): Record<string, number> {
    return caseIndex(this.ledger).countStates(filter);
  }

  /**
   * The private parts an assessment of the case must carry: the application, the hospital's
   * verification and every attestation in force for the patient, salts and all.
   * @throws AidError NOT_FOUND when one of them was erased or this node does not hold it.
   */
  assessmentSources(id: string): AssessmentSources {
    const rec = this.caseRecord(id);
    const att = this.get<PatientAttestations>(attestKeys.patient(rec.patient));
    const txs = [rec.sources.submit.tx];
    if (rec.sources.verify) txs.push(rec.sources.verify.tx);
    for (const tx of Object.keys(att?.commitments ?? {})) txs.push(tx);
    return {
      sources: txs.map((tx) => {
        const p = this.ledger.privatePart(tx);
        if (!p) throw new AidError('NOT_FOUND', `the private part of ${tx} is not held (erased?)`);
        // A private part is admitted only as a JSON object (PrivatePartSchema).
        return { tx, salt: p.salt, facts: p.facts as Record<string, unknown> };
      }),
    };
  }

  /**
   * A case's decision in the reader's language. Fact values by `show`: `all` (the program's
   * staff, regulators), `declared` (the applicant: only what they declared, never an attested
   * value, so a case naming someone else's ID shows nothing of theirs), `none`.
   */
  explain(id: string, lang: Lang, show: 'all' | 'declared' | 'none'): Explanation {
    const rec = this.caseRecord(id);
    const d = rec.decision ?? notFound(`case ${id} has not been assessed yet`);
    const spec = this.programVersion(rec.program, d.version);
    // When other cases took lines between assessment and approval, the approval's figures tell.
    const benefit = rec.approvedWith ?? d.benefit;
    const values = show === 'all' ? this.decisionValues(d.tx) : undefined;
    const declared = show === 'declared' ? this.declaredValues(rec.sources.submit.tx) : undefined;
    const submitTx = rec.sources.submit.tx;
    const fmtReason = (r: string | undefined) =>
      r === undefined ? {} : { reason: r, reasonLabel: REASON_LABELS[r]?.[lang] ?? r };
    const steps = (
      [
        'expense',
        'claimedElsewhere',
        'deductible',
        'afterDeductible',
        'rated',
        'perCaseCap',
        'perPatientYearCap',
        'usedThisYear',
        'amount',
      ] as const
    ).map((step) => ({
      step,
      label:
        step === 'rated'
          ? `${STEP_LABELS.rated![lang]} (${benefit.rateBp / 100}%)`
          : STEP_LABELS[step]![lang],
      value: String(benefit[step]),
    }));
    return {
      case: rec.id,
      program: rec.program,
      programName: label(spec.names, lang),
      version: d.version,
      lang,
      state: rec.state,
      stateLabel: STATE_LABELS[rec.state]?.[lang] ?? rec.state,
      eligible: d.eligible,
      ...fmtReason(rec.reason),
      review: d.review,
      conditions: d.conditions.map((c) => {
        const def = spec.conditions.find((x) => x.name === c.name);
        return {
          name: c.name,
          label: def ? label(def.labels, lang) : c.name,
          expr: def?.expr ?? '',
          passed: c.passed,
          ...fmtReason(c.reason),
          ...(c.detail === undefined ? {} : { detail: c.detail }),
          facts: c.facts.map((f) => ({
            name: f.name,
            label: FACT_LABELS[f.name]?.[lang] ?? f.name,
            source: f.source,
            sourceLabel: SOURCE_LABELS[f.source][lang].replace(
              '{org}',
              f.by === undefined ? '' : this.orgName(f.by, lang),
            ),
            ...(f.by === undefined ? {} : { by: f.by }),
            ...(values && f.tx !== undefined && values.has(`${f.tx}:${f.name}`)
              ? { value: values.get(`${f.tx}:${f.name}`) }
              : {}),
            ...(declared?.has(f.name)
              ? f.source === 'declared' && f.tx === submitTx
                ? { value: declared.get(f.name) }
                : { declared: declared.get(f.name) }
              : {}),
          })),
        };
      }),
      amount: {
        currency: spec.currency,
        steps,
        granted: d.benefit.amount,
        ...(rec.approvedWith ? { atApproval: rec.approvedWith.amount } : {}),
        ...(rec.amount === undefined ? {} : { approved: rec.amount }),
        ...(rec.reducedFrom === undefined ? {} : { reducedFrom: rec.reducedFrom }),
      },
      ...(d.differences === undefined
        ? {}
        : {
            differences: d.differences.map((name) => ({
              name,
              label: FACT_LABELS[name]?.[lang] ?? name,
            })),
          }),
      reviews: rec.reviews.map((r) => ({
        member: r.member,
        org: r.org,
        approve: r.approve,
        reason: r.reason,
        ...(Object.hasOwn(REVIEW_REASONS, r.reason)
          ? { reasonLabel: REVIEW_REASONS[r.reason as keyof typeof REVIEW_REASONS][lang] }
          : {}),
        time: r.time,
      })),
      shown: values ? 'all' : declared ? 'declared' : 'none',
      values: values !== undefined || declared !== undefined,
    };
  }

  /** What the applicant declared, by fact, from the application's private part. */
  private declaredValues(submitTx: string): Map<string, unknown> | undefined {
    const p = this.ledger.privatePart(submitTx) as
      { facts: { declared?: Record<string, unknown> } } | undefined;
    if (!p) return undefined;
    return new Map(Object.entries(p.facts.declared ?? {}));
  }

  /**
   * A case as the signed-in reader may see it. Under protocol 2 a payment's reference is in the
   * disbursement's private part: members (the paying program's staff, the hospital, regulators)
   * get it from there; an applicant does not.
   */
  caseForReader(rec: CaseRecord, member: boolean): CaseRecord {
    if (!member || rec.payments.every((p) => p.reference !== undefined)) return rec;
    return {
      ...rec,
      payments: rec.payments.map((p) => {
        if (p.reference !== undefined) return p;
        const part = this.ledger.privatePart(p.tx) as
          { facts: { reference?: unknown } } | undefined;
        const ref = part?.facts.reference;
        return typeof ref === 'string' ? { ...p, reference: ref } : p;
      }),
    };
  }

  /** The fact values an assessment evaluated, keyed `<source tx>:<fact>`, from its private part. */
  private decisionValues(assessTx: string): Map<string, unknown> | undefined {
    const p = this.ledger.privatePart(assessTx) as
      { facts: { sources: { tx: string; facts: Record<string, unknown> }[] } } | undefined;
    if (!p) return undefined;
    const out = new Map<string, unknown>();
    for (const s of p.facts.sources) {
      const f = s.facts;
      const person = (f.declared ?? f.facts) as Record<string, unknown> | undefined;
      for (const [k, v] of Object.entries(person ?? {})) out.set(`${s.tx}:${k}`, v);
      if (Array.isArray(f.lines)) {
        const lines = f.lines as { amount: string; insurancePaid: string }[];
        const total = lines.reduce((a, l) => a + BigInt(l.amount), 0n);
        const ins = lines.reduce((a, l) => a + BigInt(l.insurancePaid), 0n);
        out.set(`${s.tx}:diagnoses`, f.diagnoses);
        if (f.age !== undefined) out.set(`${s.tx}:age`, f.age);
        out.set(`${s.tx}:invoiceTotal`, total.toString());
        out.set(`${s.tx}:insurancePaid`, ins.toString());
        out.set(`${s.tx}:ownExpense`, (total - ins).toString());
      }
    }
    return out;
  }

  /** What the public may see of a case: no patient, no facts, only the path and the money. */
  publicCase(rec: CaseRecord, lang: Lang): PublicCase {
    return {
      id: rec.id,
      program: rec.program,
      owner: rec.owner,
      hospital: rec.hospital,
      state: rec.state,
      stateLabel: STATE_LABELS[rec.state]?.[lang] ?? rec.state,
      submitted: rec.submitted,
      updated: rec.updated,
      ...(rec.amount === undefined ? {} : { amount: rec.amount }),
      ...(rec.reducedFrom === undefined ? {} : { reducedFrom: rec.reducedFrom }),
      ...(rec.outcome === undefined
        ? {}
        : { outcome: rec.outcome, outcomeLabel: OUTCOME_LABELS[rec.outcome]?.[lang] }),
      history: rec.history,
    };
  }

  donation(id: string): DonationRecord {
    return this.get<DonationRecord>(donationKeys.donation(id)) ?? notFound(`no donation ${id}`);
  }

  allocation(id: string): AllocationRecord {
    return (
      this.get<AllocationRecord>(donationKeys.allocation(id)) ?? notFound(`no allocation ${id}`)
    );
  }

  donations(limit = 500): DonationRecord[] {
    return this.scan<DonationRecord>('donations/d/', limit);
  }

  /** Where a donation's (or an allocation's) money went: lot by lot, case by case. */
  trace(id: string, lang: Lang = 'en'): DonationTrace {
    const d = this.get<DonationRecord>(donationKeys.donation(id));
    const a = d ? undefined : this.get<AllocationRecord>(donationKeys.allocation(id));
    if (!d && !a) notFound(`no donation or allocation ${id}`);
    const lots = d
      ? d.lots.map((l) => ({ program: l.program, lot: l.lot }))
      : [{ program: a!.program, lot: a!.lot }];
    const out = lots.map((l) => {
      const lot = this.get<Lot>(fundsKeys.lot(l.program, l.lot))!;
      return {
        program: l.program,
        lot: l.lot,
        amount: lot.amount,
        remaining: lot.remaining,
        returned: lot.returned,
        cases: this.scan<LotUse>(fundsKeys.uses(l.program, l.lot), 100_000).map((u) => {
          const c = this.get<CaseRecord>(caseKeys.case(u.case));
          return {
            case: u.case,
            amount: u.amount,
            state: c?.state ?? 'unknown',
            stateLabel: c ? (STATE_LABELS[c.state]?.[lang] ?? c.state) : '',
            hospital: c?.hospital ?? '',
            paid: c !== undefined && ['confirmed', 'closed'].includes(c.state),
            // The steps that moved the case's money, each a transaction anyone can verify.
            steps: (c?.history ?? [])
              .filter((h) => MONEY_STEPS.includes(h.state))
              .map((h) => ({
                state: h.state,
                stateLabel: STATE_LABELS[h.state]?.[lang] ?? h.state,
                time: h.time,
                tx: h.tx,
              })),
          };
        }),
      };
    });
    const spent = out.reduce((s, l) => s + l.cases.reduce((x, c) => x + BigInt(c.amount), 0n), 0n);
    return {
      kind: d ? ('donation' as const) : ('allocation' as const),
      id,
      org: d ? d.org : a!.org,
      ...(d
        ? {
            donor: d.donor,
            amount: d.amount,
            currency: d.currency,
            program: d.program,
            unassigned: d.unassigned,
            rail: d.rail.kind,
            time: d.time,
          }
        : {
            amount: a!.amount,
            currency: this.programRecord(a!.program).currency,
            program: a!.program,
            // Under protocol 1 only: from protocol 2 the reference is in the private part.
            ...(a!.reference === undefined ? {} : { reference: a!.reference }),
            time: a!.time,
          }),
      spent: spent.toString(),
      lots: out,
    };
  }

  /** Which donations and allocations paid a case. */
  /**
   * Where a waitlisted case stands in its program's queue: how many approved cases still wait
   * before it (cases that left the queue are not counted). Undefined for a case not waiting.
   */
  waitlistPlace(rec: CaseRecord): { position: number; ahead: number } | undefined {
    if (rec.state !== 'waitlisted' || rec.waitSeq === undefined) return undefined;
    const q = this.get<{ head: number; tail: number }>(caseKeys.wait(rec.program));
    let ahead = 0;
    for (let seq = q?.head ?? 1; seq < rec.waitSeq; seq++) {
      const id = this.get<string>(caseKeys.waitEntry(rec.program, seq));
      const other = id === undefined ? undefined : this.get<CaseRecord>(caseKeys.case(id));
      if (other?.state === 'waitlisted') ahead++;
    }
    return { position: ahead + 1, ahead };
  }

  caseFunding(id: string) {
    const rec = this.caseRecord(id);
    return rec.fundedBy.map((f) => ({ ...f, source: f.source, lot: f.lot }));
  }

  /**
   * The public fund-flow diagram: donors by kind and budget allocations into programs, programs
   * out to hospitals (through their cases), to what is still available and to returns. Computed
   * from the lots, the case index and the accounts; recomputed only when the log has grown.
   */
  fundFlows(): FundFlow[] {
    const size = this.ledger.size;
    if (this.flowsAt?.size === size) return this.flowsAt.flows;
    const flows: FundFlow[] = [];
    const donations = new Map(this.donations(ALL).map((d) => [d.id, d]));
    const donorKinds = ['org', 'person', 'anonymous'] as const;
    // General donations not yet assigned: from their donors' kind to the receiving organisation.
    const unassigned = new Map<string, bigint>();
    for (const d of donations.values()) {
      if (d.program !== null || BigInt(d.unassigned) === 0n) continue;
      const k = `${d.donor.kind}\u0000${d.org}\u0000${d.currency}`;
      unassigned.set(k, (unassigned.get(k) ?? 0n) + BigInt(d.unassigned));
    }
    for (const [k, v] of [...unassigned].sort(([a], [b]) => compareUtf8(a, b))) {
      const [donor, org, currency] = k.split('\u0000') as [
        (typeof donorKinds)[number],
        string,
        string,
      ];
      flows.push({
        from: { kind: 'donors', donor },
        to: { kind: 'unassigned', org },
        currency,
        amount: v.toString(),
      });
    }
    for (const p of this.scan<ProgramRecord>('programs/p/', ALL)) {
      const to: FlowEnd = { kind: 'program', program: p.id };
      const currency = p.currency;
      const byDonor = new Map<string, bigint>();
      const byOrg = new Map<string, bigint>();
      for (const lot of this.scan<Lot>(`funds/lot/${p.id}/`, ALL)) {
        const amount = BigInt(lot.amount);
        if (lot.source.kind === 'donation') {
          const kind = donations.get(lot.source.id)?.donor.kind ?? 'anonymous';
          byDonor.set(kind, (byDonor.get(kind) ?? 0n) + amount);
        } else {
          const org = this.get<AllocationRecord>(donationKeys.allocation(lot.source.id))?.org;
          const k = org ?? p.owner;
          byOrg.set(k, (byOrg.get(k) ?? 0n) + amount);
        }
      }
      for (const [org, v] of [...byOrg].sort(([a], [b]) => compareUtf8(a, b)))
        flows.push({ from: { kind: 'allocation', org }, to, currency, amount: v.toString() });
      for (const donor of donorKinds) {
        const v = byDonor.get(donor);
        if (v) flows.push({ from: { kind: 'donors', donor }, to, currency, amount: v.toString() });
      }
      const hospitals = new Map<string, { committed: bigint; paid: bigint }>();
      const hold = (states: readonly CaseRow['state'][], part: 'committed' | 'paid') => {
        for (const state of states)
          for (const row of caseIndex(this.ledger).query({ program: p.id, state, limit: ALL })) {
            const amount = BigInt(this.caseRecord(row.id).amount ?? '0');
            const h = hospitals.get(row.hospital) ?? { committed: 0n, paid: 0n };
            h[part] += amount;
            hospitals.set(row.hospital, h);
          }
      };
      hold(COMMITTED_STATES, 'committed');
      hold(PAID_STATES, 'paid');
      for (const [org, h] of [...hospitals].sort(([a], [b]) => compareUtf8(a, b)))
        flows.push({
          from: to,
          to: { kind: 'hospital', org },
          currency,
          amount: (h.committed + h.paid).toString(),
          committed: h.committed.toString(),
          paid: h.paid.toString(),
        });
      const f = programFunds(this.view, p.id);
      if (f.available > 0n)
        flows.push({
          from: to,
          to: { kind: 'available' },
          currency,
          amount: f.available.toString(),
        });
      if (f.returned > 0n)
        flows.push({ from: to, to: { kind: 'returned' }, currency, amount: f.returned.toString() });
    }
    this.flowsAt = { size, flows };
    return flows;
  }

  /**
   * The latest donations received and the latest payments sent to hospitals, newest first, read
   * from the end of the funds journal.
   */
  recentActivity(limit: number): { donations: PublicDonation[]; disbursements: Disbursement[] } {
    const donations: PublicDonation[] = [];
    const disbursements: Disbursement[] = [];
    const last = this.get<number>(fundsKeys.seq) ?? 0;
    for (let seq = last; seq >= 1 && seq > last - ACTIVITY_SCAN; seq--) {
      if (donations.length >= limit && disbursements.length >= limit) break;
      const e = this.get<JournalEntry>(fundsKeys.entry(seq));
      if (!e) continue;
      if (e.credit.startsWith('in:donations') && donations.length < limit) {
        const d = this.get<DonationRecord>(donationKeys.donation(e.tx));
        if (d) donations.push(publicDonation(d));
      } else if (
        e.debit.startsWith('payable:') &&
        e.credit.startsWith('reserved:') &&
        disbursements.length < limit
      ) {
        const c = this.get<CaseRecord>(caseKeys.case(e.memo.replace(/^disburse case /, '')));
        if (!c) continue;
        const pay = c.payments.find((x) => x.tx === e.tx);
        disbursements.push({
          tx: e.tx,
          time: e.time,
          case: c.id,
          program: c.program,
          hospital: c.hospital,
          amount: e.amount,
          currency: this.programRecord(c.program).currency,
          ...(pay?.confirmed === undefined ? {} : { confirmed: pay.confirmed }),
        });
      }
    }
    return { donations, disbursements };
  }

  journal(after = 0, limit = 100): JournalEntry[] {
    const first = `funds/j/${(after + 1).toString().padStart(12, '0')}`;
    return this.ledger
      .stateScanFrom('funds/j/', first, limit)
      .map((r) => JSON.parse(r.value) as JournalEntry);
  }
}

export function publicDonation(d: DonationRecord): PublicDonation {
  return {
    id: d.id,
    org: d.org,
    donor: d.donor,
    amount: d.amount,
    currency: d.currency,
    program: d.program,
    time: d.time,
  };
}

function notFound(message: string): never {
  throw new AidError('NOT_FOUND', message);
}
