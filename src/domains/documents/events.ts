/**
 * The documents domain's part of the events stream: a document attached to a case or erased, and
 * a read recorded, told to those who may see the case (so a reviewer's screen shows a new document
 * and a family's case page a new read without a reload). A change names the document or the read
 * and the case, never the bytes or who read them.
 */
import type { DomainEvents, VisibleChange } from '../../runtime/events.js';
import { canSeeCase } from '../aid/access.js';
import { caseKeys } from '../aid/contracts/case-record.js';
import type { CaseRecord } from '../aid/types.js';
import { documentKeys } from './contracts/documents.js';
import type { DocumentRead, DocumentRecord } from './types.js';

const DOCUMENT = documentKeys.document('');
const READ = documentKeys.read('');

export const documentsEvents: DomainEvents =
  ({ ledger }) =>
  (writes) => {
    const out: VisibleChange[] = [];
    const caseOf = (id: string): CaseRecord | undefined => {
      const text = ledger.stateGet(caseKeys.case(id));
      return text === undefined ? undefined : (JSON.parse(text) as CaseRecord);
    };
    for (const [key, value] of writes) {
      if (value === null) continue;
      let change: VisibleChange['change'] | undefined;
      let caseId = '';
      if (key.startsWith(DOCUMENT)) {
        const d = JSON.parse(value) as DocumentRecord;
        change = { domain: 'documents', kind: 'document', id: d.id, state: d.status };
        caseId = d.case;
      } else if (key.startsWith(READ)) {
        const r = JSON.parse(value) as DocumentRead;
        change = { domain: 'documents', kind: 'read', id: r.tx };
        caseId = r.case;
      }
      const c = change === undefined ? undefined : caseOf(caseId);
      if (change !== undefined && c !== undefined)
        out.push({ change: { ...change, case: c.id }, visibleTo: (v) => canSeeCase(v, c) });
    }
    return out;
  };
