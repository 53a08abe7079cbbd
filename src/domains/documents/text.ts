/**
 * The words of documents in the three languages the product speaks: formats, the roles a read
 * was allowed by, and the refusals a reader may meet. The CLI and the web app show them.
 * Browser-safe.
 */
import type { Names } from '../../chain/schemas.js';

const n = (zhHant: string, zhHans: string, en: string): Names => ({
  'zh-Hant': zhHant,
  'zh-Hans': zhHans,
  en,
});

export const FORMAT_LABELS: Readonly<Record<string, Names>> = {
  pdf: n('PDF 文件', 'PDF 文件', 'PDF document'),
  jpeg: n('JPEG 圖片', 'JPEG 图片', 'JPEG image'),
  png: n('PNG 圖片', 'PNG 图片', 'PNG image'),
};

/** The role a read was allowed by (`DocumentRead.as`). */
export const READ_ROLE_LABELS: Readonly<Record<string, Names>> = {
  applicant: n('申請人本人', '申请人本人', 'the applicant'),
  clerk: n('醫院職員', '医院职员', 'hospital clerk'),
  'social-worker': n('醫院社工', '医院社工', 'hospital social worker'),
  reviewer: n('項目審核員', '项目审核员', 'program reviewer'),
  'program-manager': n('項目經理', '项目经理', 'program manager'),
  regulator: n('監管機構', '监管机构', 'regulator'),
};

/** Words of the documents screens and commands. */
export const DOCUMENT_WORDS = {
  documents: n('證明文件', '证明文件', 'Documents'),
  reads: n('誰讀取了您的文件', '谁读取了您的文件', 'Who read your documents'),
  noReads: n('尚無人讀取您的文件。', '尚无人读取您的文件。', 'Nobody has read your documents yet.'),
  reader: n('讀取者', '读取者', 'Reader'),
  document: n('文件', '文件', 'Document'),
  when: n('時間', '时间', 'When'),
  as: n('身分', '身份', 'As'),
  erased: n('已刪除', '已删除', 'erased'),
  TOO_LARGE: n('文件超過 20 MB。', '文件超过 20 MB。', 'The document is larger than 20 MB.'),
  UNSUPPORTED_TYPE: n(
    '只接受 PDF、JPEG 或 PNG 文件。',
    '只接受 PDF、JPEG 或 PNG 文件。',
    'Only PDF, JPEG or PNG documents are taken.',
  ),
  NOT_A_READER: n(
    '您的角色不能讀取此案件的文件；此次嘗試已記錄在帳本上。',
    '您的角色不能读取此案件的文件；此次尝试已记录在账本上。',
    'Your role does not read this case’s documents; the attempt is recorded on the ledger.',
  ),
  TAMPERED: n(
    '文件在儲存中被改動，已拒絕提供。',
    '文件在存储中被改动，已拒绝提供。',
    'The document was altered in storage and is not served.',
  ),
  ERASED: n('此文件已被刪除。', '此文件已被删除。', 'This document was erased.'),
} as const satisfies Record<string, Names>;
