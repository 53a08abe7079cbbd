/**
 * Invoice lines from a hospital's FHIR R4 `Claim`, with the basic insurer's share from a
 * `ClaimResponse` beside it, as a hospital's verification takes them: the invoice is
 * `Claim.identifier[0].value`, a line is `Claim.item.sequence` with its amount `Claim.item.net`;
 * the insurer's share of a line is the `ClaimResponse.item` of that `itemSequence`, its
 * `adjudication` whose `category` is coded `benefit`. Amounts become minor units exactly (FHIR
 * writes decimals; no float arithmetic here), in the program's currency only.
 *
 * Browser-safe: a clerk's screen reads the file on the device and shows the lines before signing.
 */
import { z } from 'zod';
import { MINOR_DIGITS } from '../../core/money.js';

/** A line as `cases.verify` takes it: amounts are decimal strings of minor units. */
export interface ImportedLine {
  invoice: string;
  line: number;
  amount: string;
  /** Undefined when no `ClaimResponse` was given: the clerk enters it. */
  insurancePaid: string | undefined;
}

/** Why a file could not be read, and where in it (a FHIRPath-like location). */
export class FhirImportError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'FhirImportError';
  }
}

const Money = z.object({
  value: z.union([z.number(), z.string()]),
  currency: z.string().optional(),
});
const Coding = z.object({ system: z.string().optional(), code: z.string().optional() });

const ClaimSchema = z.object({
  resourceType: z.literal('Claim'),
  identifier: z.array(z.object({ value: z.string().optional() })).optional(),
  item: z
    .array(z.object({ sequence: z.number().int().positive(), net: Money.optional() }))
    .optional(),
});

const ClaimResponseSchema = z.object({
  resourceType: z.literal('ClaimResponse'),
  item: z
    .array(
      z.object({
        itemSequence: z.number().int().positive(),
        adjudication: z
          .array(
            z.object({
              category: z.object({ coding: z.array(Coding).optional() }),
              amount: Money.optional(),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});

/**
 * A FHIR decimal as minor units of `currency`, exactly. A JSON number is read by its shortest
 * decimal form (what the file wrote, for any amount a bill holds); more fraction digits than the
 * currency has, a sign or an exponent are refused.
 */
export function minorUnits(value: number | string, currency: string, path: string): string {
  const digits = MINOR_DIGITS[currency];
  if (digits === undefined)
    throw new FhirImportError(path, `${currency} is not a supported currency`);
  const text = typeof value === 'number' ? String(value) : value;
  const m = /^(\d{1,15})(?:\.(\d+))?$/.exec(text);
  if (!m) throw new FhirImportError(path, `${text} is not an amount (digits, a point, digits)`);
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > digits)
    throw new FhirImportError(path, `${text} has more than ${digits} decimals for ${currency}`);
  const minor = BigInt(m[1]!) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  return minor.toString();
}

function moneyOf(m: z.infer<typeof Money> | undefined, currency: string, path: string): string {
  if (m === undefined) throw new FhirImportError(path, 'no amount');
  if (m.currency !== undefined && m.currency !== currency)
    throw new FhirImportError(path, `in ${m.currency}, but the program pays in ${currency}`);
  return minorUnits(m.value, currency, `${path}.value`);
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new FhirImportError(`${what}.${issue.path.join('.')}`.replace(/\.$/, ''), issue.message);
}

/**
 * The invoice lines of a `Claim`, with the insurer's share of each from a `ClaimResponse` when
 * one is given (a line it does not adjudicate as `benefit` had none: 0).
 * @throws FhirImportError naming where the file is not what a claim holds
 */
export function linesFromFhir(
  claim: unknown,
  currency: string,
  response?: unknown,
): ImportedLine[] {
  const c = parsed(ClaimSchema, claim, 'Claim');
  const invoice = c.identifier?.[0]?.value?.trim();
  if (!invoice) throw new FhirImportError('Claim.identifier[0].value', 'no invoice number');
  const items = c.item ?? [];
  if (items.length === 0) throw new FhirImportError('Claim.item', 'no items');
  const seen = new Set<number>();
  const shares = new Map<number, bigint>();
  if (response !== undefined) {
    const r = parsed(ClaimResponseSchema, response, 'ClaimResponse');
    for (const [i, it] of (r.item ?? []).entries()) {
      for (const [j, a] of (it.adjudication ?? []).entries()) {
        if (!a.category.coding?.some((cd) => cd.code === 'benefit')) continue;
        const path = `ClaimResponse.item[${i}].adjudication[${j}].amount`;
        const v = BigInt(moneyOf(a.amount, currency, path));
        shares.set(it.itemSequence, (shares.get(it.itemSequence) ?? 0n) + v);
      }
    }
    for (const seq of shares.keys())
      if (!items.some((it) => it.sequence === seq))
        throw new FhirImportError('ClaimResponse.item', `item ${seq} is not an item of the claim`);
  }
  return items.map((it, i) => {
    if (seen.has(it.sequence))
      throw new FhirImportError(`Claim.item[${i}].sequence`, `${it.sequence} appears twice`);
    seen.add(it.sequence);
    const amount = moneyOf(it.net, currency, `Claim.item[${i}].net`);
    const share = shares.get(it.sequence);
    if (share !== undefined && share > BigInt(amount))
      throw new FhirImportError(
        `ClaimResponse.item`,
        `the insurer's share of item ${it.sequence} is more than the item's amount`,
      );
    return {
      invoice,
      line: it.sequence,
      amount,
      insurancePaid: response === undefined ? undefined : (share ?? 0n).toString(),
    };
  });
}
