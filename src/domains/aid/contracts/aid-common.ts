/**
 * What the medical-aid contracts share: amounts on the wire, the catalogue of facts a rule may
 * read and who may attest each, the civil calendar of a program's time zone, and freezes.
 */
import { z } from 'zod';
import type { OrgType } from '../../../chain/genesis.js';
import { OrgIdSchema } from '../../../chain/schemas.js';
import { keys as membershipKeys, type OrgRecord } from '../../membership/contracts/membership.js';
import { refuse, type ActionContext, type StateView } from '../../../runtime/contract.js';
import { AmountSchema, FACT_NAMES, type FactName } from '../application.js';

export {
  AmountSchema,
  FACTS,
  FACT_NAMES,
  Icd10Schema,
  NationalIdSchema,
  PersonFactsSchema,
  type FactName,
  type PersonFacts,
} from '../application.js';

export const PositiveAmountSchema = AmountSchema.refine((s) => s !== '0', 'must be more than 0');

/** Ids chosen by people: programs and the like. */
export const SlugSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and "-", 2 to 63 characters');
export const TxRefSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a transaction id');
/** A short free text that is not personal: a reason, a payment reference. */
export const NoteSchema = z.string().min(1).max(500);

export const OrgRefSchema = OrgIdSchema;

export const FactNameSchema = z.enum(FACT_NAMES as [FactName, ...FactName[]]);

/**
 * Fixed UTC offsets of the time zones programs may use, in minutes. Part of the contract code, so
 * the calendar year of a payment never depends on a node's time-zone database.
 */
export const TIME_ZONES: Readonly<Record<string, number>> = {
  'Asia/Shanghai': 480,
  'Asia/Hong_Kong': 480,
  'Asia/Macau': 480,
  'Asia/Taipei': 480,
  UTC: 0,
};
export const TimeZoneSchema = z
  .string()
  .refine((z) => Object.hasOwn(TIME_ZONES, z), 'a supported time zone');

/** The civil year of a block time (ms since the epoch) in a time zone, by integer arithmetic. */
export function civilYear(timeMs: number, timeZone: string): number {
  const offset = TIME_ZONES[timeZone] ?? 0;
  const localMs = BigInt(timeMs) + BigInt(offset) * 60_000n;
  // Days since 1970-01-01, floored, then the proleptic Gregorian year (H. Hinnant's algorithm).
  let days = localMs / 86_400_000n;
  if (localMs < 0n && localMs % 86_400_000n !== 0n) days -= 1n;
  const z = days + 719_468n;
  const era = (z >= 0n ? z : z - 146_096n) / 146_097n;
  const doe = z - era * 146_097n;
  const yoe = (doe - doe / 1460n + doe / 36_524n - doe / 146_096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const month = mp < 10n ? mp + 3n : mp - 9n;
  return Number(yoe + era * 400n + (month <= 2n ? 1n : 0n));
}

export const FREEZE_KEY = {
  case: (id: string) => `audit/freeze/case/${id}`,
  program: (id: string) => `audit/freeze/program/${id}`,
  org: (id: string) => `audit/freeze/org/${id}`,
};

/** Refuses with FROZEN when a regulator froze any of the given targets. */
export function checkNotFrozen(
  state: StateView,
  targets: { case?: string; program?: string; orgs?: readonly string[] },
): void {
  if (targets.case !== undefined && state.get(FREEZE_KEY.case(targets.case)) !== undefined)
    refuse('FROZEN', `case ${targets.case} is frozen by a regulator`);
  if (targets.program !== undefined && state.get(FREEZE_KEY.program(targets.program)) !== undefined)
    refuse('FROZEN', `program ${targets.program} is frozen by a regulator`);
  for (const o of targets.orgs ?? [])
    if (o !== '' && state.get(FREEZE_KEY.org(o)) !== undefined)
      refuse('FROZEN', `organisation ${o} is frozen by a regulator`);
}

export function orgOf(state: StateView, id: string): OrgRecord {
  return (
    state.get<OrgRecord>(membershipKeys.org(id)) ?? refuse('NOT_FOUND', `no organisation ${id}`)
  );
}

/** The signer's organisation, which must be one of `types`. */
export function signerOrg(ctx: ActionContext, types: readonly OrgType[]): OrgRecord {
  const org = orgOf(ctx.state, ctx.signer.org);
  if (!types.includes(org.type))
    refuse('WRONG_ORG', `this is done by a ${types.join(' or ')} organisation`);
  return org;
}

export const big = (s: string): bigint => BigInt(s);
export const str = (n: bigint): string => n.toString();
export const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** A zero-padded sequence number, so keys sort in order. */
export const seqKey = (n: number): string => n.toString().padStart(12, '0');
