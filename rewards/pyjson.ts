// Python's `json.loads` and `str()`/`repr()` of the values it returns. The multitableqa scorer keys
// table rows by Python `str()` of each cell, so parity needs exactly what Python would print:
// integers with every digit, floats in `repr` form (`1.0`, `1e+16`), True/False/None, and Python's
// quoting of strings nested in lists and dicts. JavaScript's JSON.parse loses the int/float
// distinction and big-integer digits, hence this parser (it follows CPython 3.11's C scanner).
//
// Known limits: a JSON string that yields a high surrogate followed by a low surrogate from
// separate sources (e.g. `"\ud83d` + a raw U+DE00) is one code point here and two in Python; and
// container nesting deeper than PY_JSON_MAX_DEPTH is a RecursionError here at a fixed depth, where
// Python's point depends on its caller's stack.

/** A value as Python's json.loads returns it. */
export type PyValue =
  | { readonly t: 'int'; readonly v: string } // exact decimal digits, optional '-', never "-0"
  | { readonly t: 'float'; readonly v: number }
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'none'; readonly v: null }
  | { readonly t: 'list'; readonly v: PyValue[] }
  | { readonly t: 'dict'; readonly v: Map<string, PyValue> }; // insertion order; a repeated key keeps its first position and last value

/**
 * Why a parse failed, in Python's terms:
 * - `decode`: json.JSONDecodeError (callers that catch it carry on);
 * - `value`: ValueError for an integer literal over CPython's 4,300-digit conversion limit;
 * - `recursion`: RecursionError from nesting deeper than the interpreter's stack allows.
 * Only `decode` is a JSONDecodeError; the reference lets the other two escape.
 */
export type PyJsonFailureKind = 'decode' | 'value' | 'recursion';

export class PyJsonError extends Error {
  constructor(
    readonly kind: PyJsonFailureKind,
    message: string,
    readonly pos: number,
  ) {
    super(message);
    this.name = 'PyJsonError';
  }
}

export type PyJsonFailure = { ok: false; kind: PyJsonFailureKind; message: string; pos: number };
export type PyJsonResult = { ok: true; value: PyValue } | PyJsonFailure;

/**
 * multitableqa's `to_key(row)`: `tuple(str(c) for c in row)` for a list row (an array here),
 * `str(row)` for any other row (a string here).
 */
export type PyRowKey = string[] | string;

/** A table document: the top-level type and, for an object, its "data" value. */
export interface PyTable {
  /** Python type name of the top-level value ('dict' for an object). */
  top: string;
  /** The object's "data": row keys when it is a list, else the value itself; undefined when absent. */
  data: PyRowKey[] | PyValue | undefined;
}

/** CPython's default `sys.get_int_max_str_digits()` (3.11+): longer integer literals raise ValueError. */
export const PY_INT_MAX_STR_DIGITS = 4300;

/**
 * Container nesting at which the reference's json.loads raises RecursionError. The interpreter's
 * limit is 1000 frames including its caller's stack (json.loads from a bare script fails at 995);
 * under verl's dispatcher the stack is deeper, so the exact point is approximate, like the
 * ROUGE-L recursion limit in scorers.md. The parser itself is safe far beyond this.
 */
export const PY_JSON_MAX_DEPTH = 985;

// Every PyValue has the same two fields (and none is frozen), so property reads stay monomorphic.
export const PY_NONE: PyValue = { t: 'none', v: null };
export const PY_TRUE: PyValue = { t: 'bool', v: true };
export const PY_FALSE: PyValue = { t: 'bool', v: false };

// Thrown inside the parser: a plain object, so failing parses (the common case for free text) do
// not pay for an Error's stack capture.
class Failure {
  constructor(
    readonly kind: PyJsonFailureKind,
    readonly message: string,
    readonly pos: number,
  ) {}
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

class Parser {
  /** The index of the next unread character. */
  pos = 0;
  private depth = 0;

  constructor(private readonly s: string) {}

  skipSpace(): void {
    const s = this.s;
    let i = this.pos;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    this.pos = i;
  }

  /** CPython scan_once: the value starting exactly at pos. */
  value(): PyValue {
    const s = this.s;
    const i = this.pos;
    if (i >= s.length) throw new Failure('decode', 'Expecting value', i);
    switch (s.charCodeAt(i)) {
      case QUOTE:
        this.pos = i + 1;
        return { t: 'str', v: this.string() };
      case 0x7b: // {
        return { t: 'dict', v: this.object() };
      case 0x5b: // [
        return { t: 'list', v: this.listValues() };
      case 0x6e: // n
        if (s.startsWith('null', i)) return this.literal(PY_NONE, 4);
        break;
      case 0x74: // t
        if (s.startsWith('true', i)) return this.literal(PY_TRUE, 4);
        break;
      case 0x66: // f
        if (s.startsWith('false', i)) return this.literal(PY_FALSE, 5);
        break;
      case 0x4e: // N
        if (s.startsWith('NaN', i)) return this.literal({ t: 'float', v: NaN }, 3);
        break;
      case 0x49: // I
        if (s.startsWith('Infinity', i)) return this.literal({ t: 'float', v: Infinity }, 8);
        break;
      case 0x2d: // -
        if (s.startsWith('-Infinity', i)) return this.literal({ t: 'float', v: -Infinity }, 9);
        break;
    }
    return this.number();
  }

  private literal(v: PyValue, length: number): PyValue {
    this.pos += length;
    return v;
  }

  /** Python str() of the value at pos; strings and numbers without building a PyValue. */
  private cellStr(): string {
    const s = this.s;
    const c = s.charCodeAt(this.pos);
    if (c === QUOTE) {
      this.pos++;
      return this.string();
    }
    if ((c >= 0x30 && c <= 0x39) || (c === 0x2d && !s.startsWith('-Infinity', this.pos))) return this.numberStr();
    // Python's str() of the literals, without the PyValue.
    if (c === 0x74 && s.startsWith('true', this.pos)) return this.literalStr('True', 4);
    if (c === 0x66 && s.startsWith('false', this.pos)) return this.literalStr('False', 5);
    if (c === 0x6e && s.startsWith('null', this.pos)) return this.literalStr('None', 4);
    return pyStr(this.value());
  }

  private literalStr(str: string, length: number): string {
    this.pos += length;
    return str;
  }

  /** multitableqa's to_key of the row at pos: a list row gives the str() of each cell. */
  private rowKey(): PyRowKey {
    if (this.s.charCodeAt(this.pos) !== 0x5b) return this.cellStr();
    const cells: string[] = [];
    if (this.open('array', 0x5d)) return cells;
    do cells.push(this.cellStr());
    while (this.more(0x5d));
    return cells;
  }

  private rowKeys(): PyRowKey[] {
    const rows: PyRowKey[] = [];
    if (this.open('array', 0x5d)) return rows;
    do rows.push(this.rowKey());
    while (this.more(0x5d));
    return rows;
  }

  private listValues(): PyValue[] {
    const items: PyValue[] = [];
    if (this.open('array', 0x5d)) return items;
    do items.push(this.value());
    while (this.more(0x5d));
    return items;
  }

  /** Entering a container: CPython's Py_EnterRecursiveCall in scan_once. */
  private enter(what: string): void {
    if (++this.depth > PY_JSON_MAX_DEPTH) {
      throw new Failure('recursion', `maximum recursion depth exceeded while decoding a JSON ${what}`, this.pos);
    }
    this.pos++;
  }

  /**
   * An object at pos. With `rowsKey`, a list value under that key is read as row keys into
   * `this.rows` instead of into the map (the last occurrence of the key decides, as in a dict).
   */
  private object(rowsKey?: string): Map<string, PyValue> {
    const s = this.s;
    const map = new Map<string, PyValue>();
    if (this.open('object', 0x7d)) return map;
    do {
      if (this.pos >= s.length || s.charCodeAt(this.pos) !== QUOTE) throw new Failure('decode', 'Expecting property name enclosed in double quotes', this.pos);
      this.pos++;
      const key = this.string();
      this.skipSpace();
      if (this.pos >= s.length || s.charCodeAt(this.pos) !== 0x3a) throw new Failure('decode', "Expecting ':' delimiter", this.pos);
      this.pos++;
      this.skipSpace();
      if (key === rowsKey) {
        const asRows = s.charCodeAt(this.pos) === 0x5b;
        this.rows = asRows ? this.rowKeys() : undefined;
        map.set(key, asRows ? PY_NONE : this.value());
      } else {
        map.set(key, this.value());
      }
    } while (this.more(0x7d));
    return map;
  }

  /**
   * Enters the container whose opening bracket is at pos and skips the space after it; true when
   * it is empty (its closing bracket is consumed and it is left again).
   */
  private open(what: string, close: number): boolean {
    this.enter(what);
    this.skipSpace();
    if (this.pos < this.s.length && this.s.charCodeAt(this.pos) === close) {
      this.pos++;
      this.depth--;
      return true;
    }
    return false;
  }

  /**
   * After an item: consumes the ',' and the space after it (true, another item follows), or the
   * closing bracket, leaving the container (false). Item loops are written out per item type, so
   * each calls its reader directly (a shared loop taking a callback was the parser's hot spot).
   */
  private more(close: number): boolean {
    const s = this.s;
    let c = this.pos < s.length ? s.charCodeAt(this.pos) : -1;
    if (c <= 0x20 && c >= 0) {
      this.skipSpace();
      c = this.pos < s.length ? s.charCodeAt(this.pos) : -1;
    }
    this.pos++;
    if (c === 0x2c) {
      this.skipSpace();
      return true;
    }
    if (c === close) {
      this.depth--;
      return false;
    }
    this.pos--;
    throw new Failure('decode', "Expecting ',' delimiter", this.pos);
  }

  /** Row keys of the last "data" list read by object('data'). */
  rows: PyRowKey[] | undefined;

  /** The top-level value at pos as a table document (see tryPyJsonTable). */
  table(): PyTable {
    if (this.s.charCodeAt(this.pos) !== 0x7b) return { top: pyTypeName(this.value()), data: undefined };
    const map = this.object('data');
    return { top: 'dict', data: this.rows ?? map.get('data') };
  }

  /** CPython scanstring (strict): pos is just after the opening quote; leaves pos after the closing one. */
  private string(): string {
    const s = this.s;
    const n = s.length;
    const begin = this.pos - 1;
    let i = this.pos;
    let chunkStart = i;
    let out = '';
    for (;;) {
      let c = 0;
      while (i < n) {
        c = s.charCodeAt(i);
        if (c === QUOTE || c === BACKSLASH || c < 0x20) break;
        i++;
      }
      if (i >= n) throw new Failure('decode', 'Unterminated string starting at', begin);
      if (c === QUOTE) {
        this.pos = i + 1;
        return chunkStart === begin + 1 ? s.slice(chunkStart, i) : out + s.slice(chunkStart, i);
      }
      if (c !== BACKSLASH) throw new Failure('decode', 'Invalid control character at', i);
      out += s.slice(chunkStart, i);
      i++; // past the backslash
      if (i >= n) throw new Failure('decode', 'Unterminated string starting at', begin);
      const e = s.charCodeAt(i);
      if (e === 0x75) {
        // \uXXXX. A surrogate pair written as two escapes becomes the same two UTF-16 units as
        // Python's joined code point, so each escape can be decoded on its own.
        if (i + 5 >= n) throw new Failure('decode', 'Invalid \\uXXXX escape', i);
        let unit = 0;
        for (let k = 1; k <= 4; k++) {
          const h = hexValue(s.charCodeAt(i + k));
          if (h < 0) throw new Failure('decode', 'Invalid \\uXXXX escape', i);
          unit = (unit << 4) | h;
        }
        out += String.fromCharCode(unit);
        i += 5;
      } else {
        const decoded = SIMPLE_ESCAPES[e];
        if (decoded === undefined) throw new Failure('decode', 'Invalid \\escape', i - 1);
        out += decoded;
        i++;
      }
      chunkStart = i;
    }
  }

  /**
   * CPython _match_number: ASCII digits only; a '.' or exponent without digits is not consumed.
   * Leaves pos after the number and intEnd after its integer part; true for a float.
   */
  private scanNumber(): boolean {
    const s = this.s;
    const n = s.length;
    const start = this.pos;
    let i = start;
    if (s.charCodeAt(i) === 0x2d) {
      i++;
      if (i >= n) throw new Failure('decode', 'Expecting value', start);
    }
    const first = s.charCodeAt(i);
    if (first >= 0x31 && first <= 0x39) {
      i++;
      while (i < n && isDigit(s.charCodeAt(i))) i++;
    } else if (first === 0x30) {
      i++;
    } else {
      throw new Failure('decode', 'Expecting value', start);
    }
    const intEnd = i;
    let isFloat = false;
    if (i + 1 < n && s.charCodeAt(i) === 0x2e && isDigit(s.charCodeAt(i + 1))) {
      isFloat = true;
      i += 2;
      while (i < n && isDigit(s.charCodeAt(i))) i++;
    }
    if (i + 1 < n && (s.charCodeAt(i) === 0x65 || s.charCodeAt(i) === 0x45)) {
      const eStart = i;
      i++;
      const sign = s.charCodeAt(i);
      if (i + 1 < n && (sign === 0x2d || sign === 0x2b)) i++;
      while (i < n && isDigit(s.charCodeAt(i))) i++;
      if (isDigit(s.charCodeAt(i - 1))) isFloat = true;
      else i = eStart;
    }
    this.pos = i;
    if (!isFloat) {
      const digitCount = intEnd - start - (s.charCodeAt(start) === 0x2d ? 1 : 0);
      if (digitCount > PY_INT_MAX_STR_DIGITS) {
        throw new Failure(
          'value',
          `Exceeds the limit (${PY_INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digitCount} digits`,
          start,
        );
      }
    }
    this.intEnd = intEnd;
    return isFloat;
  }

  /** Where the integer part of the number scanNumber last read ends. */
  private intEnd = 0;

  private number(): PyValue {
    const start = this.pos;
    const isFloat = this.scanNumber();
    const text = this.s.slice(start, this.pos);
    return isFloat ? { t: 'float', v: Number(text) } : { t: 'int', v: pyIntText(text) };
  }

  /** Python str() of the number at pos. */
  private numberStr(): string {
    const start = this.pos;
    const isFloat = this.scanNumber();
    const text = this.s.slice(start, this.pos);
    if (!isFloat) return pyIntText(text);
    return isPyFloatRepr(text, this.intEnd - start) ? text : pyFloatRepr(Number(text));
  }
}

/** Python str(int(text)) of a JSON integer: the text itself, except that "-0" is 0. */
function pyIntText(text: string): string {
  return text === '-0' ? '0' : text;
}

/**
 * Whether a JSON float literal is already its own Python repr, so the double need not be
 * formatted: positional (no exponent), at most 15 significant digits (so these digits are the
 * shortest round-trip ones), no trailing zero in the fraction unless it is the single "0" of an
 * integral value, and a magnitude Python prints positionally (>= 1e-4 and < 1e16).
 * `intLength` is the length of the sign and integer part.
 */
function isPyFloatRepr(text: string, intLength: number): boolean {
  const n = text.length;
  if (text.charCodeAt(intLength) !== 0x2e) return false; // an exponent but no fraction
  const negative = text.charCodeAt(0) === 0x2d;
  const intDigits = intLength - (negative ? 1 : 0);
  let significant: number;
  if (intDigits === 1 && text.charCodeAt(intLength - 1) === 0x30) {
    // 0.xxx: leading fraction zeros are not significant, and 4 or more mean < 1e-4.
    let zeros = 0;
    while (intLength + 1 + zeros < n && text.charCodeAt(intLength + 1 + zeros) === 0x30) zeros++;
    if (intLength + 1 + zeros === n) return zeros === 1; // 0.0 and -0.0 are their own repr
    if (zeros >= 4) return false;
    significant = n - intLength - 1 - zeros;
  } else {
    if (intDigits > 16) return false;
    significant = intDigits + (n - intLength - 1);
  }
  for (let k = intLength + 1; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return false; // an exponent
  }
  if (text.charCodeAt(n - 1) === 0x30 && n - intLength - 1 !== 1) return false;
  if (text.charCodeAt(n - 1) === 0x30) return intDigits <= 15; // "123.0": integral, fraction "0"
  return significant <= 15;
}

const SIMPLE_ESCAPES: Readonly<Record<number, string>> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

/** Runs json.loads' outer steps (BOM check, whitespace, "Extra data") around `read`. */
function loads<T>(s: string, read: (parser: Parser) => T): { ok: true; value: T } | PyJsonFailure {
  if (s.charCodeAt(0) === 0xfeff) return { ok: false, kind: 'decode', message: 'Unexpected UTF-8 BOM (decode using utf-8-sig)', pos: 0 };
  const parser = new Parser(s);
  try {
    parser.skipSpace();
    const value = read(parser);
    parser.skipSpace();
    if (parser.pos !== s.length) return { ok: false, kind: 'decode', message: 'Extra data', pos: parser.pos };
    return { ok: true, value };
  } catch (e) {
    if (e instanceof Failure) return { ok: false, kind: e.kind, message: e.message, pos: e.pos };
    throw e;
  }
}

/** Python `json.loads(s)` on a str, without throwing: the value, or why Python would raise. */
export function tryPyJsonLoads(s: string): PyJsonResult {
  return loads(s, (p) => p.value());
}

/**
 * Python `json.loads(s)` of a table document, read the way `doc.get("data")` then `to_key` per
 * row would see it, without building the whole tree: same acceptance and errors as
 * tryPyJsonLoads, but a list under the top-level object's "data" key comes back as row keys.
 */
export function tryPyJsonTable(s: string): { ok: true; value: PyTable } | PyJsonFailure {
  return loads(s, (p) => p.table());
}

/** Python `json.loads(s)` on a str; throws PyJsonError where Python raises. */
export function pyJsonLoads(s: string): PyValue {
  const r = tryPyJsonLoads(s);
  if (!r.ok) throw new PyJsonError(r.kind, `${r.message}: char ${r.pos}`, r.pos);
  return r.value;
}

// ---- Python's number types in values decoded from JSON -------------------------------------
//
// verl rows reach the service through json.dumps of Python objects, so the number text carries a
// Python type that JSON.parse drops: `100.0` is a float (str "100.0") but JavaScript's 100, `-0.0`
// a float whose str is "-0.0", an integer beyond 2**53 loses digits. The items keep their
// JavaScript values (every scorer reads those); the exact Python value of each such member is
// recorded beside them, keyed by the container it sits in (object or array) and its key, and
// pyFromJs / pyMember read it back. Only those members are recorded: any other JSON number means
// the same in both languages (an integral one is an int, a fractional one a float whose repr is
// JavaScript's shortest round-trip digits, an overflowing one a float infinity).

const PY_MEMBERS = new WeakMap<object, Map<string, PyValue>>();

/** Records the exact Python value of `holder[key]` (for readers of typed data, e.g. parquet). */
export function setPyMember(holder: object, key: string, value: PyValue): void {
  let members = PY_MEMBERS.get(holder);
  if (!members) PY_MEMBERS.set(holder, (members = new Map()));
  members.set(key, value);
}

/** The Python value of `holder[key]`: the recorded one, else what its JavaScript value means. */
export function pyMember(holder: object, key: string): PyValue {
  return PY_MEMBERS.get(holder)?.get(key) ?? pyFromJs((holder as Record<string, unknown>)[key]);
}

/**
 * The Python type name of `holder[key]`: for a number, the recorded one (a JSON 42.0 is a float,
 * which JavaScript reads as 42); otherwise read off the value, without converting it.
 */
export function pyMemberTypeName(holder: object, key: string): string {
  const value = (holder as Record<string, unknown>)[key];
  return typeof value === 'number' ? pyTypeName(pyMember(holder, key)) : jsPyTypeName(value);
}

/** Carries the record of `from[fromKey]`, if any, over to `to[toKey]` (an item built from another object's fields). */
export function copyPyMember(from: object, fromKey: string, to: object, toKey: string): void {
  const exact = PY_MEMBERS.get(from)?.get(fromKey);
  if (exact) setPyMember(to, toKey, exact);
}

/**
 * The Python value a JSON number token stands for, when its JavaScript value loses it: a float
 * token with an integral value (`100.0`, `1e2`, `-0.0`, `1e-400`), or an integer token beyond
 * 2**53. Undefined for every other token.
 */
function lossyNumber(token: string, value: number): PyValue | undefined {
  let isFloat = false;
  for (let k = 0; k < token.length; k++) {
    const c = token.charCodeAt(k);
    if (c === 0x2e || c === 0x65 || c === 0x45) {
      isFloat = true;
      break;
    }
  }
  if (isFloat) return Number.isInteger(value) ? { t: 'float', v: value } : undefined;
  return Number.isSafeInteger(value) ? undefined : { t: 'int', v: pyIntText(token) };
}

/** End (exclusive) of the JSON string whose opening quote is at `i`, or -1. */
function jsonStringEnd(text: string, i: number): number {
  for (;;) {
    const q = text.indexOf('"', i + 1);
    if (q < 0) return -1;
    let k = q - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    i = q;
  }
}

/**
 * Whether valid JSON text holds a number token whose JavaScript value loses its Python meaning.
 * Only the text between strings is read character by character (keys and values of an item are
 * mostly strings, skipped with indexOf), so this costs little next to JSON.parse itself.
 */
export function hasLossyNumber(text: string): boolean {
  return lossyNumberFrom(text, 0, false);
}

/**
 * hasLossyNumber from `i` to the end of the text, or (`oneValue`) to the end of the single JSON
 * value starting at `i`.
 */
function lossyNumberFrom(text: string, i: number, oneValue: boolean): boolean {
  const n = text.length;
  let depth = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = jsonStringEnd(text, i);
      if (i < 0 || (oneValue && depth === 0)) return false;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      if (oneValue && --depth <= 0) return false;
      i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let k = i + 1;
      let plain = true; // sign and digits only so far
      while (k < n) {
        const d = text.charCodeAt(k);
        if (d >= 0x30 && d <= 0x39) k++;
        else if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) {
          plain = false;
          k++;
        } else break;
      }
      // A short plain integer is exact; anything else is checked on its value.
      if (!(plain && k - i <= 15)) {
        const token = text.slice(i, k);
        if (lossyNumber(token, Number(token)) !== undefined) return true;
      }
      if (oneValue && depth === 0) return false;
      i = k;
    } else {
      if (oneValue && depth === 0 && c === 0x2c) return false; // after a literal at the top
      i++;
    }
  }
  return false;
}

/** JSON.parse's reviver that records the lossy number members it meets (see hasLossyNumber). */
function recordLossyNumbers(this: object, key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && context?.source !== undefined) {
    const exact = lossyNumber(context.source, value);
    if (exact) setPyMember(this, key, exact);
  }
  return value;
}

/** The JavaScript value JSON.parse would give for a PyValue, recording what it loses. */
function jsFromPy(v: PyValue, holder: object, key: string): unknown {
  switch (v.t) {
    case 'int': {
      const n = Number(v.v);
      if (!Number.isSafeInteger(n)) setPyMember(holder, key, v);
      return n;
    }
    case 'float':
      if (Number.isInteger(v.v)) setPyMember(holder, key, v);
      return v.v;
    case 'str':
    case 'bool':
    case 'none':
      return v.v;
    case 'list': {
      const out: unknown[] = new Array(v.v.length);
      v.v.forEach((x, i) => (out[i] = jsFromPy(x, out, String(i))));
      return out;
    }
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (const [k, x] of v.v) {
        // An own "__proto__" property, as JSON.parse makes (assignment would set the prototype).
        Object.defineProperty(out, k, { value: jsFromPy(x, out, k), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
  }
}

/** JSON.parse, or for json.dumps' NaN/Infinity/-Infinity (which JSON.parse refuses) Python's json.loads. */
function parseLenient(text: string): { value: unknown; recorded: boolean } {
  try {
    return { value: JSON.parse(text), recorded: false };
  } catch (err) {
    // JSON.parse accepts all json.loads does but these three names (and integers over 4,300 digits).
    if (!/NaN|Infinity/.test(text)) throw err;
    const py = tryPyJsonLoads(text);
    if (!py.ok) throw err;
    return { value: jsFromPy(py.value, { '': undefined }, ''), recorded: true };
  }
}

/** Whether a decoded value holds an integral number anywhere (the only kind that can have lost its type). */
function holdsIntegralNumber(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v);
  if (v === null || typeof v !== 'object') return false;
  return containerHoldsIntegralNumber(v, 0);
}

function containerHoldsIntegralNumber(v: object, depth: number): boolean {
  // Past this depth (pathological input) assume it may: the exact path is always correct.
  if (depth > 64) return true;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (typeof x === 'number' ? Number.isInteger(x) : x !== null && typeof x === 'object' && containerHoldsIntegralNumber(x, depth + 1)) return true;
    }
    return false;
  }
  for (const key in v) {
    const x: unknown = (v as Record<string, unknown>)[key];
    if (typeof x === 'number' ? Number.isInteger(x) : x !== null && typeof x === 'object' && containerHoldsIntegralNumber(x, depth + 1)) return true;
  }
  return false;
}

const reparseRecording = (text: string): unknown => JSON.parse(text, recordLossyNumbers as (key: string, value: unknown) => unknown);

/**
 * JSON text as Python's json.loads reads it, for the values a scorer compares or prints: the
 * JavaScript value JSON.parse gives, with the exact Python value of every number JSON.parse loses
 * recorded beside it (see setPyMember). Also accepts json.dumps' `NaN`, `Infinity` and
 * `-Infinity`. Throws JSON.parse's SyntaxError for text neither accepts. Text is only read again
 * when the value holds an integral number (the common case costs one JSON.parse and a walk).
 */
export function parseJsonPy(text: string): unknown {
  const { value, recorded } = parseLenient(text);
  if (recorded || !holdsIntegralNumber(value) || !hasLossyNumber(text)) return value;
  return reparseRecording(text);
}

/** The fields of an item (or OpenRLHF label) whose values scorers compare or print with Python semantics. */
const PY_VALUE_FIELDS = ['ground_truth', 'extra_info', 'reward_model', 'reference', 'options'] as const;

/**
 * parseJsonPy for one item's text, cheaper on the hot path: only the fields scorers read with
 * Python semantics (ground_truth, extra_info, reward_model, reference, options) are looked at,
 * and only their own text is scanned, so a numeric `id` or a long solution_str costs nothing.
 */
export function parseItemJsonPy(text: string): unknown {
  const { value, recorded } = parseLenient(text);
  if (recorded || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const item = value as Record<string, unknown>;
  for (const field of PY_VALUE_FIELDS) {
    if (Object.hasOwn(item, field) && holdsIntegralNumber(item[field]) && fieldHasLossyNumber(text, field)) return reparseRecording(text);
  }
  return value;
}

/**
 * Whether the value text of any `"field":` key in valid JSON text holds a lossy number. A key is
 * an unescaped `"field"` followed by `:` (inside a JSON string every quote is escaped). Falls
 * back to the whole text when the key is not written plainly (e.g. with \u escapes).
 */
function fieldHasLossyNumber(text: string, field: string): boolean {
  const key = `"${field}"`;
  let found = false;
  for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
    let b = at - 1;
    while (text.charCodeAt(b) === BACKSLASH) b--;
    if ((at - 1 - b) % 2 === 1) continue; // an escaped quote: inside a string
    let i = skipJsonSpace(text, at + key.length);
    if (text.charCodeAt(i) !== 0x3a) continue; // a string value, not a key
    found = true;
    if (lossyNumberFrom(text, skipJsonSpace(text, i + 1), true)) return true;
  }
  return found ? false : hasLossyNumber(text);
}

function skipJsonSpace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/**
 * JSON text that parseJsonPy reads back to the same values and Python types: recorded members
 * are written in Python's form (`100.0`, `-0.0`, every digit of a big integer), a NaN as
 * json.dumps writes it (`NaN`), an infinity as `1e400` (still JSON). Like JSON.stringify for
 * plain data otherwise (undefined members dropped, undefined list entries null).
 */
export function stringifyJsonPy(value: unknown): string {
  return writeJsonPy(value, undefined);
}

function writeJsonPy(v: unknown, exact: PyValue | undefined): string {
  if (exact) return pyNumberJson(exact);
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return pyNumberJson(pyFromJs(v));
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return 'null';
  }
  if (v === null) return 'null';
  const members = PY_MEMBERS.get(v as object);
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + writeJsonPy(v[i], members?.get(String(i)));
    return out + ']';
  }
  let out = '{';
  let first = true;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    out += (first ? '' : ',') + JSON.stringify(k) + ':' + writeJsonPy(x, members?.get(k));
    first = false;
  }
  return out + '}';
}

/** A Python int or float as JSON text parseJsonPy reads back to the same Python value. */
function pyNumberJson(v: PyValue): string {
  if (v.t === 'int') return v.v;
  if (v.t !== 'float') return pyRepr(v);
  if (Number.isNaN(v.v)) return 'NaN';
  if (!Number.isFinite(v.v)) return v.v > 0 ? '1e400' : '-1e400';
  return pyFloatRepr(v.v); // "100.0", "-0.0", "1e+16", "1e-05": valid JSON, read back as floats
}

/**
 * A JavaScript value as Python would hold it: the recorded Python value of its members where
 * there is one (see parseJsonPy), else an integral number is an int and any other a float. Object
 * keys follow JavaScript's order (integer-like keys first).
 */
export function pyFromJs(v: unknown): PyValue {
  if (v === null || v === undefined) return PY_NONE;
  switch (typeof v) {
    case 'string':
      return { t: 'str', v };
    case 'boolean':
      return v ? PY_TRUE : PY_FALSE;
    case 'number':
      return Number.isInteger(v) ? { t: 'int', v: BigInt(v).toString() } : { t: 'float', v };
    case 'bigint':
      return { t: 'int', v: v.toString() };
  }
  const members = PY_MEMBERS.get(v as object);
  if (Array.isArray(v)) return { t: 'list', v: v.map((x, i) => members?.get(String(i)) ?? pyFromJs(x)) };
  if (typeof v === 'object') {
    const map = new Map<string, PyValue>();
    for (const [k, val] of Object.entries(v)) map.set(k, members?.get(k) ?? pyFromJs(val));
    return { t: 'dict', v: map };
  }
  return PY_NONE;
}

/** Python type name, for messages (`'int' object is not iterable`). */
export function pyTypeName(v: PyValue): string {
  return v.t === 'none' ? 'NoneType' : v.t;
}

/** multitableqa's `to_key(row)` for a parsed value. */
export function pyRowKey(row: PyValue): PyRowKey {
  return row.t === 'list' ? row.v.map(pyStr) : pyStr(row);
}

/** Python `str(v)`. */
export function pyStr(v: PyValue): string {
  return v.t === 'str' ? v.v : pyRepr(v);
}

/** Python `repr(v)`. */
export function pyRepr(v: PyValue): string {
  switch (v.t) {
    case 'int':
      return v.v;
    case 'float':
      return pyFloatRepr(v.v);
    case 'str':
      return pyStrRepr(v.v);
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list': {
      let out = '[';
      for (let k = 0; k < v.v.length; k++) out += (k === 0 ? '' : ', ') + pyRepr(v.v[k]!);
      return out + ']';
    }
    case 'dict': {
      let out = '{';
      let first = true;
      for (const [key, val] of v.v) {
        out += (first ? '' : ', ') + pyStrRepr(key) + ': ' + pyRepr(val);
        first = false;
      }
      return out + '}';
    }
  }
}

/**
 * Python `repr(float)`: the shortest round-tripping digits (as JavaScript's), laid out the way
 * CPython's float_repr does: exponent form when the decimal point position is <= -4 or > 16,
 * a two-digit minimum exponent with its sign, and `.0` on integral values.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    // Python prints these positionally, as JavaScript does (it switches only below 1e-6 or at 1e21).
    const js = String(x);
    return js.includes('.') ? js : js + '.0';
  }
  const sign = x < 0 ? '-' : '';
  const js = String(abs); // shortest digits: "123.45", "1e+21", "1.5e-7"
  const ePos = js.indexOf('e');
  const mantissa = ePos === -1 ? js : js.slice(0, ePos);
  const exponent = ePos === -1 ? 0 : Number(js.slice(ePos + 1));
  const dot = mantissa.indexOf('.');
  const intPart = dot === -1 ? mantissa : mantissa.slice(0, dot);
  let digits = dot === -1 ? mantissa : intPart + mantissa.slice(dot + 1);
  // decpt: the decimal point sits after this many digits of `digits`.
  let decpt = intPart.length + exponent;
  let lead = 0;
  while (lead < digits.length - 1 && digits.charCodeAt(lead) === 0x30) lead++;
  digits = digits.slice(lead);
  decpt -= lead;
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 0x30) end--;
  digits = digits.slice(0, end);
  const n = digits.length;
  if (decpt <= -4 || decpt > 16) {
    const e = decpt - 1;
    const absE = Math.abs(e);
    return `${sign}${digits[0]}${n > 1 ? '.' + digits.slice(1) : ''}e${e < 0 ? '-' : '+'}${absE < 10 ? '0' : ''}${absE}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= n) return `${sign}${digits}${'0'.repeat(decpt - n)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

// Python 3.11 str.isprintable() per code point: false for categories Cc, Cf, Cs, Co, Cn, Zl, Zp
// and Zs other than the ASCII space, in CPython 3.11's Unicode 14 tables. Embedded because this
// runtime's ICU is newer (characters assigned since Unicode 14 are unassigned, hence escaped, in
// Python 3.11). Format: comma-separated ranges of non-printable code points, each
// "<gap from the previous range's end + 1>[.<length - 1>]" in base 36. Generated with:
//   python3.11 -c "r=[]; [r.append([c,c]) if not r or r[-1][1]!=c-1 else r[-1].__setitem__(1,c)
//     for c in range(0x110000) if not chr(c).isprintable()]; print(r)"  (then delta/base-36 encoded)
const PY311_NON_PRINTABLE_RANGES =
  '0.v,2n.x,c,ju.1,6.3,7,1,k,b1,12.1,1e.1,3,1j.7,r.3,6.g,m,5c,1c.1,1n.1,2t.d,1n.1,1d.1,f,s.1,1,b.4,' +
  'v.8,22,4h,8.1,2.1,m,7,1.2,4.1,9.1,2.1,4.7,1.3,2,5.1,p.1,3,6.3,2.1,m,7,2,2,2.1,1,5.3,2.1,3.2,1.6,' +
  '4,1.6,h.9,3,9,3,m,7,2,5.1,a,3,3.1,1.e,4.1,c.6,7,3,8.1,2.1,m,7,2,5.1,9.1,2.1,3.6,3.3,2,5.1,i.9,2,' +
  '6.2,3,4.2,2,1,2.2,2.2,3.2,c.3,5.2,3,4.1,1.5,1.d,l.4,d,3,n,g.1,9,3,4.6,2,3.1,1.1,4.1,a.6,m,3,n,a,' +
  '5.1,9,3,4.6,2.5,2,4.1,a,2.c,d,3,1f,3,6.3,g.1,q,3,i.2,o,9,1.1,7.2,1.3,6,1,8.5,a.1,3.b,1m.3,t.10,' +
  '2,1,5,o,1,n.1,5,1,6.1,a.1,4.v,20,10.3,13,10,f,d.10,5i,1.4,1.1,ah,4.1,7,1,4.1,15,4.1,x,4.1,7,1,' +
  '4.1,f,1l,4.1,1v.1,w.2,q.5,2e.1,6.1,hs,s.2,2h.6,m.8,o.8,k.b,d,3,2.b,2m.1,a.5,a.5,e,b.5,2h.6,17.4,' +
  '1y.9,v,c.3,c.3,1.2,16.1,5.a,18.3,q.5,b.2,1q.1,1t,t.1,b.5,a.5,e.1,v.1c,25.2,1b,38.7,1o.2,f.2,' +
  '1o.6,17.1,b.7,17.4,eu.1,6.1,12.1,6.1,8,1,1,1,v.1,1h,f,e.1,6,j.1,3,9.g,o.7,1b.g,2.1,r,d.2,x.e,' +
  'x.e,3w.3,if.o,b.k,1ec.1,w,9p.4,19,1.4,1.1,1k.6,2.d,o.8,7,7,7,7,7,7,7,7,3i.x,q,2h.b,5y.p,c.4,1r,' +
  '2e.1,2v.4,17,2m,2c.b,1b,mlp.2,1j.8,9o.j,54.7,5n.4,2,1,5.n,1n.2,a.5,1k.7,1y.7,c.5,38.a,u.2,26,' +
  'b.3,x,1j.8,e.1,a.1,2v.n,s.9,6.1,6.1,6.8,7,7,1o.3,3i.1,a.5,8mc.b,n.3,1d.6ir,a6.1,2y.11,7.b,5.4,q,' +
  '5,1,2,2,3h.f,cd.1,1i.6,1.v,16.5,1f,j,4.3,5,3r.3,5a.2,6.1,6.1,6.1,3.2,7,7.c,2.1,c,q,j,2,f.1,e.x,' +
  '3f.4,3.3,19.2,2g,d.2,1.1a,1a.3l,t.2,1d.e,s.3,10.8,u.4,17.4,u,11.3,e.15,4e.1,a.5,10.3,10.3,14.7,' +
  '1g.a,c,f,7,2,b,f,7,2.1u,8n.8,m.9,8.n,6,16,9.1w,6.1,1,18,2.2,1.1,n,20.7,9.1b,j,2.4,x.2,r.4,1.1r,' +
  '1k.3,k.1,1e,2.4,8,3,t.1,3.3,a.6,9.6,1s.v,13.3,c.8,1i.2,t.1,r.4,q.6,4.b,7.27,21.1i,1f.c,1f.6,' +
  '1a.7,a.85,v,16,3.1,2.25,14.7,16.l,q.11,s.j,n.8,26.3,10.8,1q,5.c,p.6,a.5,1h,i.7,13.8,2o,k.a,i,' +
  '18.1s,7,1,4,f,b.5,1n.4,a.5,4,8.1,2.1,m,7,2,5,a.1,2.1,3.1,1.5,1.4,7.1,7.2,5.3u,2k,5.t,20.7,a.4l,' +
  '1i.1,12.x,1x.a,a.5,d.i,1m.5,a.1h,r.1,f.3,n.54,1o.2r,2b.b,8.1,1.1,8,2,u,2.1,c.8,a.1x,8.1,1a.1,' +
  'b.q,20.7,2b.c,21.7a,9,19,e.9,t.2,w.1,m,e.20,7,2,18.2,1,2,9.7,a.5,6,2,11,2,6.6,a.8l,p.52,1.e,' +
  '1e.c,pn.2t,33,5.a,5g.217,2r.c,tr.34g,g7.6ns,ft.6,v,a.3,29,a.5,u.1,6.9,1y.9,a,7,l.4,j.j3,2j.2s,' +
  '23.3,1l.6,h.1r,5.a,2.d,4qg.7,ye.15,9.6w6,4,7,2,83.18,3.g,4.7,b0.1s3,2z.4,d.2,9.6,a.1,4.3mn,1a.1,' +
  'n.8,38.1n,6u.9,13.1,22.7,34.k,1y.49,k.b,2f.8,p.3q,2d,1z,2.1,1.1,2.1,4,c,1,7,1t,4.1,8,7,s,4,5,' +
  '1.2,7,9g.1,84.1,ji.e,5,f.un,v.68,7,h.1,7,2,5.5w,19.2,e.1,a.3,2.8v,v.g,1m.4,1.yn,7,4,2,f,5h.1,' +
  'g.14,24.3,a.3,2.ls,1w.23,1p.5d,4,r,2,1.1,1,a,4,1,1.5,1.3,1,1,1,3,2,1.1,1,1,1,1,1,2,1.1,4,7,4,4,' +
  '1,a,h.4,3,5,h.1f,2.7h,18.3,2s.b,f.1,f,f,11.9,4u.1j,t.c,18.3,9.6,2.d,6.49,rc.4,g.2,d.2,38.b,2h.6,' +
  'c.3,1.e,c.3,1k.7,a.5,14.7,u.1,2.25,9g.b,e.1,5.2,5.2,7.8,t.2,b.4,6.9,a.5,8.7,7.8,43,1j.10,a.sl,' +
  'wyo.v,37d.6,66.1,4g2.d,5rl.2e6,f2.15t,3t7.fcms,6o.47bj';

/** Sorted [start, end] pairs of the table above, flattened. */
const nonPrintable: Uint32Array = (() => {
  const tokens = PY311_NON_PRINTABLE_RANGES.split(',');
  const out = new Uint32Array(tokens.length * 2);
  let next = 0;
  tokens.forEach((tok, k) => {
    const [gap, extra] = tok.split('.');
    const start = next + parseInt(gap!, 36);
    const end = start + (extra === undefined ? 0 : parseInt(extra, 36));
    out[2 * k] = start;
    out[2 * k + 1] = end;
    next = end + 1;
  });
  return out;
})();

// BMP answers cached: 0 = not yet known, 1 = printable, 2 = not.
const bmpPrintable = new Uint8Array(0x10000);

function inNonPrintableTable(cp: number): boolean {
  let lo = 0;
  let hi = nonPrintable.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < nonPrintable[2 * mid]!) hi = mid - 1;
    else if (cp > nonPrintable[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Python 3.11 `chr(cp).isprintable()`. */
export function pyIsPrintable(cp: number): boolean {
  if (cp < 0x7f) return cp >= 0x20;
  if (cp >= 0x10000) return !inNonPrintableTable(cp);
  let known = bmpPrintable[cp]!;
  if (known === 0) {
    known = inNonPrintableTable(cp) ? 2 : 1;
    bmpPrintable[cp] = known;
  }
  return known === 1;
}

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

/** Python `repr(str)`: quote choice, backslash escapes, and \x/\u/\U for non-printable characters. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const q = quote.charCodeAt(0);
  let out = quote;
  let plainStart = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== q && c !== BACKSLASH) continue; // printable ASCII, the common case
    let cp = c;
    let width = 1;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        width = 2;
      }
    }
    let escaped: string | undefined;
    if (cp === q || cp === BACKSLASH) escaped = '\\' + String.fromCharCode(cp);
    else if (cp === 0x09) escaped = '\\t';
    else if (cp === 0x0a) escaped = '\\n';
    else if (cp === 0x0d) escaped = '\\r';
    else if (cp < 0x20 || cp === 0x7f) escaped = '\\x' + hex(cp, 2);
    else if (!pyIsPrintable(cp)) escaped = cp <= 0xff ? '\\x' + hex(cp, 2) : cp <= 0xffff ? '\\u' + hex(cp, 4) : '\\U' + hex(cp, 8);
    if (escaped !== undefined) {
      out += s.slice(plainStart, i) + escaped;
      plainStart = i + width;
    }
    i += width - 1;
  }
  return out + s.slice(plainStart) + quote;
}

/** Python `obj[key]` on a JSON value, raising what Python raises (as a message) when it cannot. */
export function pyGetItem(obj: unknown, key: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
    return Object.hasOwn(obj, key) ? { ok: true, value: (obj as Record<string, unknown>)[key] } : { ok: false, error: `KeyError: '${key}'` };
  }
  if (typeof obj === 'string') return { ok: false, error: 'TypeError: string indices must be integers' };
  if (Array.isArray(obj)) return { ok: false, error: 'TypeError: list indices must be integers or slices, not str' };
  return { ok: false, error: `TypeError: '${jsPyTypeName(obj)}' object is not subscriptable` };
}

/** Python type name of a JSON value as the transport decoded it. */
export function jsPyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}
