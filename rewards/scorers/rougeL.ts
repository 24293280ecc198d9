// py-rouge's ROUGE-L (package `rouge` 1.0.1, rouge_l_summary_level with default settings), as
// LongBench-Pro's Summary metric uses it: the maximum F over the references.
//
// It is not Lin's textbook ROUGE-L. Texts are split into sentences on "."; for every
// (reference sentence, hypothesis sentence) pair one LCS is reconstructed from the DP table
// (walking back from the end: equal words go diagonal, else up only when the cell above is
// strictly greater, else left) and its words are added to a set; llcs is that set's size and
// m, n count distinct words. The reference walks recursively, so a walk longer than the Python
// stack allows raises and the item scores 0; we reproduce that with a step limit.
//
// Speed: words are interned to integer ids per call and every sentence pair reuses one flat
// Uint16Array table (an LCS never exceeds RECURSION_WALK_LIMIT here, see below).
import { checkDeadline, type ScoreContext } from '../types.js';
import { pySplit } from '../text.js';

/**
 * Longest reconstruction walk (moves) the reference survives: Python's default recursion limit
 * is 1000 frames and the reference's callers use about 15 of them.
 */
export const RECURSION_WALK_LIMIT = 985;

export type RougeFailureReason = 'hypothesis_empty' | 'reference_empty' | 'reference_recursion_limit';

export interface RougeFailure {
  reason: RougeFailureReason;
  /** Index of the reference being scored when the reference implementation raised. */
  reference: number;
}

export interface RougeLPair {
  llcs: number;
  /** Distinct words of the reference. */
  m: number;
  /** Distinct words of the hypothesis. */
  n: number;
  f: number;
}

export interface RougeLMaxResult {
  score: number;
  /** One entry per reference scored before any failure. */
  references: RougeLPair[];
  /** Index of the first reference with the maximum F (-1 when none was scored). */
  best: number;
  failure?: RougeFailure;
}

/** A text as py-rouge sees it: word ids, sentence by sentence. */
interface Tokenized {
  words: Int32Array;
  /** sentenceStart[s]..sentenceStart[s+1] are the words of sentence s. */
  sentenceStart: Int32Array;
  sentences: number;
}

/**
 * `[" ".join(s.split()) for s in text.split(".") if len(s) > 0]`, each sentence then split on
 * " ": a sentence of only spaces is the single word "".
 */
function tokenize(text: string, vocabulary: Map<string, number>): Tokenized {
  const ids: number[] = [];
  const starts: number[] = [];
  for (const piece of text.split('.')) {
    if (piece.length === 0) continue;
    starts.push(ids.length);
    const words = pySplit(piece);
    if (words.length === 0) words.push('');
    for (const w of words) {
      let id = vocabulary.get(w);
      if (id === undefined) {
        id = vocabulary.size;
        vocabulary.set(w, id);
      }
      ids.push(id);
    }
  }
  starts.push(ids.length);
  return { words: Int32Array.from(ids), sentenceStart: Int32Array.from(starts), sentences: starts.length - 1 };
}

// Reused across calls (never shrinks): the LCS table and per-word-id marks.
let table = new Uint16Array(1 << 16);
let marks = new Uint8Array(1 << 12);

function ensureMarks(vocabularySize: number): void {
  if (marks.length < vocabularySize) marks = new Uint8Array(Math.max(vocabularySize, marks.length * 2));
}

function distinctWords(t: Tokenized): number {
  let count = 0;
  for (const id of t.words) {
    if (marks[id] === 0) {
      marks[id] = 1;
      count++;
    }
  }
  for (const id of t.words) marks[id] = 0;
  return count;
}

/**
 * Adds the reconstructed LCS of x (reference sentence) and y (hypothesis sentence) to the union
 * marks. Returns the number of newly marked words, or -1 when the walk exceeds the limit.
 */
function unionLcs(words: Int32Array, x0: number, a: number, hyp: Int32Array, y0: number, b: number, added: number[]): number {
  // The walk ends when i or j reaches 0 and each move lowers one of them by at most 1.
  if (a > RECURSION_WALK_LIMIT && b > RECURSION_WALK_LIMIT) return -1;
  const width = b + 1;
  const size = (a + 1) * width;
  if (table.length < size) table = new Uint16Array(Math.max(size, table.length * 2));
  const t = table;
  t.fill(0, 0, width);
  for (let i = 1; i <= a; i++) {
    const xi = words[x0 + i - 1]!;
    const row = i * width;
    const prev = row - width;
    t[row] = 0;
    let left = 0;
    for (let j = 1; j <= b; j++) {
      let v: number;
      if (hyp[y0 + j - 1] === xi) v = t[prev + j - 1]! + 1;
      else {
        const up = t[prev + j]!;
        v = up > left ? up : left;
      }
      t[row + j] = v;
      left = v;
    }
  }
  let newlyMarked = 0;
  let i = a;
  let j = b;
  let moves = 0;
  while (i > 0 && j > 0) {
    if (++moves > RECURSION_WALK_LIMIT) return -1;
    const xi = words[x0 + i - 1]!;
    if (xi === hyp[y0 + j - 1]) {
      if (marks[xi] === 0) {
        marks[xi] = 1;
        added.push(xi);
        newlyMarked++;
      }
      i--;
      j--;
    } else if (t[(i - 1) * width + j]! > t[i * width + j - 1]!) i--;
    else j--;
  }
  return newlyMarked;
}

/**
 * Max over references of py-rouge's ROUGE-L F of `hypothesis`. Any failure of the reference
 * implementation (empty hypothesis or reference, recursion overflow) makes the score 0, as
 * LongBench-Pro's bare `except` does for the whole item.
 */
export function rougeLMax(hypothesis: string, references: readonly string[], ctx?: ScoreContext): RougeLMaxResult {
  const vocabulary = new Map<string, number>();
  const hyp = tokenize(hypothesis, vocabulary);
  const scored: RougeLPair[] = [];
  const fail = (reason: RougeFailureReason, reference: number): RougeLMaxResult => ({
    score: 0,
    references: scored,
    best: -1,
    failure: { reason, reference },
  });
  if (hyp.sentences === 0) return fail('hypothesis_empty', 0);

  let n = -1;
  const added: number[] = [];
  for (let r = 0; r < references.length; r++) {
    const ref = tokenize(references[r]!, vocabulary);
    if (ref.sentences === 0) return fail('reference_empty', r);
    ensureMarks(vocabulary.size);
    if (n < 0) n = distinctWords(hyp);
    const m = distinctWords(ref);
    let llcs = 0;
    let overflow = false;
    for (let s = 0; s < ref.sentences && !overflow; s++) {
      if (ctx) checkDeadline(ctx);
      const x0 = ref.sentenceStart[s]!;
      const a = ref.sentenceStart[s + 1]! - x0;
      for (let h = 0; h < hyp.sentences; h++) {
        const y0 = hyp.sentenceStart[h]!;
        const got = unionLcs(ref.words, x0, a, hyp.words, y0, hyp.sentenceStart[h + 1]! - y0, added);
        if (got < 0) {
          overflow = true;
          break;
        }
        llcs += got;
      }
    }
    for (const id of added) marks[id] = 0;
    added.length = 0;
    if (overflow) return fail('reference_recursion_limit', r);
    const recall = llcs / m;
    const precision = llcs / n;
    const f = 2.0 * ((precision * recall) / (precision + recall + 1e-8));
    scored.push({ llcs, m, n, f });
  }
  let best = -1;
  for (let r = 0; r < scored.length; r++) if (best < 0 || scored[r]!.f > scored[best]!.f) best = r;
  return { score: best < 0 ? 0 : scored[best]!.f, references: scored, best };
}
