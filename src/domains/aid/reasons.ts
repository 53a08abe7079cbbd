/**
 * The published lists of coded reasons. A public payload never carries free text from protocol 2
 * on: free text can name a patient, and the log keeps it for good. A transaction states one of
 * these codes in public; what a person wants to add goes in its private part (`note`), which
 * member nodes keep beside the log and can erase. Each code has its words in the three languages.
 */
import { z } from 'zod';
import type { Names } from '../../chain/schemas.js';

// Each `…ReasonSchema` below marks `Object.keys` pure (/* @__PURE__ */): a bundler then drops a
// schema nothing uses, so a browser page that shows a reason's words loads neither it nor zod.

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
export const FreezeReasonSchema = z.enum(
  /* @__PURE__ */ Object.keys(FREEZE_REASONS) as [FreezeReason],
);

/** Why a freeze is lifted. */
export const UNFREEZE_REASONS = {
  resolved: n('問題已解決', '问题已解决', 'issue resolved'),
  'no-finding': n('查無不當', '查无不当', 'nothing improper found'),
  'placed-in-error': n('誤凍結', '误冻结', 'placed in error'),
  'consortium-decision': n('聯盟決議', '联盟决议', 'consortium decision'),
  other: n('其他（見內部備註）', '其他（见内部备注）', 'other (see the private note)'),
} as const satisfies Record<string, Names>;
export type UnfreezeReason = keyof typeof UNFREEZE_REASONS;
export const UnfreezeReasonSchema = z.enum(
  /* @__PURE__ */ Object.keys(UNFREEZE_REASONS) as [UnfreezeReason],
);

/**
 * The private part beside a coded reason: what the person wrote, kept off the log. Bounded so a
 * note cannot grow a node's private table without limit.
 */
export const PrivateNoteSchema = z.strictObject({ note: z.string().min(1).max(2000) });

/** Why the treating hospital declines a case it cannot confirm (`cases.decline`). */
export const DECLINE_REASONS = {
  'patient-not-identified': n(
    '無法按入院紀錄核實病人身分',
    '无法按入院记录核实病人身份',
    'the patient could not be identified from the admission record',
  ),
  'not-our-patient': n('非本院病人', '非本院病人', 'not a patient of this hospital'),
  'diagnosis-not-confirmed': n(
    '未能確認診斷',
    '未能确认诊断',
    'the diagnosis could not be confirmed',
  ),
  'invoices-not-found': n('查無相關發票', '查无相关发票', 'the invoices could not be found'),
  'invoices-already-paid': n(
    '發票已由其他項目支付',
    '发票已由其他项目支付',
    'the invoices are already paid by another program',
  ),
  'documents-incomplete': n('申請文件不齊全', '申请文件不齐全', 'the documents are incomplete'),
  other: n('其他（見內部備註）', '其他（见内部备注）', 'other (see the private note)'),
} as const satisfies Record<string, Names>;
export type DeclineReason = keyof typeof DECLINE_REASONS;
export const DeclineReasonSchema = z.enum(
  /* @__PURE__ */ Object.keys(DECLINE_REASONS) as [DeclineReason],
);

/** Why a reviewer approves or rejects a case (`cases.review`). */
export const REVIEW_REASONS = {
  'criteria-met': n('符合資格條件', '符合资格条件', 'meets the criteria'),
  'hardship-confirmed': n('經濟困難屬實', '经济困难属实', 'financial hardship confirmed'),
  'documents-verified': n('證明文件核實無誤', '证明文件核实无误', 'the documents were verified'),
  'criteria-not-met': n('不符合資格條件', '不符合资格条件', 'does not meet the criteria'),
  'facts-inconsistent': n(
    '申報資料與核實資料不符',
    '申报资料与核实资料不符',
    'declared facts differ from attested ones',
  ),
  'documents-insufficient': n('證明文件不足', '证明文件不足', 'the documents are insufficient'),
  'suspected-duplicate': n('疑似重複申領', '疑似重复申领', 'suspected duplicate claim'),
  other: n('其他（見內部備註）', '其他（见内部备注）', 'other (see the private note)'),
} as const satisfies Record<string, Names>;
export type ReviewReason = keyof typeof REVIEW_REASONS;
export const ReviewReasonSchema = z.enum(
  /* @__PURE__ */ Object.keys(REVIEW_REASONS) as [ReviewReason],
);

/** What a reviewer asks for before deciding (`cases.requestInfo`, protocol 3). */
export const INFO_REASONS = {
  'document-missing': n('缺少所需文件', '缺少所需文件', 'a required document is missing'),
  'document-unreadable': n('文件無法辨認', '文件无法辨认', 'a document cannot be read'),
  'income-proof-needed': n('需要收入證明', '需要收入证明', 'proof of income is needed'),
  'identity-proof-needed': n('需要身分證明', '需要身份证明', 'proof of identity is needed'),
  'diagnosis-detail-needed': n(
    '需要更詳細的診斷資料',
    '需要更详细的诊断资料',
    'more detail on the diagnosis is needed',
  ),
  'invoice-detail-needed': n(
    '需要更詳細的費用明細',
    '需要更详细的费用明细',
    'more detail on the invoice is needed',
  ),
  other: n('其他（見內部備註）', '其他（见内部备注）', 'other (see the private note)'),
} as const satisfies Record<string, Names>;
export type InfoReason = keyof typeof INFO_REASONS;
export const InfoReasonSchema = z.enum(/* @__PURE__ */ Object.keys(INFO_REASONS) as [InfoReason]);

/** Why the program cancels a case (`cases.cancel`). */
export const CANCEL_REASONS = {
  'applicant-request': n('應申請人要求', '应申请人要求', 'at the applicant’s request'),
  'duplicate-application': n('重複申請', '重复申请', 'duplicate application'),
  'identity-mismatch': n('病人身分不符', '病人身份不符', 'the patient’s identity does not match'),
  'covered-elsewhere': n(
    '費用已由其他途徑支付',
    '费用已由其他途径支付',
    'paid from another source',
  ),
  'program-closed': n('項目已結束', '项目已结束', 'the program has closed'),
  'suspected-fraud': n('涉嫌詐騙', '涉嫌欺诈', 'suspected fraud'),
  other: n('其他（見內部備註）', '其他（见内部备注）', 'other (see the private note)'),
} as const satisfies Record<string, Names>;
export type CancelReason = keyof typeof CANCEL_REASONS;
export const CancelReasonSchema = z.enum(
  /* @__PURE__ */ Object.keys(CANCEL_REASONS) as [CancelReason],
);

/** Why unspent money of a lot goes back to the donor or the treasury (`funds.return`). */
export const RETURN_REASONS = {
  'donor-request': n('應捐贈人要求', '应捐赠人要求', 'at the donor’s request'),
  'program-closed': n('項目已結束', '项目已结束', 'the program has closed'),
  'restriction-unmet': n(
    '無法按指定用途使用',
    '无法按指定用途使用',
    'the restriction cannot be met',
  ),
  'budget-unspent': n(
    '預算未用完，退回財政',
    '预算未用完，退回财政',
    'unspent budget back to the treasury',
  ),
  'recorded-in-error': n('誤記入帳', '误记入账', 'recorded in error'),
  other: n('其他（見內部備註）', '其他（见内部备注）', 'other (see the private note)'),
} as const satisfies Record<string, Names>;
export type ReturnReason = keyof typeof RETURN_REASONS;
export const ReturnReasonSchema = z.enum(
  /* @__PURE__ */ Object.keys(RETURN_REASONS) as [ReturnReason],
);

/**
 * A payment or budget reference (bank transfer, FPS, cheque, treasury document), kept in the
 * private part from protocol 2. A pattern such as ISO 20022's EndToEndId (`[A-Za-z0-9-]{1,35}`)
 * would not do in public: an identity card or a phone number fits it as well as a reference, and
 * whoever types the reference is not always who it could name. The payer and the payee are
 * members and read it through the staff APIs; the log keeps its commitment, so whoever holds the
 * text can prove it.
 */
export const PaymentReferenceSchema = z.string().min(1).max(128);

/** The private part beside a payment: its reference, and any words of the person who paid. */
export const PaymentFactsSchema = z.strictObject({
  reference: PaymentReferenceSchema,
  note: z.string().min(1).max(2000).optional(),
});
