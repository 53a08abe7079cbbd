/**
 * A finance officer's batch of disbursements, as files for the organisation's bank: CSV (UTF-8
 * with a BOM, so a spreadsheet opens Chinese names) and an ISO 20022 `pain.001.001.09` customer
 * credit transfer initiation (the generic message, not the euro-only SEPA subset: amounts in the
 * program's currency). The bank details are the node's own (`banking.json` in its directory):
 * the ledger holds no account numbers.
 *
 * CSV columns, in this order (docs/aid.md): case reference, case ID, disbursement transaction,
 * program, payee organisation, payee name, payee account, payee bank, amount (major units, `.`),
 * currency, payment reference, disbursed at (ISO 8601, UTC). A cell that begins with `=`, `+`,
 * `-`, `@`, a tab or a carriage return is prefixed with `'`, so a spreadsheet never runs it.
 */
import { stringify } from 'csv-stringify/sync';
import { XMLBuilder } from 'fast-xml-parser';
import { z } from 'zod';
import { AidError } from '../../core/errors.js';
import { majorUnits, toAmount, type Currency } from '../../core/money.js';
import { caseReference } from './reference.js';

const text = (max: number) => z.string().min(1).max(max);

const AccountSchema = z.union([
  z.strictObject({
    iban: z.string().regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/, 'an IBAN, upper case, no spaces'),
  }),
  z.strictObject({ id: text(34), scheme: text(35).optional() }),
]);

const AgentSchema = z.union([
  z.strictObject({
    bic: z.string().regex(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'a BIC of 8 or 11 characters'),
  }),
  z.strictObject({
    clearing: z.strictObject({ system: text(35), member: text(35) }),
    name: text(140).optional(),
  }),
]);

const PartySchema = z.strictObject({
  name: text(140),
  account: AccountSchema,
  agent: AgentSchema,
});

/** `banking.json` in a node's directory: the organisation's accounts and its payees'. */
export const BankingSchema = z.strictObject({
  /** The organisation as its bank knows it, and the account it pays from in each currency. */
  debtor: z.strictObject({
    name: text(140),
    accounts: z.record(z.string(), z.strictObject({ account: AccountSchema, agent: AgentSchema })),
  }),
  /** Each hospital it pays, by organisation ID. */
  payees: z.record(z.string(), PartySchema),
});
export type Banking = z.infer<typeof BankingSchema>;
type Account = z.infer<typeof AccountSchema>;
type Agent = z.infer<typeof AgentSchema>;

/** One disbursement of the batch. */
export interface Payment {
  caseId: string;
  /** The disbursement transaction. */
  tx: string;
  program: string;
  payee: string;
  amount: bigint;
  currency: Currency;
  /** The payment reference from the disbursement's private part. */
  reference: string | undefined;
  /** When it was disbursed (block time, ms). */
  time: number;
}

const FORMULA = /^[=+\-@\t\r]/;

/** A spreadsheet never runs a cell: one that could start a formula is quoted with `'`. */
export function safeCell(value: string): string {
  return FORMULA.test(value) ? `'${value}` : value;
}

export const CSV_COLUMNS = [
  'case_reference',
  'case_id',
  'disbursement_tx',
  'program',
  'payee_org',
  'payee_name',
  'payee_account',
  'payee_bank',
  'amount',
  'currency',
  'payment_reference',
  'disbursed_at',
] as const;

const accountText = (a: Account): string => ('iban' in a ? a.iban : a.id);
const agentText = (a: Agent): string =>
  'bic' in a ? a.bic : `${a.clearing.system}:${a.clearing.member}`;

function payeeOf(banking: Banking, org: string): z.infer<typeof PartySchema> {
  const p = banking.payees[org];
  if (!p)
    throw new AidError('BAD_REQUEST', `banking.json has no bank details for ${org}`, {
      details: { payee: org },
    });
  return p;
}

/** The batch as CSV, UTF-8 with a byte order mark. */
export function paymentsCsv(banking: Banking, payments: readonly Payment[]): string {
  const rows = payments.map((p) => {
    const payee = payeeOf(banking, p.payee);
    return [
      caseReference(p.caseId),
      p.caseId,
      p.tx,
      p.program,
      p.payee,
      payee.name,
      accountText(payee.account),
      agentText(payee.agent),
      majorUnits(toAmount(p.amount), p.currency),
      p.currency,
      p.reference ?? '',
      new Date(p.time).toISOString(),
    ].map(safeCell);
  });
  return stringify([[...CSV_COLUMNS], ...rows], { bom: true, record_delimiter: '\r\n' });
}

function accountXml(a: Account): Record<string, unknown> {
  if ('iban' in a) return { Id: { IBAN: a.iban } };
  return {
    Id: {
      Othr: { Id: a.id, ...(a.scheme === undefined ? {} : { SchmeNm: { Prtry: a.scheme } }) },
    },
  };
}

function agentXml(a: Agent): Record<string, unknown> {
  if ('bic' in a) return { FinInstnId: { BICFI: a.bic } };
  return {
    FinInstnId: {
      ClrSysMmbId: { ClrSysId: { Prtry: a.clearing.system }, MmbId: a.clearing.member },
      ...(a.name === undefined ? {} : { Nm: a.name }),
    },
  };
}

/** ISO 20022 `Max35Text` identifiers: what is longer keeps its end, which is the unique part. */
const id35 = (s: string): string => (s.length <= 35 ? s : s.slice(-35));

/**
 * The batch as a `pain.001.001.09` message: one payment information block paying every case from
 * the organisation's account in the batch's currency, one credit transfer per disbursement whose
 * end-to-end ID is the disbursement transaction (its first 35 characters) and whose remittance
 * information names the case reference and the payment reference.
 * @param messageId unique per message for the bank (e.g. derived from the batch's transactions)
 * @param created the message's creation time (ms)
 * @throws AidError BAD_REQUEST when payments mix currencies or a party has no bank details.
 */
export function pain001(
  banking: Banking,
  payments: readonly Payment[],
  messageId: string,
  created: number,
): string {
  const currency = payments[0]?.currency;
  if (currency === undefined) throw new AidError('BAD_REQUEST', 'no payments to export');
  if (payments.some((p) => p.currency !== currency))
    throw new AidError('BAD_REQUEST', 'a bank file pays in one currency: export each apart');
  const from = banking.debtor.accounts[currency];
  if (!from)
    throw new AidError('BAD_REQUEST', `banking.json has no account to pay ${currency} from`, {
      details: { currency },
    });
  const sum = majorUnits(toAmount(payments.reduce((a, p) => a + p.amount, 0n)), currency);
  const when = new Date(created);
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    Document: {
      '@_xmlns': 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09',
      CstmrCdtTrfInitn: {
        GrpHdr: {
          MsgId: id35(messageId),
          CreDtTm: when.toISOString().replace(/\.\d{3}Z$/, 'Z'),
          NbOfTxs: String(payments.length),
          CtrlSum: sum,
          InitgPty: { Nm: banking.debtor.name },
        },
        PmtInf: {
          PmtInfId: id35(`${messageId}-1`),
          PmtMtd: 'TRF',
          NbOfTxs: String(payments.length),
          CtrlSum: sum,
          ReqdExctnDt: { Dt: when.toISOString().slice(0, 10) },
          Dbtr: { Nm: banking.debtor.name },
          DbtrAcct: accountXml(from.account),
          DbtrAgt: agentXml(from.agent),
          ChrgBr: 'SLEV',
          CdtTrfTxInf: payments.map((p) => {
            const payee = payeeOf(banking, p.payee);
            const ref = caseReference(p.caseId);
            return {
              PmtId: { InstrId: id35(ref), EndToEndId: p.tx.slice(0, 35) },
              Amt: {
                InstdAmt: { '@_Ccy': currency, '#text': majorUnits(toAmount(p.amount), currency) },
              },
              CdtrAgt: agentXml(payee.agent),
              Cdtr: { Nm: payee.name },
              CdtrAcct: accountXml(payee.account),
              RmtInf: {
                Ustrd: (p.reference === undefined ? ref : `${ref} ${p.reference}`).slice(0, 140),
              },
            };
          }),
        },
      },
    },
  };
  const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    format: true,
    suppressEmptyNode: true,
  });
  return builder.build(doc) as string;
}
