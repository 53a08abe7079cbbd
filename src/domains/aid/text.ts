/**
 * The words of medical aid in the three languages the product speaks: fact names, case states,
 * outcomes and the reasons a condition did not hold. The API explains decisions with them, and
 * the web app and the CLI show them.
 */
import type { Names } from '../../chain/schemas.js';
import { CANCEL_REASONS, DECLINE_REASONS } from './reasons.js';

export type Lang = keyof Names;
export const LANGS: readonly Lang[] = ['zh-Hant', 'zh-Hans', 'en'];

/** The reader's language from a `lang` parameter or an Accept-Language header; English otherwise. */
export function pickLang(wanted: string | undefined): Lang {
  for (const part of (wanted ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (tag === 'zh-hant' || tag === 'zh-tw' || tag === 'zh-hk' || tag === 'zh-mo')
      return 'zh-Hant';
    if (tag === 'zh-hans' || tag === 'zh-cn' || tag === 'zh-sg' || tag === 'zh') return 'zh-Hans';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

const n = (zhHant: string, zhHans: string, en: string): Names => ({
  'zh-Hant': zhHant,
  'zh-Hans': zhHans,
  en,
});

export const FACT_LABELS: Readonly<Record<string, Names>> = {
  age: n('年齡', '年龄', 'age'),
  householdSize: n('家庭人口', '家庭人口', 'household size'),
  householdIncomePerCapita: n(
    '家庭人均年收入',
    '家庭人均年收入',
    'household income per person a year',
  ),
  region: n('地區代碼', '地区代码', 'region code'),
  lowIncome: n('低收入資格', '低收入资格', 'low-income status'),
  disability: n('殘疾資格', '残疾资格', 'disability status'),
  diagnoses: n('診斷（ICD-10）', '诊断（ICD-10）', 'diagnoses (ICD-10)'),
  invoiceTotal: n('醫療費用總額', '医疗费用总额', 'invoice total'),
  insurancePaid: n('基本醫保已付', '基本医保已付', 'paid by basic insurance'),
  ownExpense: n('自付費用', '自付费用', 'own expense after insurance'),
};

export const STATE_LABELS: Readonly<Record<string, Names>> = {
  submitted: n('已提交', '已提交', 'submitted'),
  verified: n('醫院已核實', '医院已核实', 'verified by the hospital'),
  assessed: n('待審核', '待审核', 'awaiting review'),
  rejected: n('未獲批准', '未获批准', 'rejected'),
  appealed: n('覆核中', '复核中', 'under appeal'),
  'info-requested': n('待補充資料', '待补充资料', 'more information requested'),
  waitlisted: n('候補中', '候补中', 'waitlisted'),
  funded: n('已預留款項', '已预留款项', 'funded'),
  disbursed: n('已撥付醫院', '已拨付医院', 'paid to the hospital'),
  confirmed: n('醫院已確認收款', '医院已确认收款', 'receipt confirmed'),
  closed: n('已結案', '已结案', 'closed'),
  withdrawn: n('已撤回', '已撤回', 'withdrawn'),
  cancelled: n('已取消', '已取消', 'cancelled'),
};

export const OUTCOME_LABELS: Readonly<Record<string, Names>> = {
  'treatment-completed': n('治療完成', '治疗完成', 'treatment completed'),
  improved: n('好轉', '好转', 'improved'),
  transferred: n('轉院', '转院', 'transferred'),
  'discharged-against-advice': n('自動出院', '自动出院', 'discharged against advice'),
  deceased: n('死亡', '死亡', 'deceased'),
  other: n('其他', '其他', 'other'),
};

export const REASON_LABELS: Readonly<Record<string, Names>> = {
  false: n('條件不成立', '条件不成立', 'the condition does not hold'),
  'missing-fact': n('缺少資料', '缺少资料', 'a fact it needs is missing'),
  'not-attested': n(
    '須經機構核實，僅有申請人申報',
    '须经机构核实，仅有申请人申报',
    'needs an attested fact, has only a declared one',
  ),
  error: n('規則無法計算', '规则无法计算', 'the rule could not be evaluated'),
  'conditions-not-met': n('不符合資格條件', '不符合资格条件', 'eligibility conditions not met'),
  'nothing-to-pay': n(
    '無可支付金額（起付線或年度上限）',
    '无可支付金额（起付线或年度上限）',
    'nothing to pay (deductible or annual cap)',
  ),
  'reviewer-rejected': n('審核人不批准', '审核人不批准', 'rejected by a reviewer'),
  approved: n('已批准', '已批准', 'approved'),
  withdrawn: n('申請人撤回', '申请人撤回', 'withdrawn by the applicant'),
  // From protocol 2, a declined or cancelled case keeps the published code it was given.
  ...DECLINE_REASONS,
  ...CANCEL_REASONS,
};

export const SOURCE_LABELS = {
  declared: n('申請人申報', '申请人申报', 'declared by the applicant'),
  attested: n('由{org}核實', '由{org}核实', 'attested by {org}'),
  missing: n('未提供', '未提供', 'not given'),
} as const;

export const STEP_LABELS: Readonly<Record<string, Names>> = {
  expense: n('自付醫療費用（扣除醫保）', '自付医疗费用（扣除医保）', 'expense net of insurance'),
  claimedElsewhere: n('已由其他個案承擔', '已由其他个案承担', 'already covered by other cases'),
  deductible: n('起付線', '起付线', 'deductible'),
  afterDeductible: n('扣除起付線後', '扣除起付线后', 'after the deductible'),
  rated: n(
    '按比例報銷（向下取整）',
    '按比例报销（向下取整）',
    'at the reimbursement rate, rounded down',
  ),
  perCaseCap: n('每案上限', '每案上限', 'per-case cap'),
  perPatientYearCap: n('每人每年上限', '每人每年上限', 'per-patient cap a year'),
  usedThisYear: n('本年度已獲', '本年度已获', 'already granted this year'),
  amount: n('核定金額', '核定金额', 'amount granted'),
};
