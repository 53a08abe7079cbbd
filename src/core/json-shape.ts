/**
 * A shape check of JSON text before it is parsed: one linear pass over the characters, without
 * building any value, that refuses text whose parsed form would cost far more memory or stack
 * than its size suggests (a million empty objects in 3 MB, arrays nested thousands deep, a
 * megabyte-long string). JSON.parse, the schemas and the worker pool then only ever see values of
 * a bounded shape. The pass walks the grammar of RFC 8259 exactly, so text it accepts is text
 * JSON.parse accepts.
 */
import { AidError } from './errors.js';

/** The largest shape a JSON text may have. Lengths are in UTF-16 code units of the text. */
export interface JsonShapeLimits {
  /** Deepest nesting of arrays and objects; the outermost one is at depth 1. */
  maxDepth: number;
  /** Most elements of one array or members of one object (the list of items is exempt). */
  maxElements: number;
  /** Longest string or member name, escapes counted as written. */
  maxStringLength: number;
  /** Longest number, as written. */
  maxNumberLength: number;
  /** Most values of any kind, nested ones included, in one item. */
  maxValues: number;
  /** Longest item, as written. */
  maxItemLength: number;
}

/** Options of a list: the text must be one array whose elements are the items. */
export interface JsonListShape {
  /** Most items in the list. */
  maxItems: number;
  /** Most values of any kind in all items together. */
  maxValues: number;
}

// RFC 8259 §2: the six structural characters and the four whitespace characters.
const BEGIN_ARRAY = 0x5b;
const END_ARRAY = 0x5d;
const BEGIN_OBJECT = 0x7b;
const END_OBJECT = 0x7d;
const NAME_SEPARATOR = 0x3a;
const VALUE_SEPARATOR = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** A run of string characters that need no attention: no quotation mark, escape or control. */
// eslint-disable-next-line no-control-regex -- control characters are what a string may not hold
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= ZERO && c <= NINE;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
// RFC 8259 §7: the characters that may follow a reverse solidus.
const isEscape = (c: number) =>
  c === QUOTE ||
  c === BACKSLASH ||
  c === 0x2f ||
  c === 0x62 ||
  c === 0x66 ||
  c === 0x6e ||
  c === 0x72 ||
  c === 0x74;

/**
 * Checks that `text` is one JSON value (RFC 8259 §2) within `limits`, without parsing it. With
 * `list`, the text must be an array and each of its elements is an item with its own length and
 * value budget; a refusal caused by one item names it in `details.index`.
 * @throws AidError MALFORMED when the text is not JSON, is nested deeper than `maxDepth`, or
 *   (with `list`) is not an array; TOO_MANY when the list holds more than `maxItems`; TOO_LARGE
 *   when an array, object, string, number or item is larger than its limit, or an item (or the
 *   whole list) holds more values than its `maxValues`.
 * @returns with `list`, where each item starts and ends: `[start0, end0, start1, end1, …]` (an
 *   item is `text.slice(start, end)`); otherwise an empty array.
 */
export function scanJsonShape(
  text: string,
  limits: JsonShapeLimits,
  list?: JsonListShape,
): number[] {
  const n = text.length;
  let i = 0;
  // The open containers: for each, whether it is an object and how many elements it has so far.
  const isObject: boolean[] = [];
  const counts: number[] = [];
  /** The current item's index (list mode), its first character, and its value count. */
  let item = -1;
  let itemStart = 0;
  let values = 0;
  let total = 0;
  const bounds: number[] = [];

  const where = () => (item >= 0 ? { details: { index: item } } : undefined);
  const malformed = (why: string): never => {
    throw new AidError('MALFORMED', `not JSON: ${why} at position ${i}`);
  };
  const tooLarge = (what: string): never => {
    throw new AidError('TOO_LARGE', what, where());
  };
  const skipWs = () => {
    while (i < n && isWs(text.charCodeAt(i))) i++;
  };

  // RFC 8259 §7: a string; returns nothing, leaves `i` after the closing quotation mark.
  const scanString = () => {
    const start = ++i;
    for (;;) {
      // Most of a string (hex, names, words) is plain: one regular-expression step skips it.
      PLAIN_RUN.lastIndex = i;
      PLAIN_RUN.test(text);
      i = PLAIN_RUN.lastIndex;
      if (i - start > limits.maxStringLength)
        tooLarge(`a string is at most ${limits.maxStringLength} characters`);
      if (i >= n) malformed('unterminated string');
      const c = text.charCodeAt(i);
      if (c === QUOTE) break;
      if (c < 0x20) malformed('control character in a string');
      if (c === BACKSLASH) {
        const e = text.charCodeAt(i + 1);
        if (e === 0x75) {
          for (let k = 2; k < 6; k++)
            if (!isHex(text.charCodeAt(i + k))) malformed('bad \\u escape');
          i += 6;
        } else if (isEscape(e)) i += 2;
        else malformed('bad escape');
      } else i++;
      if (i - start > limits.maxStringLength)
        tooLarge(`a string is at most ${limits.maxStringLength} characters`);
    }
    i++;
  };

  // RFC 8259 §6: number = [ minus ] int [ frac ] [ exp ].
  const scanNumber = () => {
    const start = i;
    if (text.charCodeAt(i) === MINUS) i++;
    const first = text.charCodeAt(i);
    if (first === ZERO) i++;
    else if (isDigit(first)) while (i < n && isDigit(text.charCodeAt(i))) i++;
    else malformed('bad number');
    if (text.charCodeAt(i) === DOT) {
      i++;
      if (!isDigit(text.charCodeAt(i))) malformed('bad fraction');
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const s = text.charCodeAt(i);
      if (s === PLUS || s === MINUS) i++;
      if (!isDigit(text.charCodeAt(i))) malformed('bad exponent');
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    if (i - start > limits.maxNumberLength)
      tooLarge(`a number is at most ${limits.maxNumberLength} characters`);
  };

  const literal = (word: string) => {
    if (!text.startsWith(word, i)) malformed('unexpected character');
    i += word.length;
  };

  /** An object member's name and separator, leaving `i` at the start of its value. */
  const scanName = () => {
    skipWs();
    if (text.charCodeAt(i) !== QUOTE) malformed('expected a member name');
    scanString();
    skipWs();
    if (text.charCodeAt(i) !== NAME_SEPARATOR) malformed('expected ":"');
    i++;
  };

  /** A new element of the innermost container (or the top value). */
  const startValue = () => {
    if (list && counts.length === 1) {
      item++;
      itemStart = i;
      values = 0;
    }
    if (++values > limits.maxValues) tooLarge(`an item holds at most ${limits.maxValues} values`);
    if (list && ++total > list.maxValues) {
      throw new AidError('TOO_LARGE', `a list holds at most ${list.maxValues} values in all`);
    }
  };

  /** The end of an element: in a list, the end of an item when it is a direct element. */
  const endValue = () => {
    if (!list || counts.length !== 1) return;
    if (i - itemStart > limits.maxItemLength)
      tooLarge(`an item is at most ${limits.maxItemLength} characters`);
    bounds.push(itemStart, i);
  };

  skipWs();
  if (list) {
    if (text.charCodeAt(i) !== BEGIN_ARRAY) {
      throw new AidError('MALFORMED', 'body must be a JSON array of submissions');
    }
  } else if (n > limits.maxItemLength) {
    tooLarge(`an item is at most ${limits.maxItemLength} characters`);
  }

  // Each turn scans one value; containers push onto the stack and their elements follow.
  for (;;) {
    skipWs();
    if (i >= n) malformed('unexpected end');
    const c = text.charCodeAt(i);
    const top = counts.length === 0 && list !== undefined;
    if (!top) startValue();
    if (c === BEGIN_ARRAY || c === BEGIN_OBJECT) {
      const obj = c === BEGIN_OBJECT;
      if (counts.length >= limits.maxDepth) {
        throw new AidError('MALFORMED', `nested deeper than ${limits.maxDepth}`, where());
      }
      isObject.push(obj);
      counts.push(0);
      i++;
      skipWs();
      if (text.charCodeAt(i) === (obj ? END_OBJECT : END_ARRAY)) {
        i++;
        isObject.pop();
        counts.pop();
      } else {
        counts[counts.length - 1] = 1;
        if (obj) scanName();
        continue;
      }
    } else if (c === QUOTE) scanString();
    else if (c === MINUS || isDigit(c)) scanNumber();
    else if (c === 0x74) literal('true');
    else if (c === 0x66) literal('false');
    else if (c === 0x6e) literal('null');
    else malformed('unexpected character');
    endValue();

    // After a value: separators and closing brackets until the next value or the end.
    for (;;) {
      skipWs();
      const depth = counts.length;
      if (depth === 0) {
        if (i < n) malformed('text after the value');
        return bounds;
      }
      const d = text.charCodeAt(i);
      if (d === VALUE_SEPARATOR) {
        i++;
        const k = ++counts[depth - 1]!;
        if (list && depth === 1) {
          if (k > list.maxItems) {
            throw new AidError('TOO_MANY', `at most ${list.maxItems} submissions a request`);
          }
        } else if (k > limits.maxElements) {
          tooLarge(`an array or object holds at most ${limits.maxElements} elements`);
        }
        if (isObject[depth - 1]) scanName();
        break;
      }
      if (d === (isObject[depth - 1] ? END_OBJECT : END_ARRAY)) {
        i++;
        isObject.pop();
        counts.pop();
        endValue();
        continue;
      }
      malformed('expected "," or a closing bracket');
    }
  }
}
