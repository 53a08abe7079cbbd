/**
 * An amount typed in major units ("1234.56") read as bigint minor units of its currency, exactly:
 * never through a floating-point number.
 */
import { MINOR_DIGITS } from '@sdk';

/** The minor units of `text` in `currency`, or undefined when it is not a positive amount. */
export function parseMajor(text: string, currency: string): bigint | undefined {
  const digits = MINOR_DIGITS[currency] ?? 2;
  const m = /^([0-9]{1,13})(?:\.([0-9]+))?$/.exec(text.trim().replace(/[,\s]/g, ''));
  if (!m) return undefined;
  const frac = m[2] ?? '';
  if (frac.length > digits) return undefined;
  const minor = BigInt(m[1]!) * 10n ** BigInt(digits) + BigInt(frac.padEnd(digits, '0') || '0');
  return minor > 0n ? minor : undefined;
}
