// The audit of one scored item: which flags of flags.ts its response raises, with the evidence.
// Pure and cheap: it reads what the scorer left in the trace (trace.ts) and scans only short
// stretches of text (the answer part, Math-Verify's window, the tail), never the whole response
// more than once.
import { CodeUnits } from '../codeUnits.js';
import { isPySpace, trimmedEnd } from '../text.js';
import { FRAGMENT_MAX_WORDS, FRAGMENT_MIN_SENTENCES, PADDING_FACTOR, PADDING_MIN_EXTRA, SUMMARY_LENGTH_RATIO, type AuditFinding, type AuditFlagName } from './flags.js';
import { ndcgScore } from '../scorers/ndcg.js';
import { pairwiseScore } from '../scorers/pairwise.js';
import { MIN_LOOP_CHARS, tailLoop } from './repetition.js';
import type { AuditTrace } from './trace.js';

const THINK_END = '</think>';
const QUOTE_CHARS = 80;

/** A short quotation of `s` for a message, whitespace runs shown as one space. */
function quote(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return `"${flat.length <= QUOTE_CHARS ? flat : flat.slice(0, QUOTE_CHARS - 1) + '…'}"`;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n < 1000 ? n : n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * Findings of the item being audited. One collector serves every item (auditing is synchronous
 * and most items raise nothing): no allocation unless something is found.
 */
class Findings {
  list: AuditFinding[] | undefined;
  add(flag: AuditFlagName, message: string, span?: [number, number]): void {
    (this.list ??= []).push(span ? { flag, message, span } : { flag, message });
  }
  /** The item's findings, leaving the collector empty for the next item. */
  take(): readonly AuditFinding[] {
    const list = this.list;
    this.list = undefined;
    return list ?? NONE;
  }
}

const NONE: readonly AuditFinding[] = Object.freeze([]);
const collector = new Findings();

// ---- LongBench-Pro line metrics ----------------------------------------------------------------

/**
 * Where the answer area starts in `text` (at the last [Answer], else [答案], else 0) and which
 * marker, from the area's length (the stripped text after the marker, which the scorer measured):
 * the area ends where the text's trailing whitespace begins and only whitespace separates it from
 * its marker, so stepping back over whitespace finds the marker without searching the text (two
 * lastIndexOf scans, which a flagged item of a long response paid over all of it).
 */
export function answerAreaStart(text: string, areaLength: number): { at: number; marker?: string } {
  let at = trimmedEnd(text) - areaLength;
  while (at > 0 && isPySpace(text.charCodeAt(at - 1))) at--;
  // [Answer] first: the area follows [答案] only when the text has no [Answer] at all.
  if (at >= 8 && text.startsWith('[Answer]', at - 8)) return { at: at - 8, marker: '[Answer]' };
  if (at >= 4 && text.startsWith('[答案]', at - 4)) return { at: at - 4, marker: '[答案]' };
  return { at: 0 };
}

/**
 * Whether the answer area starts before `thinkEnd`. The area (after the marker, stripped) runs to
 * the end of the text less its trailing whitespace, so it holds the </think> exactly when it
 * starts before it: its length decides, without looking for the marker again.
 */
function answerAreaInThink(text: string, thinkEnd: number, areaLength: number): boolean {
  return trimmedEnd(text, thinkEnd) - areaLength <= thinkEnd;
}

function checkAnswerAreaInThink(out: Findings, trace: AuditTrace, text: string, offset: number, thinkEnd: number): void {
  if (thinkEnd === -1 || trace.answerAreaLength === undefined || !answerAreaInThink(text, thinkEnd, trace.answerAreaLength)) return;
  const area = answerAreaStart(text, trace.answerAreaLength);
  if (area.marker) {
    out.add(
      'answer_in_think',
      `the last ${area.marker} is inside the think section (at character ${area.at}, before </think> at ${thinkEnd}): lines of the think section are read as answers`,
      [offset + area.at, offset + thinkEnd],
    );
  } else {
    out.add('answer_in_think', 'no [Answer] marker: the whole response, think section included, is read as answer lines', [offset, offset + thinkEnd]);
  }
}

/**
 * How many distinct values, counting no further than `limit` (a scan, no allocation, for the few
 * lines of an answer). Lengths are compared first: most distinct lines differ in length, and the
 * comparison then costs no call.
 */
function distinctUpTo(values: readonly string[], limit: number): number {
  if (values.length > 32) return Math.min(new Set(values).size, limit);
  let n = 0;
  next: for (let i = 0; i < values.length && n < limit; i++) {
    const v = values[i]!;
    for (let j = 0; j < i; j++) {
      const w = values[j]!;
      if (w.length === v.length && w === v) continue next;
    }
    n++;
  }
  return n;
}

/** Distinct values (lists are a few lines: a scan beats hashing up to about 32). */
function distinctValues(values: readonly string[], skipEmpty: boolean): string[] {
  const out: string[] = [];
  if (values.length > 32) {
    for (const v of new Set(values)) if (!(skipEmpty && v === '')) out.push(v);
    return out;
  }
  next: for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (skipEmpty && v === '') continue;
    for (let j = 0; j < out.length; j++) if (out[j] === v) continue next;
    out.push(v);
  }
  return out;
}

/** The repeated non-empty lines, as `"line" ×n`, in order of first appearance. */
function repeatedLines(lines: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const line of lines) if (line !== '') counts.set(line, (counts.get(line) ?? 0) + 1);
  return [...counts.entries()].filter(([, n]) => n > 1).map(([line, n]) => `${quote(line)} ×${n}`);
}

/** The answer area's span in the response (for a flag's evidence: computed only when one fires). */
function areaSpan(text: string, areaLength: number, offset: number, responseLength: number): [number, number] {
  return [offset + answerAreaStart(text, areaLength).at, responseLength];
}

function checkLines(out: Findings, scorer: string, score: number, trace: AuditTrace, text: string, offset: number): void {
  const { answers, predictions, answerAreaLength: areaLength } = trace;
  if (!answers || !predictions || areaLength === undefined) return;
  let nonEmpty = 0;
  for (let i = 0; i < predictions.length; i++) if (predictions[i]!.length !== 0) nonEmpty++;
  if (scorer === 'pairwise' && nonEmpty >= 2 && 2 * nonEmpty <= answers.length) {
    const n = predictions.length;
    out.add(
      'pairwise_short_list',
      `${plural(nonEmpty, 'answer line')} for ${plural(answers.length, 'reference')}: Pairwise_Accuracy divides by C(${n}, 2) = ${(n * (n - 1)) / 2}, not by the ${(answers.length * (answers.length - 1)) / 2} reference pairs`,
      areaSpan(text, areaLength, offset, trace.response.length),
    );
  }
  // Pairwise_Accuracy: the lines that are a reference's last occurrence, one per distinct
  // reference found, so at most as many as the distinct references.
  const lastOfReference = scorer === 'pairwise' ? lastOccurrenceBits(trace, predictions.length) : undefined;
  const foundReferences = lastOfReference === undefined ? 0 : bitCount(lastOfReference);
  if (nonEmpty >= PADDING_MIN_EXTRA + 1 && nonEmpty > PADDING_FACTOR * foundReferences) {
    // Padding needs distinct references <= maxRefs (distinct lines are at most the non-empty
    // ones): counting stops past that, so an ordinary list compares a few lines, not all pairs.
    // A Pairwise list of at most twice the references it found cannot be padded: not counted.
    const maxRefs = Math.min(Math.ceil(nonEmpty / PADDING_FACTOR) - 1, nonEmpty - PADDING_MIN_EXTRA);
    const refs = distinctUpTo(answers, maxRefs + 1);
    if (refs <= maxRefs && nonEmpty > PADDING_FACTOR * refs && nonEmpty >= refs + PADDING_MIN_EXTRA) {
      const lines = distinctValues(predictions, true);
      if (lines.length > PADDING_FACTOR * refs && lines.length >= refs + PADDING_MIN_EXTRA) {
        out.add('answer_list_padding', `${plural(lines.length, 'distinct answer line')} for ${plural(refs, 'distinct reference')}, e.g. ${lines.slice(0, 3).map(quote).join(', ')}`, areaSpan(text, areaLength, offset, trace.response.length));
      }
    }
  }
  if ((scorer === 'ndcg' || scorer === 'pairwise') && hasPayingRepeat(scorer, trace, answers, predictions, nonEmpty, lastOfReference)) {
    // Only where the repetition pays: read at first occurrences, the list must score lower.
    const firstOnly = firstOccurrences(predictions);
    const plain = scorer === 'ndcg' ? ndcgScore(answers, firstOnly).score : pairwiseScore(answers, firstOnly).score;
    if (score > plain) {
      const repeated = repeatedLines(predictions);
      out.add(
        'duplicate_answers',
        `repeated answer lines ${repeated.slice(0, 3).join(', ')}${repeated.length > 3 ? ', …' : ''}; with every line read at its first occurrence the list would score ${plain.toFixed(3)}, not ${score.toFixed(3)}`,
        areaSpan(text, areaLength, offset, trace.response.length),
      );
    }
  }
}

/**
 * Whether a line repeats where repeating can raise the score (the score is then compared with the
 * first-occurrence reading). NDCG: any non-empty line (a repeat moves a line down the ranking; the
 * scorer counted the distinct lines). Pairwise_Accuracy: a reference line (other repeats only add
 * prediction pairs, which lowers the score).
 */
function hasPayingRepeat(scorer: string, trace: AuditTrace, answers: readonly string[], predictions: readonly string[], nonEmpty: number, lastOfReference: number | undefined): boolean {
  if (scorer === 'ndcg') {
    if (trace.distinctLines === undefined) return false;
    return trace.distinctLines - (nonEmpty < predictions.length ? 1 : 0) < nonEmpty;
  }
  // Pairwise_Accuracy: a repeated reference line. Its last occurrence is one of lastOfReference,
  // and an earlier one is not (a line equal to a reference there would be that reference's last
  // occurrence): only pairs of an earlier line off those and a later one on them are compared,
  // about a third of all pairs on the bench's lists.
  if (trace.lastPositions === undefined) return false; // no pair was counted: fewer than two references or lines
  const n = predictions.length;
  if (lastOfReference !== undefined) {
    for (let k = 0; k < n; k++) {
      const line = predictions[k]!;
      if (lastOfReference & (1 << k) || line.length === 0) continue;
      for (let p = k + 1; p < n; p++) {
        if (lastOfReference & (1 << p) && predictions[p]!.length === line.length && predictions[p] === line) return true;
      }
    }
    return false;
  }
  const seen = new Set<string>();
  for (const line of predictions) {
    if (line !== '' && seen.has(line) && answers.includes(line)) return true;
    seen.add(line);
  }
  return false;
}

/**
 * Pairwise_Accuracy: the answer lines that are some reference's last occurrence (the scorer's
 * positions), as bits; undefined past 32 lines or when the scorer counted no pair. Distinct
 * positions hold distinct references (a reference has one last occurrence).
 */
function lastOccurrenceBits(trace: AuditTrace, lines: number): number | undefined {
  const positions = trace.lastPositions;
  if (positions === undefined || lines > 32) return undefined;
  let bits = 0;
  for (let i = 0; i < positions.length; i++) if (positions[i]! >= 0) bits |= 1 << positions[i]!;
  return bits;
}

/** The number of bits set in a 32-bit integer. */
function bitCount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** The lines without the later repeats of a non-empty line. */
function firstOccurrences(lines: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const line of lines) {
    if (line !== '' && seen.has(line)) continue;
    seen.add(line);
    out.push(line);
  }
  return out;
}

// ---- math_verify (and the math of retrieval_calculate) -----------------------------------------

/** Where the \boxed{ at `i` of `s` closes (the index after its balancing "}"), or -1 when it never does. */
function boxEnd(s: string, i: number): number {
  let depth = 1;
  let j = i + 7;
  for (; j < s.length && depth > 0; j++) {
    const c = s.charCodeAt(j);
    if (c === 0x7b) depth++;
    else if (c === 0x7d) depth--;
  }
  return depth === 0 ? j : -1;
}

/** Whether `s` has two complete \boxed{…} from `from` on (the usual one box costs no allocation). */
function hasTwoBoxes(s: string, from: number): boolean {
  let count = 0;
  for (let i = s.indexOf('\\boxed{', from); i !== -1; i = s.indexOf('\\boxed{', i + 1)) {
    const j = boxEnd(s, i);
    if (j === -1) return false; // unterminated: Math-Verify cannot read it either
    if (++count === 2) return true;
    i = j - 1;
  }
  return false;
}

/** The contents of the complete \boxed{…} in `s` from `from` on (braces balanced), each with its span. */
function boxedAnswers(s: string, from: number): { content: string; start: number; end: number }[] {
  const out: { content: string; start: number; end: number }[] = [];
  for (let i = s.indexOf('\\boxed{', from); i !== -1; i = s.indexOf('\\boxed{', i + 1)) {
    const j = boxEnd(s, i);
    if (j === -1) break; // unterminated: Math-Verify cannot read it either
    out.push({ content: s.slice(i + 7, j - 1), start: i, end: j });
    i = j - 1;
  }
  return out;
}

const withoutSpace = (s: string): string => s.replace(/\s+/g, '');

/** What each math scorer read, for answer_in_think's message. */
const MATH_READS: Readonly<Record<string, string>> = {
  math_verify: 'Math-Verify reads the last 500 code points, which include it',
  math_verify_metric: 'math_verify.compute_score gives Math-Verify the whole response',
  minerva: 'Minerva matching takes the last "Answer:" line of the last 500 code points, which include it',
};

/** Where the math window starts in the response (-1: not a stretch of it the scorer located, retrieval_calculate's block). */
function windowAt(trace: AuditTrace, offset: number): number {
  const at = trace.mathWindowAt ?? -1;
  return at >= 0 ? offset + at : -1;
}

/**
 * The last </think> in the math window (-1: none), not searched where it is known: none when the
 * scorer read only the final part (the text after the last </think>), and where the think gate
 * found it when the window is the end of the response. String#lastIndexOf runs in V8's runtime,
 * about 1 ns a character here: half a microsecond of a 500-code-point window, 3 % of a math item.
 */
function windowThinkEnd(window: string, trace: AuditTrace, offset: number): number {
  if (offset > 0) return -1;
  const at = trace.mathWindowAt ?? -1;
  if (at >= 0 && trace.thinkEnd !== undefined) return trace.thinkEnd >= at ? trace.thinkEnd - at : -1;
  return window.lastIndexOf(THINK_END);
}

function checkMath(out: Findings, scorer: string, trace: AuditTrace, text: string, offset: number): void {
  const window = trace.mathWindow;
  if (window === undefined) return;
  const thinkEnd = windowThinkEnd(window, trace, offset);
  const start = trace.mathAnswerStart ?? -1;
  const end = trace.mathAnswerEnd ?? -1;
  const reads = MATH_READS[scorer];
  if (reads !== undefined && end >= 0 && thinkEnd >= 0 && end <= thinkEnd) {
    const at = windowAt(trace, offset);
    const what = scorer === 'minerva' ? 'the last "Answer:" line' : 'the extracted answer';
    out.add('answer_in_think', `${what} ${quote(window.slice(start, end))} lies in the think section (${reads})`, at >= 0 ? [at + start, at + end] : undefined);
  }
  // Minerva compares the last Answer: line only; boxed answers and earlier lines are not read.
  if (scorer === 'minerva') return;
  const from = thinkEnd >= 0 ? thinkEnd + THINK_END.length : 0;
  if (!hasTwoBoxes(window, from)) return;
  const boxes = boxedAnswers(window, from);
  const seen: string[] = [];
  for (const b of boxes) {
    const key = withoutSpace(b.content);
    if (!seen.includes(key)) seen.push(key);
  }
  if (seen.length < 2) return;
  const at = windowAt(trace, offset);
  out.add(
    'multiple_final_answers',
    `${seen.length} different boxed answers${thinkEnd >= 0 ? ' after </think>' : ''} in the text Math-Verify read: ${seen.slice(0, 4).map((c) => `\\boxed{${c}}`).join(', ')}${seen.length > 4 ? ', …' : ''}`,
    at >= 0 ? [at + boxes[0]!.start, at + boxes[boxes.length - 1]!.end] : undefined,
  );
}

// ---- choice -------------------------------------------------------------------------------------

const PHRASE = 'The correct answer is ';

function checkChoice(out: Findings, trace: AuditTrace, text: string, offset: number, thinkEnd: number): void {
  const choice = trace.choice;
  if (!choice || choice.letters.length === 0) return;
  if (choice.letters.length >= 2) {
    const letters = [...choice.letters].join(', ');
    out.add('multiple_final_answers', `"The correct answer is" asserts ${choice.letters.length} different options before the answer is decided: ${letters}`);
  }
  if (thinkEnd === -1) return;
  // Positions are in the text without "*" (the scorer removes them first); </think> has none.
  const s = choice.starsRemoved ? text.replaceAll('*', '') : text;
  if (choice.deciding >= (choice.starsRemoved ? s.lastIndexOf(THINK_END) : thinkEnd)) return;
  const phraseEnd = choice.deciding + PHRASE.length + (choice.parenthesised ? 3 : 1);
  out.add(
    'answer_in_think',
    `the deciding ${quote(s.slice(choice.deciding, phraseEnd))} is in the think section (before </think>)`,
    choice.starsRemoved ? undefined : [offset + choice.deciding, offset + phraseEnd],
  );
}

// ---- iou ----------------------------------------------------------------------------------------

function checkIou(out: Findings, trace: AuditTrace, text: string, offset: number, thinkEnd: number): void {
  if (thinkEnd === -1) return;
  // The scorer's own search when it got that far (not for a gold it could not read).
  const open = trace.answerTagAt ?? text.indexOf('<answer>');
  if (open === -1 || open > thinkEnd) return;
  out.add('answer_in_think', `the first <answer> (read as the table) is in the think section, at character ${open}, before </think> at ${thinkEnd}`, [offset + open, offset + thinkEnd]);
}

// ---- Summary --------------------------------------------------------------------------------------

/** The last `marker` at or after `from`, found by forward searches (the engine's fast direction), or -1. */
function lastFrom(text: string, marker: string, from: number): number {
  let at = -1;
  for (let i = text.indexOf(marker, from); i !== -1; i = text.indexOf(marker, i + 1)) at = i;
  return at;
}

/**
 * Where the summary's answer part starts in `text` (it runs to the end): after the last </think>,
 * then after the last [Answer], else the last [答案], at or after it. One pass over the "[" finds
 * both markers (a summary has few or none): two searches for the markers read the whole answer
 * part twice, about 1.5 µs of a 300-word summary's audit.
 */
export function summaryAnswerStart(text: string, thinkEnd: number): number {
  const after = thinkEnd === -1 ? 0 : thinkEnd + THINK_END.length;
  let english = -1;
  let chinese = -1;
  for (let i = text.indexOf('[', after); i !== -1; i = text.indexOf('[', i + 1)) {
    if (text.startsWith('[Answer]', i)) english = i;
    else if (text.startsWith('[答案]', i)) chinese = i;
  }
  if (english !== -1) return english + '[Answer]'.length;
  return chinese === -1 ? after : chinese + '[答案]'.length;
}

interface PartStats {
  /** Non-whitespace characters. */
  chars: number;
  /** Sentences with at least one word, as ROUGE-L cuts them ("."). */
  sentences: number;
  /** Of those, the ones of at most FRAGMENT_MAX_WORDS whitespace-separated words... */
  short: number;
  /** ...where the first few start (an example is read only when flagged). */
  shortStarts: number[];
}

/** partStats' result: one object refilled per call (auditing an unflagged summary allocates nothing). */
const partStatsResult: PartStats = { chars: 0, sentences: 0, short: 0, shortStarts: [] };

/** The answer part's code units for partStats. */
const partUnits = new CodeUnits();

/** partStats' classes of a code unit: part of a word, Python whitespace, or ".". */
const WORD = 0;
const SPACE = 1;
const DOT = 2;
/** The class of each ASCII code unit (Python's ASCII whitespace: \t-\r, \x1c-\x1f and the space). */
const ASCII_CLASS = Uint8Array.from({ length: 0x80 }, (_, c) => (c === 0x2e ? DOT : (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) ? SPACE : WORD));

/**
 * One pass over text[start, end): its length and its sentences, as the two Summary flags need them.
 * Valid until the next call. This loop over a 300-word answer part was most of the audit's cost
 * on a summary: it reads a native copy of the part's code units (charCodeAt dispatches on the
 * string's representation at every call) and counts words without a branch per character
 * (one that changes direction at every word boundary is mispredicted there).
 */
export function partStats(text: string, start: number, end: number): PartStats {
  let chars = 0;
  let sentences = 0;
  let short = 0;
  const shortStarts = partStatsResult.shortStarts;
  shortStarts.length = 0;
  let words = 0;
  let inWord = 0;
  let sentenceStart = start;
  const codes = partUnits.load(text.slice(start, end));
  const n = end - start;
  for (let k = 0; k <= n; k++) {
    // k === n closes the last sentence.
    const c = k < n ? codes[k]! : 0x2e;
    const kind = c < 0x80 ? ASCII_CLASS[c]! : isPySpace(c) ? SPACE : WORD;
    if (kind === DOT) {
      if (k < n) chars++;
      if (words > 0) {
        sentences++;
        if (words <= FRAGMENT_MAX_WORDS) {
          short++;
          if (shortStarts.length < 4) shortStarts.push(sentenceStart);
        }
      }
      words = 0;
      inWord = 0;
      sentenceStart = start + k + 1;
      continue;
    }
    const inside = kind ^ 1; // 1 for a word's unit, 0 for whitespace
    chars += inside;
    words += inside & (inWord ^ 1);
    inWord = inside;
  }
  partStatsResult.chars = chars;
  partStatsResult.sentences = sentences;
  partStatsResult.short = short;
  return partStatsResult;
}

/** Non-whitespace characters of a normalised reference (whitespace folded to single spaces). */
function foldedChars(reference: string): number {
  let spaces = 0;
  for (let i = 0; i < reference.length; i++) if (reference.charCodeAt(i) === 0x20) spaces++;
  return reference.length - spaces;
}

function checkSummary(out: Findings, trace: AuditTrace, text: string, offset: number, thinkEnd: number): void {
  const start = summaryAnswerStart(text, thinkEnd);
  const end = text.length;
  const stats = partStats(text, start, end);
  const answers = trace.answers;
  if (answers && answers.length > 0) {
    const best = trace.bestReference !== undefined && trace.bestReference >= 0 ? trace.bestReference : 0;
    const folded = answers[best]!;
    const answer = stats.chars;
    // fold() leaves single spaces between words and none at the ends, so the reference's
    // non-space count lies in [length - floor((length - 1) / 2), length]: it is counted only when
    // the answer's count could be an outlier against some value in that range (counting a
    // 300-word reference per item was half the audit's cost on a summary).
    const most = folded.length;
    const least = most - Math.floor(Math.max(0, most - 1) / 2);
    const reference = answer * SUMMARY_LENGTH_RATIO < most || answer > SUMMARY_LENGTH_RATIO * least ? foldedChars(folded) : 0;
    if (reference > 0 && (answer * SUMMARY_LENGTH_RATIO < reference || answer > SUMMARY_LENGTH_RATIO * reference)) {
      out.add(
        'summary_length_outlier',
        `the answer part has ${plural(answer, 'character')}, the reference ${plural(reference, 'character')} (not counting whitespace; ratio ${(answer / reference).toFixed(2)}; ` +
          `flagged below 1/${SUMMARY_LENGTH_RATIO} and above ${SUMMARY_LENGTH_RATIO})`,
        [offset + start, offset + end],
      );
    }
  }
  if (stats.sentences >= FRAGMENT_MIN_SENTENCES && 2 * stats.short >= stats.sentences) {
    const examples = stats.shortStarts.map((at) => {
      const stop = text.indexOf('.', at);
      return quote(text.slice(at, stop === -1 ? end : stop));
    });
    out.add('summary_fragmented', `${stats.short} of the ${stats.sentences} sentences of the answer part have at most ${FRAGMENT_MAX_WORDS} words, e.g. ${examples.join(', ')}`, [offset + start, offset + end]);
  }
}

// ---- every item -----------------------------------------------------------------------------------

/** The last </think> in `s`, or -1, by forward searches (about half the time of lastIndexOf on a 1,300-character response). */
const lastThinkEnd = (s: string): number => lastFrom(s, THINK_END, 0);

function checkLoop(out: Findings, response: string, from: number): void {
  const loop = tailLoop(response, from);
  if (!loop) return;
  const length = loop.end - loop.start;
  out.add(
    'repetition_loop',
    `the response ends in ${plural(length, 'character')} repeating a unit of ${plural(loop.unit, 'character')} ${(length / loop.unit).toFixed(1)} times: ${quote(response.slice(loop.end - loop.unit, loop.end))}`,
    [loop.start, loop.end],
  );
}

/**
 * Whether an item leaves the audit nothing to check: its scorer's only flag is repetition_loop
 * (EM, flags.ts) and the text it scored is too short to end in a loop (the final part lies within
 * it). scoreItem asks before calling the audit: on a ~1 µs EM row the call was about half of the
 * audit's cost (in-process off/on rounds, em +10.7 → +5.2 %), for an answer of a few words.
 */
export function nothingToAudit(scorer: string, trace: AuditTrace): boolean {
  return scorer === 'em' && trace.text !== undefined && trace.text.length < MIN_LOOP_CHARS;
}

/**
 * The flags an item raises, among those of its scorer (flags.ts; a test holds the two together);
 * `score` is the reference's score, `trace` what the scorer left. An item the think gate scored 0 has no `trace.text` and is only checked for loops.
 */
export function auditTrace(scorer: string, score: number, trace: AuditTrace): readonly AuditFinding[] {
  const out = collector;
  out.list = undefined;
  const { response, text } = trace;
  // The response's final part starts after its last </think>. A scorer that read only that part
  // left it as `text`, which then has no </think>; else `text` is the response.
  let finalPart: number;
  if (text !== undefined && text.length < response.length) finalPart = response.length - text.length;
  else {
    const end = trace.thinkEnd ?? lastThinkEnd(response);
    finalPart = end === -1 ? 0 : end + THINK_END.length;
  }
  if (text !== undefined) {
    const offset = response.length - text.length;
    // The last </think> in what the scorer read.
    const thinkEnd = offset > 0 || finalPart === 0 ? -1 : finalPart - THINK_END.length;
    switch (scorer) {
      case 'accuracy':
        checkAnswerAreaInThink(out, trace, text, offset, thinkEnd);
        break;
      case 'f1':
      case 'subem':
      case 'ndcg':
      case 'pairwise': {
        checkAnswerAreaInThink(out, trace, text, offset, thinkEnd);
        checkLines(out, scorer, score, trace, text, offset);
        break;
      }
      case 'rouge_l':
        checkSummary(out, trace, text, offset, thinkEnd);
        break;
      case 'math_verify':
      case 'math_verify_metric':
      case 'minerva':
      case 'retrieval_calculate':
        checkMath(out, scorer, trace, text, offset);
        break;
      case 'choice':
        checkChoice(out, trace, text, offset, thinkEnd);
        break;
      case 'iou':
        checkIou(out, trace, text, offset, thinkEnd);
        break;
    }
  }
  checkLoop(out, response, finalPart); // every scorer
  return out.take();
}
