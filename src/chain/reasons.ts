/**
 * The published lists of coded reasons. A public payload never carries free text from protocol 2
 * on: free text can name a patient, and the log keeps it for good. A transaction states one of
 * these codes in public; what a person wants to add goes in its private part (`note`), which
 * member nodes keep beside the log and can erase. Each code has its words in the three languages.
 */
import { z } from 'zod';
import type { Names } from './schemas.js';

const n = (zhHant: string, zhHans: string, en: string): Names => ({
  'zh-Hant': zhHant,
  'zh-Hans': zhHans,
  en,
});

/** Why a regulator freezes a case, a program or an organisation. */
export const FREEZE_REASONS = {
  'suspected-fraud': n('涉嫌詐騙', '涉嫌欺诈', 'suspected fraud'),
  'duplicate-claims': n('疑似重複申領', '疑似重复申领', 'suspected duplicate claims'),
  'conflict-of-interest': n('利益衝突', '利益冲突', 'conflict of interest'),
  'records-under-audit': n('紀錄審計中', '记录审计中', 'records under audit'),
  complaint: n('接獲投訴', '接到投诉', 'complaint received'),
  'legal-order': n('法律命令', '法律命令', 'legal order'),
  other: n('其他（見內部備註）', '其他（见内部备注）', 'other (see the private note)'),
} as const satisfies Record<string, Names>;
export type FreezeReason = keyof typeof FREEZE_REASONS;
export const FreezeReasonSchema = z.enum(Object.keys(FREEZE_REASONS) as [FreezeReason]);

/** Why a freeze is lifted. */
export const UNFREEZE_REASONS = {
  resolved: n('問題已解決', '问题已解决', 'issue resolved'),
  'no-finding': n('查無不當', '查无不当', 'nothing improper found'),
  'placed-in-error': n('誤凍結', '误冻结', 'placed in error'),
  'consortium-decision': n('聯盟決議', '联盟决议', 'consortium decision'),
  other: n('其他（見內部備註）', '其他（见内部备注）', 'other (see the private note)'),
} as const satisfies Record<string, Names>;
export type UnfreezeReason = keyof typeof UNFREEZE_REASONS;
export const UnfreezeReasonSchema = z.enum(Object.keys(UNFREEZE_REASONS) as [UnfreezeReason]);

/**
 * The private part beside a coded reason: what the person wrote, kept off the log. Bounded so a
 * note cannot grow a node's private table without limit.
 */
export const PrivateNoteSchema = z.strictObject({ note: z.string().min(1).max(2000) });
