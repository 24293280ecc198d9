// Port of Math-Verify 0.8.0 `parse()` with its default configuration
// [LatexExtractionConfig(), ExprExtractionConfig()], fallback_mode="first_match",
// extraction_mode="any_match": regex candidates grouped by priority; within a group the
// rightmost match is tried first; the first candidate that converts to an expression wins,
// and the first non-empty matched string is appended as a fallback.

import { type ScoreContext, checkDeadline } from '../types.js';
import { asciiDigits, ANY, D, DOT, END, S, PY_S_BODY, ci } from './pyRegex.js';
import { normalizeLatex, type BoxedMode } from './normalize.js';
import { latexToTree } from './latexParser.js';
import { parsePythonArithmetic } from './exprParser.js';
import { type Node, PCT } from './nodes.js';
import { makeFiniteSet } from './latexParser.js';

type Kind = 'latex' | 'expr';
interface Pattern {
  re: RegExp;
  priority: number;
  kind: Kind;
  /** Cheap necessary condition on the text, to skip hopeless regexes. */
  need?: RegExp;
}

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
  const hope = /I hope/u;
  const answerNeed = new RegExp(answer, 'u');
  const out: Pattern[] = [
    { re: new RegExp(`${ci('final answer is')}:?${S}*${L}\\.?${S}?I hope`, 'gu'), priority: 0, kind: 'latex', need: hope },
    { re: new RegExp(`${ci('final answer')}${ANY}{0,100}?${S}+is:?${S}*${L}`, 'gu'), priority: 50, kind: 'latex', need: answerNeed },
    { re: new RegExp(`${answer}:${ANY}{0,50}?${L}`, 'gu'), priority: 100, kind: 'latex', need: answerNeed },
    { re: new RegExp(`${answer}${ANY}{0,50}?${L}`, 'gu'), priority: 200, kind: 'latex', need: answerNeed },
    { re: new RegExp(L, 'gu'), priority: 300, kind: 'latex' },
  ];
  let boxedNext = '';
  for (let i = 1; i <= 5; i++) {
    boxedNext += `${S}*(?:${S}*(?:,?and|,?or|,)${S}*${latexEnvPattern(`next${i}_`, true)})?`;
  }
  const boxedNeed = /\\boxed\{/u;
  out.push({ re: new RegExp(`${latexEnvPattern('first_', true)}${boxedNext}`, 'gu'), priority: 50, kind: 'latex', need: boxedNeed });
  out.push({ re: new RegExp(`(?<first_latexBoxed>\\\\boxed\\{${ANY}+\\})`, 'gu'), priority: 50, kind: 'latex', need: boxedNeed });
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
  const answerNeed = new RegExp(answer, 'u');
  return [
    { re: new RegExp(`${ci('final answer is')}:?${S}*${eon}\\.?${S}?I hope`, 'gu'), priority: 0, kind: 'expr', need: /I hope/u },
    { re: new RegExp(`${ci('final answer')}${DOT}{0,100}?${S}+is:?${eon}`, 'gu'), priority: 50, kind: 'expr', need: answerNeed },
    { re: new RegExp(`${answer}:(?:${DOT}{0,100}=${S}*|${DOT}{0,50}?)${eon}(?!${S}*=)`, 'gu'), priority: 100, kind: 'expr', need: answerNeed },
    { re: new RegExp(`${answer}(?:${DOT}{0,100}=${S}*|${DOT}{0,50}?)${eon}(?!${S}*=)`, 'gu'), priority: 200, kind: 'expr', need: answerNeed },
    { re: new RegExp(exprWithAnchors, 'gu'), priority: 300, kind: 'expr' },
    { re: new RegExp(numberWithAnchors, 'gu'), priority: 300, kind: 'expr' },
  ];
}

// Latex patterns come first within a priority (the reference lists the LaTeX target first).
const ALL: Pattern[] = [...latexPatterns(), ...exprPatterns()];
const PRIORITIES = [...new Set(ALL.map((p) => p.priority))].sort((a, b) => a - b);
const BY_PRIORITY = PRIORITIES.map((pr) => ALL.filter((p) => p.priority === pr));

export interface Extraction {
  /** The converted expression, or null when nothing converted. */
  value: Node | null;
  /** The first non-empty matched string (Math-Verify's fallback), or null. */
  str: string | null;
  /** Which kind of pattern produced the value. */
  via?: Kind;
}

interface Candidate {
  m: RegExpExecArray;
  start: number;
  end: number;
  kind: Kind;
  order: number;
}

/**
 * Math-Verify `parse(text)`: returns [value, fallback] as {value, str}. `value` is null when no
 * candidate converted (the reference then returns at most the fallback string alone).
 */
export function parseAnswer(text: string, ctx: ScoreContext): Extraction {
  const fallbacks: string[] = [];
  for (const group of BY_PRIORITY) {
    checkDeadline(ctx);
    const cands: Candidate[] = [];
    let order = 0;
    for (const p of group) {
      if (p.need && !p.need.test(text)) continue;
      p.re.lastIndex = 0;
      for (const m of text.matchAll(p.re)) {
        cands.push({ m, start: m.index, end: m.index + m[0].length, kind: p.kind, order: order++ });
      }
    }
    if (cands.length === 0) continue;
    cands.sort((a, b) => b.end - a.end || a.start - b.start || a.order - b.order);
    for (const c of cands) {
      checkDeadline(ctx);
      const [value, str] = c.kind === 'latex' ? extractLatex(c.m) : extractExpr(c.m);
      if (str) fallbacks.push(str);
      if (value !== null) return { value, str: fallbacks[0] ?? null, via: c.kind };
    }
  }
  return { value: null, str: fallbacks[0] ?? null };
}

function convertLatex(normalized: string): Node | null {
  try {
    return latexToTree(normalized);
  } catch (e) {
    if (e instanceof RangeError) return null; // stack exhaustion: Python's RecursionError
    // Retry with the last part of an equation chain "a = b = c".
    const last = lastEquation(normalized);
    if (last === normalized) return null;
    try {
      return latexToTree(last);
    } catch {
      return null;
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

function extractLatex(m: RegExpExecArray): [Node | null, string] {
  const groups = m.groups ?? {};
  const found: { val: string; name: string }[] = [];
  const firstOf = (prefix: string): { val: string; name: string } | undefined => {
    for (const [name, val] of Object.entries(groups)) if (name.startsWith(prefix) && val) return { val, name };
    return undefined;
  };
  const first = firstOf('first_latex');
  if (first) found.push(first);
  for (let i = 1; i <= 5; i++) {
    const g = firstOf(`next${i}_latex`);
    if (g) found.push(g);
  }
  const exprs: (Node | null)[] = [];
  const strs: string[] = [];
  for (const { val, name } of found) {
    const [pre, groupName] = name.split('_');
    const isPct = Boolean(groups[`${pre}_percent`]);
    const mode: BoxedMode = groupName === 'latexBoxed' ? 'last' : 'all';
    const normalized = normalizeLatex(val, mode);
    strs.push(normalized);
    let tree = convertLatex(normalized);
    if (tree && isPct) tree = { k: 'mul', args: [tree, PCT] };
    exprs.push(tree);
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

function extractExpr(m: RegExpExecArray): [Node | null, string | null] {
  const g = m.groups ?? {};
  const expr = g['expr'];
  const integer = g['integer1'] || g['integer2'] || g['integer3'] || '';
  const decimal = g['decimal1'] || g['decimal2'] || g['decimal3'] || '';
  if (integer || decimal) {
    let int = integer.replace(/[, ]/g, '');
    // lstrip("0") keeps a leading '-' ("-05" stays "-05").
    int = int.replace(/^0+/, '');
    if (int.length === 0) int = '0';
    const numberStr = int + decimal.replace(/,/g, '.');
    let value = numberFromString(numberStr);
    if (g['percent']) value = { k: 'mul', args: [value, PCT] };
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

/** sympy.Number(s) for the strings extract_expr builds ("-12", "0.5", "-05.25"). */
function numberFromString(s: string): Node {
  const ascii = asciiDigits(s);
  if (/^-?[0-9]+$/.test(ascii)) return { k: 'int', v: BigInt(ascii) };
  return { k: 'float', v: Number(ascii) };
}
