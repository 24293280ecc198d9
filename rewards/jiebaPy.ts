// Python jieba 0.42.1's `jieba.cut(text, cut_all=False)` (precise mode, HMM on) on top of
// @node-rs/jieba (jieba-rs with the same default dictionary and HMM model).
//
// jieba-rs differs from Python in two places, both fixed here without re-segmenting:
// 1. Its HMM fallback splits non-Han runs with `[a-zA-Z0-9]+(?:.\d+)?%?` where Python's finalseg
//    has `\.`: "gme-71" stays whole in jieba-rs, Python yields "gme", "-", "71". Such a token is
//    re-split, together with the rest of its non-Han run, by Python's regex.
// 2. Its Han class also covers CJK Extension A/B+ and compatibility ideographs, which Python
//    (`[\u4E00-\u9FD5]`) treats as other characters and yields one by one. The text is cut
//    around those characters before it reaches jieba-rs.
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let jieba: Jieba | undefined;

/** One segmenter per process (loading the dictionary takes a few hundred ms). */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Han for jieba-rs but not for Python jieba (a superset is safe: Python yields them singly). */
const RUST_ONLY_HAN = /[\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/gu;

/** A token only jieba-rs's `.` (any character) can produce: alnum run, a non-"." symbol, digits. */
const RUST_SKIP_TOKEN = /^[a-zA-Z0-9]+[+#&_%-][0-9]+%?$/;
/** Cheap pre-check on the whole text for such a token. */
const MAY_HAVE_RUST_SKIP_TOKEN = /[a-zA-Z0-9][+#&_%-][0-9]/;
/** The non-Han characters of Python's re_han_default; an HMM non-Han run contains only these. */
const NON_HAN_BLOCK_CHARS = /^[a-zA-Z0-9+#&._%-]+$/;
/**
 * The entries of jieba's default dictionary without a Han character. They come from the
 * dictionary path, never from the HMM, so they end a non-Han HMM run.
 */
const NON_HAN_DICTIONARY_WORDS = new Set(['AT&T', 'C#', 'C++', 'c#', 'c++']);
/** Python finalseg's re_skip. */
const PY_SKIP = /[a-zA-Z0-9]+(?:\.[0-9]+)?%?/g;

/** Python `[x for x in re_skip.split(run) if x]`. */
function pySkipSplit(run: string, out: string[]): void {
  let last = 0;
  for (const m of run.matchAll(PY_SKIP)) {
    if (m.index > last) out.push(run.slice(last, m.index));
    out.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < run.length) out.push(run.slice(last));
}

/** Re-splits the non-Han HMM runs that jieba-rs's regex grouped differently from Python's. */
function fixHmmSkipTokens(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!RUST_SKIP_TOKEN.test(token)) {
      out.push(token);
      continue;
    }
    // Jieba-rs and Python agree up to this token; Python re-scans the rest of the run.
    let run = token;
    while (i + 1 < tokens.length && NON_HAN_BLOCK_CHARS.test(tokens[i + 1]!) && !NON_HAN_DICTIONARY_WORDS.has(tokens[i + 1]!)) {
      run += tokens[++i]!;
    }
    pySkipSplit(run, out);
  }
  return out;
}

function cutPiece(piece: string, out: string[]): void {
  if (piece.length === 0) return;
  const tokens = segmenter().cut(piece, true);
  for (const t of MAY_HAVE_RUST_SKIP_TOKEN.test(piece) ? fixHmmSkipTokens(tokens) : tokens) out.push(t);
}

/** The tokens of Python jieba 0.42.1's `jieba.cut(text, cut_all=False)`. */
export function pyJiebaCut(text: string): string[] {
  const out: string[] = [];
  let last = 0;
  for (const m of text.matchAll(RUST_ONLY_HAN)) {
    cutPiece(text.slice(last, m.index), out);
    out.push(m[0]);
    last = m.index + m[0].length;
  }
  cutPiece(last === 0 ? text : text.slice(last), out);
  return out;
}
