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
import { cutHanBlockFrom, dictTrie, isHanDefault, type BlockSink } from './jiebaDag.js';
import { LruCache } from './lruCache.js';
import { CodeUnits } from './codeUnits.js';
import { isPySpace } from './text.js';

let jieba: Jieba | undefined;

/** One segmenter per process (loading the dictionary takes a few hundred ms). */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Han for jieba-rs but not for Python jieba (a superset is safe: Python yields them singly). */
const RUST_ONLY_HAN = /[\u3400-\u4DBF\u9FD6-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/gu;

let loaded = false;

/**
 * Loads jieba-rs's dictionary and the trie of jiebaDag.ts unless done already; returns the
 * milliseconds that took (0 once loaded). Scorers add it to the item's deadline: loading is a
 * thread's one-time cost, not the item's (workers load both while warming up).
 */
export function loadJiebaDictionaries(): number {
  if (loaded) return 0;
  const start = performance.now();
  segmenter();
  dictTrie();
  loaded = true;
  return performance.now() - start;
}

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

/** jieba-rs's tokens of `piece` (no character outside Python's Han class in it), Python's way. */
function rustTokens(piece: string): string[] {
  const tokens = segmenter().cut(piece, true);
  return MAY_HAVE_RUST_SKIP_TOKEN.test(piece) ? fixHmmSkipTokens(tokens) : tokens;
}

function cutPiece(piece: string, out: string[]): void {
  if (piece.length === 0) return;
  for (const t of rustTokens(piece)) out.push(t);
}

/**
 * The tokens of Python jieba 0.42.1's `jieba.cut(text, cut_all=False)`: @node-rs/jieba on the
 * whole text. The plain path; pyJiebaJoin is the fast one.
 */
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

// The text being cut and its tokens so far, reused across calls: ends[k] >= 0 ends a token
// (nodes[k] its trie node, or -1); ends[k] = -(u + 1) stands for the tokens of distinct piece u,
// which jieba-rs segments.
let ends = new Int32Array(1 << 12);
let nodes = new Int32Array(1 << 12);
let count = 0;
function pushEnd(at: number, node: number): void {
  if (count === ends.length) {
    const grownEnds = new Int32Array(ends.length * 2);
    grownEnds.set(ends);
    ends = grownEnds;
    const grownNodes = new Int32Array(nodes.length * 2);
    grownNodes.set(nodes);
    nodes = grownNodes;
  }
  ends[count] = at;
  nodes[count++] = node;
}

let current = '';
/**
 * The current text's code units and a 0 after them (so that looking one unit ahead needs no
 * bounds check): every pass here and in jiebaDag.ts reads them instead of calling charCodeAt.
 */
const textUnits = new CodeUnits();
let units: Uint16Array = new Uint16Array(0);
/** Distinct pieces of the current text: [start, end) of their first occurrence, by piece number. */
let pieceStart: number[] = [];
let pieceEnd: number[] = [];
/** Open addressing over the distinct pieces: piece number + 1 where pieceStamp matches. */
let pieceSlots = new Int32Array(1 << 10);
let pieceStamps = new Int32Array(1 << 10);
let pieceStamp = 1;

/** The piece number of text[start, end) in this call, found by its characters (no substring). */
function pieceNumber(start: number, end: number): number {
  const codes = units;
  let hash = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ codes[i]!, 0x01000193);
  const mask = pieceSlots.length - 1;
  for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
    if (pieceStamps[slot] !== pieceStamp) {
      const number = pieceStart.length;
      pieceStart.push(start);
      pieceEnd.push(end);
      pieceSlots[slot] = number + 1;
      pieceStamps[slot] = pieceStamp;
      if (2 * pieceStart.length > pieceSlots.length) rehashPieces();
      return number;
    }
    const number = pieceSlots[slot]! - 1;
    const s0 = pieceStart[number]!;
    if (pieceEnd[number]! - s0 !== end - start) continue;
    let k = 0;
    while (k < end - start && codes[s0 + k] === codes[start + k]) k++;
    if (k === end - start) return number;
  }
}

function rehashPieces(): void {
  const codes = units;
  pieceSlots = new Int32Array(pieceSlots.length * 2);
  pieceStamps = new Int32Array(pieceSlots.length);
  pieceStamp = 1;
  const mask = pieceSlots.length - 1;
  for (let number = 0; number < pieceStart.length; number++) {
    let hash = 0x811c9dc5 | 0;
    for (let i = pieceStart[number]!; i < pieceEnd[number]!; i++) hash = Math.imul(hash ^ codes[i]!, 0x01000193);
    let slot = hash & mask;
    while (pieceStamps[slot] === pieceStamp) slot = (slot + 1) & mask;
    pieceSlots[slot] = number + 1;
    pieceStamps[slot] = pieceStamp;
  }
}

/** text[start, end) is segmented by jieba-rs: a marker for its distinct piece. */
function pushPiece(start: number, end: number): void {
  pushEnd(-(pieceNumber(start, end) + 1), -1);
}

/** Python finalseg's re_han, `[\u4E00-\u9FD5]`. */
const isHan = (c: number): boolean => c >= 0x4e00 && c <= 0x9fd5;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isAlnum = (c: number): boolean => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);

/**
 * The ends of `[x for x in re_skip.split(text[start, end)) if x]`, finalseg's split of a non-Han
 * part (re_skip `[a-zA-Z0-9]+(?:\.\d+)?%?`; the part holds only re_han_default's ASCII, so \d is
 * [0-9]): each match is a token, and so is what lies between two matches.
 */
function pushSkipSplit(start: number, end: number): void {
  const codes = units;
  let i = start;
  while (i < end) {
    if (!isAlnum(codes[i]!)) {
      do i++;
      while (i < end && !isAlnum(codes[i]!));
      pushEnd(i, -1);
      continue;
    }
    do i++;
    while (i < end && isAlnum(codes[i]!));
    if (i + 1 < end && codes[i]! === 0x2e && isDigit(codes[i + 1]!)) {
      i += 2;
      while (i < end && isDigit(codes[i]!)) i++;
    }
    if (i < end && codes[i]! === 0x25) i++;
    pushEnd(i, -1);
  }
}

/**
 * finalseg.cut of the HMM run text[start, end): re_han splits it into Han and other parts. A
 * non-Han part is split by re_skip, a single Han character is a token (a one-character Viterbi
 * path is E or S), and only Han parts of two or more characters need the HMM, which jieba-rs runs
 * on them alone (as it would inside the run: such a part is a run of single characters there too,
 * by the same margins). Half the distinct runs of the bench's think sections hold digits (24个,
 * 于1986年在): cut this way, jieba-rs sees a tenth of the characters it saw with whole runs, and
 * jieba-rs's cost is per token it returns. A mixed run whose
 * Han part is a dictionary word goes to jieba-rs whole: alone, jieba-rs would keep that part as a
 * word instead of handing it to the HMM.
 */
function cutHmmRun(start: number, end: number): void {
  const text = current;
  const codes = units;
  const t = dictTrie();
  let han = 0;
  for (let i = start; i < end; i++) if (isHan(codes[i]!)) han++;
  if (han === end - start) return pushPiece(start, end);
  for (let i = start; i < end; ) {
    if (!isHan(codes[i]!)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < end && isHan(codes[j]!)) j++;
    if (j - i > 1 && t.isWord(text, i, j)) return pushPiece(start, end);
    i = j;
  }
  for (let i = start; i < end; ) {
    const c = codes[i]!;
    let j = i + 1;
    if (isHan(c)) {
      while (j < end && isHan(codes[j]!)) j++;
      if (j - i === 1) pushEnd(j, t.charNode(c));
      else pushPiece(i, j);
    } else {
      while (j < end && !isHan(codes[j]!)) j++;
      pushSkipSplit(i, j);
    }
    i = j;
  }
}

const sink: BlockSink = { end: pushEnd, hmm: cutHmmRun, rust: pushPiece };

/**
 * Token lengths of the pieces jieba-rs segmented for this thread: Han parts of HMM runs (two or
 * three characters that are no dictionary word, such as 好的 or 我对; a long response has
 * thousands, mostly the same few hundred), the rare mixed runs sent whole, near-tie blocks. What
 * jieba-rs makes of a piece depends on it alone.
 */
const pieceCache = new LruCache<readonly number[]>(16_384, 32, 'response');

/**
 * Token lengths of each distinct piece of the current text: from the cache, else from one
 * jieba-rs call over the missing pieces joined by "\n", a non-Han character, so that each piece
 * is a block of its own there, segmented as it would be alone (a call per piece cost more than
 * all the rest: a 32k-character response has ~2,000 HMM runs).
 */
function segmentPieces(): (readonly number[])[] {
  const lengths: (readonly number[])[] = [];
  const missing: number[] = [];
  const keys: string[] = [];
  for (let u = 0; u < pieceStart.length; u++) {
    const key = current.slice(pieceStart[u], pieceEnd[u]);
    keys.push(key);
    const hit = pieceCache.peek(key);
    if (hit) lengths.push(hit);
    else {
      lengths.push([]);
      missing.push(u);
    }
  }
  if (missing.length === 0) return lengths;
  let k = 0;
  let into = lengths[missing[0]!] as number[];
  for (const token of rustTokens(missing.map((u) => keys[u]!).join('\n'))) {
    if (token !== '\n') into.push(token.length);
    else into = lengths[missing[++k]!] as number[];
  }
  for (const u of missing) pieceCache.set(keys[u]!, lengths[u]!);
  return lengths;
}

/**
 * A text cut into tokens: token k is text[ends[k - 1], ends[k]) (ends[-1] = 0); nodes[k] is the
 * trie node spelling it, or the trie's node count + its code unit for a one-unit token outside
 * the Han class other than whitespace, or -1. Equal tokens have equal keys (below `nodeLimit`),
 * and a keyed token holds no "." and no whitespace.
 */
export interface Segmented {
  text: string;
  ends: Int32Array;
  count: number;
  nodes: Int32Array;
  nodeLimit: number;
  /** The text's code units (codes[i] = text.charCodeAt(i)), valid until the next call. */
  codes: Uint16Array;
}

/**
 * The tokens of `pyJiebaCut(text)` as end offsets, computed in JavaScript but for the HMM
 * (jiebaDag.ts). Characters outside Python's Han class are tokens of their own, as in Python's cut
 * (a surrogate pair is one character, "\r\n" one token). The arrays are reused by the next call.
 */
export function pyJiebaSegment(text: string): Segmented {
  count = 0;
  current = text;
  const codes = (units = textUnits.load(text));
  pieceStart = [];
  pieceEnd = [];
  if (++pieceStamp === 0x7fffffff) {
    pieceStamps.fill(0);
    pieceStamp = 1;
  }
  const n = text.length;
  // A one-unit token outside the Han class (，。、 and the like) is keyed too, by its code unit
  // after the trie's nodes, so that ROUGE-L interns it without hashing it again; so is a
  // one-character token of jieba-rs (的 in 中的: a quarter of a response's tokens), by its trie
  // node when it has one. A key stands for one string; one string may have two keys.
  const t = dictTrie();
  const unitKey = t.nodes;
  for (let i = 0; i < n; ) {
    const c = codes[i]!;
    if (isHanDefault(c)) i = cutHanBlockFrom(text, codes, i, sink);
    else {
      const next = codes[i + 1]!; // the 0 after the text at the end
      if ((c === 0x0d && next === 0x0a) || (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff)) pushEnd((i += 2), -1);
      else pushEnd(++i, isPySpace(c) ? -1 : unitKey + c); // ("." is in the Han class: a block's)
    }
  }
  if (pieceStart.length > 0) {
    // Each piece's marker becomes its tokens' ends. The arrays are module variables: read
    // through locals, this copy of every token is a few instructions each instead of ~100.
    const lengths = segmentPieces();
    const srcEnds = ends;
    const srcNodes = nodes;
    const marked = count;
    let total = marked;
    for (let k = 0; k < marked; k++) {
      const e = srcEnds[k]!;
      if (e < 0) total += lengths[-e - 1]!.length - 1;
    }
    if (resolvedEnds.length < total) {
      resolvedEnds = new Int32Array(Math.max(total, resolvedEnds.length * 2));
      resolvedNodes = new Int32Array(resolvedEnds.length);
    }
    const dstEnds = resolvedEnds;
    const dstNodes = resolvedNodes;
    let w = 0;
    for (let k = 0; k < marked; k++) {
      const e = srcEnds[k]!;
      if (e >= 0) {
        dstNodes[w] = srcNodes[k]!;
        dstEnds[w++] = e;
        continue;
      }
      let prev = w > 0 ? dstEnds[w - 1]! : 0;
      const piece = lengths[-e - 1]!;
      for (let p = 0; p < piece.length; p++) {
        const len = piece[p]!; // (an index, not for-of: the iterator's try/finally slowed the whole loop)
        prev += len;
        // A piece holds no whitespace, but a near-tie block may hold a "." (ROUGE-L's splits).
        const c = codes[prev - 1]!;
        dstNodes[w] = len !== 1 || c === 0x2e ? -1 : t.charNode(c) >= 0 ? t.charNode(c) : unitKey + c;
        dstEnds[w++] = prev;
      }
    }
    resolvedEnds = srcEnds;
    resolvedNodes = srcNodes;
    ends = dstEnds;
    nodes = dstNodes;
    count = total;
  }
  current = '';
  return { text, ends, count, nodes, nodeLimit: unitKey + 0x10000, codes };
}

let resolvedEnds = new Int32Array(1 << 12);
let resolvedNodes = new Int32Array(1 << 12);

/** `tokens.join(" ")` of a segmentation. */
export function joinSegmented({ text, ends, count }: Segmented): string {
  const parts = new Array<string>(count);
  let prev = 0;
  for (let k = 0; k < count; k++) {
    parts[k] = text.slice(prev, ends[k]);
    prev = ends[k]!;
  }
  return parts.join(' ');
}

/** `pyJiebaCut(text).join(" ")`: what LongBench-Pro's Chinese ROUGE-L scores. */
export function pyJiebaJoin(text: string): string {
  return joinSegmented(pyJiebaSegment(text));
}
