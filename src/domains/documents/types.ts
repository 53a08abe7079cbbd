/**
 * The wire shapes of documents: what the ledger keeps of a document (a salted hash, its kind and
 * format, who holds it, the case), the record of each read, and what the node's routes answer.
 * No personal data: the bytes and the salt stay with the holding node. Browser-safe.
 */
import { z } from 'zod';

/** The formats a document may have, told apart by their first bytes (never by name). */
export const DOCUMENT_FORMATS = ['pdf', 'jpeg', 'png'] as const;
export const DocumentFormatSchema = z.enum(DOCUMENT_FORMATS);
export type DocumentFormat = z.infer<typeof DocumentFormatSchema>;

/** The media type each format is served with. */
export const MEDIA_TYPES: Readonly<Record<DocumentFormat, string>> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/** The largest document taken: 20 MiB. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** A document as the contract keeps it: `documents/d/<id>`, its id the attaching transaction's. */
export const DocumentRecordSchema = z
  .object({
    id: hex64.describe('the documents.attach transaction'),
    case: hex64,
    kind: z.string().describe('the name the program gives the document (invoice, diagnosis, …)'),
    format: DocumentFormatSchema,
    commitment: hex64.describe('SHA-256 of a 32-byte salt followed by the bytes'),
    holder: z.string().describe('the organisation whose node holds the encrypted bytes'),
    by: z.string().describe('<org>/<name> of the member who attached it, or applicant'),
    time: z.number().int().describe('block time of the attachment (ms)'),
    status: z.enum(['active', 'erased']),
    erased: z
      .object({ by: z.string(), tx: hex64, time: z.number().int() })
      .exactOptional()
      .describe('who erased it, in which transaction, when'),
  })
  .meta({ id: 'DocumentRecord' });
export type DocumentRecord = z.infer<typeof DocumentRecordSchema>;

/** One read of a document, as the contract records it: `documents/read/<tx>`. */
export const DocumentReadSchema = z
  .object({
    tx: hex64.describe('the documents.read transaction'),
    document: hex64,
    case: hex64,
    kind: z.string(),
    reader: z.string().describe('<org>/<name> of the member who read it, or applicant'),
    org: z.string().describe("the reader's organisation ('' for the applicant)"),
    as: z.string().describe('the role the read was allowed by'),
    via: z.string().describe('the organisation whose node delivered the bytes'),
    time: z.number().int().describe('block time of the read (ms)'),
  })
  .meta({ id: 'DocumentRead' });
export type DocumentRead = z.infer<typeof DocumentReadSchema>;

/** What `GET /v1/cases/{id}/documents` answers. */
export const CaseDocumentsSchema = z
  .object({
    documents: z.array(DocumentRecordSchema).describe('oldest first'),
    reads: z
      .array(DocumentReadSchema)
      .exactOptional()
      .describe(
        'every read of the case’s documents, newest first: for the applicant and those who may read them',
      ),
    mayRead: z.boolean().describe('whether the viewer may read the documents'),
  })
  .meta({ id: 'CaseDocuments' });
export type CaseDocuments = z.infer<typeof CaseDocumentsSchema>;

/** What `POST /v1/documents/uploads` answers: the upload waits for its documents.attach. */
export const UploadSchema = z
  .object({
    commitment: hex64.describe('name it in documents.attach'),
    format: DocumentFormatSchema.describe('as told by the first bytes'),
    size: z.number().int(),
    holder: z.string().describe('this node’s organisation: name it as holder'),
    expires: z.number().int().describe('when an upload not attached by then is deleted (ms)'),
  })
  .meta({ id: 'DocumentUpload' });
export type Upload = z.infer<typeof UploadSchema>;
