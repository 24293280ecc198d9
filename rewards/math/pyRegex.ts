// Building blocks that make JavaScript regexes (always compiled with the `u` flag) behave like
// Python `re` on str patterns, which is what Math-Verify and latex2sympy use:
// - Python's `\s` is str.isspace() (includes U+001C..U+001F and U+0085, excludes U+FEFF);
// - Python's `\d` is any Unicode decimal digit (category Nd);
// - Python's `\w`/`\b` are Unicode-aware;
// - Python's `$` (no MULTILINE) also matches just before a final "\n".

/** Python `\s` as a character-class body (use inside [...]). */
export const PY_S_BODY = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
/** Python `\s`. */
export const S = `[${PY_S_BODY}]`;
/** Python `\d` (Unicode decimal digits). */
export const D = '\\p{Nd}';
/** Python `\w` as a class body. */
export const W_BODY = '\\p{L}\\p{N}_';
/** Python `\b` (Unicode word boundary). */
export const B = `(?:(?<=[${W_BODY}])(?![${W_BODY}])|(?<![${W_BODY}])(?=[${W_BODY}]))`;
/** Python `$` without MULTILINE. */
export const END = '(?=\\n?$)';
/** Python `.` without DOTALL. */
export const DOT = '[^\\n]';
/** Python `.` with DOTALL. */
export const ANY = '[\\s\\S]';

/** Python `(?i:word)` for an ASCII word: each letter as a two-case class. */
export function ci(word: string): string {
  let out = '';
  for (const ch of word) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    // Python's Unicode IGNORECASE also folds these onto ASCII letters.
    const extra = lo === 's' ? '\u017f' : lo === 'k' ? '\u212a' : lo === 'i' ? '\u0130\u0131' : '';
    out += lo !== up ? `[${lo}${up}${extra}]` : escapeRe(ch);
  }
  return out;
}

/** re.escape for literal text inside a `u`-flag regex. */
export function escapeRe(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** Python `str.isdigit()`-style check restricted to what callers need: all chars Unicode digits. */
export function isAllDigits(s: string): boolean {
  return s.length > 0 && /^\p{Nd}+$/u.test(s);
}

/** Maps Unicode decimal digits to ASCII (Python int()/Number() accept them). */
export function asciiDigits(s: string): string {
  return s.replace(/\p{Nd}/gu, (d) => {
    const cp = d.codePointAt(0)!;
    if (cp >= 0x30 && cp <= 0x39) return d;
    // Every Nd block is a contiguous run of ten code points starting at a multiple-of-16 offset
    // or at its zero; find the zero by walking down while still a digit.
    let zero = cp;
    while (zero > 0 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1)) && cp - zero < 9) zero--;
    return String(cp - zero);
  });
}
