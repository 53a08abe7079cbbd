/**
 * Medical aid through a node's HTTP API: signing in with a member's or an applicant's key, and
 * typed reads of programs, donation traces and cases. Public reads need no sign-in; case reads
 * need a bearer token and show each reader only the cases their role lets them see. The types
 * below are the wire shapes the node answers with.
 */
import type {
  AssessmentSources,
  BenefitSteps,
  CasePage,
  CaseRecord,
  CaseRow,
  CaseView,
  ConditionResult,
  Explanation,
  FundedBy,
} from './types.js';
import type { ProgramVersion } from './contracts/programs.js';
import type { Lang } from './text.js';
import { challengeText } from '../../chain/auth.js';
import type {
  Disbursement,
  DonationTrace,
  FundFlow,
  ProgramView,
  ProgramDetail,
  PublicDonation,
  PublicProgramSummary,
} from './public-types.js';
import type { Governance } from '../membership/types.js';
import { toHex, utf8 } from '../../core/bytes.js';
import { publicKeyFromSeed, signEd25519 } from '../../core/ed25519.js';
import { AidError } from '../../core/errors.js';
import { AidClient } from '../../sdk/client.js';

export { AUTH_CONTEXT, challengeText as authText } from '../../chain/auth.js';

const asClient = (c: AidClient | string): AidClient =>
  typeof c === 'string' ? new AidClient(c) : c;

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/**
 * Signs in: asks the node for a challenge, signs it with the 32-byte Ed25519 seed and exchanges
 * it for a bearer token (good for 15 minutes on that node). `chain` is the node's chain id.
 * @throws AidError UNAUTHORIZED when the key is unknown or revoked, UNAVAILABLE when the node
 * cannot be reached or answers with something other than a challenge or a token.
 */
export async function signIn(
  client: AidClient | string,
  chain: string,
  seed: Uint8Array,
): Promise<string> {
  const c = asClient(client);
  const key = toHex(publicKeyFromSeed(seed));
  const { challenge } = await c.post<{ challenge?: unknown }>('/v1/auth/challenge', { key });
  if (typeof challenge !== 'string')
    throw new AidError('UNAVAILABLE', 'the node answered without a challenge');
  const sig = toHex(signEd25519(seed, utf8(challengeText(chain, challenge))));
  const { token } = await c.post<{ token?: unknown }>('/v1/auth/token', { key, challenge, sig });
  if (typeof token !== 'string')
    throw new AidError('UNAVAILABLE', 'the node answered without a token');
  return token;
}

/**
 * An authenticated GET of any `/v1/…` path with a token from `signIn`.
 * @throws AidError with the node's code: UNAUTHORIZED, FORBIDDEN, NOT_FOUND, BAD_REQUEST.
 */
export function readSignedIn<T>(client: AidClient | string, token: string, path: string) {
  return asClient(client).get<T>(path, token);
}

// ---- programs ----------------------------------------------------------------------------

/** One published version of a program: its spec as signed, and who published it when. */
export type ProgramDefinition = ProgramVersion;
export type ProgramCondition = ProgramVersion['conditions'][number];
export type { ProgramDetail };

/** Every program with its money, as `GET /v1/public/programs` shows them to anyone. */
export async function publicPrograms(
  client: AidClient | string,
  lang: Lang = 'en',
): Promise<PublicProgramSummary[]> {
  const r = await asClient(client).get<{ programs: PublicProgramSummary[] }>(
    `/v1/public/programs${query({ lang })}`,
  );
  return r.programs;
}

/** Every program with owner, version, status and case counts. */
export async function programs(
  client: AidClient | string,
  lang: Lang = 'en',
): Promise<ProgramView[]> {
  const r = await asClient(client).get<{ programs: ProgramView[] }>(
    `/v1/programs${query({ lang })}`,
  );
  return r.programs;
}

/** A program with its current definition and version list. @throws AidError NOT_FOUND. */
export function program(
  client: AidClient | string,
  id: string,
  lang: Lang = 'en',
): Promise<ProgramDetail> {
  return asClient(client).get(`/v1/programs/${enc(id)}${query({ lang })}`);
}

/** One published version of a program's definition. @throws AidError NOT_FOUND. */
export function programVersion(
  client: AidClient | string,
  id: string,
  version: number,
): Promise<ProgramDefinition> {
  return asClient(client).get(`/v1/programs/${enc(id)}/versions/${version}`);
}

// ---- donations ---------------------------------------------------------------------------

/** Traces a donation or an allocation by its transaction id. @throws AidError NOT_FOUND. */
export function donationTrace(
  client: AidClient | string,
  id: string,
  lang: Lang = 'en',
): Promise<DonationTrace> {
  return asClient(client).get(`/v1/public/donations/${enc(id)}/trace${query({ lang })}`);
}

/** Donations received, as `GET /v1/public/donations` lists them (in id order). */
export async function publicDonations(
  client: AidClient | string,
  limit?: number,
): Promise<PublicDonation[]> {
  const r = await asClient(client).get<{ donations: PublicDonation[] }>(
    `/v1/public/donations${query({ limit })}`,
  );
  return r.donations;
}

/** The latest donations and payments to hospitals, newest first (`limit` of each, 1 to 100). */
export function recentActivity(
  client: AidClient | string,
  limit?: number,
): Promise<{ donations: PublicDonation[]; disbursements: Disbursement[] }> {
  return asClient(client).get(`/v1/public/activity${query({ limit })}`);
}

/** Every stream of money between sources, programs and hospitals. */
export async function fundFlows(client: AidClient | string): Promise<FundFlow[]> {
  const r = await asClient(client).get<{ flows: FundFlow[] }>('/v1/public/flows');
  return r.flows;
}

/** The consortium's quorums and governance proposals. */
export function governance(client: AidClient | string): Promise<Governance> {
  return asClient(client).get('/v1/public/governance');
}

// ---- cases -------------------------------------------------------------------------------

export interface CaseFilter {
  program?: string;
  /** One state, or several separated by "," (any of them). */
  state?: string;
  hospital?: string;
  /** Submitted at or after, ms since the epoch. */
  from?: number;
  /** Submitted before, ms since the epoch. */
  to?: number;
  /** The case number, or its first lowercase hex digits. */
  id?: string;
  /** 1 to 200; the node's default is 50. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** A case reference as typed (`AL-7KQ4-M9XC`): every case that has it. */
  reference?: string;
}

export type { AssessmentSources, CasePage, CaseRow, CaseView };

/** A case's decision in the reader's language, fact values included for those who may see them. */
export type CaseExplanation = Explanation;
export type { BenefitSteps, CaseRecord, ConditionResult, FundedBy };

/** The cases the signed-in reader may see, newest first. */
export function listCases(
  client: AidClient | string,
  token: string,
  filter: CaseFilter = {},
): Promise<CasePage> {
  return readSignedIn(client, token, `/v1/cases${query({ ...filter })}`);
}

/**
 * Before applying: the patient's open case in the program (protocol 3 keeps one), when the
 * signed-in caller may see it; null otherwise. @throws AidError BAD_REQUEST for an invalid ID.
 */
export async function openCaseCheck(
  client: AidClient | string,
  token: string,
  program: string,
  patient: { kind: 'cn' | 'hk' | 'tw'; id: string },
): Promise<{ id: string; reference: string } | null> {
  const r = await asClient(client).post<{ open: { id: string; reference: string } | null }>(
    '/v1/cases/open-check',
    { program, patient },
    token,
  );
  return r.open;
}

/** How many of the cases the viewer may see are in each state, under a filter. */
export function caseCounts(
  client: AidClient | string,
  token: string,
  filter: Omit<CaseFilter, 'state' | 'cursor' | 'limit'> = {},
): Promise<{ counts: Record<string, number>; total: number }> {
  return readSignedIn(client, token, `/v1/cases/counts${query({ ...filter })}`);
}

/** A case and the lots that paid it. @throws AidError NOT_FOUND, FORBIDDEN. */
export function getCase(client: AidClient | string, token: string, id: string): Promise<CaseView> {
  return readSignedIn(client, token, `/v1/cases/${enc(id)}`);
}

/** Why a case was decided as it was. @throws AidError NOT_FOUND (not yet assessed), FORBIDDEN. */
export function explainCase(
  client: AidClient | string,
  token: string,
  id: string,
  lang: Lang = 'en',
): Promise<CaseExplanation> {
  return readSignedIn(client, token, `/v1/cases/${enc(id)}/explain${query({ lang })}`);
}

/**
 * The private parts an assessment of the case needs; only the program's reviewers, managers
 * and operators may take them. @throws AidError FORBIDDEN, NOT_FOUND (a part was erased).
 */
export function caseSources(
  client: AidClient | string,
  token: string,
  id: string,
): Promise<AssessmentSources> {
  return readSignedIn(client, token, `/v1/cases/${enc(id)}/sources`);
}

// ---- program drafts ----------------------------------------------------------------------

/** A past case the draft decides otherwise: as decided, and as the draft decides. */
export interface PreviewChange {
  id: string;
  reference: string;
  state: string;
  before: { eligible: boolean; amount: string; failed: string[]; version: number };
  after: { eligible: boolean; amount: string; failed: string[]; review: 'auto' | 'one' | 'two' };
}

/** One page of a draft's preview on the program's past (assessed) cases. */
export interface ProgramPreview {
  evaluated: number;
  unavailable: number;
  eligibleBefore: number;
  eligibleAfter: number;
  grantedBefore: string;
  grantedAfter: string;
  changes: PreviewChange[];
  nextCursor?: string;
}

/**
 * What a draft of a program's rules (a `programs.publish` payload) would have decided on a page
 * of the program's past cases; follow `nextCursor` for the rest. For the program's own managers
 * and reviewers. @throws AidError BAD_REQUEST (an invalid draft), FORBIDDEN, NOT_FOUND.
 */
export function previewProgram(
  client: AidClient | string,
  token: string,
  id: string,
  draft: Record<string, unknown>,
  page: { cursor?: string; limit?: number } = {},
): Promise<ProgramPreview> {
  return asClient(client).post(`/v1/programs/${enc(id)}/preview`, { draft, ...page }, token);
}
