/**
 * Medical aid's part of the demo consortium, on top of membership's (../membership/demo.ts): the city bureau's
 * medical assistance (CNY, funded by budget allocations, an income rule the bureau attests and
 * an own-expense rule, its rules changed part-way) and the Hope foundation's children's
 * critical-illness fund (financed by donations, with a waitlist when the pool runs short), plus
 * a small family fund the children's hospital runs itself; about two hundred cases at three
 * hospitals in every state of their lifecycle, and the refusals a real consortium sees: double
 * claims across the bureau's and the foundation's programs, a wrong role, a hospital reviewing
 * its own patient, a withdrawal by someone else, a regulator's freeze.
 *
 * Every step is a real signed transaction decided by the contracts; this module only chooses what
 * to submit, round after round, from what the ledger says. Keys, patients, amounts and the salts
 * of private parts all derive from the demo seed, so one seed gives the same transactions but for
 * their times (and the ids that hash them). Like the demo keys, the salts are public knowledge:
 * demo data is fiction, never for production.
 */
import { caseKeys, CASE_STATES, type CaseRecord, type CaseState } from './contracts/case-record.js';
import { ENDED_STATES } from './types.js';
import { AidQueries } from './model.js';
import {
  DemoSession,
  refusalsInLog,
  SeededRng,
  type DemoMember,
  type DemoTarget,
  type DomainDemo,
} from '../../runtime/demo-kit.js';
import { ROTATED_KEYS } from '../membership/demo.js';
import { caseIndex } from './projections.js';

export const CITY_PROGRAM = 'city-medical-assistance';
export const HOPE_PROGRAM = 'children-critical-illness';
export const KIDS_PROGRAM = 'children-hospital-family-fund';

// ---- the people and the places -----------------------------------------------------------------

type Hospital = 'general-hospital' | 'children-hospital' | 'east-hospital';
type Program = 'city' | 'hope' | 'kids';

const PROGRAM: Record<
  Program,
  { id: string; owner: string; manager: string; finance: string; reviewers: [string, string] }
> = {
  city: {
    id: CITY_PROGRAM,
    owner: 'city-bureau',
    manager: 'city-bureau/manager-1',
    finance: 'city-bureau/finance-1',
    reviewers: ['city-bureau/reviewer-1', 'city-bureau/reviewer-2'],
  },
  hope: {
    id: HOPE_PROGRAM,
    owner: 'hope-foundation',
    manager: 'hope-foundation/manager-1',
    finance: 'hope-foundation/finance-1',
    reviewers: ['hope-foundation/reviewer-1', 'hope-foundation/reviewer-2'],
  },
  kids: {
    id: KIDS_PROGRAM,
    owner: 'children-hospital',
    manager: 'children-hospital/admin',
    finance: 'children-hospital/finance-1',
    reviewers: ['children-hospital/reviewer-1', 'children-hospital/reviewer-1'],
  },
};

/** The members this part signs as besides membership's staff: the membership part enrols them. */
const AID_STAFF: DemoMember[] = [
  { org: 'city-bureau', name: 'clerk-1', roles: ['clerk'] },
  { org: 'hope-foundation', name: 'manager-1', roles: ['program-manager'] },
  { org: 'hope-foundation', name: 'reviewer-2', roles: ['reviewer'] },
  { org: 'general-hospital', name: 'clerk-2', roles: ['clerk'] },
  { org: 'general-hospital', name: 'finance-1', roles: ['finance'] },
  { org: 'children-hospital', name: 'finance-1', roles: ['finance'] },
  { org: 'children-hospital', name: 'reviewer-1', roles: ['reviewer'] },
  { org: 'east-hospital', name: 'finance-1', roles: ['finance'] },
];

/** Hospital staff: who verifies and closes (clerks, social workers), applies, confirms payments. */
const STAFF: Record<
  Hospital,
  { clerks: string[]; worker: string; finance: string; prefix: string }
> = {
  // general-hospital/clerk-1 is revoked by the membership demo.
  'general-hospital': {
    clerks: ['general-hospital/clerk-2', 'general-hospital/social-worker-1'],
    worker: 'general-hospital/social-worker-1',
    finance: 'general-hospital/finance-1',
    prefix: 'GH',
  },
  'children-hospital': {
    clerks: ['children-hospital/clerk-1', 'children-hospital/clerk-2'],
    worker: 'children-hospital/social-worker-1',
    finance: 'children-hospital/finance-1',
    prefix: 'CH',
  },
  // east-hospital/clerk-1 is also a social worker after the membership demo.
  'east-hospital': {
    clerks: ['east-hospital/clerk-1'],
    worker: 'east-hospital/clerk-1',
    finance: 'east-hospital/finance-1',
    prefix: 'EH',
  },
};

const ATTESTER = 'city-bureau/clerk-1';
const REGULATOR = 'audit-office/auditor-1';

const SURNAMES = [
  ...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕',
];
const GIVEN = [
  ...'伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂子轩梓涵浩宇欣怡若晨思雨嘉俊佳琪博文',
];
/** District codes of Shanghai, whose time zone both programs use. */
const REGIONS = ['310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112'];
const CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A mainland resident ID number with its GB 11643 (ISO 7064 MOD 11-2) check character. */
export function cnIdNumber(region: string, y: number, m: number, d: number, seq: number): string {
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const body = `${region}${pad(y, 4)}${pad(m, 2)}${pad(d, 2)}${pad(seq, 3)}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * CN_WEIGHTS[i]!;
  return body + '10X98765432'[sum % 11]!;
}

interface Patient {
  id: string;
  name: string;
  /** Age on 1 January 2026, which the ID's date of birth agrees with. */
  age: number;
  phone: string;
}

function makePatient(rng: SeededRng, used: Set<string>, age: number): Patient {
  for (;;) {
    const id = cnIdNumber(
      rng.pick(REGIONS),
      2025 - age,
      rng.range(1, 12),
      rng.range(1, 28),
      rng.range(1, 999),
    );
    if (used.has(id)) continue;
    used.add(id);
    const given = rng.pick(GIVEN) + (rng.chance(70) ? rng.pick(GIVEN) : '');
    return {
      id,
      name: rng.pick(SURNAMES) + given,
      age,
      phone: `1${rng.pick(['38', '39', '58', '86', '35'])}${String(rng.int(100_000_000)).padStart(8, '0')}`,
    };
  }
}

const CITY_DX = ['I63.9', 'N18.5', 'C34.9', 'I21.9', 'C16.9', 'J44.1', 'C50.9', 'K74.6', 'C22.0'];
/** Diagnoses the children's fund covers (see its critical-illness rule). */
const HOPE_DX = ['C91.0', 'C92.0', 'C71.6', 'D61.9', 'Q21.0', 'Q21.3'];
const CHILD_OTHER_DX = ['J18.9', 'S72.0', 'K35.8', 'A09.0'];
const ITEMS = [
  '住院床位费',
  '化疗药物',
  '手术费',
  '检查化验费',
  '重症监护费',
  '放射治疗费',
  '靶向药物',
  '护理费',
];

interface Line {
  invoice: string;
  line: number;
  item: string;
  amount: string;
  insurancePaid: string;
}

/** Invoice lines whose amounts net of insurance add up to `net`. */
function makeLines(rng: SeededRng, invoice: string, net: bigint): Line[] {
  const k = rng.range(2, 4);
  const weights = Array.from({ length: k }, () => BigInt(rng.range(1, 9)));
  const total = weights.reduce((a, w) => a + w, 0n);
  let left = net;
  return weights.map((w, i) => {
    const part = i === k - 1 ? left : (net * w) / total;
    left -= part;
    const r = BigInt(rng.range(20, 70));
    const insurance = (part * r) / (100n - r);
    return {
      invoice,
      line: i + 1,
      item: rng.pick(ITEMS),
      amount: (part + insurance).toString(),
      insurancePaid: insurance.toString(),
    };
  });
}

// ---- the programs --------------------------------------------------------------------------

const L3 = (en: string, hans: string, hant: string) => ({ 'zh-Hant': hant, 'zh-Hans': hans, en });

function cityProgram(version: 1 | 2): Record<string, unknown> {
  const limit = version === 1 ? 30_000 : 36_000;
  return {
    id: CITY_PROGRAM,
    names: L3(
      'City Medical Assistance for Households in Difficulty',
      '城市困难群众医疗救助',
      '城市困難群眾醫療救助',
    ),
    currency: 'CNY',
    timeZone: 'Asia/Shanghai',
    budget: '500000000',
    conditions: [
      {
        name: 'income-limit',
        labels: L3(
          `household income per person at most ${limit / 1000},000 yuan a year, as the civil-affairs records show`,
          `家庭人均年收入不超过${limit}元（以民政部门核定为准）`,
          `家庭人均年收入不超過${limit}元（以民政部門核定為準）`,
        ),
        expr: `householdIncomePerCapita <= ${limit * 100}`,
        attested: [{ fact: 'householdIncomePerCapita', by: ['government'] }],
      },
      {
        name: 'own-expense',
        labels: L3(
          'own expense after basic medical insurance at least 3,000 yuan',
          '基本医保报销后个人自付不低于3000元',
          '基本醫保報銷後個人自付不低於3000元',
        ),
        expr: 'ownExpense >= 300000',
      },
    ],
    benefit:
      version === 1
        ? {
            deductible: '100000',
            rateBp: 7000,
            perCaseCap: '8000000',
            perPatientYearCap: '15000000',
          }
        : {
            deductible: '50000',
            rateBp: 7500,
            perCaseCap: '8000000',
            perPatientYearCap: '15000000',
          },
    documents: [
      { name: 'invoice', labels: L3('hospital invoice', '医院收费票据', '醫院收費票據') },
      {
        name: 'income-certificate',
        labels: L3('household income certificate', '家庭收入证明', '家庭收入證明'),
      },
    ],
    review: { autoApproveUpTo: '1500000', twoReviewersAbove: '4000000' },
    open: true,
  };
}

const HOPE_PREFIXES = ['C91', 'C92', 'C71', 'D61', 'Q21'];

function hopeProgram(): Record<string, unknown> {
  return {
    id: HOPE_PROGRAM,
    names: L3(
      'Hope Children’s Critical Illness Fund',
      '希望儿童大病救助基金',
      '希望兒童大病救助基金',
    ),
    currency: 'CNY',
    timeZone: 'Asia/Shanghai',
    budget: '300000000',
    conditions: [
      {
        name: 'child',
        labels: L3(
          'the patient is under 18, as the hospital confirms',
          '患者未满18周岁（以医院核实为准）',
          '患者未滿18周歲（以醫院核實為準）',
        ),
        expr: 'age < 18',
        attested: [{ fact: 'age', by: ['hospital'] }],
      },
      {
        name: 'critical-illness',
        labels: L3(
          'leukaemia, a brain tumour, aplastic anaemia or congenital heart disease',
          '白血病、脑肿瘤、再生障碍性贫血或先天性心脏病',
          '白血病、腦腫瘤、再生障礙性貧血或先天性心臟病',
        ),
        expr: `diagnoses.exists(d, [${HOPE_PREFIXES.map((p) => `"${p}"`).join(', ')}].exists(p, d.startsWith(p)))`,
      },
    ],
    benefit: {
      deductible: '0',
      rateBp: 5000,
      perCaseCap: '10000000',
      perPatientYearCap: '20000000',
    },
    documents: [
      { name: 'invoice', labels: L3('hospital invoice', '医院收费票据', '醫院收費票據') },
      { name: 'diagnosis', labels: L3('diagnosis report', '诊断证明', '診斷證明') },
    ],
    review: { autoApproveUpTo: '1000000', twoReviewersAbove: '3000000' },
    open: true,
  };
}

/**
 * The children's hospital's own fund for the families of its young patients, paid from the
 * hospital's charity budget. Every case is reviewed, and by the hospital itself: so a case of a
 * patient at the hospital cannot be (a conflict of interest), one transferred from elsewhere can.
 */
function kidsProgram(): Record<string, unknown> {
  return {
    id: KIDS_PROGRAM,
    names: L3(
      'Children’s Hospital Family Support Fund',
      '市儿童医院患儿家庭援助金',
      '市兒童醫院患兒家庭援助金',
    ),
    currency: 'CNY',
    timeZone: 'Asia/Shanghai',
    budget: '50000000',
    conditions: [
      {
        name: 'child',
        labels: L3('the patient is under 18', '患者未满18周岁', '患者未滿18周歲'),
        expr: 'age < 18',
        attested: [{ fact: 'age', by: ['hospital'] }],
      },
      {
        name: 'own-expense',
        labels: L3(
          'own expense after insurance at least 10,000 yuan',
          '医保报销后个人自付不低于10000元',
          '醫保報銷後個人自付不低於10000元',
        ),
        expr: 'ownExpense >= 1000000',
      },
    ],
    benefit: {
      deductible: '0',
      rateBp: 3000,
      perCaseCap: '2000000',
      perPatientYearCap: '2000000',
    },
    documents: [
      { name: 'invoice', labels: L3('hospital invoice', '医院收费票据', '醫院收費票據') },
    ],
    review: { autoApproveUpTo: '0', twoReviewersAbove: '5000000' },
    open: true,
  };
}

/** The amount bands of each program's review policy, kept clear of the v1/v2 boundaries. */
const BANDS: Record<Exclude<Program, 'kids'>, Record<Band, [bigint, bigint]>> = {
  city: {
    auto: [500_000n, 1_200_000n],
    one: [1_800_000n, 3_500_000n],
    two: [4_500_000n, 7_500_000n],
  },
  hope: {
    auto: [300_000n, 800_000n],
    one: [1_200_000n, 2_700_000n],
    two: [3_500_000n, 8_000_000n],
  },
};

/** The expense net of insurance that the program's (first) formula turns into `amount`. */
function netFor(program: Exclude<Program, 'kids'>, amount: bigint): bigint {
  return program === 'city' ? (amount * 10_000n + 6_999n) / 7_000n + 100_000n : amount * 2n;
}

// ---- the cases -----------------------------------------------------------------------------

type Band = 'auto' | 'one' | 'two';
type Reject =
  'income' | 'unattested' | 'own-expense' | 'age' | 'diagnosis' | 'reviewer' | 'hospital';

interface Recipe {
  program: Exclude<Program, 'kids'>;
  end: CaseState;
  n: number;
  reject?: Reject | 'duplicate';
  appeal?: 'pending' | 'granted';
  /** For a withdrawn or cancelled case: from which state it leaves. */
  leaveAt?: CaseState;
  band?: Band;
  freeze?: boolean;
  /** Submitted late: approved after the last donation, so it waits. */
  late?: boolean;
  /**
   * The reviewer asks for more information first (protocol 3): the applicant's side, who has not
   * answered yet, or the hospital, which answers before the reviewer decides.
   */
  ask?: 'pending' | 'answered';
}

const RECIPES: Recipe[] = [
  { program: 'city', end: 'closed', n: 28 },
  { program: 'city', end: 'closed', n: 2, reject: 'reviewer', appeal: 'granted', band: 'one' },
  { program: 'hope', end: 'closed', n: 18 },
  { program: 'hope', end: 'closed', n: 2, reject: 'reviewer', appeal: 'granted', band: 'one' },
  { program: 'city', end: 'confirmed', n: 8 },
  { program: 'hope', end: 'confirmed', n: 6 },
  { program: 'city', end: 'disbursed', n: 8 },
  { program: 'hope', end: 'disbursed', n: 6 },
  { program: 'city', end: 'funded', n: 8 },
  { program: 'city', end: 'funded', n: 1, freeze: true },
  { program: 'hope', end: 'funded', n: 5 },
  { program: 'hope', end: 'waitlisted', n: 8, late: true, band: 'auto' },
  { program: 'city', end: 'assessed', n: 3, band: 'one' },
  { program: 'city', end: 'assessed', n: 3, band: 'two' },
  { program: 'hope', end: 'assessed', n: 3, band: 'one' },
  { program: 'hope', end: 'assessed', n: 3, band: 'two' },
  { program: 'city', end: 'verified', n: 6 },
  { program: 'hope', end: 'verified', n: 6 },
  { program: 'city', end: 'submitted', n: 10 },
  { program: 'hope', end: 'submitted', n: 9 },
  { program: 'city', end: 'rejected', n: 5, reject: 'income' },
  { program: 'city', end: 'rejected', n: 3, reject: 'unattested' },
  { program: 'city', end: 'rejected', n: 2, reject: 'own-expense' },
  { program: 'city', end: 'rejected', n: 3, reject: 'reviewer', band: 'one' },
  { program: 'city', end: 'rejected', n: 2, reject: 'hospital' },
  { program: 'hope', end: 'rejected', n: 3, reject: 'age' },
  { program: 'hope', end: 'rejected', n: 3, reject: 'diagnosis' },
  { program: 'hope', end: 'rejected', n: 3, reject: 'reviewer', band: 'one' },
  { program: 'hope', end: 'rejected', n: 2, reject: 'hospital' },
  { program: 'city', end: 'appealed', n: 1, reject: 'income', appeal: 'pending', band: 'one' },
  { program: 'city', end: 'appealed', n: 2, reject: 'reviewer', appeal: 'pending', band: 'one' },
  { program: 'hope', end: 'appealed', n: 3, reject: 'reviewer', appeal: 'pending', band: 'one' },
  { program: 'city', end: 'withdrawn', n: 1, leaveAt: 'submitted' },
  { program: 'city', end: 'withdrawn', n: 1, leaveAt: 'verified' },
  { program: 'city', end: 'withdrawn', n: 1, leaveAt: 'assessed', band: 'two' },
  { program: 'city', end: 'withdrawn', n: 1, leaveAt: 'rejected', reject: 'income' },
  { program: 'city', end: 'withdrawn', n: 1, leaveAt: 'funded' },
  { program: 'hope', end: 'withdrawn', n: 1, leaveAt: 'submitted' },
  { program: 'hope', end: 'withdrawn', n: 1, leaveAt: 'verified' },
  { program: 'hope', end: 'withdrawn', n: 1, leaveAt: 'assessed', band: 'one' },
  { program: 'hope', end: 'withdrawn', n: 1, leaveAt: 'waitlisted' },
  { program: 'hope', end: 'withdrawn', n: 1, leaveAt: 'funded' },
  { program: 'city', end: 'cancelled', n: 1, leaveAt: 'submitted' },
  { program: 'city', end: 'cancelled', n: 1, leaveAt: 'verified' },
  { program: 'city', end: 'cancelled', n: 1, leaveAt: 'assessed', band: 'one' },
  { program: 'city', end: 'cancelled', n: 1, leaveAt: 'funded' },
  { program: 'hope', end: 'cancelled', n: 1, leaveAt: 'verified' },
  { program: 'hope', end: 'cancelled', n: 1, leaveAt: 'assessed', band: 'two' },
  { program: 'hope', end: 'cancelled', n: 1, leaveAt: 'waitlisted' },
  { program: 'hope', end: 'cancelled', n: 1, leaveAt: 'funded' },
  { program: 'city', end: 'info-requested', n: 2, band: 'one', ask: 'pending' },
  { program: 'hope', end: 'funded', n: 2, band: 'one', ask: 'answered' },
];

interface Plan {
  no: number;
  program: Program;
  hospital: Hospital;
  /** The applicant's own account label, or undefined when a hospital social worker applies. */
  account: string | undefined;
  lang: 'zh-Hant' | 'zh-Hans' | 'en';
  patient: Patient;
  start: number;
  end: CaseState;
  reject: Recipe['reject'];
  appeal: Recipe['appeal'];
  leaveAt: CaseState | undefined;
  freeze: boolean;
  /** Reviewed first by a reviewer of the treating hospital's own organisation. */
  conflict?: boolean;
  diagnoses: string[];
  lines: Line[];
  /** What the bureau's records say, if it attests; what the applicant declares. */
  attested: bigint | undefined;
  declared: bigint;
  householdSize: number;
  rating: number | undefined;
  ask?: Recipe['ask'];
  id?: string;
  /**
   * Applied for only once this plan's case has ended: a patient has one open case in a program
   * (protocol 3), so a family applies there again only after the first case is over.
   */
  waitFor?: Plan;
  /** Refusals this plan has provoked already, so each is provoked once. */
  provoked: Set<string>;
}

const MAIN_PATH: readonly CaseState[] = [
  'submitted',
  'verified',
  'assessed',
  'waitlisted',
  'funded',
  'disbursed',
  'confirmed',
  'closed',
];
const rank = (s: CaseState) => MAIN_PATH.indexOf(s);

function planCases(rng: SeededRng): Plan[] {
  const used = new Set<string>();
  const plans: (Omit<Plan, 'no' | 'lines' | 'account'> & { net: bigint })[] = [];
  for (const r of RECIPES) {
    for (let i = 0; i < r.n; i++) {
      const band: Band =
        r.band ?? (rng.chance(40) ? 'auto' : rng.chance(65) ? 'one' : ('two' as const));
      let hospital: Hospital;
      let age: number;
      if (r.program === 'hope') {
        hospital = rng.chance(70) ? 'children-hospital' : 'east-hospital';
        age = r.reject === 'age' ? rng.range(18, 23) : rng.range(0, 17);
        if (r.reject === 'age') hospital = rng.pick(['east-hospital', 'general-hospital'] as const);
      } else {
        const h = rng.int(100);
        hospital = h < 45 ? 'general-hospital' : h < 80 ? 'east-hospital' : 'children-hospital';
        age = hospital === 'children-hospital' ? rng.range(1, 17) : rng.range(24, 86);
      }
      const amount = rng.amount(...BANDS[r.program][band]);
      const net =
        r.reject === 'own-expense' ? rng.amount(150_000n, 280_000n) : netFor(r.program, amount);
      const eligibleIncome = rng.amount(600_000n, 2_800_000n);
      const income = r.reject === 'income' ? rng.amount(4_200_000n, 9_000_000n) : eligibleIncome;
      plans.push({
        net,
        program: r.program,
        hospital,
        lang: rng.pick(['zh-Hans', 'zh-Hans', 'zh-Hans', 'zh-Hant', 'en'] as const),
        patient: makePatient(rng, used, age),
        start: r.late ? rng.range(10, 11) : rng.range(1, 9),
        end: r.end,
        reject: r.reject,
        appeal: r.appeal,
        ...(r.ask === undefined ? {} : { ask: r.ask }),
        leaveAt: r.leaveAt,
        freeze: r.freeze === true,
        diagnoses:
          r.program === 'hope'
            ? [r.reject === 'diagnosis' ? rng.pick(CHILD_OTHER_DX) : rng.pick(HOPE_DX)]
            : age < 18
              ? [rng.pick(HOPE_DX)]
              : [rng.pick(CITY_DX), ...(rng.chance(30) ? ['E11.9'] : [])],
        attested: r.program === 'city' && r.reject !== 'unattested' ? income : undefined,
        declared: r.reject === 'income' ? rng.amount(2_000_000n, 2_900_000n) : income,
        householdSize: rng.range(1, 6),
        rating: r.end === 'closed' && rng.chance(70) ? rng.range(3, 5) : undefined,
        provoked: new Set(),
      });
    }
  }
  // Shuffle the cases, keeping each with its amounts, then number them.
  const order = rng.shuffle(plans.map((_, i) => i));
  const out: Plan[] = [];
  for (const i of order) {
    const { net, ...p } = plans[i]!;
    const no = out.length + 1;
    const invoice = `${STAFF[p.hospital].prefix}26-${String(100_000 + no * 37 + rng.int(37))}`;
    out.push({
      ...p,
      no,
      account: rng.chance(40) ? `applicant/demo-${no}` : undefined,
      lines: makeLines(rng, invoice, net),
    });
  }
  return [
    ...doubleClaims(rng, used, 2, out.length),
    ...doubleClaims(rng, used, 5, out.length + 3),
    ...familyFund(rng, used, out.length + 6),
    ...out,
  ];
}

/**
 * Two cases in the children's hospital's own fund: one of its own patients, which its reviewer
 * may not review, and one transferred to the east hospital, which it may.
 */
function familyFund(rng: SeededRng, used: Set<string>, after: number): Plan[] {
  const plan = (no: number, hospital: Hospital, end: CaseState, conflict: boolean): Plan => {
    const invoice = `${STAFF[hospital].prefix}26-${String(900_000 + no)}`;
    return {
      no,
      program: 'kids',
      hospital,
      account: undefined,
      lang: 'zh-Hans',
      patient: makePatient(rng, used, rng.range(2, 14)),
      start: 3,
      end,
      reject: undefined,
      appeal: undefined,
      leaveAt: undefined,
      freeze: false,
      conflict,
      diagnoses: [rng.pick(HOPE_DX)],
      lines: makeLines(rng, invoice, rng.amount(2_000_000n, 5_000_000n)),
      attested: undefined,
      declared: rng.amount(1_000_000n, 3_000_000n),
      householdSize: rng.range(3, 5),
      rating: end === 'closed' ? 5 : undefined,
      provoked: new Set(),
    };
  };
  return [
    plan(after + 1, 'children-hospital', 'assessed', true),
    plan(after + 2, 'east-hospital', 'closed', false),
  ];
}

/**
 * One patient's invoice claimed in both programs: the bureau's case is approved first, so the
 * foundation's case for the same lines, assessed before that, is approved for what is left
 * (reduced). Once the foundation's case is closed, the family applies to it again with the first
 * line alone, which the bureau's case covers fully: refused as a duplicate at verification and
 * then declined by the hospital.
 */
function doubleClaims(rng: SeededRng, used: Set<string>, start: number, after: number): Plan[] {
  const patient = makePatient(rng, used, rng.range(3, 12));
  const invoice = `CH26-${String(900_000 + after)}`;
  // Nets 8,000 and 30,000 yuan: the bureau's case (one reviewer) covers all of line 1.
  const lines: Line[] = [
    { invoice, line: 1, item: '化疗药物', amount: '2000000', insurancePaid: '1200000' },
    { invoice, line: 2, item: '住院床位费', amount: '5000000', insurancePaid: '2000000' },
  ];
  const income = rng.amount(600_000n, 2_400_000n);
  const base = {
    hospital: 'children-hospital' as const,
    patient,
    lang: 'zh-Hans' as const,
    start,
    leaveAt: undefined,
    freeze: false,
    diagnoses: [rng.pick(['C91.0', 'C92.0'])],
    declared: income,
    householdSize: rng.range(3, 5),
    appeal: undefined,
  };
  const hope: Plan = {
    ...base,
    no: after + 2,
    program: 'hope',
    account: `applicant/demo-${after + 2}`,
    end: 'closed',
    reject: undefined,
    lines,
    attested: undefined,
    rating: 4,
    provoked: new Set(),
  };
  return [
    {
      ...base,
      no: after + 1,
      program: 'city',
      account: undefined,
      end: 'closed',
      reject: undefined,
      lines,
      attested: income,
      rating: 5,
      provoked: new Set(),
    },
    hope,
    {
      ...base,
      no: after + 3,
      program: 'hope',
      account: undefined,
      start: start + 5,
      waitFor: hope,
      end: 'rejected',
      reject: 'duplicate',
      lines: [lines[0]!],
      attested: undefined,
      rating: undefined,
      provoked: new Set(),
    },
  ];
}

// ---- the activity ------------------------------------------------------------------------------

/** The rounds at which the programs' own events happen. */
const AT = { versionTwo: 6, budgetTwo: 7, assign: 7, smallGifts: 10, match: 12, mischief: 5 };

export interface AidDemoSummary {
  programs: number;
  /** Cases by state, every state listed. */
  cases: Record<CaseState, number>;
  /** Refused transactions in the whole log (membership included), by code. */
  refusals: Record<string, number>;
  /** Medical-aid transactions submitted, and in how many rounds. */
  txs: number;
  rounds: number;
  ms: number;
  /** Outcomes other than the demo meant: empty unless the contracts or the demo changed. */
  surprises: string[];
}

/**
 * Runs the medical-aid demo on a node (or a consortium's node) whose demo consortium is enrolled
 * (membership's activity committed), round by round, each committed before the next is chosen
 * from what the ledger then says.
 */
export async function runAidDemo(
  target: DemoTarget,
  seed: string,
  chain: string,
): Promise<AidDemoSummary> {
  const t0 = performance.now();
  const rng = new SeededRng(seed);
  const s = new DemoSession(target, seed, chain, {
    prefix: 'aid',
    keyLabel: (member) => ROTATED_KEYS[member],
  });
  // The committed state, read anew after each commit: a consortium node's store is reopened.
  let q = new AidQueries(target.ledger);
  const plans = planCases(rng);
  const lastStart = Math.max(...plans.map((p) => p.start));
  const caseOf = (p: Plan): CaseRecord | undefined =>
    p.id === undefined ? undefined : q.get<CaseRecord>(caseKeys.case(p.id));
  const m = new Mischief();
  let general = '';
  let budgetTwo = '';

  for (let round = 0; round < 60; round++) {
    // Applicants register their account the round before they apply: a key is known only once
    // its registration is committed.
    for (const p of plans)
      if (p.account && p.start === round + 1)
        s.add(p.account, 'accounts.register', { lang: p.lang });

    if (round === 0) general = setup(s, rng);
    if (round === AT.versionTwo) s.add(PROGRAM.city.manager, 'programs.publish', cityProgram(2));
    if (round === AT.budgetTwo)
      budgetTwo = s.add(
        PROGRAM.city.finance,
        'funds.allocate',
        { program: CITY_PROGRAM, amount: '150000000' },
        { facts: { reference: 'MCA-2026-Q4', note: 'municipal budget, medical assistance line' } },
      );
    if (round === AT.assign) {
      s.add(PROGRAM.hope.manager, 'donations.assign', {
        donation: general,
        program: HOPE_PROGRAM,
        amount: '15000000',
      });
      // Refused: more than the general donation has left unassigned.
      s.add(
        PROGRAM.hope.manager,
        'donations.assign',
        { donation: general, program: HOPE_PROGRAM, amount: '900000000' },
        { expect: 'INSUFFICIENT_FUNDS' },
      );
    }
    if (round === AT.smallGifts) smallGifts(s, rng);
    if (round === AT.match) matchGift(s, q);
    if (round >= AT.mischief) m.run(s, plans, caseOf, round);

    for (const p of plans) step(s, q, m, p, round, caseOf(p));
    if (s.queued === 0 && round > Math.max(lastStart, AT.match)) break;
    await s.commit();
    q = new AidQueries(target.ledger);
  }

  // The year's last act: the bureau returns part of what is left of its second allocation.
  const lot = budgetTwo === '' ? undefined : q.trace(budgetTwo).lots[0];
  if (lot && BigInt(lot.remaining) > 0n) {
    const back = BigInt(lot.remaining) / 4n;
    s.add(
      PROGRAM.city.finance,
      'funds.return',
      {
        program: CITY_PROGRAM,
        lot: lot.lot,
        amount: (back > 0n ? back : BigInt(lot.remaining)).toString(),
        reason: 'budget-unspent',
      },
      { facts: { reference: 'TREASURY-RET-2026-Q4' } },
    );
  }
  m.late(s, plans, caseOf);
  await s.commit();

  const ledger = target.ledger;
  q = new AidQueries(ledger);
  const counts = caseIndex(ledger).countByState();
  const cases = Object.fromEntries(CASE_STATES.map((st) => [st, counts[st] ?? 0])) as Record<
    CaseState,
    number
  >;
  return {
    programs: q.publicPrograms().length,
    cases,
    refusals: refusalsInLog(ledger),
    txs: s.txs,
    rounds: s.rounds,
    ms: Math.round(performance.now() - t0),
    surprises: s.surprises,
  };
}

/** The programs, their first money and a refusal of a wrong role. Returns the general donation. */
function setup(s: DemoSession, rng: SeededRng): string {
  s.add(PROGRAM.city.manager, 'programs.publish', cityProgram(1));
  s.add(PROGRAM.hope.manager, 'programs.publish', hopeProgram());
  s.add(PROGRAM.kids.manager, 'programs.publish', kidsProgram());
  s.add(
    PROGRAM.kids.finance,
    'funds.allocate',
    { program: KIDS_PROGRAM, amount: '20000000' },
    { facts: { reference: 'CHF-2026-FAMILY', note: 'hospital charity budget, family support' } },
  );
  // Refused: finance staff receive money, they do not publish programs.
  s.add(
    PROGRAM.hope.finance,
    'programs.publish',
    { ...hopeProgram(), id: 'hope-summer-camp' },
    { expect: 'FORBIDDEN_ROLE' },
  );
  s.add(
    PROGRAM.city.finance,
    'funds.allocate',
    { program: CITY_PROGRAM, amount: '200000000' },
    { facts: { reference: 'MCA-2026-Q3', note: 'municipal budget, medical assistance line' } },
  );
  const receive = (
    donor: Record<string, unknown>,
    amount: string,
    rail: string,
    program: string | undefined,
    facts?: Record<string, unknown>,
  ) =>
    s.add(
      PROGRAM.hope.finance,
      'donations.receive',
      {
        donor,
        amount,
        currency: 'CNY',
        ...(program ? { program } : {}),
        rail: { kind: rail },
      },
      // The payment reference is private from protocol 2, beside the donor's name.
      {
        facts: {
          ...facts,
          reference: `${rail.toUpperCase()}-${rng.range(10_000_000, 99_999_999)}`,
        },
      },
    );
  receive({ kind: 'person', alias: '小雨妈妈' }, '3000000', 'wechat-pay', HOPE_PROGRAM, {
    name: '周晓雨',
  });
  receive({ kind: 'org', org: 'harbour-tech' }, '8000000', 'bank-transfer', HOPE_PROGRAM, {
    name: '海港科技有限公司',
    taxId: '91310000MA1FL0XX3K',
  });
  receive({ kind: 'anonymous' }, '2000000', 'alipay', HOPE_PROGRAM);
  receive({ kind: 'person', alias: 'Teacher Li' }, '2000000', 'card', HOPE_PROGRAM, {
    name: '李文华',
  });
  // Unrestricted: the foundation assigns it to a program when one needs it.
  return receive({ kind: 'org', org: 'river-logistics' }, '40000000', 'bank-transfer', undefined, {
    name: '江河物流集团',
    taxId: '91310115MA1H7Y2X4Q',
  });
}

function smallGifts(s: DemoSession, rng: SeededRng): void {
  const gifts: [Record<string, unknown>, string, string, Record<string, unknown> | undefined][] = [
    [{ kind: 'person', alias: '阿明' }, '888800', 'alipay', { name: '陈明' }],
    [{ kind: 'anonymous' }, '500000', 'wechat-pay', undefined],
    [{ kind: 'org', org: 'sunrise-school' }, '6000000', 'bank-transfer', { name: '旭日中学' }],
  ];
  for (const [donor, amount, rail, facts] of gifts)
    s.add(
      PROGRAM.hope.finance,
      'donations.receive',
      {
        donor,
        amount,
        currency: 'CNY',
        program: HOPE_PROGRAM,
        rail: { kind: rail },
      },
      {
        facts: {
          ...facts,
          reference: `${rail.toUpperCase()}-${rng.range(10_000_000, 99_999_999)}`,
        },
      },
    );
}

/** A company matches what the first three quarters of the children's waitlist need. */
function matchGift(s: DemoSession, q: AidQueries): void {
  const waiting = waitlist(q, HOPE_PROGRAM);
  const half = waiting.slice(0, Math.floor((waiting.length * 3) / 4));
  const available = BigInt(q.publicPrograms().find((p) => p.id === HOPE_PROGRAM)?.available ?? '0');
  const need = half.reduce((a, c) => a + BigInt(c.amount ?? '0'), 0n) - available;
  if (need <= 0n) return;
  const amount = ((need + 99_999n) / 100_000n) * 100_000n;
  s.add(
    PROGRAM.hope.finance,
    'donations.receive',
    {
      donor: { kind: 'org', org: 'harbour-tech' },
      amount: amount.toString(),
      currency: 'CNY',
      program: HOPE_PROGRAM,
      rail: { kind: 'bank-transfer' },
    },
    {
      facts: {
        name: '海港科技有限公司',
        taxId: '91310000MA1FL0XX3K',
        reference: 'MATCH-2026-WAITLIST',
      },
    },
  );
}

/** The cases waiting for money in a program, in the order they will be funded. */
function waitlist(q: AidQueries, program: string): CaseRecord[] {
  const head = q.get<{ head: number; tail: number }>(caseKeys.wait(program));
  const out: CaseRecord[] = [];
  for (let i = head?.head ?? 1; i < (head?.tail ?? 1); i++) {
    const id = q.get<string>(caseKeys.waitEntry(program, i));
    const rec = id === undefined ? undefined : q.caseRecord(id);
    if (rec?.state === 'waitlisted') out.push(rec);
  }
  return out;
}

/** The applicant's side of a case: their own account, or the hospital's social worker. */
const applicantOf = (p: Plan) => p.account ?? STAFF[p.hospital].worker;

function submit(s: DemoSession, p: Plan): void {
  if (p.attested !== undefined)
    s.add(
      ATTESTER,
      'attest.facts',
      {},
      {
        facts: {
          patient: { kind: 'cn', id: p.patient.id },
          facts: {
            householdIncomePerCapita: p.attested.toString(),
            householdSize: p.householdSize,
          },
        },
      },
    );
  const docs =
    p.program === 'city'
      ? ['invoice', 'income-certificate']
      : p.program === 'hope'
        ? ['invoice', 'diagnosis']
        : ['invoice'];
  p.id = s.add(
    applicantOf(p),
    'cases.submit',
    {
      program: PROGRAM[p.program].id,
      hospital: p.hospital,
      documents: Object.fromEntries(docs.map((d) => [d, s.salted(`${p.no}/${d}`)])),
    },
    {
      facts: {
        patient: { kind: 'cn', id: p.patient.id },
        name: p.patient.name,
        phone: p.patient.phone,
        declared: {
          householdIncomePerCapita: p.declared.toString(),
          householdSize: p.householdSize,
          ...(p.program === 'city' ? {} : { age: p.patient.age }),
        },
      },
    },
  );
}

const OUTCOME_CHOICES = [
  'treatment-completed',
  'treatment-completed',
  'treatment-completed',
  'improved',
  'improved',
  'transferred',
  'discharged-against-advice',
] as const;

/** Whether the plan still waits for another plan's case to end before it applies. */
function waiting(q: AidQueries, p: Plan): boolean {
  const other = p.waitFor?.id;
  if (p.waitFor === undefined) return false;
  if (other === undefined) return true;
  const rec = q.get<CaseRecord>(caseKeys.case(other));
  return rec === undefined || !(ENDED_STATES as readonly string[]).includes(rec.state);
}

/** The next step of one case toward where its plan means it to rest, if any. */
function step(
  s: DemoSession,
  q: AidQueries,
  m: Mischief,
  p: Plan,
  round: number,
  rec: CaseRecord | undefined,
): void {
  if (!rec) {
    if (p.id === undefined && round >= p.start && !waiting(q, p)) submit(s, p);
    return;
  }
  const prog = PROGRAM[p.program];
  const staff = STAFF[p.hospital];
  const clerk = staff.clerks[p.no % staff.clerks.length]!;
  const ref = { case: rec.id };
  const st = rec.state;

  if (p.freeze && st === 'funded') {
    if (q.frozen('case', rec.id) === undefined)
      s.add(
        REGULATOR,
        'audit.freeze',
        { target: { kind: 'case', id: rec.id }, reason: 'records-under-audit' },
        { facts: { note: 'invoice amounts out of line with the hospital’s usual charges' } },
      );
    else if (!p.provoked.has('FROZEN')) {
      p.provoked.add('FROZEN');
      // Refused: nothing moves on a frozen case.
      s.add(prog.finance, 'cases.disburse', ref, {
        facts: { reference: `PAY-${p.no}` },
        expect: 'FROZEN',
      });
    }
    return;
  }

  if ((p.end === 'withdrawn' || p.end === 'cancelled') && p.leaveAt) {
    const leaves =
      p.leaveAt === 'rejected' ? st === 'rejected' : rank(st) >= rank(p.leaveAt) && rank(st) >= 0;
    const can = st !== 'disbursed' && st !== 'confirmed' && st !== 'closed';
    if (leaves && can) {
      if (p.end === 'withdrawn') s.add(applicantOf(p), 'cases.withdraw', ref);
      else
        s.add(
          prog.manager,
          'cases.cancel',
          { ...ref, reason: 'covered-elsewhere' },
          { facts: { note: 'the patient moved to another city’s program before payment' } },
        );
      return;
    }
  }
  // Resting where the plan means it to (a case meant to stay assessed may get one of two approvals).
  const resting = rank(p.end) >= 0 && rank(st) >= rank(p.end);
  if (resting && st !== 'closed' && !(st === 'assessed' && p.end === 'assessed')) return;

  switch (st) {
    case 'submitted':
      if (p.reject === 'hospital')
        s.add(
          clerk,
          'cases.decline',
          { ...ref, reason: 'diagnosis-not-confirmed' },
          { facts: { note: 'not confirmed by the medical record' } },
        );
      else if (p.reject === 'duplicate' && p.provoked.has('DUPLICATE_CLAIM'))
        s.add(clerk, 'cases.decline', { ...ref, reason: 'invoices-already-paid' });
      else if (p.reject === 'duplicate') {
        p.provoked.add('DUPLICATE_CLAIM');
        verify(s, p, clerk, rec.id, 'DUPLICATE_CLAIM');
      } else verify(s, p, clerk, rec.id);
      return;
    case 'verified':
      s.add(prog.reviewers[p.no % 2]!, 'cases.assess', ref, {
        facts: q.assessmentSources(rec.id) as unknown as Record<string, unknown>,
      });
      return;
    case 'assessed': {
      if (p.ask !== undefined && (rec.infoRequests ?? []).length === 0) {
        const pending = p.ask === 'pending';
        s.add(
          prog.reviewers[p.no % 2]!,
          'cases.requestInfo',
          {
            ...ref,
            reason: pending ? 'income-proof-needed' : 'invoice-detail-needed',
            from: pending ? 'applicant' : 'hospital',
          },
          {
            facts: {
              note: pending ? '请提供最近三个月的收入证明' : '请逐项列出第一行的药品',
            },
          },
        );
        return;
      }
      if (p.conflict && !p.provoked.has('CONFLICT_OF_INTEREST')) {
        p.provoked.add('CONFLICT_OF_INTEREST');
        // Refused: nobody reviews a case from a hospital of their own organisation.
        s.add(
          prog.reviewers[0],
          'cases.review',
          { ...ref, approve: true, reason: 'criteria-met' },
          { expect: 'CONFLICT_OF_INTEREST' },
        );
        return;
      }
      const approvals = rec.reviews.filter((r) => r.round === rec.round && r.approve);
      if (p.end === 'assessed' && (rec.reviewsNeeded < 2 || approvals.length > 0)) return;
      const done = new Set(approvals.map((r) => r.member));
      const reviewer = [prog.reviewers[p.no % 2]!, prog.reviewers[(p.no + 1) % 2]!].find(
        (r) => !done.has(r),
      );
      if (!reviewer) return;
      if (approvals.length > 0 && !m.twice) {
        m.twice = true;
        // Refused: a second approval comes from a different reviewer.
        s.add(
          approvals[0]!.member,
          'cases.review',
          { ...ref, approve: true, reason: 'criteria-met' },
          { expect: 'ALREADY_REVIEWED' },
        );
      }
      const no = p.reject === 'reviewer';
      s.add(
        reviewer,
        'cases.review',
        { ...ref, approve: !no, reason: no ? 'criteria-not-met' : 'documents-verified' },
        no
          ? { facts: { note: 'part of the treatment is outside the program: imported drugs' } }
          : {},
      );
      return;
    }
    case 'info-requested':
      // The applicant's side has not answered yet; the hospital answers at once.
      if (p.ask === 'answered')
        s.add(clerk, 'cases.answerInfo', ref, {
          facts: { note: '第一行为三个疗程的化疗药物，明细已附上' },
        });
      return;
    case 'rejected':
      if (p.appeal && !rec.appealed)
        s.add(
          applicantOf(p),
          'cases.appeal',
          ref,
          p.account ? { facts: { statement: '我们补充了医院的用药说明，请重新审核。' } } : {},
        );
      return;
    case 'appealed': {
      if (p.appeal !== 'granted') return;
      const before = new Set(rec.reviews.map((r) => r.member));
      const reviewer = prog.reviewers.find((r) => !before.has(r));
      if (reviewer)
        s.add(
          reviewer,
          'cases.review',
          { ...ref, approve: true, reason: 'criteria-met' },
          { facts: { note: 'on appeal: the hospital’s statement shows the drugs were necessary' } },
        );
      return;
    }
    case 'funded':
      s.add(prog.finance, 'cases.disburse', ref, {
        facts: {
          reference: `${{ city: 'TREASURY', hope: 'HOPE', kids: 'CHF' }[p.program]}-PAY-2026-${String(p.no).padStart(4, '0')}`,
        },
      });
      return;
    case 'disbursed':
      s.add(staff.finance, 'cases.confirm', ref);
      return;
    case 'confirmed':
      s.add(clerk, 'cases.close', {
        ...ref,
        outcome: OUTCOME_CHOICES[p.no % OUTCOME_CHOICES.length]!,
      });
      return;
    case 'closed':
      if (p.rating !== undefined && !rec.feedback)
        s.add(
          applicantOf(p),
          'cases.feedback',
          { ...ref, rating: p.rating },
          p.account && p.rating >= 4 ? { facts: { comment: '感谢医院和基金会的帮助！' } } : {},
        );
      return;
    default:
      return;
  }
}

function verify(s: DemoSession, p: Plan, clerk: string, id: string, expect = 'ok'): void {
  s.add(
    clerk,
    'cases.verify',
    { case: id },
    {
      facts: {
        // From the hospital's admission record: the patient the application names.
        patient: { kind: 'cn', id: p.patient.id },
        diagnoses: p.diagnoses,
        age: p.patient.age,
        lines: p.lines,
      },
      expect,
    },
  );
}

/**
 * Refusals provoked on purpose, each once, when a case in the right state exists: they are
 * evidence in the log like everything else.
 */
class Mischief {
  /** A reviewer's second approval of the same case has been tried. */
  twice = false;
  private done = new Set<string>();

  run(
    s: DemoSession,
    plans: Plan[],
    caseOf: (p: Plan) => CaseRecord | undefined,
    round: number,
  ): void {
    const find = (f: (p: Plan, c: CaseRecord) => boolean): [Plan, CaseRecord] | undefined => {
      for (const p of plans) {
        const c = caseOf(p);
        if (c && !p.freeze && f(p, c)) return [p, c];
      }
      return undefined;
    };
    const once = (name: string, go: () => boolean) => {
      if (!this.done.has(name) && go()) this.done.add(name);
    };
    once('wrong-role', () => {
      const hit = find((p, c) => p.program === 'city' && c.state === 'funded');
      if (!hit) return false;
      // Refused: a social worker does not pay.
      s.add(
        'general-hospital/social-worker-1',
        'cases.disburse',
        { case: hit[1].id },
        { facts: { reference: 'PAY-SELF' }, expect: 'FORBIDDEN_ROLE' },
      );
      return true;
    });
    once('own-hospital-review', () => {
      const hit = find(
        (p, c) =>
          p.hospital === 'children-hospital' && p.program === 'hope' && c.state === 'assessed',
      );
      if (!hit) return false;
      // Refused: a hospital's reviewer approving its patient's case in the foundation's program:
      // only the organisation that runs a program reviews its cases.
      s.add(
        'children-hospital/reviewer-1',
        'cases.review',
        { case: hit[1].id, approve: true, reason: 'criteria-met' },
        { expect: 'WRONG_ORG' },
      );
      return true;
    });
    once('not-applicant', () => {
      const own = plans.find((p) => p.account && p.id);
      const hit = find(
        (p, c) =>
          p.account !== own?.account && ['submitted', 'verified', 'assessed'].includes(c.state),
      );
      if (!own?.account || !hit) return false;
      // Refused: one applicant withdrawing another's case.
      s.add(own.account, 'cases.withdraw', { case: hit[1].id }, { expect: 'NOT_APPLICANT' });
      return true;
    });
    once('other-hospital-withdraws', () => {
      const hit = find(
        (p, c) => p.hospital === 'general-hospital' && ['submitted', 'verified'].includes(c.state),
      );
      if (!hit) return false;
      // Refused: a social worker of another hospital.
      s.add(
        'east-hospital/clerk-1',
        'cases.withdraw',
        { case: hit[1].id },
        { expect: 'NOT_APPLICANT' },
      );
      return true;
    });
    once('admission-mismatch', () => {
      const hit = find((p, c) => p.hospital === 'general-hospital' && c.state === 'submitted');
      const other = plans.find((p) => hit && p.patient.id !== hit[0].patient.id);
      if (!hit || !other) return false;
      // Refused: the patient on the admission record is not the one the application names, so
      // the case cannot borrow that person's attested facts or yearly cap.
      verify(
        s,
        { ...hit[0], patient: other.patient },
        'general-hospital/clerk-2',
        hit[1].id,
        'PATIENT_MISMATCH',
      );
      return true;
    });
    once('other-org-budget', () => {
      if (round < AT.mischief) return false;
      // Refused: the foundation cannot allocate to the bureau's program.
      s.add(
        PROGRAM.hope.finance,
        'funds.allocate',
        { program: CITY_PROGRAM, amount: '100000' },
        { facts: { reference: 'MISDIRECTED-1' }, expect: 'WRONG_ORG' },
      );
      return true;
    });
  }

  /** After the cases have settled: an appeal of a case the hospital declined before any decision. */
  late(s: DemoSession, plans: Plan[], caseOf: (p: Plan) => CaseRecord | undefined): void {
    const p = plans.find((x) => x.reject === 'hospital' && caseOf(x)?.state === 'rejected');
    if (p?.id) s.add(applicantOf(p), 'cases.appeal', { case: p.id }, { expect: 'INVALID_STATE' });
  }
}

/** The summary `aidledger init --demo` prints. */
export function aidDemoSummaryText(s: AidDemoSummary): string {
  const total = Object.values(s.cases).reduce((a, n) => a + n, 0);
  const list = (r: Record<string, number>) =>
    Object.entries(r)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  return [
    `medical aid: ${s.programs} programs, ${total} cases, ${s.txs} transactions in ${s.rounds} rounds (${(s.ms / 1000).toFixed(1)} s)`,
    `  cases by state:    ${list(s.cases)}`,
    `  refusals by code:  ${list(s.refusals)}`,
    ...s.surprises.map((x) => `  unexpected: ${x}`),
  ].join('\n');
}

export const aidDemo: DomainDemo = {
  staff: AID_STAFF,
  async run(target, ctx) {
    return { summary: aidDemoSummaryText(await runAidDemo(target, ctx.seed, ctx.chain)) };
  },
};
