// Python-compatible string rules. The reference scorers are Python; parity at 1e-9 depends on
// reproducing str.strip/split/lower and code-point indexing exactly, which JavaScript's
// trim()/split(/\s+/) and UTF-16 indexing do not.

/** Code points for which Python's str.isspace() is true (checked against CPython 3.11). */
export const PY_WHITESPACE_CODE_POINTS: readonly number[] = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
  0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
  0x205f, 0x3000,
];

const WS = new Uint8Array(0x3001);
for (const cp of PY_WHITESPACE_CODE_POINTS) WS[cp] = 1;

/** Python str.isspace() for one UTF-16 unit (every Python space is in the BMP). */
export function isPySpace(unit: number): boolean {
  return unit <= 0x3000 && WS[unit] === 1;
}

/** Where `s` ends without its trailing Python whitespace, not going below `floor`: `len(s[floor:].rstrip()) + floor`. */
export function trimmedEnd(s: string, floor = 0): number {
  let end = s.length;
  while (end > floor && isPySpace(s.charCodeAt(end - 1))) end--;
  return end;
}

/** Python `s.strip()`. */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && isPySpace(s.charCodeAt(start))) start++;
  while (end > start && isPySpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

/** Python `s.split()` (no separator): runs of whitespace separate, empty pieces dropped. */
export function pySplit(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    while (i < n && isPySpace(s.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isPySpace(s.charCodeAt(i))) i++;
    out.push(s.slice(start, i));
  }
  return out;
}

/** `" ".join(s.split())`: trim and collapse every whitespace run to one space. */
export function fold(s: string): string {
  return foldRange(s, 0, s.length);
}

/** `[fold(line) for line in s.split("\n")]`, without the intermediate list of lines. */
export function foldLines(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const end = s.indexOf('\n', start);
    if (end === -1) {
      out.push(foldRange(s, start, s.length));
      return out;
    }
    out.push(foldRange(s, start, end));
    start = end + 1;
  }
}

/** fold(s.slice(start, end)). */
function foldRange(s: string, start: number, end: number): string {
  // Fast path: already folded (single ASCII spaces between words, none at the ends).
  let prevSpace = true;
  let i = start;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 32) {
      if (prevSpace) break;
      prevSpace = true;
    } else if (isPySpace(c)) break;
    else prevSpace = false;
  }
  if (i === end && !(prevSpace && end > start)) return s.slice(start, end);
  return pySplit(s.slice(start, end)).join(' ');
}

/**
 * Python `s.lower()`. JavaScript's toLowerCase() agrees with Python 3.11 except for code points
 * added after Unicode 14 (accepted divergence, see scorers.md).
 */
export function pyLower(s: string): string {
  // V8 lower-cases one-byte text natively and fast, but two-byte text (any CJK) through a slow
  // generic path, about 80 ns for a short name. Text that starts like CJK is scanned first and
  // returned as it is when no character has a lower-case form: ASCII other than A-Z, and
  // U+3000-U+9FFF (CJK punctuation, kana, ideographs).
  const first = s.charCodeAt(0);
  if (first >= 0x3000 && first <= 0x9fff) {
    let i = 1;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (!(c < 0x41 || (c > 0x5a && c < 0x80) || (c >= 0x3000 && c <= 0x9fff))) break;
    }
    if (i === s.length) return s;
  }
  return s.toLowerCase();
}

/** Python `s.count(sub)`: non-overlapping occurrences. */
export function pyCount(s: string, sub: string): number {
  if (sub.length === 0) return codePointLength(s) + 1;
  let count = 0;
  let i = s.indexOf(sub);
  while (i !== -1) {
    count++;
    i = s.indexOf(sub, i + sub.length);
  }
  return count;
}

/** Python `s.split(sep)[-1]`: the text after the last separator, or all of it. */
export function afterLast(s: string, sep: string): string {
  const i = s.lastIndexOf(sep);
  return i === -1 ? s : s.slice(i + sep.length);
}

/** Number of code points (Python `len`). A lone surrogate counts as one, as in Python. */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

const SURROGATE = /[\ud800-\udfff]/;

/** Python `s[-n:]` counted in code points, without materialising the whole string as an array. */
export function lastCodePoints(s: string, n: number): string {
  if (n <= 0) return '';
  if (s.length <= n) return s;
  // Without surrogates in the last n units, those units are the last n code points (the usual
  // case, decided by a native scan instead of a character loop).
  const start = s.length - n;
  if (!SURROGATE.test(s.slice(start))) return s.slice(start);
  let i = s.length;
  let taken = 0;
  while (i > 0 && taken < n) {
    const c = s.charCodeAt(i - 1);
    if (c >= 0xdc00 && c <= 0xdfff && i - 2 >= 0) {
      const h = s.charCodeAt(i - 2);
      if (h >= 0xd800 && h <= 0xdbff) i--;
    }
    i--;
    taken++;
  }
  return s.slice(i);
}

/**
 * LongBench-Pro's answer area: the text after the last `[Answer]`, else after the last `[答案]`,
 * else the whole text; stripped.
 */
export function answerArea(text: string): string {
  let i = text.lastIndexOf('[Answer]');
  if (i !== -1) return pyStrip(text.slice(i + '[Answer]'.length));
  i = text.lastIndexOf('[答案]');
  if (i !== -1) return pyStrip(text.slice(i + '[答案]'.length));
  return pyStrip(text);
}

// Python 3.11 str.isdigit() (Numeric_Type Decimal or Digit, Unicode 14): superscripts, circled
// digits and the like count; JavaScript has no property for it. Ranges as "start-end" in hex,
// generated with: python3.11 -c "[c for c in range(0x110000) if chr(c).isdigit()]" (then joined).
const PY311_DIGIT_RANGES =
  '30-39,b2-b3,b9,660-669,6f0-6f9,7c0-7c9,966-96f,9e6-9ef,a66-a6f,ae6-aef,b66-b6f,be6-bef,c66-c6f,ce6-cef,' +
  'd66-d6f,de6-def,e50-e59,ed0-ed9,f20-f29,1040-1049,1090-1099,1369-1371,17e0-17e9,1810-1819,1946-194f,' +
  '19d0-19da,1a80-1a89,1a90-1a99,1b50-1b59,1bb0-1bb9,1c40-1c49,1c50-1c59,2070,2074-2079,2080-2089,2460-2468,' +
  '2474-247c,2488-2490,24ea,24f5-24fd,24ff,2776-277e,2780-2788,278a-2792,a620-a629,a8d0-a8d9,a900-a909,' +
  'a9d0-a9d9,a9f0-a9f9,aa50-aa59,abf0-abf9,ff10-ff19,104a0-104a9,10a40-10a43,10d30-10d39,10e60-10e68,' +
  '11052-1105a,11066-1106f,110f0-110f9,11136-1113f,111d0-111d9,112f0-112f9,11450-11459,114d0-114d9,' +
  '11650-11659,116c0-116c9,11730-11739,118e0-118e9,11950-11959,11c50-11c59,11d50-11d59,11da0-11da9,' +
  '16a60-16a69,16ac0-16ac9,16b50-16b59,1d7ce-1d7ff,1e140-1e149,1e2f0-1e2f9,1e950-1e959,1f100-1f10a,1fbf0-1fbf9';

const PY_DIGIT_CLASS = new RegExp(
  `^[${PY311_DIGIT_RANGES.split(',')
    .map((r) => r.split('-').map((h) => `\\u{${h}}`).join('-'))
    .join('')}]+$`,
  'u',
);

/** Python 3.11 `s.isdigit()`: non-empty and every code point a digit (see the table above). */
export function pyIsDigit(s: string): boolean {
  return PY_DIGIT_CLASS.test(s);
}
