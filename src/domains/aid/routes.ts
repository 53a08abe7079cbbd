/**
 * The medical-aid reads of the HTTP API. `/v1/public/…` carries no personal data and needs no
 * sign-in; everything else needs a bearer token and shows each viewer only the cases their role
 * lets them see: a hospital its own, a program's staff their program's, regulators and auditors
 * all, an applicant their own.
 */
import { z } from 'zod';
import { AidError } from '../../core/errors.js';
import {
  hexParam,
  route,
  uintParam,
  type DomainRoutes,
  type Viewer,
} from '../../runtime/routes.js';
import { ProgramSpecSchema, ProgramVersionSchema } from './contracts/programs.js';
import { changed, checkDraftId, granted, previewCase, type PreviewSource } from './preview.js';
import {
  keys as membershipKeys,
  type MemberRecord,
  type OrgRecord,
} from '../membership/contracts/membership.js';
import { JournalEntrySchema } from './contracts/journal.js';
import type { FreezeRecord } from './contracts/audit.js';
import { publicDonation, AidQueries } from './model.js';
import type { CaseFilter } from './projections.js';
import {
  DonationTraceSchema,
  FundFlowSchema,
  ProgramDetailSchema,
  ProgramViewSchema,
  PublicCaseDetailSchema,
  PublicCasePageSchema,
  PublicDonationSchema,
  PublicProgramSummarySchema,
  RecentActivitySchema,
} from './public-types.js';
import { pickLang, type Lang } from './text.js';
import { canSeeCase, seesAll } from './access.js';
import { caseReference, parseCaseReference } from './reference.js';
import { BankingSchema, pain001, paymentsCsv, type Banking } from './payments-export.js';
import { sha256 } from '../../core/hash.js';
import { toHex, utf8 } from '../../core/bytes.js';
import type { Currency } from '../../core/money.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidNationalIdSchema } from './application.js';
import {
  AssessmentSourcesSchema,
  CASE_STATES,
  type CaseState,
  CasePageSchema,
  CaseViewSchema,
  ExplanationSchema,
} from './types.js';

const slug = (what: string) =>
  z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, `${what} is lowercase letters, digits and "-"`);

/** The opaque cursor of a case page: where the next page starts. */
function encodeCursor(c: { submitted: number; id: string }): string {
  return Buffer.from(`${c.submitted}:${c.id}`).toString('base64url');
}

const CursorSchema = z
  .string()
  .transform((value, ctx) => {
    const m = /^([0-9]{1,16}):([0-9a-f]{64})$/.exec(
      Buffer.from(value, 'base64url').toString('utf8'),
    );
    if (m) return { submitted: Number(m[1]), id: m[2]! };
    ctx.issues.push({
      code: 'custom',
      message: 'cursor is the nextCursor of a previous page',
      input: value,
    });
    return z.NEVER;
  })
  .meta({ type: 'string' });

const LangSchema = z
  .string()
  .optional()
  .describe(
    'zh-Hant, zh-Hans or en (also zh-TW, zh-CN, en-GB…; else Accept-Language, else English)',
  );

/** Filters and paging of a case list. */
const CaseQuery = z.object({
  program: slug('program').optional().describe('program id'),
  state: z
    .string()
    .transform((value, ctx) => {
      const list = value.split(',');
      if (
        list.length <= CASE_STATES.length &&
        list.every((st) => (CASE_STATES as readonly string[]).includes(st)) &&
        new Set(list).size === list.length
      )
        return list as CaseState[];
      ctx.issues.push({
        code: 'custom',
        message: `state is one of ${CASE_STATES.join(', ')}, or several of them separated by ","`,
        input: value,
      });
      return z.NEVER;
    })
    .meta({ type: 'string' })
    .optional()
    .describe('case state, or several separated by "," (any of them)'),
  hospital: slug('hospital').optional().describe('hospital organisation id'),
  from: uintParam('from').optional().describe('submitted at or after (ms since the epoch)'),
  to: uintParam('to').optional().describe('submitted before (ms since the epoch)'),
  id: z
    .string()
    .regex(/^[0-9a-f]{1,64}$/, 'id is up to 64 lowercase hex digits')
    .optional()
    .describe('the case number, or its first digits (lowercase hex)'),
  limit: uintParam('limit', 1, 200).default(50).describe('1 to 200 (default 50)'),
  cursor: CursorSchema.optional().describe('nextCursor of the previous page'),
  reference: z
    .string()
    .max(40)
    .transform((s, ctx) => {
      const r = parseCaseReference(s);
      if (r) return r;
      ctx.issues.push({
        code: 'custom',
        message:
          'reference is a case reference such as AL-7KQ4-M9XC (its last character is a check)',
        input: s,
      });
      return z.NEVER;
    })
    .optional()
    .describe(
      'a case reference as a person typed it (`AL-7KQ4-M9XC`; case, spaces, dashes and the `AL` are optional): every case that has it',
    ),
});

function caseFilter(q: z.output<typeof CaseQuery>): CaseFilter {
  const f: CaseFilter = { limit: q.limit };
  if (q.program !== undefined) f.program = q.program;
  if (q.state !== undefined) {
    if (q.state.length === 1) f.state = q.state[0]!;
    else f.states = q.state;
  }
  if (q.hospital !== undefined) f.hospital = q.hospital;
  if (q.from !== undefined) f.from = q.from;
  if (q.to !== undefined) f.to = q.to;
  if (q.id !== undefined) f.idPrefix = q.id;
  if (q.cursor !== undefined) f.after = q.cursor;
  if (q.reference !== undefined) f.ids = { from: q.reference.from, to: q.reference.to };
  return f;
}

function page<T extends { submitted: number; id: string }>(rows: T[], limit: number) {
  const last = rows[rows.length - 1];
  return {
    cases: rows,
    ...(rows.length === limit && last ? { nextCursor: encodeCursor(last) } : {}),
  };
}

/** The node's bank details. @throws AidError UNAVAILABLE when it keeps none, CONFIG when unreadable. */
function readBanking(dir: string | undefined): Banking {
  const path = dir === undefined ? undefined : join(dir, 'banking.json');
  if (path === undefined || !existsSync(path))
    throw new AidError('UNAVAILABLE', 'this node keeps no banking.json: no bank file can be made');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new AidError('UNAVAILABLE', 'banking.json is not JSON');
  }
  const r = BankingSchema.safeParse(value);
  if (!r.success)
    throw new AidError('UNAVAILABLE', `banking.json is not valid: ${r.error.issues[0]!.message}`);
  return r.data;
}

/**
 * Narrows a case filter to what the viewer may see: a hospital its own cases, a program's
 * organisation its programs' cases, an applicant theirs, regulators and auditors all.
 * @throws AidError FORBIDDEN when a hospital asks for another hospital's cases.
 */
function viewerScope(v: Viewer, f: CaseFilter, hospital: string | undefined): CaseFilter {
  if (seesAll(v)) return f;
  if (v.org === '') f.applicant = v.key;
  else if (v.orgType === 'hospital') f.hospital = v.org;
  else f.owner = v.org;
  if (v.orgType === 'hospital' && hospital !== undefined && hospital !== v.org)
    throw new AidError('FORBIDDEN', 'a hospital sees its own cases');
  return f;
}

/** Whether the viewer may take the private parts a rule assessment needs. */
function canAssess(v: Viewer, c: { owner: string }): boolean {
  return (
    v.org === c.owner &&
    v.roles.some((r) => r === 'reviewer' || r === 'program-manager' || r === 'operator')
  );
}

const CaseParams = z.object({ id: hexParam('a case id') });

/** Cases a preview evaluates in one request, at most: a program of thousands is paged. */
export const PREVIEW_PAGE = 200;

const PreviewDecisionSchema = z.object({
  eligible: z.boolean(),
  amount: z.string().describe('what the formula gives, minor units (granted only if eligible)'),
  failed: z.array(z.string()).describe('the conditions that did not hold'),
});
const PreviewSchema = z.object({
  evaluated: z.number().int().describe('assessed cases of this page the draft was evaluated on'),
  unavailable: z.number().int().describe('cases whose assessment’s private part is not held'),
  eligibleBefore: z.number().int(),
  eligibleAfter: z.number().int(),
  grantedBefore: z.string().describe('the sum granted to the eligible cases as decided'),
  grantedAfter: z.string().describe('the sum the draft grants to the cases it finds eligible'),
  changes: z
    .array(
      z.object({
        id: z.string(),
        reference: z.string(),
        state: z.string(),
        before: PreviewDecisionSchema.extend({ version: z.number().int() }),
        after: PreviewDecisionSchema.extend({ review: z.enum(['auto', 'one', 'two']) }),
      }),
    )
    .describe('the cases the draft decides otherwise (eligibility or amount granted)'),
  nextCursor: z.string().optional().describe('where the next page starts; absent: done'),
});
const caseRefusals = { 403: 'not yours to see', 404: 'no such case' };

export const aidRoutes: DomainRoutes = ({ ledger, node }) => {
  const q = new AidQueries(ledger);
  const langOf = (lang: string | undefined, header: (name: string) => string | undefined): Lang =>
    pickLang(lang ?? header('accept-language'));
  /** The case a signed-in reader asks for. @throws AidError NOT_FOUND, FORBIDDEN. */
  const visibleCase = (v: Viewer, id: string) => {
    const rec = q.caseRecord(id);
    if (!canSeeCase(v, rec)) throw new AidError('FORBIDDEN', 'this case is not yours to see');
    return rec;
  };

  /** What a preview reads of this node: private parts, order and signers of transactions. */
  const previewSource: PreviewSource = {
    privatePart: (tx) => ledger.privatePart(tx),
    position: (tx) => ledger.tx(tx)?.index,
    signerOrg(tx) {
      const t = ledger.tx(tx);
      const json = <T>(k: string): T | undefined => {
        const v = ledger.stateGet(k);
        return v === undefined ? undefined : (JSON.parse(v) as T);
      };
      const key = t && json<{ member: string }>(membershipKeys.key(t.tx.signer));
      const member = key && json<MemberRecord>(membershipKeys.member(key.member));
      const org = member && json<OrgRecord>(membershipKeys.org(member.org));
      return org ? { id: org.id, type: org.type } : undefined;
    },
  };

  return [
    // ---- public: no personal data ----------------------------------------------------------
    route({
      id: 'publicPrograms',
      method: 'GET',
      path: '/v1/public/programs',
      summary: 'Every program and its money (no personal data); committed = reserved or payable',
      query: z.object({ lang: LangSchema }),
      response: z.object({ programs: z.array(PublicProgramSummarySchema) }),
      // received is net of money returned to donors or the treasury, so that for every program
      // received = available + committed + paid, from these figures alone.
      handler: (req) => ({
        programs: q.publicPrograms(langOf(req.query.lang, req.header)).map((p) => ({
          id: p.id,
          name: p.name,
          currency: p.currency,
          budget: p.budget,
          received: (BigInt(p.received) - BigInt(p.returned)).toString(),
          committed: p.committed,
          paid: p.paid,
          available: p.available,
        })),
      }),
    }),
    route({
      id: 'donationTrace',
      method: 'GET',
      path: '/v1/public/donations/{id}/trace',
      summary:
        'Where a donation’s (or an allocation’s) money went: lot by lot, case by case (with the transactions that moved each case’s money), first in first out',
      params: z.object({
        id: hexParam('a donation or allocation id').describe('its transaction id'),
      }),
      query: z.object({ lang: LangSchema }),
      response: DonationTraceSchema,
      errors: { 404: 'no such donation or allocation' },
      handler: (req) => q.trace(req.params.id, langOf(req.query.lang, req.header)),
    }),
    route({
      id: 'publicDonations',
      method: 'GET',
      path: '/v1/public/donations',
      summary: 'Donations received (donor shown by alias or organisation)',
      query: z.object({
        limit: uintParam('limit', 1, 500).default(100).describe('1 to 500 (default 100)'),
      }),
      response: z.object({ donations: z.array(PublicDonationSchema) }),
      handler: (req) => ({ donations: q.donations(req.query.limit).map(publicDonation) }),
    }),
    // Where the money goes, as a whole: donors by kind and budgets into programs, programs out
    // to hospitals, to what is still available and to returns. No donor and no patient is named.
    route({
      id: 'fundFlows',
      method: 'GET',
      path: '/v1/public/flows',
      summary:
        'The fund flows as a whole: donors by kind and budget allocations into programs, general donations not yet assigned, and programs out to hospitals (committed and paid), to what is available and to returns; what flows into a program equals what flows out',
      response: z.object({ flows: z.array(FundFlowSchema) }),
      handler: () => ({ flows: q.fundFlows() }),
    }),
    route({
      id: 'recentActivity',
      method: 'GET',
      path: '/v1/public/activity',
      summary:
        'The latest donations received and the latest payments sent to hospitals, newest first (no personal data)',
      query: z.object({
        limit: uintParam('limit', 1, 100)
          .default(10)
          .describe('how many of each, 1 to 100 (default 10)'),
      }),
      response: RecentActivitySchema,
      handler: (req) => q.recentActivity(req.query.limit),
    }),
    route({
      id: 'publicCases',
      method: 'GET',
      path: '/v1/public/cases',
      summary: 'Cases without personal data: program, hospital, state, amount, history',
      query: CaseQuery.extend({ lang: LangSchema }),
      response: PublicCasePageSchema,
      handler: (req) => {
        const f = caseFilter(req.query);
        const lang = langOf(req.query.lang, req.header);
        return page(
          q.cases(f).map((r) => q.publicCase(q.caseRecord(r.id), lang)),
          f.limit,
        );
      },
    }),
    route({
      id: 'publicCase',
      method: 'GET',
      path: '/v1/public/cases/{id}',
      summary: 'One case without personal data, and the donations and allocations that paid it',
      params: CaseParams,
      query: z.object({ lang: LangSchema }),
      response: PublicCaseDetailSchema,
      errors: { 404: 'no such case' },
      handler: (req) => {
        const rec = q.caseRecord(req.params.id);
        return {
          ...q.publicCase(rec, langOf(req.query.lang, req.header)),
          funding: q.caseFunding(rec.id),
        };
      },
    }),
    route({
      id: 'journal',
      method: 'GET',
      path: '/v1/public/journal',
      summary: 'The double-entry journal of every money movement',
      query: z.object({
        after: uintParam('after').default(0).describe('entries after this sequence number'),
        limit: uintParam('limit', 1, 500).default(100).describe('1 to 500 (default 100)'),
      }),
      response: z.object({ entries: z.array(JournalEntrySchema) }),
      handler: (req) => ({ entries: q.journal(req.query.after, req.query.limit) }),
    }),

    // Program definitions, rules included, are published: anyone may read them.
    route({
      id: 'programs',
      method: 'GET',
      path: '/v1/programs',
      summary: 'Programs with their money and case counts',
      query: z.object({ lang: LangSchema }),
      response: z.object({ programs: z.array(ProgramViewSchema) }),
      handler: (req) => ({ programs: q.publicPrograms(langOf(req.query.lang, req.header)) }),
    }),
    route({
      id: 'program',
      method: 'GET',
      path: '/v1/programs/{id}',
      summary:
        'A program: its current rules (and the facts each condition reads), its versions and its money',
      params: z.object({ id: slug('program').describe('program id') }),
      query: z.object({ lang: LangSchema }),
      response: ProgramDetailSchema,
      errors: { 404: 'no such program' },
      handler: (req) => {
        const pid = req.params.id;
        const rec = q.programRecord(pid);
        const definition = q.programVersion(pid);
        return {
          ...q.publicProgram(rec, langOf(req.query.lang, req.header)),
          definition,
          conditionFacts: q.conditionFacts(definition),
          versions: q.programVersions(pid),
        };
      },
    }),
    route({
      id: 'programVersion',
      method: 'GET',
      path: '/v1/programs/{id}/versions/{v}',
      summary: 'One published version of a program’s rules',
      params: z.object({
        id: slug('program').describe('program id'),
        v: uintParam('version', 1, 1_000_000).describe('version'),
      }),
      response: ProgramVersionSchema,
      errors: { 404: 'no such version' },
      handler: (req) => q.programVersion(req.params.id, req.params.v),
    }),

    // ---- signed in ---------------------------------------------------------------------------
    route({
      id: 'programPreview',
      method: 'POST',
      path: '/v1/programs/{id}/preview',
      summary:
        'What a draft of the program’s rules would have decided on its past cases: eligibility and amount before and after, and which cases change (a page of assessed cases at a time)',
      description:
        'For the program’s own managers and reviewers, on the owner’s node (which holds the private facts). Each assessed case is evaluated on the facts its assessment carried, by the contract’s own evaluator, with the expense and the year’s use the decision recorded: a draft equal to the version that decided a case decides it the same. At most 200 cases a request; follow `nextCursor`.',
      access: 'signed-in',
      params: z.object({ id: slug('program').describe('program id') }),
      body: z.strictObject({
        draft: ProgramSpecSchema,
        limit: z.number().int().min(1).max(PREVIEW_PAGE).default(100),
        cursor: CursorSchema.optional(),
      }),
      bodyLimit: 256 * 1024,
      response: PreviewSchema,
      errors: {
        400: 'a draft that is not a valid program (a condition that does not compile, names its position), or of another program',
        403: 'not a manager or reviewer of the organisation that runs the program',
        404: 'no such program',
      },
      handler: (req) => {
        const v = req.viewer;
        const prog = q.programRecord(req.params.id);
        if (
          v.org !== prog.owner ||
          !v.roles.some((r) => r === 'program-manager' || r === 'reviewer')
        )
          throw new AidError(
            'FORBIDDEN',
            'only the program’s own managers and reviewers preview a draft of its rules',
          );
        checkDraftId(req.body.draft, prog.id);
        const f: CaseFilter = { program: prog.id, limit: req.body.limit };
        if (req.body.cursor !== undefined) f.after = req.body.cursor;
        const rows = q.cases(f);
        const out = {
          evaluated: 0,
          unavailable: 0,
          eligibleBefore: 0,
          eligibleAfter: 0,
          grantedBefore: 0n,
          grantedAfter: 0n,
        };
        const changes = [];
        for (const row of rows) {
          const rec = q.caseRecord(row.id);
          if (rec.decision === undefined) continue;
          const p = previewCase(previewSource, ledger.secrets, rec, req.body.draft);
          if (p.after === null) {
            out.unavailable++;
            continue;
          }
          out.evaluated++;
          if (p.before.eligible) out.eligibleBefore++;
          if (p.after.eligible) out.eligibleAfter++;
          out.grantedBefore += granted(p.before);
          out.grantedAfter += granted(p.after);
          if (changed(p))
            changes.push({
              id: p.id,
              reference: caseReference(p.id),
              state: p.state,
              before: p.before,
              after: p.after,
            });
        }
        const { nextCursor } = page(rows, f.limit);
        return {
          ...out,
          grantedBefore: out.grantedBefore.toString(),
          grantedAfter: out.grantedAfter.toString(),
          changes,
          ...(nextCursor === undefined ? {} : { nextCursor }),
        };
      },
    }),
    route({
      id: 'cases',
      method: 'GET',
      path: '/v1/cases',
      summary:
        'Cases the viewer may see: a hospital its own, a program’s staff their program’s, regulators and auditors all, an applicant theirs',
      access: 'signed-in',
      query: CaseQuery,
      response: CasePageSchema,
      errors: { 403: 'a hospital asked for another hospital’s cases' },
      handler: (req) => {
        const f = viewerScope(req.viewer, caseFilter(req.query), req.query.hospital);
        return page(q.cases(f), f.limit);
      },
    }),
    route({
      id: 'openCaseCheck',
      method: 'POST',
      path: '/v1/cases/open-check',
      summary:
        'Before applying: the patient’s open case in the program, when the caller may see it (their own, or their hospital’s)',
      description:
        'From protocol 3 a patient has at most one case in a program that has not ended (`CASE_OPEN`). The ID number is turned into the patient’s pseudonym and goes no further; a case the caller may not see is never named (`open` is then null, and the application itself is refused with `CASE_OPEN`).',
      access: 'signed-in',
      body: z.strictObject({ program: slug('program'), patient: ValidNationalIdSchema }),
      bodyLimit: 1024,
      response: z.object({
        open: z.object({ id: z.string(), reference: z.string() }).nullable(),
      }),
      errors: { 400: 'not a valid ID number' },
      handler: (req) => {
        const rec = q.openCaseOf(req.body.patient, req.body.program);
        if (rec === undefined || !canSeeCase(req.viewer, rec)) return { open: null };
        return { open: { id: rec.id, reference: caseReference(rec.id) } };
      },
    }),
    ...(['csv', 'pain001'] as const).map((format) =>
      route({
        id: format === 'csv' ? 'paymentsCsv' : 'paymentsPain001',
        method: 'POST',
        path: `/v1/payments/${format}`,
        summary:
          format === 'csv'
            ? 'A batch of disbursements as CSV for the bank (UTF-8 with BOM; the columns of docs/aid.md)'
            : 'A batch of disbursements as an ISO 20022 pain.001.001.09 customer credit transfer',
        description:
          'For the finance officers of the organisation whose programs paid the cases. Bank details come from the node’s `banking.json` (docs/aid.md), never from the ledger. A message ID is derived from the batch’s disbursements, so the same batch exported twice is the same message and a bank refuses to pay it twice.',
        access: 'signed-in',
        body: z.strictObject({ cases: z.array(hexParam('a case id')).min(1).max(1000) }),
        bodyLimit: 128 * 1024,
        type: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/xml; charset=utf-8',
        response: z.string(),
        errors: {
          400: 'a case not yet disbursed, mixed currencies, or a payee without bank details',
          403: 'not a finance officer of the paying organisation',
          503: 'this node keeps no banking.json',
        },
        handler: (req) => {
          const v = req.viewer;
          if (!v.roles.includes('finance'))
            throw new AidError('FORBIDDEN', 'finance officers export payments');
          const payments = req.body.cases.map((id, index) => {
            const rec = q.caseRecord(id);
            if (rec.owner !== v.org)
              throw new AidError('FORBIDDEN', 'your organisation did not pay this case', {
                details: { index },
              });
            const paid = q.caseForReader(rec, true).payments.at(-1);
            if (paid === undefined || rec.amount === undefined)
              throw new AidError('BAD_REQUEST', 'this case has not been disbursed', {
                details: { index },
              });
            return {
              caseId: rec.id,
              tx: paid.tx,
              program: rec.program,
              payee: rec.hospital,
              amount: BigInt(rec.amount),
              currency: q.programRecord(rec.program).currency as Currency,
              reference: paid.reference,
              time: paid.time,
            };
          });
          const banking = readBanking(node?.dir);
          if (format === 'csv') return paymentsCsv(banking, payments);
          const batch = toHex(
            sha256(
              utf8(
                payments
                  .map((p) => p.tx)
                  .sort()
                  .join('\n'),
              ),
            ),
          );
          return pain001(
            banking,
            payments,
            `AL-${batch.slice(0, 32)}`,
            node ? node.clock() : Date.now(),
          );
        },
      }),
    ),
    route({
      id: 'caseCounts',
      method: 'GET',
      path: '/v1/cases/counts',
      summary:
        'How many of the cases the viewer may see are in each state, under the same filters as /v1/cases (its state and cursor aside)',
      access: 'signed-in',
      query: CaseQuery.omit({ state: true, cursor: true, limit: true }),
      response: z.object({
        counts: z.record(z.string(), z.number().int()).describe('cases by state; absent: none'),
        total: z.number().int(),
      }),
      errors: { 403: 'a hospital asked for another hospital’s cases' },
      handler: (req) => {
        const f = viewerScope(
          req.viewer,
          caseFilter({ ...req.query, limit: 1 }),
          req.query.hospital,
        );
        const { limit: _limit, ...filter } = f;
        const counts = q.caseCounts(filter);
        return { counts, total: Object.values(counts).reduce((a, b) => a + b, 0) };
      },
    }),
    route({
      id: 'case',
      method: 'GET',
      path: '/v1/cases/{id}',
      summary:
        'A case as the contracts keep it (no personal facts), its funding and its place on the waitlist',
      description:
        'For a waitlisted case its place in the queue (`waitlist: {position, ahead}`, 1 = funded next). `reason` and each review’s `reason` are codes of the published lists (DECLINE_REASONS, CANCEL_REASONS, REVIEW_REASONS) from protocol 2; `identified` is the transaction in which the treating hospital matched the patient to its admission record. Members (not applicants) get each payment’s `reference` from the disbursement’s private part',
      access: 'signed-in',
      params: CaseParams,
      response: CaseViewSchema,
      errors: caseRefusals,
      handler: (req) => {
        const v = req.viewer;
        const rec = visibleCase(v, req.params.id);
        const waitlist = q.waitlistPlace(rec);
        const frozen = q.frozen('case', rec.id) as FreezeRecord | undefined;
        return {
          case: q.caseForReader(rec, v.org !== ''),
          funding: q.caseFunding(rec.id),
          ...(waitlist ? { waitlist } : {}),
          ...(frozen
            ? {
                frozen: {
                  reason: frozen.reason,
                  by: frozen.by,
                  org: frozen.org,
                  time: frozen.time,
                  tx: frozen.tx,
                },
              }
            : {}),
        };
      },
    }),
    route({
      id: 'explainCase',
      method: 'GET',
      path: '/v1/cases/{id}/explain',
      summary:
        'Why a case was decided so, in the reader’s language: each condition, where each fact came from, how the amount was computed, under which rule version',
      description:
        'Fact values (`shown`): `all` for the program’s staff and regulators; `declared` for the applicant, who sees only what they declared (a fact an organisation attested carries the applicant’s own `declared` value, never the attested one); `none` for the treating hospital. `differences` names the declared facts an attested value contradicted (protocol 2: such a case always goes to a reviewer); each review has its `reasonLabel`',
      access: 'signed-in',
      params: CaseParams,
      query: z.object({ lang: LangSchema }),
      response: ExplanationSchema,
      errors: { 403: 'not yours to see', 404: 'no such case, or not assessed yet' },
      handler: (req) => {
        const v = req.viewer;
        const rec = visibleCase(v, req.params.id);
        // The values of the facts: for the program's staff and regulators; the applicant sees
        // only what they declared, never an attested value (the case may name someone else's
        // ID); the treating hospital sees which conditions held, not (say) the income a bureau
        // attested.
        const show =
          v.org === '' ? 'declared' : v.org !== rec.hospital || seesAll(v) ? 'all' : 'none';
        return q.explain(rec.id, langOf(req.query.lang, req.header), show);
      },
    }),
    route({
      id: 'caseSources',
      method: 'GET',
      path: '/v1/cases/{id}/sources',
      summary:
        'The private parts an assessment must carry (for the program’s reviewers and managers): submit them as the private facts of cases.assess',
      access: 'signed-in',
      params: CaseParams,
      response: AssessmentSourcesSchema,
      errors: {
        403: 'not an assessor of this program',
        404: 'no such case, or a source was erased',
      },
      handler: (req) => {
        const rec = visibleCase(req.viewer, req.params.id);
        if (!canAssess(req.viewer, rec))
          throw new AidError(
            'FORBIDDEN',
            'only the program’s reviewers and managers assess a case',
          );
        return q.assessmentSources(rec.id);
      },
    }),
  ];
};
