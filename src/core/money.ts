/**
 * Money: integer minor units (分, cents) as `bigint` in code and as decimal strings on the wire,
 * always beside an ISO 4217 currency code. Never a JS number, never a float.
 */
import { AidError } from './errors.js';

export type Amount = bigint & { readonly __brand: 'Amount' };
export type Currency = string & { readonly __brand: 'Currency' };

const AMOUNT_RE = /^(0|[1-9][0-9]{0,29})$/;

/** Minor-unit digits (ISO 4217) of the currencies the product is set up for. */
export const MINOR_DIGITS: Readonly<Record<string, number>> = {
  CNY: 2,
  HKD: 2,
  MOP: 2,
  TWD: 2,
  USD: 2,
  EUR: 2,
  JPY: 0,
};

/**
 * Parses a non-negative amount of minor units from its decimal string: no sign, no leading
 * zeros, no fraction, at most 30 digits. @throws AidError MALFORMED.
 */
export function parseAmount(value: unknown, what = 'amount'): Amount {
  if (typeof value !== 'string' || !AMOUNT_RE.test(value)) {
    throw new AidError(
      'MALFORMED',
      `${what} must be a decimal string of minor units, like "12500"`,
    );
  }
  return BigInt(value) as Amount;
}

/** An amount from a bigint computed in code. @throws AidError MALFORMED when negative. */
export function toAmount(value: bigint, what = 'amount'): Amount {
  if (value < 0n) throw new AidError('MALFORMED', `${what} cannot be negative`);
  return value as Amount;
}

/** Parses an ISO 4217 code this product is set up for. @throws AidError MALFORMED. */
export function parseCurrency(value: unknown): Currency {
  if (typeof value !== 'string' || !Object.hasOwn(MINOR_DIGITS, value)) {
    throw new AidError(
      'MALFORMED',
      `currency must be one of ${Object.keys(MINOR_DIGITS).join(', ')}`,
    );
  }
  return value as Currency;
}

/** `amount × basisPoints / 10000`, rounded down to the minor unit. @throws AidError MALFORMED. */
export function applyBasisPoints(amount: Amount, basisPoints: bigint): Amount {
  if (basisPoints < 0n || basisPoints > 10_000n) {
    throw new AidError('MALFORMED', 'basis points are 0 to 10000');
  }
  return ((amount * basisPoints) / 10_000n) as Amount;
}

/** The locale-free major-unit text of an amount: "1234.56" for 123456 in CNY, "500" for 500 JPY. */
export function majorUnits(a: Amount, currency: Currency): string {
  const digits = MINOR_DIGITS[currency]!;
  if (digits === 0) return a.toString();
  const s = a.toString().padStart(digits + 1, '0');
  return `${s.slice(0, -digits)}.${s.slice(-digits)}`;
}
