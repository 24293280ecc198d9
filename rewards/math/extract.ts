// Port of Math-Verify 0.8.0 `parse()` with its default configuration
// [LatexExtractionConfig(), ExprExtractionConfig()], fallback_mode="first_match",
// extraction_mode="any_match": regex candidates grouped by priority; within a group the
// rightmost match is tried first; the first candidate that converts to an expression wins,
// and the first non-empty matched string is appended as a fallback.

import { type ScoreContext, checkDeadline } from '../types.js';
import { asciiDigits, ANY, D, DOT, END, S, PY_S_BODY, ci } from './pyRegex.js';
import { normalizeLatex } from './normalize.js';
import { latexToTree, UnsupportedLatex } from './latexParser.js';
import { resetEvalBudget } from './evaluate.js';
import { parsePythonArithmetic } from './exprParser.js';
import { type Node, PCT } from './nodes.js';
import { makeFiniteSet } from './latexParser.js';
import { LruCache } from '../lruCache.js';

type Kind = 'latex' | 'expr';

/** A LaTeX capture of a pattern: its group number and what its name says. */
interface LatexGroup {
  index: number;
  /** The `{prefix}_percent` group number of the same alternative (0 when absent). */
  percent: number;
  /** `latexBoxed`: only the last \boxed is kept in normalisation. */
  boxed: boolean;
}

interface Pattern {
  /**
   * The reference's regex, compiled sticky, with its named groups turned into plain numbered ones
   * (V8 builds a `groups` object on every match, which for the big alternations cost more than the
   * match itself). It is only tried where `starts` allows a match to begin.
   */
  re: RegExp;
  /** The reference's source, names included (tests compare the two forms). */
  source: string;
  /** Group number of each name. */
  group: Readonly<Record<string, number>>;
  priority: number;
  kind: Kind;
  /**
   * Regex whose match positions include every position where `re` could start (a necessary
   * condition on the first characters; only the index is used). Scanning with it and trying
   * `re` only there is equivalent to Python's finditer, and much cheaper than letting the large
   * alternations run everywhere. It consumes rather than looks ahead: V8 scans a leading
   * lookahead position by position, several times slower.
   */
  starts: RegExp;
  /** Cheap necessary condition on the whole text. */
  need?: (text: TextView) => boolean;
  /** LaTeX groups in definition order: [first_latex*, next1_latex*, ..., next5_latex*]. */
  latexGroups: LatexGroup[][];
}

const NAMED_GROUP = /\(\?<([A-Za-z0-9_]+)>/g;

function pattern(source: string, priority: number, kind: Kind, startsSource: string, need?: Pattern['need']): Pattern {
  const names = [...source.matchAll(NAMED_GROUP)].map((m) => m[1]!);
  const plain = source.replace(NAMED_GROUP, '(');
  // Numbering by order of appearance holds only if every capturing group is a named one.
  const captures = new RegExp(`${plain}|`, 'u').exec('')!.length - 1;
  if (captures !== names.length) throw new Error(`pattern has ${captures} capturing groups but ${names.length} names`);
  const group: Record<string, number> = Object.create(null);
  names.forEach((name, i) => (group[name] = i + 1));
  const latexGroups = ['first_latex', 'next1_latex', 'next2_latex', 'next3_latex', 'next4_latex', 'next5_latex'].map((pre) =>
    names
      .filter((n) => n.startsWith(pre))
      .map((n): LatexGroup => ({ index: group[n]!, percent: group[`${n.split('_')[0]}_percent`] ?? 0, boxed: n.endsWith('_latexBoxed') })),
  );
  return { re: new RegExp(plain, 'uy'), source, group, priority, kind, starts: new RegExp(startsSource, 'gu'), need, latexGroups };
}

// Characters Python's IGNORECASE folds onto ASCII letters of "final answer"; when present,
// the lower-cased substring test is not a safe prefilter.
const EXOTIC_FOLDS = /[\u017f\u212a\u0130\u0131]/u;
/** The text with what the prefilters need, computed once per parse. */
interface TextView {
  text: string;
  lower: string;
  exoticFolds: boolean;
}
const containsWord =
  (word: string) =>
  (t: TextView): boolean =>
    t.lower.includes(word) || t.exoticFolds;
const hasFinalAnswer = containsWord('final answer');
const hasAnswer = containsWord('answer');
const hasBoxed = (t: TextView): boolean => t.text.includes('\\boxed{');
const hasHope = (t: TextView): boolean => t.text.includes('I hope') && hasFinalAnswer(t);

const FINAL_ANSWER_START = ci('final answer');
const ANSWER_START = ci('answer');

// ---- LaTeX patterns (lazy_latex_regex) ----

function latexEnvPattern(prefix: string, boxed: boolean): string {
  const percent = `(?<${prefix}percent>(?:\\\\?%|[Pp]ercent|[Pp]ercentage|[Pp]ct))`;
  let dd = '(?:[^$]|\\$(?!\\$))';
  let db = '(?:[^\\\\]|\\\\(?!\\]))';
  let id = '(?:\\\\[$]|[^\\n$])';
  let ip = '(?:[^\\\\\\n]|\\\\(?!\\)))';
  let ib = '[^\\n\\]\\[]';
  if (boxed) {
    const wrap = (c: string): string => `${c}*?\\\\boxed\\{${c}+?\\}${c}*?`;
    dd = wrap(dd);
    db = wrap(db);
    id = wrap(id);
    ip = wrap(ip);
    ib = wrap(ib);
  } else {
    dd += '+?';
    db += '+?';
    id += '+?';
    ip += '+?';
    ib += '+?';
  }
  const patterns = [
    `(?<!\\\\)\\$\\$(?<${prefix}latexDisplayDollar>${dd})(?<!\\\\)\\$\\$`,
    `(?<!\\\\)\\\\\\[(?<${prefix}latexDisplayBracket>${db})(?<!\\\\)\\\\\\]`,
    `(?<!\\\\|${D})\\$(?<${prefix}latexInlineDollar>${id})(?<!\\\\)\\$`,
    `(?<!\\\\)\\\\\\((?<${prefix}latexInlineParenthesis>${ip})(?<!\\\\)\\\\\\)`,
    `${S}\\[(?<${prefix}latexInlineBracket>${ib})\\]${S}`,
  ];
  if (!boxed) {
    const simpleNumber = `-?${D}+(?:[.,]${D}+)?`;
    patterns.push(`(?<${prefix}latexFraction>-?\\\\frac\\{${simpleNumber}\\}\\{${simpleNumber}\\})`);
  }
  return `(?:(?:${patterns.join('|')})${S}*${percent}?)`;
}

function latexPatterns(): Pattern[] {
  const first = latexEnvPattern('first_', false);
  let next = '';
  for (let i = 1; i <= 5; i++) next += `(?:${S}*(?:,?and|,?or|,)${S}*${latexEnvPattern(`next${i}_`, false)})?`;
  const L = `(?:${first}${next})`;
  const answer = ci('answer');
  const out: Pattern[] = [
    pattern(`${ci('final answer is')}:?${S}*${L}\\.?${S}?I hope`, 0, 'latex', FINAL_ANSWER_START, hasHope),
    pattern(`${ci('final answer')}${ANY}{0,100}?${S}+is:?${S}*${L}`, 50, 'latex', FINAL_ANSWER_START, hasFinalAnswer),
    pattern(`${answer}:${ANY}{0,50}?${L}`, 100, 'latex', ANSWER_START, hasAnswer),
    pattern(`${answer}${ANY}{0,50}?${L}`, 200, 'latex', ANSWER_START, hasAnswer),
    pattern(L, 300, 'latex', `[$\\\\-]|${S}\\[`),
  ];
  let boxedNext = '';
  for (let i = 1; i <= 5; i++) {
    boxedNext += `${S}*(?:${S}*(?:,?and|,?or|,)${S}*${latexEnvPattern(`next${i}_`, true)})?`;
  }
  out.push(pattern(`${latexEnvPattern('first_', true)}${boxedNext}`, 50, 'latex', `[$\\\\]|${S}\\[`, hasBoxed));
  out.push(pattern(`(?<first_latexBoxed>\\\\boxed\\{${ANY}+\\})`, 50, 'latex', '\\\\boxed\\{', hasBoxed));
  return out;
}

// ---- Plain expression patterns (lazy_expr_regex) ----

function exprPatterns(): Pattern[] {
  const number =
    `(?<!${D})(?:` +
    `(?<integer1>-?[1-9]${D}{0,2}(?:[ ,]${D}{3})+)(?<decimal1>\\.${D}+)?|` +
    `(?<integer2>-?${D}+)(?<decimal2>[.,]${D}+)|` +
    `(?<decimal3>\\.${D}+)|` +
    `(?<integer3>-?${D}+)` +
    `)(?<percent>${S}*(?:%|[Pp]ercent|${S}*[Pp]ercentage|${S}*[Pp]ct))?`;
  const ops = '+\\-*×/^()÷';
  const chars = `[\\p{Nd}.${PY_S_BODY}${ops}]`;
  const expr = `(?<expr>-?\\(?-?${D}${chars}*[${ops}]${chars}+\\)?)`;
  const currency = '[$€£¥₹₽₪₩₫฿₡₢₣₤₥₦₧₨₭₮₯₰₱₲₳₴₵₶₷₸₺₻₼₾₿]';
  const prefix = `(?:^|${S}|=)(?:\\*\\*)?`;
  const suffix = `(?:\\*\\*)?(?:\\.|,|:|${S}|\\)|\\$|${END})`;
  const exprWithAnchors = `(?:${prefix}${expr}${suffix})`;
  const numberWithAnchors = `(?:${prefix}${currency}?${number})`;
  const eon = `(?:${exprWithAnchors}|${numberWithAnchors})`;
  const answer = ci('answer');
  // Where the anchored forms can start: the anchor, then (past optional "**", sign, bracket or
  // currency) a digit or a decimal point before one. Most whitespace is not followed by a number.
  const anchor = `(?:^|[${PY_S_BODY}=])(?:\\*\\*)?`;
  const exprStart = `${anchor}-?\\(?-?${D}`;
  const numberStart = `${anchor}${currency}?-?\\.?${D}`;
  return [
    pattern(`${ci('final answer is')}:?${S}*${eon}\\.?${S}?I hope`, 0, 'expr', FINAL_ANSWER_START, hasHope),
    pattern(`${ci('final answer')}${DOT}{0,100}?${S}+is:?${eon}`, 50, 'expr', FINAL_ANSWER_START, hasFinalAnswer),
    pattern(`${answer}:(?:${DOT}{0,100}=${S}*|${DOT}{0,50}?)${eon}(?!${S}*=)`, 100, 'expr', ANSWER_START, hasAnswer),
    pattern(`${answer}(?:${DOT}{0,100}=${S}*|${DOT}{0,50}?)${eon}(?!${S}*=)`, 200, 'expr', ANSWER_START, hasAnswer),
    pattern(exprWithAnchors, 300, 'expr', exprStart),
    pattern(numberWithAnchors, 300, 'expr', numberStart),
  ];
}

const LATEX_PATTERNS = latexPatterns();
const EXPR_PATTERNS = exprPatterns();
// parse()'s default extraction_config [LatexExtractionConfig(), ExprExtractionConfig()]: LaTeX
// patterns come first within a priority.
const ALL: Pattern[] = [...LATEX_PATTERNS, ...EXPR_PATTERNS];

/**
 * Math-Verify's extraction targets, in the order given to parse(): within a priority, the
 * patterns of an earlier target come first (a stable sort by priority), which decides ties.
 */
export type ExtractionTarget = 'latex' | 'expr';
export const DEFAULT_TARGETS: readonly ExtractionTarget[] = ['latex', 'expr'];

/** The patterns of `targets` grouped by priority, lowest (tried first) to highest. */
function priorityGroups(targets: readonly ExtractionTarget[]): Pattern[][] {
  const all = targets.flatMap((t) => (t === 'latex' ? LATEX_PATTERNS : EXPR_PATTERNS));
  const priorities = [...new Set(all.map((p) => p.priority))].sort((a, b) => a - b);
  return priorities.map((pr) => all.filter((p) => p.priority === pr));
}
const GROUPS_BY_TARGETS = new Map<string, Pattern[][]>([[DEFAULT_TARGETS.join(), priorityGroups(DEFAULT_TARGETS)]]);

/** For profiling. */
export const PATTERNS_FOR_TESTS: readonly Pattern[] = ALL;

export interface Extraction {
  /** The converted expression, or null when nothing converted. */
  value: Node | null;
  /** The first non-empty matched string (Math-Verify's fallback), or null. */
  str: string | null;
  /** Which kind of pattern produced the value. */
  via?: Kind;
  /** Where in the text the match that produced the value lies (UTF-16 offsets), for the reward debugger and the audit. */
  start?: number;
  end?: number;
  /**
   * Set when extraction stopped at a construct the reference reads but this port does not: no
   * value, rather than a candidate the reference would never have reached (a number inside it).
   */
  unsupported?: string;
}

interface Candidate {
  m: RegExpExecArray;
  p: Pattern;
  start: number;
  end: number;
  kind: Kind;
  order: number;
}

/**
 * Math-Verify `parse(text, extraction_config)` (`targets`, default LaTeX then expressions):
 * returns [value, fallback] as {value, str}. `value` is null when no
 * candidate converted (the reference then returns at most the fallback string alone).
 */
export function parseAnswer(text: string, ctx: ScoreContext, targets: readonly ExtractionTarget[] = DEFAULT_TARGETS): Extraction {
  const key = targets.join();
  let groups = GROUPS_BY_TARGETS.get(key);
  if (!groups) GROUPS_BY_TARGETS.set(key, (groups = priorityGroups(targets)));
  const fallbacks: string[] = [];
  const view: TextView = { text, lower: text.toLowerCase(), exoticFolds: EXOTIC_FOLDS.test(text) };
  for (const group of groups) {
    checkDeadline(ctx);
    const cands: Candidate[] = [];
    let order = 0;
    for (const p of group) {
      if (p.need && !p.need(view)) continue;
      for (const m of findAll(p, text)) cands.push({ m, p, start: m.index, end: m.index + m[0].length, kind: p.kind, order: order++ });
    }
    if (cands.length === 0) continue;
    cands.sort((a, b) => b.end - a.end || a.start - b.start || a.order - b.order);
    for (const c of cands) {
      checkDeadline(ctx);
      let extracted: [Node | null | UnsupportedLatex, string | null];
      try {
        extracted = c.kind === 'latex' ? extractLatex(c.m, c.p) : extractExpr(c.m, c.p);
      } catch (e) {
        if (e instanceof NonAsciiNumber) return { value: null, str: null };
        throw e;
      }
      const [value, str] = extracted;
      if (str) fallbacks.push(str);
      if (value instanceof UnsupportedLatex) return { value: null, str: fallbacks[0] ?? null, unsupported: value.message };
      if (value !== null) return { value, str: fallbacks[0] ?? null, via: c.kind, start: c.start, end: c.end };
    }
  }
  return { value: null, str: fallbacks[0] ?? null };
}

const isHighSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdbff;
const isLowSurrogate = (unit: number): boolean => unit >= 0xdc00 && unit <= 0xdfff;

/** Python finditer: non-overlapping matches left to right, tried only at possible starts. */
export function findAll(p: Pattern, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  let pos = 0;
  while (pos <= text.length) {
    p.starts.lastIndex = pos;
    const s = p.starts.exec(text);
    if (!s) break;
    p.re.lastIndex = s.index;
    const m = p.re.exec(text);
    let next: number;
    if (m) {
      out.push(m);
      next = m.index + Math.max(1, m[0].length);
    } else next = s.index + 1;
    // A /u regex started inside a surrogate pair backs up to the pair's start, so "+1" alone can
    // land where we already were: always move forward, by a whole code point.
    if (next <= pos) next = pos + 1;
    if (next < text.length && isLowSurrogate(text.charCodeAt(next)) && isHighSurrogate(text.charCodeAt(next - 1))) next++;
    pos = next;
  }
  return out;
}

// Like the reference's lru_cache on parse_latex_cached: repeated strings (the same gold for
// every rollout of a prompt) are converted once per worker. Trees are never mutated.
type Converted = Node | null | UnsupportedLatex;
const LATEX_CACHE = new LruCache<Converted>(2000);

function convertLatex(normalized: string): Converted {
  return LATEX_CACHE.get(normalized, convertLatexUncached);
}

function convertLatexUncached(normalized: string): Converted {
  resetEvalBudget();
  try {
    return latexToTree(normalized);
  } catch (e) {
    if (e instanceof UnsupportedLatex) return e;
    if (e instanceof RangeError) return null; // stack exhaustion: Python's RecursionError
    // Retry with the last part of an equation chain "a = b = c".
    const last = lastEquation(normalized);
    if (last === normalized) return null;
    try {
      return latexToTree(last);
    } catch (e2) {
      return e2 instanceof UnsupportedLatex ? e2 : null;
    }
  }
}

const EQ_SPLIT = /(?<!\\|<|!|>)=/u;
function lastEquation(latex: string): string {
  if (!latex.includes(',') && !latex.includes(';')) {
    const parts = latex.split(EQ_SPLIT);
    if (parts.length > 2) return parts[parts.length - 1]!;
  }
  return latex;
}

function extractLatex(m: RegExpExecArray, p: Pattern): [Node | null | UnsupportedLatex, string] {
  const exprs: (Node | null)[] = [];
  const strs: string[] = [];
  // The first non-empty alternative of each of first/next1..next5.
  for (const alternatives of p.latexGroups) {
    for (const g of alternatives) {
      const val = m[g.index];
      if (!val) continue;
      const normalized = normalizeLatex(val, g.boxed ? 'last' : 'all');
      strs.push(normalized);
      let tree = convertLatex(normalized);
      if (tree instanceof UnsupportedLatex) return [tree, strs[0]!];
      if (tree && g.percent !== 0 && m[g.percent]) tree = { k: 'mul', args: [tree, PCT] };
      exprs.push(tree);
      break;
    }
  }
  if (exprs.length === 0) return [null, ''];
  if (exprs.length > 1 && exprs.every((e) => e !== null)) {
    const all: Node[] = [];
    for (const e of exprs as Node[]) {
      if (e.k === 'fset') all.push(...e.unsorted);
      else all.push(e);
    }
    return [makeFiniteSet(all), strs.join(' and ')];
  }
  return [exprs[0]!, strs[0]!];
}

function extractExpr(m: RegExpExecArray, p: Pattern): [Node | null, string | null] {
  const g = (name: string): string | undefined => m[p.group[name]!];
  const expr = g('expr');
  const integer = g('integer1') || g('integer2') || g('integer3') || '';
  const decimal = g('decimal1') || g('decimal2') || g('decimal3') || '';
  if (integer || decimal) {
    let int = integer.replace(/[, ]/g, '');
    // lstrip("0") keeps a leading '-' ("-05" stays "-05").
    int = int.replace(/^0+/, '');
    if (int.length === 0) int = '0';
    const numberStr = int + decimal.replace(/,/g, '.');
    let value = numberFromString(numberStr);
    if (g('percent')) value = { k: 'mul', args: [value, PCT] };
    return [value, numberStr];
  }
  if (expr) {
    try {
      return [parsePythonArithmetic(expr.replace(/\n/g, ' ').replace(/\^/g, '**')), expr];
    } catch {
      return [null, expr];
    }
  }
  return [null, expr ?? null];
}

/**
 * sympy.Number(s) raises SympifyError on a digit outside ASCII ("٣", "１２"), and extract_expr does
 * not catch it: the exception ends the whole parse(), which returns [] (no value, no fallback).
 */
class NonAsciiNumber {}

/** sympy.Number(s) for the strings extract_expr builds ("-12", "0.5", "-05.25"). */
function numberFromString(s: string): Node {
  if (asciiDigits(s) !== s) throw new NonAsciiNumber();
  if (/^-?[0-9]+$/.test(s)) return { k: 'int', v: BigInt(s) };
  return { k: 'float', v: Number(s) };
}
