/**
 * Who may see a case, who may read its documents, who may attach and who may erase them: rules of
 * protocol 3, kept here so that they never change with the case pages' own. Pure: the contract
 * decides with them from the signer and the committed case, and the routes refuse early with the
 * same rules (a read by someone the case is not visible to is never even ordered).
 */
import type { Role } from '../../../runtime/contract.js';

/** The case as these rules need it (a subset of the aid domain's case record). */
export interface CaseParties {
  owner: string;
  hospital: string;
  applicant: { kind: string; key?: string };
}

/** The signer or viewer as these rules need it. */
export interface Party {
  key: string;
  org: string;
  roles: readonly Role[];
}

/** The program owner's staff who see its cases (as `GET /v1/cases/{id}` shows them). */
const OWNER_SEES: readonly Role[] = ['reviewer', 'program-manager', 'finance', 'operator', 'admin'];

/** Whether the case is the party's own: the applicant account that applied. */
export function isApplicant(p: Party, c: CaseParties): boolean {
  return c.applicant.kind === 'account' && c.applicant.key === p.key;
}

/**
 * Whether the case is visible to the party: regulators and auditors see all, a hospital its own,
 * the program's staff their program's, an applicant their own.
 */
export function seesCase(p: Party, c: CaseParties): boolean {
  if (p.roles.includes('regulator') || p.roles.includes('auditor')) return true;
  if (p.org !== '' && p.org === c.hospital) return true;
  if (p.org !== '' && p.org === c.owner && p.roles.some((r) => OWNER_SEES.includes(r))) return true;
  return isApplicant(p, c);
}

/**
 * The role a party reads the case's documents as, or undefined when it may not (DESIGN §5):
 * the applicant; the treating hospital's clerks and social workers (its staff on the case);
 * the program owner's reviewers and managers; regulators. Not a finance officer, an operator or
 * an administrator, nor an auditor, though each may see the case.
 */
export function readsAs(p: Party, c: CaseParties): Role | undefined {
  if (isApplicant(p, c)) return 'applicant';
  if (p.roles.includes('regulator')) return 'regulator';
  if (p.org !== '' && p.org === c.hospital)
    return p.roles.find((r) => r === 'clerk' || r === 'social-worker');
  if (p.org !== '' && p.org === c.owner)
    return p.roles.find((r) => r === 'reviewer' || r === 'program-manager');
  return undefined;
}

/**
 * Whether a party may attach a document to the case: the applicant, the treating hospital's
 * clerks and social workers, the program owner's reviewers and managers (who receive papers too).
 */
export function mayAttach(p: Party, c: CaseParties): boolean {
  const as = readsAs(p, c);
  return as !== undefined && as !== 'regulator';
}

/**
 * Whether a party may erase a document of the case: the applicant (their right to erasure), the
 * holding organisation's administrator (its duty as the keeper of the bytes), a regulator.
 */
export function mayErase(p: Party, c: CaseParties, holder: string): boolean {
  if (isApplicant(p, c)) return true;
  if (p.roles.includes('regulator')) return true;
  return p.org === holder && p.roles.includes('admin');
}
