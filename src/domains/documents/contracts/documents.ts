/**
 * The documents contract (protocol 3). A document is attached to a case by a salted hash of its
 * bytes, its kind (a document the program asks for) and format, and the organisation whose node
 * holds the encrypted bytes; the bytes themselves never reach the ledger. Every read is a
 * transaction the reader signs, allowed or refused here before any node serves a byte. Erasure
 * marks the document erased: every node that holds its key destroys it, the commitment stays.
 */
import { z } from 'zod';
import { OrgIdSchema } from '../../../chain/schemas.js';
import {
  action,
  refuse,
  ROLES,
  type ActionContext,
  type Contract,
  type Role,
} from '../../../runtime/contract.js';
import { checkNotFrozen } from '../../aid/contracts/aid-common.js';
import { getCase } from '../../aid/contracts/case-record.js';
import { getProgram, getVersion } from '../../aid/contracts/programs.js';
import type { CaseRecord } from '../../aid/types.js';
import { keys as membershipKeys, type OrgRecord } from '../../membership/contracts/membership.js';
import { DocumentFormatSchema, type DocumentRead, type DocumentRecord } from '../types.js';
import { mayAttach, mayErase, readsAs, seesCase, type Party } from './access.js';

export const documentKeys = {
  document: (id: string) => `documents/d/${id}`,
  /** The documents a case rests on: `documents/case/<case>/<document>` → document id. */
  ofCase: (caseId: string, id: string) => `documents/case/${caseId}/${id}`,
  caseCount: (caseId: string) => `documents/n/${caseId}`,
  /** A commitment is attached once. */
  commitment: (c: string) => `documents/c/${c}`,
  read: (tx: string) => `documents/read/${tx}`,
  /** The reads of a case's documents: `documents/r/<case>/<tx>` → tx. */
  readOfCase: (caseId: string, tx: string) => `documents/r/${caseId}/${tx}`,
};

/** The most documents one case may carry. */
export const MAX_CASE_DOCUMENTS = 100;

/** Cases that take no more documents. */
const FINISHED = ['closed', 'withdrawn', 'cancelled'];

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex characters');
const KindSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and "-", 2 to 63 characters');

const party = (ctx: ActionContext): Party => ({
  key: ctx.signer.key,
  org: ctx.signer.org,
  roles: ctx.signer.roles,
});

export function getDocument(ctx: ActionContext, id: string): DocumentRecord {
  return (
    ctx.state.get<DocumentRecord>(documentKeys.document(id)) ??
    refuse('NOT_FOUND', `no document ${id}`)
  );
}

function runsNode(ctx: ActionContext, id: string): boolean {
  const org = ctx.state.get<OrgRecord>(membershipKeys.org(id));
  return org !== undefined && org.nodeKey !== null;
}

/**
 * Where the bytes may be kept or delivered: a member's own organisation's node; an applicant, or
 * a member whose organisation runs no node, a node of the case's hospital or program owner (or the
 * holder's), so no organisation without access receives a copy. Only where none of those runs a
 * node (one node serves the whole consortium) may it be any node.
 */
function checkDestination(ctx: ActionContext, org: string, rec: CaseRecord, holder?: string) {
  if (!runsNode(ctx, org)) refuse('WRONG_ORG', `${org} runs no node`);
  if (ctx.signer.org !== '' && runsNode(ctx, ctx.signer.org)) {
    if (org !== ctx.signer.org) refuse('WRONG_ORG', 'name your own organisation’s node');
    return;
  }
  const parties = [rec.hospital, rec.owner, ...(holder === undefined ? [] : [holder])].filter((o) =>
    runsNode(ctx, o),
  );
  if (parties.length > 0 && !parties.includes(org))
    refuse('WRONG_ORG', 'name the node of the case’s hospital or program');
}

const ALL_ROLES: readonly Role[] = [...ROLES, 'applicant'];

export const documents: Contract = {
  name: 'documents',
  actions: {
    attach: action({
      schema: z.strictObject({
        case: Hex64,
        kind: KindSchema.describe('a document the case’s program asks for'),
        format: DocumentFormatSchema,
        commitment: Hex64.describe('SHA-256 of the 32-byte salt followed by the bytes'),
        holder: OrgIdSchema.describe('the organisation whose node received the bytes'),
      }),
      roles: ['applicant', 'clerk', 'social-worker', 'reviewer', 'program-manager'],
      apply(ctx, p) {
        const rec = getCase(ctx.state, p.case);
        const who = party(ctx);
        if (!seesCase(who, rec)) refuse('CASE_NOT_VISIBLE', 'this case is not yours to see');
        if (!mayAttach(who, rec))
          refuse('FORBIDDEN_ROLE', 'the applicant, the hospital or the program attaches');
        checkNotFrozen(ctx.state, {
          case: rec.id,
          program: rec.program,
          orgs: [rec.owner, rec.hospital, ctx.signer.org],
        });
        if (FINISHED.includes(rec.state))
          refuse('INVALID_STATE', `a ${rec.state} case takes no more documents`);
        const prog = getProgram(ctx.state, rec.program);
        const spec = getVersion(ctx.state, prog.id, prog.version);
        if (!spec.documents.some((d) => d.name === p.kind))
          refuse('INVALID_STATE', `program ${prog.id} asks for no document ${p.kind}`);
        checkDestination(ctx, p.holder, rec);
        if (ctx.state.get(documentKeys.commitment(p.commitment)) !== undefined)
          refuse('ALREADY_EXISTS', 'this upload is attached already');
        const count = ctx.state.get<number>(documentKeys.caseCount(rec.id)) ?? 0;
        if (count >= MAX_CASE_DOCUMENTS)
          refuse('INVALID_STATE', `a case carries at most ${MAX_CASE_DOCUMENTS} documents`);
        const doc: DocumentRecord = {
          id: ctx.txId,
          case: rec.id,
          kind: p.kind,
          format: p.format,
          commitment: p.commitment,
          holder: p.holder,
          by: ctx.signer.member || 'applicant',
          time: ctx.time,
          status: 'active',
        };
        ctx.state.put(documentKeys.document(doc.id), doc);
        ctx.state.put(documentKeys.ofCase(rec.id, doc.id), doc.id);
        ctx.state.put(documentKeys.caseCount(rec.id), count + 1);
        ctx.state.put(documentKeys.commitment(p.commitment), doc.id);
      },
    }),

    read: action({
      schema: z.strictObject({
        document: Hex64,
        via: OrgIdSchema.describe('the organisation whose node delivers the bytes to the reader'),
      }),
      roles: ALL_ROLES,
      apply(ctx, p) {
        const doc = getDocument(ctx, p.document);
        const rec = getCase(ctx.state, doc.case);
        const who = party(ctx);
        if (!seesCase(who, rec)) refuse('CASE_NOT_VISIBLE', 'this case is not yours to see');
        const as = readsAs(who, rec);
        if (as === undefined)
          refuse(
            'NOT_A_READER',
            'documents are read by the applicant, the hospital’s staff on the case, the program’s reviewers and managers, and regulators',
          );
        if (doc.status === 'erased') refuse('DOCUMENT_ERASED', 'this document was erased');
        checkDestination(ctx, p.via, rec, doc.holder);
        const read: DocumentRead = {
          tx: ctx.txId,
          document: doc.id,
          case: rec.id,
          kind: doc.kind,
          reader: ctx.signer.member || 'applicant',
          org: ctx.signer.org,
          as,
          via: p.via,
          time: ctx.time,
        };
        ctx.state.put(documentKeys.read(ctx.txId), read);
        ctx.state.put(documentKeys.readOfCase(rec.id, ctx.txId), ctx.txId);
      },
    }),

    erase: action({
      schema: z.strictObject({ document: Hex64 }),
      roles: ['applicant', 'admin', 'regulator'],
      apply(ctx, p) {
        const doc = getDocument(ctx, p.document);
        const rec = getCase(ctx.state, doc.case);
        if (!mayErase(party(ctx), rec, doc.holder))
          refuse(
            'FORBIDDEN_ROLE',
            'the applicant, the holding organisation’s administrator or a regulator erases',
          );
        if (doc.status === 'erased') refuse('DOCUMENT_ERASED', 'this document was erased already');
        const erased: DocumentRecord = {
          ...doc,
          status: 'erased',
          erased: { by: ctx.signer.member || 'applicant', tx: ctx.txId, time: ctx.time },
        };
        ctx.state.put(documentKeys.document(doc.id), erased);
      },
    }),
  },
};
