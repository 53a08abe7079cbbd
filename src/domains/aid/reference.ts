/**
 * A case reference a person can read aloud and type: `AL-7KQ4-M9XC`. Seven characters from the
 * case ID (35 bits) and one check character, in Crockford's base-32 alphabet, which has no I, L,
 * O or U: a reader never has to tell 1 from I or 0 from O. Typed back, letters are folded to upper
 * case, I and L read as 1, O as 0, and spaces, dashes and the `AL` prefix are optional.
 *
 * The check character is Luhn mod 32 over the seven: it catches every single wrong character and
 * every swap of two neighbours but 0 and V. The reference is derived, not assigned, so every node and the
 * applicant's phone compute the same one without asking anybody; two cases may share one (at
 * 100,000 cases the chance that some pair does is about 1 in 7), so a search by reference answers
 * every case that has it, and the case ID stays the identifier.
 *
 * Browser-safe: no `node:` import.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const N = ALPHABET.length;
const DATA_CHARS = 7;

/** The value of each character a person may type (look-alikes folded), or undefined. */
function valueOf(c: string): number | undefined {
  const u = c.toUpperCase();
  const folded = u === 'I' || u === 'L' ? '1' : u === 'O' ? '0' : u;
  const v = ALPHABET.indexOf(folded);
  return v < 0 ? undefined : v;
}

/** Luhn mod N: the character that makes the weighted sum of all eight a multiple of 32. */
function checkOf(values: readonly number[]): number {
  let sum = 0;
  let factor = 2;
  for (let i = values.length - 1; i >= 0; i--) {
    const p = factor * (values[i] ?? 0);
    sum += Math.floor(p / N) + (p % N);
    factor = factor === 2 ? 1 : 2;
  }
  return (N - (sum % N)) % N;
}

function format(chars: string): string {
  return `AL-${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** The reference of a case, from its ID (64 hex characters). */
export function caseReference(caseId: string): string {
  if (!/^[0-9a-f]{64}$/.test(caseId)) throw new TypeError('a case ID is 64 lower-case hex');
  // The first 35 bits of the ID: nine hex digits hold 36, the lowest one is dropped.
  let bits = Math.floor(Number.parseInt(caseId.slice(0, 9), 16) / 2);
  const values: number[] = [];
  for (let i = 0; i < DATA_CHARS; i++) {
    values.unshift(bits % N);
    bits = Math.floor(bits / N);
  }
  const chars = values.map((v) => ALPHABET[v]).join('') + ALPHABET[checkOf(values)];
  return format(chars);
}

/** The first nine hex digits of every case ID a reference can come from, as a range. */
export interface ReferencePrefix {
  /** The reference in its printed form. */
  readonly reference: string;
  /** Case IDs with this reference sort at or after `from` and before `to` (9 hex digits). */
  readonly from: string;
  readonly to: string;
}

/**
 * Reads what a person typed as a case reference. Undefined when it is not one: wrong length, a
 * character outside the alphabet, or a check character that does not match (a typing error).
 */
export function parseCaseReference(typed: string): ReferencePrefix | undefined {
  let s = typed.trim().replace(/[\s-]/g, '');
  if (/^AL/i.test(s) && s.length === DATA_CHARS + 3) s = s.slice(2);
  if (s.length !== DATA_CHARS + 1) return undefined;
  const values: number[] = [];
  for (const c of s) {
    const v = valueOf(c);
    if (v === undefined) return undefined;
    values.push(v);
  }
  const data = values.slice(0, DATA_CHARS);
  if (checkOf(data) !== values[DATA_CHARS]) return undefined;
  let bits = 0;
  for (const v of data) bits = bits * N + v;
  const from = bits * 2;
  const hex = (n: number): string => n.toString(16).padStart(9, '0');
  const last = from + 2 >= 2 ** 36;
  return {
    reference: format(values.map((v) => ALPHABET[v]).join('')),
    from: hex(from),
    // Past the last prefix: 'g' sorts after every hex digit.
    to: last ? 'g' : hex(from + 2),
  };
}
