/**
 * What a page in each language may show: the visible text and accessible names of a page, and
 * the problems in them (English left on a Chinese page, Chinese on an English one, one Chinese
 * script on a page of the other). Shared by the browser tests that switch languages.
 */
/**
 * Visible text nodes and accessible names within the elements `selector` matches (the whole
 * page by default), minus ids and code (hashes, JSON, CEL).
 */
export function readTextIn(selector = 'body'): string {
  return `(() => {
  const out = [];
  for (const root of document.querySelectorAll(${JSON.stringify(selector)})) {
  const skip = 'script,style,select,code,pre,.mono,[aria-hidden="true"]';
  const foreign = (el) => { const l = el.closest('[lang]'); return l && l !== document.documentElement; };
  const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = w.nextNode(); n; n = w.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest(skip) || foreign(el) || !el.checkVisibility()) continue;
    const t = n.textContent.trim();
    if (t) out.push(t);
  }
  for (const el of root.querySelectorAll('[aria-label],[placeholder]')) {
    if (el.closest(skip) || foreign(el) || !el.checkVisibility()) continue;
    for (const a of ['aria-label', 'placeholder']) {
      const v = el.getAttribute(a);
      if (v && !/^[0-9a-f]{16,}$/.test(v)) out.push(v);
    }
  }
  }
  return out;
})()`;
}

/** Visible text nodes and accessible names of the whole page. */
export const READ_TEXT = readTextIn();

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const CONTRACTS = 'accounts|cases|donations|funds|programs|attest|audit|membership';
/** Latin words a Chinese page may show: the product's name, codes, ids and units. */
const ALLOWED_LATIN = [
  /^AidLedger$/,
  /^(CN|HK|NT|US|MOP)$/,
  /^[A-Z]{3}$/, // ISO 4217 codes
  /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/, // ICD-10
  /^(ICD-10|ICD|ID|HKID|CEL|QR|JSON|SHA-256|Ed25519|RFC|C2SP)$/,
  /^[0-9a-f]{6,}$/i, // hashes and ids
  new RegExp(`^(${CONTRACTS})\\.[a-zA-Z]+$`), // transaction types
  /^[A-Z][A-Z0-9_]{2,}$/, // result codes such as DUPLICATE_CLAIM
  /^AL-[0-9A-Z]{4}-[0-9A-Z]{4}$/, // case references
  /^PDF$/,
  // File formats and the names of a node's files and commands.
  /^(CSV|XML|UTF-8)$/,
  /^pain\.001(\.001\.09)?$/,
  /^banking\.json$/,
  // The standards a hospital's files are in, by their own names, and sizes.
  /^(FHIR|R4|Claim|ClaimResponse|JPEG|PNG|MB|KB)$/,
];
const SIMPLIFIED_ONLY =
  '这们个为证验据资请项计额赠医疗审态时间块账码级链签览发机构员织录详细总诊断补选择语简';
const TRADITIONAL_ONLY =
  '這們個為證驗據資請項計額贈醫療審態時間塊帳賬碼級鏈簽覽發機構員織錄詳細總診斷補選擇語簡';

export function textProblems(texts: string[], lang: 'en' | 'zh-Hant' | 'zh-Hans'): string[] {
  const out: string[] = [];
  for (const t of texts) {
    if (lang === 'en') {
      if (CJK.test(t)) out.push(`Chinese on an English page: "${t}"`);
      continue;
    }
    // A case number's first digits (`62718b5828`) are an id, not a word, wherever a letter falls.
    const words = t.replace(/(?<![0-9A-Za-z])[0-9a-f]{6,}(?![0-9A-Za-z])/g, ' ');
    for (const w of words.match(/[A-Za-z][A-Za-z0-9._-]*/g) ?? []) {
      const word = w.replace(/[._-]+$/, '');
      if (!ALLOWED_LATIN.some((re) => re.test(word))) out.push(`"${word}" in "${t}"`);
    }
    const wrong = lang === 'zh-Hant' ? SIMPLIFIED_ONLY : TRADITIONAL_ONLY;
    for (const ch of t) if (wrong.includes(ch)) out.push(`"${ch}" (other script) in "${t}"`);
  }
  return out;
}
