// py-rouge's ROUGE-L (package `rouge` 1.0.1, rouge_l_summary_level with default settings), as
// LongBench-Pro's Summary metric uses it: the maximum F over the references.
//
// It is not Lin's textbook ROUGE-L. Texts are split into sentences on "."; for every
// (reference sentence, hypothesis sentence) pair one LCS is reconstructed from the DP table
// (walking back from the end: equal words go diagonal, else up only when the cell above is
// strictly greater than the cell to the left, else left) and its words are added to a set;
// llcs is that set's size, m and n count distinct words. The reference walks recursively, so a
// walk longer than the Python stack allows raises and the item scores 0; we reproduce that.
//
// Speed: words are interned to integer ids, and each LCS table is computed 32 cells at a time
// (Hyyrö's bit-parallel rows: bit j-1 of row i is 0 exactly when T[i][j] = T[i][j-1] + 1).
// The walk needs nothing else: when the words differ, T[i][j] = max(up, left) and up is
// T[i][j] or T[i][j]-1, so "up > left" holds exactly when T[i][j-1] = T[i][j] - 1.
// The union is a set, so the order of sentence pairs does not change llcs; hypothesis sentences
// are the outer loop so their match masks are built once.
import { checkDeadline, ScoreFailure, type ScoreContext } from '../types.js';
import { CodeUnits } from '../codeUnits.js';
import { isPySpace } from '../text.js';

/**
 * Longest reconstruction walk (moves) the reference survives: Python's default recursion limit
 * is 1000 frames and the reference's callers use about 15 of them.
 */
export const RECURSION_WALK_LIMIT = 985;

export type RougeFailureReason = 'hypothesis_empty' | 'reference_empty' | 'reference_recursion_limit';

export interface RougeFailure {
  reason: RougeFailureReason;
  /** Index of the reference the reference implementation was scoring when it raised. */
  reference: number;
  /** For a recursion failure, the sentence pair whose walk overflowed (details only). */
  pair?: { referenceSentence: number; hypothesisSentence: number; referenceWords: number; hypothesisWords: number };
}

export interface RougeLPair {
  llcs: number;
  /** Distinct words of the reference. */
  m: number;
  /** Distinct words of the hypothesis. */
  n: number;
  f: number;
}

/** What the texts were made of, for the reward debugger (built only when details are asked for). */
export interface RougeLExplanation {
  /** The hypothesis's sentences, each a list of words (jieba tokens for Chinese). */
  hypothesisSentences: string[][];
  /** Per reference, its sentences as lists of words. */
  referenceSentences: string[][][];
  /** Per reference, the union-LCS word set whose size is llcs, in order of first appearance in the hypothesis. */
  lcsWords: string[][];
}

export interface RougeLMaxResult {
  score: number;
  /** One entry per reference (empty when the reference implementation raised). */
  references: RougeLPair[];
  /** Index of the first reference with the maximum F (-1 when none was scored). */
  best: number;
  failure?: RougeFailure;
  explanation?: RougeLExplanation;
}

/** A text as py-rouge sees it: word ids, sentence by sentence. */
interface Tokenized {
  words: Int32Array;
  /** sentenceStart[s]..sentenceStart[s+1] are the words of sentence s. */
  sentenceStart: Int32Array;
  sentences: number;
}

/** Character classes while tokenizing: 0 a word's character, 1 Python whitespace, 2 ".". */
const CHAR_CLASS = new Uint8Array(0x10000);
for (let c = 0; c <= 0x3000; c++) if (isPySpace(c)) CHAR_CLASS[c] = 1;
CHAR_CLASS[0x2e] = 2;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** The code units of the text being tokenized (see CodeUnits). */
const textUnits = new CodeUnits();

/**
 * Interns words to dense ids straight from the code units (hash while scanning, compare units
 * with the first occurrence's copy), so a repeated word costs no substring and no Map lookup.
 * Reused across calls.
 */
class WordInterner {
  private slots = new Int32Array(1 << 12); // id + 1 where stamp matches, open addressing
  private stamps = new Int32Array(1 << 12);
  private stamp = 1;
  /** Every interned word's code units, end to end. */
  private pool = new Uint16Array(1 << 14);
  private poolLength = 0;
  private startOf = new Int32Array(1 << 10);
  private lengthOf = new Int32Array(1 << 10);
  private hashOf = new Int32Array(1 << 10);
  size = 0;

  reset(): void {
    this.size = 0;
    this.poolLength = 0;
    if (++this.stamp === 0x7fffffff) {
      this.stamps.fill(0);
      this.stamp = 1;
    }
  }

  /** The text of word `id` (details only). */
  word(id: number): string {
    const start = this.startOf[id]!;
    const end = start + this.lengthOf[id]!;
    let out = '';
    for (let at = start; at < end; at += 4096) out += String.fromCharCode(...this.pool.subarray(at, Math.min(end, at + 4096)));
    return out;
  }

  /** The id of codes[start..end) (`hash` its FNV-1a hash, computed by the caller while scanning). */
  intern(codes: Uint16Array, start: number, end: number, hash: number): number {
    const length = end - start;
    const mask = this.slots.length - 1;
    const pool = this.pool;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      if (this.stamps[slot] !== this.stamp) return this.insert(slot, codes, start, length, hash);
      const id = this.slots[slot]! - 1;
      if (this.hashOf[id] !== hash || this.lengthOf[id] !== length) continue;
      const other = this.startOf[id]! - start;
      let k = start;
      while (k < end && pool[other + k] === codes[k]) k++;
      if (k === end) return id;
    }
  }

  private insert(slot: number, codes: Uint16Array, start: number, length: number, hash: number): number {
    const id = this.size++;
    if (id === this.startOf.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.startOf = grow(this.startOf);
      this.lengthOf = grow(this.lengthOf);
      this.hashOf = grow(this.hashOf);
    }
    if (this.poolLength + length > this.pool.length) {
      const pool = new Uint16Array(Math.max(this.poolLength + length, 2 * this.pool.length));
      pool.set(this.pool.subarray(0, this.poolLength));
      this.pool = pool;
    }
    const pool = this.pool;
    for (let k = 0, at = this.poolLength; k < length; k++) pool[at + k] = codes[start + k]!; // no subarray to allocate
    this.startOf[id] = this.poolLength;
    this.poolLength += length;
    this.lengthOf[id] = length;
    this.hashOf[id] = hash;
    this.slots[slot] = id + 1;
    this.stamps[slot] = this.stamp;
    if (this.size * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    this.stamps = new Int32Array(this.slots.length);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = this.hashOf[id]! & mask;
      while (this.stamps[slot] === this.stamp) slot = (slot + 1) & mask;
      this.slots[slot] = id + 1;
      this.stamps[slot] = this.stamp;
    }
  }
}

const interner = new WordInterner();

/** Growable buffers for one text's word ids and sentence starts (copied out at the end). */
let wordBuffer = new Int32Array(1 << 12);
let startBuffer = new Int32Array(1 << 10);

function tokenized(words: number, sentences: number): Tokenized {
  startBuffer[sentences] = words;
  return { words: wordBuffer.slice(0, words), sentenceStart: startBuffer.slice(0, sentences + 1), sentences };
}

/**
 * A text cut into tokens, standing for the tokens joined by single spaces (what LongBench-Pro's
 * Chinese ROUGE-L scores: `" ".join(jieba.cut(text))`), without building that string: token k is
 * text[ends[k - 1], ends[k]) (ends[-1] = 0).
 */
export interface SpacedTokens {
  text: string;
  ends: Int32Array;
  count: number;
  /**
   * Optional identity of each token: tokens with the same key >= 0 (below keyLimit) are the same
   * string, which holds no "." and no whitespace (jieba's dictionary words); -1 when unknown. A
   * keyed token is interned once per call instead of hashed and compared at every occurrence.
   */
  keys?: Int32Array;
  /** Keys are below this (not needed here: kept for callers that have it). */
  keyLimit?: number;
  /** The text's code units (codes[i] = text.charCodeAt(i)) when the caller has them: saves copying them again. */
  codes?: Uint16Array;
}

/**
 * Interned id of each token key seen in the current call: an open-addressing table of
 * (key + 1, id) pairs, 0 empty. The keys are trie nodes spread over half a million; a table by
 * key would cost a cache miss per token, this one stays within the L2 cache.
 */
let keyTable = new Int32Array(2 << 12);
let keyShift = 32 - 12; // the table has 2^(32 - keyShift) slots
let keyCount = 0;

function growKeyTable(): void {
  const old = keyTable;
  keyTable = new Int32Array(2 * old.length);
  keyShift--;
  for (let at = 0; at < old.length; at += 2) {
    if (old[at] === 0) continue;
    let slot = Math.imul(old[at]!, 0x9e3779b1) >>> keyShift;
    while (keyTable[2 * slot] !== 0) slot = (slot + 1) & ((keyTable.length >>> 1) - 1);
    keyTable[2 * slot] = old[at]!;
    keyTable[2 * slot + 1] = old[at + 1]!;
  }
}

/**
 * tokenize() of the tokens joined by spaces, reading the text once: the joining spaces end words
 * and count toward a sentence's length as the real ones do, and every word lies within one token,
 * so it is interned straight from the text.
 */
function tokenizeSpaced({ text, ends, count, keys, codes: given }: SpacedTokens): Tokenized {
  const units = text.length;
  const codes = given ?? textUnits.load(text);
  if (keys && keyCount > 0) {
    keyTable.fill(0); // (the table keeps its largest size; filling it costs less than a token)
    keyCount = 0;
  }
  // A word takes at least one unit, a "" sentence a unit or a joining space; a sentence ends at a "." or the end.
  wordBuffer = grown(wordBuffer, 2 * units + count + 2, (n) => new Int32Array(n));
  startBuffer = grown(startBuffer, units + 2, (n) => new Int32Array(n));
  const ids = wordBuffer;
  const starts = startBuffer;
  let words = 0;
  let sentences = 0;
  let sentenceChars = 0; // characters of the current sentence, joining spaces included
  let sentenceStart = 0; // its first word's index in `ids`
  let i = 0;
  // The key table in locals (the loop's hottest path; refreshed when the table grows). Its slot
  // index stays below 2^31 (keyShift >= 1), so `| 0` keeps it a small integer for the compiler.
  let table = keyTable;
  let mask = (table.length >>> 1) - 1;
  let shift = keyShift;
  for (let k = 0; k < count; k++) {
    if (keys) {
      // Keyed tokens already interned in this call whose key sits in its first slot (most
      // tokens of a long Chinese response), in a loop of their own: V8 optimises only innermost
      // loops by peeling their first iteration, which lets it check each array's map once
      // instead of at every token. Any other token goes through the general path below.
      for (; k < count; k++) {
        const key = keys[k]!;
        const end = ends[k]!;
        if (key < 0 || end <= i) break;
        const at = ((Math.imul(key + 1, 0x9e3779b1) >>> shift) | 0) << 1;
        if (table[at] !== key + 1) break;
        ids[words++] = table[at + 1]!;
        sentenceChars += end - i + (k > 0 ? 1 : 0); // the word and the joining space before it
        i = end;
      }
      if (k === count) break;
    }
    if (k > 0) sentenceChars++; // the joining space (words never span it: a word ends with its token)
    const end = ends[k]!;
    const key = keys ? keys[k]! : -1;
    if (key >= 0 && end > i) {
      // A whole word, seen before in this call or interned now.
      const tag = key + 1;
      let at = ((Math.imul(tag, 0x9e3779b1) >>> shift) | 0) << 1;
      let stored = table[at]!;
      while (stored !== tag && stored !== 0) {
        at = (at + 2) & (2 * mask + 1);
        stored = table[at]!;
      }
      if (stored !== 0) ids[words++] = table[at + 1]!;
      else {
        let h = FNV_OFFSET;
        for (let j = i; j < end; j++) h = Math.imul(h ^ codes[j]!, FNV_PRIME);
        const id = interner.intern(codes, i, end, h);
        table[at] = tag;
        table[at + 1] = id;
        ids[words++] = id;
        if (++keyCount * 2 > mask) {
          growKeyTable();
          table = keyTable;
          mask = (table.length >>> 1) - 1;
          shift = keyShift;
        }
      }
      sentenceChars += end - i;
      i = end;
      continue;
    }
    let wordStart = -1;
    let hash = 0;
    for (; i < end; i++) {
      const c = codes[i]!;
      const kind = CHAR_CLASS[c]!;
      if (kind === 0) {
        if (wordStart < 0) {
          wordStart = i;
          hash = FNV_OFFSET;
        }
        hash = Math.imul(hash ^ c, FNV_PRIME);
        sentenceChars++;
        continue;
      }
      if (wordStart >= 0) {
        ids[words++] = interner.intern(codes, wordStart, i, hash);
        wordStart = -1;
      }
      if (kind === 1) sentenceChars++;
      else {
        if (sentenceChars > 0) {
          starts[sentences++] = sentenceStart;
          if (words === sentenceStart) ids[words++] = interner.intern(codes, 0, 0, FNV_OFFSET);
        }
        sentenceChars = 0;
        sentenceStart = words;
      }
    }
    if (wordStart >= 0) ids[words++] = interner.intern(codes, wordStart, end, hash);
  }
  if (sentenceChars > 0) {
    starts[sentences++] = sentenceStart;
    if (words === sentenceStart) ids[words++] = interner.intern(codes, 0, 0, FNV_OFFSET);
  }
  return tokenized(words, sentences);
}

/**
 * `[" ".join(s.split()) for s in text.split(".") if len(s) > 0]`, each sentence then split on
 * " " (Python whitespace rules): a sentence of only spaces is the single word "". The text is one
 * token, which tokenizeSpaced reads exactly so.
 */
const wholeText = new Int32Array(1);
function tokenize(text: string): Tokenized {
  wholeText[0] = text.length;
  return tokenizeSpaced({ text, ends: wholeText, count: 1 });
}

// Buffers reused across calls (they only grow): bit rows, match masks, per-word-id scratch.
let rows = new Uint32Array(1 << 14);
let masks = new Uint32Array(1 << 12);
let maskSlot = new Int32Array(1 << 12); // word id -> 1 + its mask slot in the current sentence
let marks = new Uint8Array(1 << 12);

/** `buffer`, or a larger zeroed one (contents are not kept: callers size before filling). */
function grown<T extends Uint32Array | Int32Array | Uint8Array>(buffer: T, size: number, make: (n: number) => T): T {
  return buffer.length >= size ? buffer : make(Math.max(size, buffer.length * 2));
}

function distinctWords(words: Int32Array): number {
  let count = 0;
  for (const id of words) {
    if (marks[id] === 0) {
      marks[id] = 1;
      count++;
    }
  }
  for (const id of words) marks[id] = 0;
  return count;
}

/** Whether a tokenized text has a sentence short enough for the reconstruction walk to succeed. */
function hasShortSentence(t: { sentenceStart: Int32Array; sentences: number }): boolean {
  for (let i = 0; i < t.sentences; i++) if (t.sentenceStart[i + 1]! - t.sentenceStart[i]! <= RECURSION_WALK_LIMIT) return true;
  return false;
}

/** Most 32-bit words of match masks for one hypothesis sentence (distinct words × positions / 32): 256 MiB. */
const MAX_MASK_WORDS = 1 << 26;

/**
 * Builds the match masks of hypothesis sentence y[y0..y0+b) (one bit per position), for the words
 * some reference has (`inReference[id]` is 1): unionLcs reads the masks of a reference sentence's
 * words only, and a hypothesis word no reference has would only fill rows nobody reads.
 */
function buildMasks(y: Int32Array, y0: number, b: number, width: number, inReference: Uint8Array): number {
  maskIds = grown(maskIds, b, (n) => new Int32Array(n));
  const ids = maskIds;
  let count = 0;
  for (let j = 0; j < b; j++) {
    const id = y[y0 + j]!;
    if (maskSlot[id] === 0 && inReference[id] === 1) {
      ids[count++] = id;
      maskSlot[id] = count;
    }
  }
  // One mask row per distinct word, not per position: a long sentence of few words stays small.
  const size = count * width;
  if (size > MAX_MASK_WORDS) {
    for (let k = 0; k < count; k++) maskSlot[ids[k]!] = 0;
    throw new ScoreFailure(
      'input_too_large',
      `ROUGE-L: a summary sentence of ${b} words with ${count} distinct words that a reference has is too large to compare (limit ${MAX_MASK_WORDS * 32} word-position pairs)`,
    );
  }
  masks = grown(masks, size, (n) => new Uint32Array(n));
  masks.fill(0, 0, size);
  for (let j = 0; j < b; j++) {
    const slot = maskSlot[y[y0 + j]!]!;
    if (slot > 0) masks[(slot - 1) * width + (j >>> 5)]! |= 1 << (j & 31);
  }
  return count;
}

/** The words buildMasks gave masks to, in its slot order (maskIds[0..count)). */
let maskIds = new Int32Array(1 << 10);

/** Word id -> 1 when some reference has the word (set for one call). */
let inReference = new Uint8Array(1 << 12);

/** Units of work (see rougeLMax) between two reads of the clock. */
const WORK_PER_DEADLINE_CHECK = 1 << 16;

let rowOf = new Int32Array(1 << 10); // row i of the table -> its stored row (repeats are shared)

/** Highest set bit at a position <= p of `bits(w)` over words 0..p>>>5, or -1. */
function highestStop(r: Uint32Array, row: number, m: Uint32Array, mask: number, p: number): number {
  for (let w = p >>> 5; w >= 0; w--) {
    let bits = ~r[row + w]! | (mask >= 0 ? m[mask + w]! : 0);
    if (w === p >>> 5) bits &= 0xffffffff >>> (31 - (p & 31));
    if (bits !== 0) return w * 32 + 31 - Math.clz32(bits);
  }
  return -1;
}

/**
 * One sentence pair: computes the bit rows of LCS(x, y), walks back and marks the words taken in
 * `marks` (offset `markBase`). Returns the number of newly marked words, or -1 when the walk is
 * longer than RECURSION_WALK_LIMIT.
 */
function unionLcs(x: Int32Array, x0: number, a: number, y: Int32Array, y0: number, b: number, width: number, markBase: number): number {
  // The walk ends when i or j reaches 0 and each move lowers them by at most 1 each.
  if (a > RECURSION_WALK_LIMIT && b > RECURSION_WALK_LIMIT) return -1;
  if (rows.length < (a + 1) * width) rows = new Uint32Array(Math.max((a + 1) * width, rows.length * 2));
  if (rowOf.length < a + 1) rowOf = new Int32Array(Math.max(a + 1, rowOf.length * 2));
  const r = rows;
  const m = masks;
  const slots = maskSlot;
  const seen = marks;
  // The walk only takes words common to x and y. When all of them are already in the union
  // (or there are none) it can add nothing, and when it is too short to overflow it can be
  // skipped. Without a common word every cell is 0 and the walk goes left b times.
  let common = 0;
  let fresh = false;
  for (let i = 0; i < a; i++) {
    const word = x[x0 + i]!;
    if (slots[word]! > 0) {
      common++;
      if (seen[markBase + word] === 0) fresh = true;
    }
  }
  if (common === 0) return b > RECURSION_WALK_LIMIT ? -1 : 0;
  if (!fresh && a + b <= RECURSION_WALK_LIMIT) return 0;
  for (let w = 0; w < width; w++) r[w] = 0xffffffff;
  rowOf[0] = 0;
  let stored = 0;
  for (let i = 1; i <= a; i++) {
    const slot = slots[x[x0 + i - 1]!]! - 1;
    if (slot < 0) {
      // A word absent from y leaves the row unchanged.
      rowOf[i] = rowOf[i - 1]!;
      continue;
    }
    const prev = rowOf[i - 1]!;
    const row = ++stored * width;
    rowOf[i] = row;
    const mask = slot * width;
    let carry = 0;
    for (let w = 0; w < width; w++) {
      const v = r[prev + w]!;
      const u = (v & m[mask + w]!) >>> 0;
      const sum = v + u + carry;
      carry = sum > 0xffffffff ? 1 : 0;
      r[row + w] = sum | (v & ~u);
    }
  }
  let added = 0;
  let i = a;
  let j = b;
  let moves = 0;
  while (i > 0 && j > 0) {
    const word = x[x0 + i - 1]!;
    // Skip the run of left moves at once: they end at the first column (going left) where the
    // words are equal (diagonal) or the row does not grow (up).
    const stop = highestStop(r, rowOf[i]!, m, (slots[word]! - 1) * width, j - 1);
    moves += j - 1 - stop; // left moves (to column 0 when there is no stop)
    if (stop < 0) return moves > RECURSION_WALK_LIMIT ? -1 : added;
    if (++moves > RECURSION_WALK_LIMIT) return -1; // the diagonal or up move
    j = stop + 1;
    if (word === y[y0 + j - 1]) {
      if (seen[markBase + word] === 0) {
        seen[markBase + word] = 1;
        added++;
      }
      i--;
      j--;
    } else i--;
  }
  return added;
}

/**
 * Where each hypothesis word occurs in a reference: the reference's sentences containing word w
 * (w < the hypothesis's vocabulary size) are postings[start[w]..start[w + 1]], ascending; and all
 * sentences longest first (those a walk could overflow with a given hypothesis sentence lead).
 */
interface ReferenceIndex {
  start: Int32Array;
  postings: Int32Array;
  lengths: Int32Array;
  longest: Int32Array;
}

let sentenceStamp = new Int32Array(1 << 10);
let stamp = 0;

function nextStamp(size: number): number {
  if (sentenceStamp.length < size) sentenceStamp = new Int32Array(Math.max(size, sentenceStamp.length * 2));
  if (++stamp === 0x7fffffff) {
    sentenceStamp.fill(0);
    stamp = 1;
  }
  return stamp;
}

function indexReference(ref: Tokenized, hypVocab: number): ReferenceIndex {
  const start = new Int32Array(hypVocab + 1);
  const lengths = new Int32Array(ref.sentences);
  // Count each word once per sentence (a word's last sentence is kept in `seenIn`, offset by 1).
  const seenIn = new Int32Array(hypVocab);
  for (let s = 0; s < ref.sentences; s++) {
    lengths[s] = ref.sentenceStart[s + 1]! - ref.sentenceStart[s]!;
    for (let i = ref.sentenceStart[s]!; i < ref.sentenceStart[s + 1]!; i++) {
      const w = ref.words[i]!;
      if (w < hypVocab && seenIn[w] !== s + 1) {
        seenIn[w] = s + 1;
        start[w + 1]!++;
      }
    }
  }
  for (let w = 0; w < hypVocab; w++) start[w + 1]! += start[w]!;
  const postings = new Int32Array(start[hypVocab]!);
  const fill = start.slice(0, hypVocab);
  seenIn.fill(0);
  for (let s = 0; s < ref.sentences; s++) {
    for (let i = ref.sentenceStart[s]!; i < ref.sentenceStart[s + 1]!; i++) {
      const w = ref.words[i]!;
      if (w < hypVocab && seenIn[w] !== s + 1) {
        seenIn[w] = s + 1;
        postings[fill[w]!++] = s;
      }
    }
  }
  const longest = Int32Array.from(lengths.keys()).sort((p, q) => lengths[q]! - lengths[p]!);
  return { start, postings, lengths, longest };
}

let candidateBuffer = new Int32Array(1 << 10);

/**
 * The reference sentences worth pairing with a hypothesis sentence of `b` words (its distinct
 * words some reference has, ids[0..idCount)), into candidateBuffer ascending (their count is
 * returned): those containing one of its words not yet in the reference's union (the
 * others would add nothing, marks only grow), and those with a + b over the walk limit (their
 * walk may fail). Valid for b <= RECURSION_WALK_LIMIT.
 */
function sentencesToPair(index: ReferenceIndex, ids: Int32Array, idCount: number, seen: Uint8Array, markBase: number, b: number): number {
  const n = index.lengths.length;
  const mark = nextStamp(n);
  if (candidateBuffer.length < n) candidateBuffer = new Int32Array(Math.max(n, candidateBuffer.length * 2));
  const out = candidateBuffer;
  let count = 0;
  const { start, postings } = index;
  for (let k = 0; k < idCount; k++) {
    const w = ids[k]!;
    if (seen[markBase + w] !== 0) continue;
    for (let p = start[w]!; p < start[w + 1]!; p++) {
      const s = postings[p]!;
      if (sentenceStamp[s] !== mark) {
        sentenceStamp[s] = mark;
        out[count++] = s;
      }
    }
  }
  for (let k = 0; k < index.longest.length; k++) {
    const s = index.longest[k]!;
    if (index.lengths[s]! + b <= RECURSION_WALK_LIMIT) break;
    if (sentenceStamp[s] !== mark) {
      sentenceStamp[s] = mark;
      out[count++] = s;
    }
  }
  if (count > 32) out.subarray(0, count).sort();
  else {
    // Usually a few: an insertion sort allocates nothing.
    for (let k = 1; k < count; k++) {
      const s = out[k]!;
      let at = k;
      for (; at > 0 && out[at - 1]! > s; at--) out[at] = out[at - 1]!;
      out[at] = s;
    }
  }
  return count;
}

/**
 * Max over references of py-rouge's ROUGE-L F of `hypothesis`. Any failure of the reference
 * implementation (empty hypothesis or reference, recursion overflow) makes the score 0, as
 * LongBench-Pro's bare `except` does for the whole item; `failure` names the one Python meets
 * first.
 */
export function rougeLMax(hypothesis: string | SpacedTokens, references: readonly string[], ctx?: ScoreContext): RougeLMaxResult {
  interner.reset();
  const hyp = typeof hypothesis === 'string' ? tokenize(hypothesis) : tokenizeSpaced(hypothesis);
  const hypVocab = interner.size; // the hypothesis's words have the ids below this
  const fail = (reason: RougeFailureReason, reference: number): RougeLMaxResult => ({ score: 0, references: [], best: -1, failure: { reason, reference } });
  if (hyp.sentences === 0) return fail('hypothesis_empty', 0);
  const refs = references.map(tokenize);
  // Python meets an empty reference when it reaches it, after a recursion failure in an
  // earlier reference; a failure is ranked by (reference, sentence), empty ones first.
  let firstFailure = Number.POSITIVE_INFINITY;
  let firstReason: RougeFailureReason = 'reference_empty';
  let failedHypothesisSentence = -1;
  const emptyRef = refs.findIndex((t) => t.sentences === 0);
  if (emptyRef >= 0) firstFailure = emptyRef * 2 ** 26;

  const vocab = interner.size;
  maskSlot = grown(maskSlot, vocab, (n) => new Int32Array(n));
  marks = grown(marks, vocab * (refs.length + 1), (n) => new Uint8Array(n));
  const llcs = new Array<number>(refs.length).fill(0);
  const indexes = refs.map((ref) => indexReference(ref, hypVocab));
  inReference = grown(inReference, vocab, (size) => new Uint8Array(size));
  for (const ref of refs) for (const id of ref.words) inReference[id] = 1;
  // The deadline is read (performance.now) once per about WORK_PER_DEADLINE_CHECK units of work:
  // a word of a hypothesis sentence, a 32-bit word of a table row.
  let work = 0;
  const spend = (units: number): void => {
    work += units;
    if (work > WORK_PER_DEADLINE_CHECK) {
      work = 0;
      if (ctx) checkDeadline(ctx);
    }
  };

  let idCount = 0; // maskIds[0..idCount) hold mask slots to clear
  let lcsWords: string[][] = [];
  try {
    for (let h = 0; h < hyp.sentences; h++) {
      const y0 = hyp.sentenceStart[h]!;
      const b = hyp.sentenceStart[h + 1]! - y0;
      const width = (b + 31) >>> 5;
      // A pair whose both sentences are over the walk limit fails without its table: no masks needed.
      if (b > RECURSION_WALK_LIMIT && !refs.some((ref) => hasShortSentence(ref))) {
        // ...and the first pair in Python's order (reference 0, sentence 0) already overflows.
        if (firstFailure > 1) {
          firstFailure = 1;
          firstReason = 'reference_recursion_limit';
          failedHypothesisSentence = h;
        }
        break;
      }
      spend(b);
      idCount = buildMasks(hyp.words, y0, b, width, inReference);
      spend(idCount * width);
      for (let ri = 0; ri < refs.length; ri++) {
        const ref = refs[ri]!;
        const markBase = vocab * (ri + 1);
        const pair = (sentence: number): boolean => {
          const rank = ri * 2 ** 26 + sentence + 1;
          if (rank >= firstFailure) return false; // Python raises at an earlier or the same pair
          const x0 = ref.sentenceStart[sentence]!;
          spend((ref.sentenceStart[sentence + 1]! - x0) * width);
          const got = unionLcs(ref.words, x0, ref.sentenceStart[sentence + 1]! - x0, hyp.words, y0, b, width, markBase);
          if (got < 0) {
            firstFailure = rank;
            firstReason = 'reference_recursion_limit';
            failedHypothesisSentence = h;
          } else llcs[ri]! += got;
          return true;
        };
        if (b > RECURSION_WALK_LIMIT) {
          // Every pair can fail its walk: all of them, in order.
          for (let sentence = 0; sentence < ref.sentences; sentence++) if (!pair(sentence)) break;
          continue;
        }
        // Only the pairs that can change anything, in order: a sentence with a word of this
        // hypothesis sentence not yet in the union (else unionLcs adds nothing), or long enough
        // for the walk to overflow.
        const candidates = sentencesToPair(indexes[ri]!, maskIds, idCount, marks, markBase, b);
        for (let k = 0; k < candidates; k++) if (!pair(candidateBuffer[k]!)) break;
      }
      for (let k = 0; k < idCount; k++) maskSlot[maskIds[k]!] = 0;
      idCount = 0;
    }
    if (ctx?.details && firstFailure === Number.POSITIVE_INFINITY) lcsWords = refs.map((_, ri) => markedWords(vocab, vocab * (ri + 1)));
  } finally {
    // The scratch buffers must be clean for the next call, even after a timeout.
    for (let k = 0; k < idCount; k++) maskSlot[maskIds[k]!] = 0;
    marks.fill(0, vocab, vocab * (refs.length + 1));
    inReference.fill(0, 0, vocab);
  }
  if (firstFailure !== Number.POSITIVE_INFINITY) {
    const failed = fail(firstReason, Math.floor(firstFailure / 2 ** 26));
    if (ctx?.details && firstReason === 'reference_recursion_limit') {
      const ref = refs[failed.failure!.reference]!;
      const s = (firstFailure % 2 ** 26) - 1;
      const sentenceWords = (t: Tokenized, k: number) => t.sentenceStart[k + 1]! - t.sentenceStart[k]!;
      failed.failure!.pair = {
        referenceSentence: s,
        hypothesisSentence: failedHypothesisSentence,
        referenceWords: sentenceWords(ref, s),
        hypothesisWords: sentenceWords(hyp, failedHypothesisSentence),
      };
    }
    if (ctx?.details) failed.explanation = explain(hyp, refs, []);
    return failed;
  }

  const n = hypVocab; // every word interned while tokenizing the hypothesis is one of its words
  const scored = refs.map((ref, ri): RougeLPair => {
    const m = distinctWords(ref.words);
    const recall = llcs[ri]! / m;
    const precision = llcs[ri]! / n;
    return { llcs: llcs[ri]!, m, n, f: 2.0 * ((precision * recall) / (precision + recall + 1e-8)) };
  });
  let best = -1;
  for (let r = 0; r < scored.length; r++) if (best < 0 || scored[r]!.f > scored[best]!.f) best = r;
  const result: RougeLMaxResult = { score: best < 0 ? 0 : scored[best]!.f, references: scored, best };
  if (ctx?.details) result.explanation = explain(hyp, refs, lcsWords);
  return result;
}

/** The words marked at `markBase` (one reference's union), in word-id order: first appearance in the hypothesis. */
function markedWords(vocab: number, markBase: number): string[] {
  const out: string[] = [];
  for (let id = 0; id < vocab; id++) if (marks[markBase + id] === 1) out.push(interner.word(id));
  return out;
}

function sentencesOf(t: Tokenized): string[][] {
  const out: string[][] = [];
  for (let s = 0; s < t.sentences; s++) {
    const words: string[] = [];
    for (let w = t.sentenceStart[s]!; w < t.sentenceStart[s + 1]!; w++) words.push(interner.word(t.words[w]!));
    out.push(words);
  }
  return out;
}

function explain(hyp: Tokenized, refs: readonly Tokenized[], lcsWords: string[][]): RougeLExplanation {
  return { hypothesisSentences: sentencesOf(hyp), referenceSentences: refs.map(sentencesOf), lcsWords };
}
