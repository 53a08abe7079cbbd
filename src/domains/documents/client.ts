/**
 * Documents through a node's HTTP API, browser-safe: upload a document's bytes, attach the upload
 * to a case, list a case's documents and who read them, read one (a `documents.read` signed on
 * the reader's own device, committed before the bytes come back), and erase one.
 */
import type { Submission } from '../../chain/tx.js';
import { toHex } from '../../core/bytes.js';
import { canonicalJson } from '../../core/canonical.js';
import { publicKeyFromSeed } from '../../core/ed25519.js';
import { AidError, type ErrorCode } from '../../core/errors.js';
import { buildSubmission } from '../../sdk/build.js';
import { AidClient, type Outcome } from '../../sdk/client.js';
import type { CaseDocuments, DocumentFormat, Upload } from './types.js';

const baseOf = (c: AidClient | string): string =>
  (typeof c === 'string' ? c : c.base).replace(/\/+$/, '');

async function call(url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(120_000) });
  } catch (cause) {
    throw new AidError('UNAVAILABLE', `cannot reach ${url}: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (res.ok) return res;
  let body: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not a JSON error body
  }
  throw new AidError(
    (body.error?.code ?? 'UNAVAILABLE') as ErrorCode,
    body.error?.message ?? `HTTP ${res.status}`,
    body.error?.details ? { details: body.error.details } : undefined,
  );
}

/**
 * Uploads a document's bytes to the node, which keeps them encrypted until a `documents.attach`
 * names the answer's commitment (within the hour). The format is told by the bytes themselves.
 * @throws AidError TOO_LARGE (over 20 MiB), UNSUPPORTED_TYPE (not a PDF, JPEG or PNG),
 * RATE_LIMITED, FORBIDDEN, UNAUTHORIZED.
 */
export async function uploadDocument(
  client: AidClient | string,
  token: string,
  bytes: Uint8Array | Blob,
): Promise<Upload> {
  const res = await call(`${baseOf(client)}/v1/documents/uploads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
    body: bytes as Blob,
  });
  return (await res.json()) as Upload;
}

/** What `documents.attach` names: the case, the kind of document, and the upload. */
export interface AttachSpec {
  case: string;
  /** The name the program gives the document (`invoice`, `income-certificate`, …). */
  kind: string;
  upload: Pick<Upload, 'commitment' | 'format' | 'holder'>;
}

/** A signed `documents.attach` for `AidClient.submit`. */
export function attachSubmission(chain: string, seed: Uint8Array, a: AttachSpec): Submission {
  return buildSubmission(
    {
      chain,
      type: 'documents.attach',
      payload: {
        case: a.case,
        kind: a.kind,
        format: a.upload.format,
        commitment: a.upload.commitment,
        holder: a.upload.holder,
      },
    },
    seed,
  );
}

/**
 * Attaches an upload to a case; the outcome's id is the document's id.
 * @throws AidError with an admission code; a contract's refusal is in the outcome.
 */
export function attachDocument(
  client: AidClient | string,
  chain: string,
  seed: Uint8Array,
  a: AttachSpec,
): Promise<Outcome> {
  const c = typeof client === 'string' ? new AidClient(client) : client;
  return c.submit(attachSubmission(chain, seed, a));
}

/** The documents of a case and, for those who may see them, every read of them. */
export async function caseDocuments(
  client: AidClient | string,
  token: string,
  caseId: string,
): Promise<CaseDocuments> {
  const res = await call(`${baseOf(client)}/v1/cases/${encodeURIComponent(caseId)}/documents`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return (await res.json()) as CaseDocuments;
}

/** A document read: its bytes, its media type and the read transaction on the ledger. */
export interface ReadDocument {
  bytes: Uint8Array;
  type: string;
  format: DocumentFormat | undefined;
  /** The `documents.read` transaction that recorded the read. */
  read: string;
}

/**
 * Reads a document through the node at `client`: signs a `documents.read` with `seed` naming
 * `via`, the node's organisation (asked of the node's `/v1/health` when not given), which the node
 * commits before it serves the bytes.
 * @throws AidError FORBIDDEN (the case is not yours: nothing recorded), NOT_A_READER (recorded
 * as refused; `details.tx`), ERASED, TAMPERED, ALREADY_SERVED, UNAVAILABLE.
 */
export async function readDocument(
  client: AidClient | string,
  token: string,
  chain: string,
  seed: Uint8Array,
  document: string,
  via?: string,
): Promise<ReadDocument> {
  via ??= ((await (await call(`${baseOf(client)}/v1/health`, {})).json()) as { org: string }).org;
  const sub = buildSubmission({ chain, type: 'documents.read', payload: { document, via } }, seed);
  const res = await call(`${baseOf(client)}/v1/documents/${encodeURIComponent(document)}/read`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: canonicalJson(sub),
  });
  const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const format = ({ 'application/pdf': 'pdf', 'image/jpeg': 'jpeg', 'image/png': 'png' } as const)[
    type as 'application/pdf'
  ];
  return {
    bytes: new Uint8Array(await res.arrayBuffer()),
    type,
    format,
    read: res.headers.get('x-aidledger-read') ?? '',
  };
}

/**
 * Erases a document: its key (and ciphertext) is destroyed at the node that holds it; the ledger
 * keeps its commitment. By the applicant, the holding organisation's administrator or a regulator.
 */
export function eraseDocument(
  client: AidClient | string,
  chain: string,
  seed: Uint8Array,
  document: string,
): Promise<Outcome> {
  const c = typeof client === 'string' ? new AidClient(client) : client;
  return c.submit(buildSubmission({ chain, type: 'documents.erase', payload: { document } }, seed));
}

/** The public key (hex) of a seed: the signer a read must be signed by. */
export const keyOf = (seed: Uint8Array): string => toHex(publicKeyFromSeed(seed));
