/** What the SDK exports of documents: client functions, wire types and words (browser-safe). */
export {
  uploadDocument,
  attachSubmission,
  attachDocument,
  caseDocuments,
  readDocument,
  eraseDocument,
  type AttachSpec,
  type ReadDocument,
} from './client.js';
export {
  DOCUMENT_FORMATS,
  MAX_DOCUMENT_BYTES,
  MEDIA_TYPES,
  type CaseDocuments,
  type DocumentFormat,
  type DocumentRead,
  type DocumentRecord,
  type Upload,
} from './types.js';
export { sniffFormat } from './sniff.js';
export { DOCUMENT_WORDS, READ_ROLE_LABELS } from './text.js';
