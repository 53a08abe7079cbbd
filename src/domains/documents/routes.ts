/**
 * The documents routes of the HTTP API. Uploading takes raw bytes (at most 20 MiB, told apart by
 * their first bytes) into this node's vault, to be attached by a `documents.attach`; a case's
 * documents and the reads of them are listed to those who see the case; reading is a signed
 * `documents.read` that is committed before a byte is served, from this node's vault or, over the
 * node-to-node route, from the vault of the node that holds the document.
 */
import { z } from 'zod';
import { AidError, type ErrorCode } from '../../core/errors.js';
import type { Role } from '../../runtime/contract.js';
import { Overlay } from '../../runtime/overlay.js';
import {
  Bytes,
  hexParam,
  Reply,
  route,
  type DomainRoutes,
  type Viewer,
} from '../../runtime/routes.js';
import { caseKeys } from '../aid/contracts/case-record.js';
import type { CaseRecord } from '../aid/types.js';
import { readsAs, seesCase } from './contracts/access.js';
import { documentKeys } from './contracts/documents.js';
import { PeerRelay } from './relay.js';
import {
  CaseDocumentsSchema,
  MAX_DOCUMENT_BYTES,
  MEDIA_TYPES,
  UploadSchema,
  type DocumentRead,
  type DocumentRecord,
} from './types.js';
import { DocumentVault } from './vault.js';

/** Who may upload: those who may attach a document to some case. */
const UPLOADERS: readonly Role[] = [
  'applicant',
  'clerk',
  'social-worker',
  'reviewer',
  'program-manager',
];

/** How long a committed read stays good for fetching its bytes from the holding node. */
const READ_FRESH_MS = 10 * 60_000;
/** How long the holding node waits for a read committed elsewhere to reach it. */
const READ_ARRIVAL_MS = 15_000;

const EXTENSIONS = { pdf: 'pdf', jpeg: 'jpg', png: 'png' } as const;

const ReadSubmission = z
  .object({
    tx: z.object({
      type: z.literal('documents.read'),
      signer: z.string(),
      payload: z.object({ document: z.string(), via: z.string() }),
    }),
  })
  .describe(
    'a documents.read submission signed by the viewer, naming this document and this node’s organisation as via (RFC 8785, as POST /v1/tx takes it)',
  );

const DocParams = z.object({ id: hexParam('a document id') });
const bytesResponse = z
  .string()
  .meta({ format: 'binary' })
  .describe('the document’s bytes, as application/pdf, image/jpeg or image/png');

export const documentsRoutes: DomainRoutes = ({ ledger, node }) => {
  const view = new Overlay((k) => ledger.stateGet(k)).readView();
  let vault: DocumentVault | undefined;
  let relay: PeerRelay | undefined;
  /** The node's vault, opened on first use. @throws AidError UNAVAILABLE without a node. */
  const nodeParts = () => {
    if (!node) throw new AidError('UNAVAILABLE', 'documents are kept by a node');
    vault ??= new DocumentVault(ledger.db, node.dir, node.org, node.clock);
    relay ??= new PeerRelay(ledger.chain, node);
    return { node, vault, relay };
  };
  const doc = (id: string): DocumentRecord =>
    view.get<DocumentRecord>(documentKeys.document(id)) ??
    (() => {
      throw new AidError('NOT_FOUND', 'no such document');
    })();
  const caseOf = (id: string): CaseRecord =>
    view.get<CaseRecord>(caseKeys.case(id)) ??
    (() => {
      throw new AidError('NOT_FOUND', 'no such case');
    })();
  /** The case, if the viewer may see it. @throws AidError NOT_FOUND, FORBIDDEN. */
  const visibleCase = (v: Viewer, id: string): CaseRecord => {
    const rec = caseOf(id);
    if (v.node || !seesCase(v, rec))
      throw new AidError('FORBIDDEN', 'this case is not yours to see');
    return rec;
  };
  const bytesOf = (d: DocumentRecord, bytes: Uint8Array, headers: Record<string, string>) =>
    new Bytes(MEDIA_TYPES[d.format], bytes, {
      'content-disposition': `attachment; filename="${d.kind}.${EXTENSIONS[d.format]}"`,
      ...headers,
    });

  return [
    route({
      id: 'uploadDocument',
      method: 'POST',
      path: '/v1/documents/uploads',
      summary:
        'Uploads a document’s bytes (PDF, JPEG or PNG, told by its first bytes; at most 20 MiB) into this node’s vault, encrypted under its own key; attach it to a case with documents.attach naming the commitment and this node’s organisation as holder within the hour',
      access: 'signed-in',
      rawBody: {
        mediaType: 'application/octet-stream',
        limit: MAX_DOCUMENT_BYTES,
        description: 'the document’s bytes, as they are',
      },
      response: UploadSchema,
      alsoAnswers: { 201: 'taken: it waits for its documents.attach' },
      errors: {
        403: 'only the applicant, hospital staff on cases and programs’ reviewers and managers upload',
        413: 'TOO_LARGE: more than 20 MiB',
        415: 'UNSUPPORTED_TYPE: not a PDF, JPEG or PNG, or not sent as application/octet-stream',
        429: 'RATE_LIMITED: too many uploads running, waiting or this hour (details.retryAfter)',
        503: 'the ledger does not run protocol 3 yet',
      },
      handler: async (req) => {
        const v = req.viewer;
        const { vault } = nodeParts();
        if (v.node || !v.roles.some((r) => UPLOADERS.includes(r)))
          throw new AidError('FORBIDDEN', 'your role attaches no documents');
        // A ledger still on a protocol without documents could never attach the upload.
        if (!ledger.protocolFor(ledger.height + 1).contracts.has('documents'))
          throw new AidError('UNAVAILABLE', 'this ledger takes documents from protocol 3');
        const length = Number(req.header('content-length'));
        const up = await vault.receive(
          v.key,
          req.stream!,
          Number.isSafeInteger(length) ? length : undefined,
        );
        return new Reply(201, up);
      },
    }),
    route({
      id: 'caseDocuments',
      method: 'GET',
      path: '/v1/cases/{id}/documents',
      summary:
        'The documents a case rests on (kind, format, holder, who attached them, erased or not) and, for the applicant, regulators, auditors and those who may read them, every read of them: who, which document, when',
      access: 'signed-in',
      params: z.object({ id: hexParam('a case id') }),
      response: CaseDocumentsSchema,
      errors: { 403: 'not yours to see', 404: 'no such case' },
      handler: (req) => {
        const v = req.viewer;
        const rec = visibleCase(v, req.params.id);
        const documents = ledger
          .stateScan(`documents/case/${rec.id}/`)
          .map((r) => doc(JSON.parse(r.value) as string))
          .sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : 1));
        const as = readsAs(v, rec);
        const seesReads = as !== undefined || v.roles.includes('auditor');
        const reads = seesReads
          ? ledger
              .stateScan(`documents/r/${rec.id}/`)
              .map((r) => view.get<DocumentRead>(documentKeys.read(JSON.parse(r.value) as string))!)
              .sort((a, b) => b.time - a.time || (a.tx < b.tx ? 1 : -1))
          : undefined;
        return { documents, ...(reads ? { reads } : {}), mayRead: as !== undefined };
      },
    }),
    route({
      id: 'readDocument',
      method: 'POST',
      path: '/v1/documents/{id}/read',
      summary:
        'Reads a document: the body is a documents.read the viewer signed (via = this node’s organisation); it is committed on the ledger first, then the bytes are served, from this node’s vault or fetched from the holding node',
      description:
        'Someone the case is not visible to is refused before anything is ordered (403 FORBIDDEN), and nothing is recorded. A read the contract refuses (NOT_A_READER: a role that sees the case but does not read its documents) is recorded as refused and serves nothing (403, details.tx names the transaction). The answer carries the read transaction in `x-aidledger-read`. Bytes altered at rest are detected (TAMPERED) and never served; each read is served once.',
      access: 'signed-in',
      params: DocParams,
      bodyText: ReadSubmission,
      response: bytesResponse,
      type: 'application/octet-stream',
      errors: {
        400: 'not a documents.read of this document signed by the viewer with this node as via',
        403: 'FORBIDDEN (not yours to see: nothing recorded) or the contract’s refusal (recorded)',
        404: 'no such document',
        409: 'ALREADY_SERVED: this read was served already',
        410: 'ERASED: the document was erased',
        500: 'TAMPERED: the bytes at rest are not the document',
        503: 'the holding node cannot be reached',
      },
      handler: async (req) => {
        const v = req.viewer;
        const { node, vault, relay } = nodeParts();
        let sub: z.infer<typeof ReadSubmission>;
        try {
          sub = ReadSubmission.parse(JSON.parse(req.text ?? ''));
        } catch {
          throw new AidError('BAD_REQUEST', 'send a documents.read submission');
        }
        const d = doc(req.params.id);
        if (sub.tx.payload.document !== d.id)
          throw new AidError('BAD_REQUEST', 'the read names another document');
        if (sub.tx.signer !== v.key)
          throw new AidError('BAD_REQUEST', 'sign the read with the key you signed in with');
        if (sub.tx.payload.via !== node.org)
          throw new AidError('BAD_REQUEST', `name ${node.org}, this node, as via`);
        visibleCase(v, d.case);
        if (d.status === 'erased') throw new AidError('ERASED', 'this document was erased');
        const out = await node.submit(req.text!, req.client);
        if (!out.result.ok) {
          const code = (out.result as { code: string }).code as ErrorCode;
          throw new AidError(code, 'the read was refused; the refusal is on the ledger', {
            details: { tx: out.id },
          });
        }
        let bytes: Uint8Array;
        if (d.holder === node.org) {
          vault.serveOnce(out.id);
          bytes = (await vault.open(d.id, d.commitment)).bytes;
        } else {
          bytes = await relay.fetch(d.holder, d.id, out.id, d.commitment);
        }
        return bytesOf(d, bytes, { 'x-aidledger-read': out.id });
      },
    }),
    route({
      id: 'nodeDocument',
      method: 'GET',
      path: '/v1/cluster/documents/{id}',
      summary:
        'For a peer node: a document this node holds, for a committed documents.read that names it and the peer’s organisation as via, once, within 10 minutes of the read; the salt comes in `x-aidledger-salt` so the peer checks the bytes against the commitment',
      access: 'node',
      params: DocParams,
      query: z.object({ read: hexParam('a read transaction').describe('the documents.read') }),
      response: bytesResponse,
      type: 'application/octet-stream',
      errors: {
        403: 'the read does not name this document and the peer, or is too old',
        404: 'no committed read, or this node does not hold the document',
        409: 'ALREADY_SERVED',
        410: 'ERASED',
        500: 'TAMPERED',
      },
      handler: async (req) => {
        const { node, vault } = nodeParts();
        const tx = req.query.read;
        // The read may be committed on the peer's node a moment before it is here.
        const until = Date.now() + READ_ARRIVAL_MS;
        let read = view.get<DocumentRead>(documentKeys.read(tx));
        while (!read && Date.now() < until) {
          await new Promise((r) => setTimeout(r, 100));
          read = view.get<DocumentRead>(documentKeys.read(tx));
        }
        if (!read) throw new AidError('NOT_FOUND', 'no committed read of this document');
        if (read.document !== req.params.id || read.via !== req.viewer.org)
          throw new AidError('FORBIDDEN', 'the read names another document or node');
        if (node.clock() - read.time > READ_FRESH_MS)
          throw new AidError('FORBIDDEN', 'the read is too old: sign a new one');
        const d = doc(read.document);
        if (d.status === 'erased') throw new AidError('ERASED', 'this document was erased');
        if (d.holder !== node.org || !vault.holds(d.id))
          throw new AidError('NOT_FOUND', 'this node does not hold the document');
        vault.serveOnce(tx);
        const opened = await vault.open(d.id, d.commitment);
        return bytesOf(d, opened.bytes, { 'x-aidledger-salt': opened.salt.toString('hex') });
      },
    }),
  ];
};
