// Port of latex2sympy2_extended 1.10.2 `normalize_latex` with the configuration Math-Verify's
// LatexExtractionConfig uses (basic_latex, units, malformed_operators, nits; boxed "all", or
// "last" for the bare-\boxed pattern).

import { isPySpace, pyStrip } from '../text.js';
import { D, END, S, PY_S_BODY } from './pyRegex.js';

const R_LEFT = new RegExp(
  '\\\\m?left(\\\\\\{|\\{|\\\\\\||\\||\\[|\\(|\\\\rbracl|\\\\lgroup|\\\\lbrace|\\\\lbrack|\\\\vert|\\\\lvert|\\\\lceil|\\\\lfloor|\\\\vert|\\\\lvert|\\\\langle|\\\\llcorner|\\\\ulcorner)',
  'gu',
);
const R_RIGHT = new RegExp(
  '\\\\m?right(\\\\\\}|\\}|\\\\\\||\\||\\]|\\)|\\\\rbrack|\\\\rgroup|\\\\rbrace|\\\\rbrack|\\\\vert|\\\\rvert|\\\\rceil|\\\\rfloor|\\\\vert|\\\\rvert|\\\\rangle|\\\\lrcorner|\\\\urcorner)',
  'gu',
);
const PERMUTATION = /\(([a-zA-Z0-9+\-*/\\ ]+?)\)_\{([a-zA-Z0-9+\-*/\\ ]+?)\}/gu;
const TO_REMOVE = new RegExp(
  `\\\\mathrm\\{th\\}|\\\\!${S}*|\\\\text${S}*\\{${S}*\\}|\\\\\\$|\\$|(?<!\\\\)["']|\\\\displaystyle`,
  'gu',
);

const REPLACE_PATTERNS: [string, string, string][] = [
  ['math', '\\\\math(?:rm|it|bf)', '\\text'],
  ['text', '\\\\text(?:normal|bf|it|rm)', '\\text'],
  ['frac', '\\\\(?:d|t|c)frac', '\\frac'],
  ['decimal_space', `${S}\\.`, ' 0.'],
  ['decimal_brace', '\\{\\.', '{0.'],
  ['approx', '~=', '\\approx'],
  ['comma', `${S}*\\{${S}*,${S}*\\}`, ','],
  ['and_or', `(?<![a-zA-Z])(?:,?${S}*(?:and|or))(?![a-zA-Z])`, ','],
  ['and_or_text', `(?:,?${S}*\\\\text\\{${S}*(?:and|or)${S}*\\})`, ','],
  ['backslash_space', `(?<!\\\\)\\\\${S}`, ' '],
  ['infinity', 'infinity', '\\infty'],
  ['dot', ',?(?:\\\\ldots)', ' '],
  ['percentage', `${S}*percentage`, '\\%'],
  ['percentage_in_text', '\\\\text\\{percentage\\}', '\\%'],
  ['percent', `${S}*percent`, '\\%'],
  ['percent_in_text', '\\\\text\\{percent\\}', '\\%'],
  ['pct', `${S}*pct`, '\\%'],
  ['pct_in_text', '\\\\text\\{pct\\}', '\\%'],
  ['inf', '(?:(?<!\\\\)inf(?!inity))', '\\infty'],
  ['sqrt', ' sqrt', '\\sqrt'],
];
const TO_REPLACE = new RegExp(REPLACE_PATTERNS.map(([name, p]) => `(?<${name}>${p})`).join('|'), 'gu');
const REPLACEMENTS = new Map(REPLACE_PATTERNS.map(([name, , r]) => [name, r]));

const COMMAND_SLASH_FIX = /\\\\(?=[a-zA-Z])/gu;
const UNIT_SUPERSCRIPT = new RegExp(`(\\\\(?:text|mbox)\\{[^\\n]*?\\})(\\^${D}|\\{\\^${D}\\})?${END}`, 'u');

const UNITS = [
  'integerpoint', 'feet', 'sue', 'digit', 'pound', 'meal', 'edge', 'student', 'children ticket', 'multiple', 'east',
  'degree', 'mph', 'kmph', 'ft', 'm square', ' m east', 'sq m', 'deg', 'mile', 'q .', 'monkey', 'prime', 'ratio',
  'profit of rs', 'rd', 'o', 'gm', 'p . m', 'lb', 'tile', 'per', 'dm', 'lt', 'gain', 'ab', 'way', 'west', 'a .', 'b .',
  'c .', 'd .', 'e .', 'f .', 'g .', 'h .', 't', 'h', 'no change', 'men', 'soldier', 'pie', 'bc', 'excess', 'st',
  'inches', 'noon', 'cent', 'by', 'gal', 'kmh', 'c', 'acre', 'rise', 'a . m', 'th', 'π r 2', 'sq', 'mark', 'l', 'toy',
  'coin', 'sq . m', 'gallon', '° f', 'profit', 'minw', 'yr', 'women', 'am', 'pm', 'hr', 'cu cm', 'square', 'v â € ™',
  'are', 'rupee', 'rounds', 'cubic', 'cc', 'mtr', 's', 'ohm', 'number', 'kmph', 'day', 'hour', 'minute', 'min',
  'second', 'man', 'woman', 'sec', 'cube', 'mt', 'sq inch', 'mp', '∏ cm ³', 'hectare', 'more', 'sec', 'unit', 'cu . m',
  'cm 2', 'rs .', 'rs', 'kg', 'g', 'month', 'km', 'm', 'cm', 'mm', 'apple', 'liter', 'loss', 'yard', 'pure', 'year',
  'increase', 'decrease', 'd', 'less', 'Surface', 'litre', 'pi sq m', 's .', 'metre', 'meter', 'inch',
];
// The unit strings are regex fragments in the reference ('.' matches any character).
const UNITS_RE = new RegExp(`(${D}|\\}|${S})${S}*(?:(?:${UNITS.join('|')})(?:s|es)?)${S}*${END}`, 'u');

const MALFORMED: [RegExp, string][] = [
  [new RegExp(`\\^${S}?\\(([^\\n]*?)\\)`, 'gu'), '^{$1}'],
  [new RegExp(`sqrt${S}?\\(([^\\n]*?)\\)`, 'gu'), '\\sqrt{$1}'],
  [new RegExp(`\\\\frac${S}?(${D})${S}?(${D}+)`, 'gu'), '\\frac{$1}{$2}'],
  [new RegExp(`\\\\log_${S}?(${D})${S}?(${D}+)`, 'gu'), '\\log_{$1}{$2}'],
  [new RegExp(`\\\\frac${S}?\\{([^\\n]*?)\\}${S}?(${D})`, 'gu'), '\\frac{$1}{$2}'],
  [new RegExp(`\\\\frac${S}?(${D})${S}?\\{([^\\n]*?)\\}`, 'gu'), '\\frac{$1}{$2}'],
  [new RegExp(`\\\\sqrt${S}?(${D})`, 'gu'), '\\sqrt{$1}'],
];

const VALID_SEPARATOR = /and|or|,|;/u;

export type BoxedMode = 'all' | 'last';

/** Content of \boxed{...}/\fbox{...} elements, searched from the right (extract_boxed_content). */
export function extractBoxedContent(text: string, mode: BoxedMode): string {
  const results: string[] = [];
  let currentPos = text.length;
  let lastBoxedStart: number | null = null;
  let maxPos = text.length;
  const findBoundaries = (open: number, max: number): [number, number] | null => {
    let i = open;
    let depth = 1;
    while (i + 1 < max) {
      i++;
      const ch = text[i];
      if (ch === '{') depth++;
      else if (ch === '}') {
        depth--;
        if (depth === 0) return [open, i];
      }
    }
    return null;
  };
  const shouldExtract = (boxedText: string, nextBoxedText: string, boxedEnd: number, nextBoxedStart: number): boolean => {
    const between = text.slice(boxedEnd + 1, nextBoxedStart);
    if ([...between].length < 10) return true;
    return nextBoxedText !== boxedText && [...between].length < 70 && VALID_SEPARATOR.test(between);
  };
  for (;;) {
    const boxed = findBefore('\\boxed', currentPos);
    const fbox = findBefore('\\fbox', currentPos);
    if (boxed < 0 && fbox < 0) break;
    const start = Math.max(boxed, fbox);
    const commandEnd = start + (boxed > fbox ? 6 : 5);
    let next = commandEnd;
    while (next < maxPos && isPySpace(text.charCodeAt(next))) next++;
    if (next >= maxPos) break;
    if (text[next] === '{') {
      const bounds = findBoundaries(next, maxPos);
      if (!bounds) {
        if (results.length === 0) results.push(text.slice(next));
        break;
      }
      const [cs, ce] = bounds;
      const content = pyStrip(text.slice(cs + 1, ce));
      if (mode === 'last' && lastBoxedStart !== null) {
        if (!shouldExtract(content, results.length ? results[results.length - 1]! : '', ce, lastBoxedStart)) break;
      }
      results.push(content);
      lastBoxedStart = start;
      maxPos = start;
    } else {
      if (results.length === 0) results.push(text.slice(next));
      break;
    }
    currentPos = start;
  }
  if (results.length === 0) return text;
  return results.reverse().join(',');

  // Python text.rfind(sub, 0, end): the whole occurrence must end by `end`.
  function findBefore(sub: string, end: number): number {
    return end - sub.length < 0 ? -1 : text.lastIndexOf(sub, end - sub.length);
  }
}

function fixSqrt(text: string): string {
  if (!text.includes('\\sqrt')) return text;
  const splits = text.split('\\sqrt');
  let out = splits[0]!;
  for (let split of splits.slice(1)) {
    split = lstripPy(split);
    if (split.length > 0 && split[0] !== '{' && split[0] !== '[') {
      const cp = String.fromCodePoint(split.codePointAt(0)!);
      out += '\\sqrt{' + cp + '}' + split.slice(cp.length);
    } else out += '\\sqrt' + split;
  }
  return out;
}

function lstripPy(s: string): string {
  let i = 0;
  while (i < s.length && isPySpace(s.charCodeAt(i))) i++;
  return s.slice(i);
}

function fixFracs(text: string): string {
  const substrs = text.split('\\frac');
  let out = substrs[0]!;
  for (let substr of substrs.slice(1)) {
    substr = lstripPy(substr);
    out += '\\frac';
    const chars = [...substr];
    if (chars.length > 0 && chars[0] === '{') out += substr;
    else if (chars.length < 2) return text;
    else {
      const a = chars[0]!;
      const b = chars[1]!;
      const rest = chars.slice(2).join('');
      if (b !== '{') out += '{' + a + '}{' + b + '}' + rest;
      else out += '{' + a + '}' + b + rest;
    }
  }
  return out;
}

const INT_CANON = /^(-?(?:0|[1-9][0-9]*))\/(-?(?:0|[1-9][0-9]*))$/u;
function fixASlashB(text: string): string {
  const m = INT_CANON.exec(text);
  if (!m || m[1] === '-0' || m[2] === '-0') return text;
  return '\\frac{' + m[1] + '}{' + m[2] + '}';
}

const PLAIN_NUMBER = /^-?[0-9]+(?:\.[0-9]+)?$/;
const PLAIN_SLASH_FRACTION = /^-?[0-9]+\/-?[0-9]+$/;
const PLAIN_LATEX_FRACTION = /^\\[dtc]?frac(\{-?[0-9]+\}\{-?[0-9]+\})$/;

export function normalizeLatex(text: string, boxed: BoxedMode): string {
  text = extractBoxedContent(text, boxed);
  // Fast paths for the typical answers (test/mathFastPaths.test.ts checks them against the full
  // pipeline): no step changes a plain decimal number except the "0.5" nit; only fix_a_slash_b
  // changes "a/b" of ASCII integers; only the \dfrac -> \frac rename changes \frac{a}{b} of integers.
  if (PLAIN_NUMBER.test(text)) return text === '0.5' ? '\\frac{1}{2}' : text;
  if (PLAIN_SLASH_FRACTION.test(text)) return fixASlashB(text);
  const fraction = PLAIN_LATEX_FRACTION.exec(text);
  if (fraction) return '\\frac' + fraction[1]!; // \dfrac, \tfrac, \cfrac become \frac
  return normalizeFull(text);
}

/** The whole normalize_latex pipeline after extract_boxed_content; exported for the fast-path tests. */
export function normalizeFull(text: string): string {

  // basic_latex
  text = text.split('\\mathrm{T}').join('T');
  text = text.split('\\mathrm{d}').join('d').split('{\\rm d}').join('d');
  text = text.split('\\left[\\begin{matrix}').join('\\begin{bmatrix}').split('\\end{matrix}\\right]').join('\\end{bmatrix}');
  text = text.replace(R_LEFT, '$1');
  text = text.replace(R_RIGHT, '$1');
  text = text.replace(PERMUTATION, '\\frac{($1)!}{(($1)-($2))!}');
  text = text.replace(TO_REMOVE, '');
  text = text.replace(TO_REPLACE, (...args) => {
    const groups = args[args.length - 1] as Record<string, string | undefined>;
    for (const [name, val] of Object.entries(groups)) if (val !== undefined) return REPLACEMENTS.get(name)!;
    return args[0] as string;
  });
  text = text.replace(/\n/g, ' ').replace(/\t/g, ' ');
  if (!text.includes('matrix')) text = text.replace(COMMAND_SLASH_FIX, '\\');

  // units
  let t = pyStrip(text.replace(UNIT_SUPERSCRIPT, ''));
  if (t !== '' && t !== text) text = t;
  for (let i = 0; i < 2; i++) {
    t = text.replace(UNITS_RE, '$1');
    if (t !== '' && t !== text) text = t;
  }

  // nits
  if (text.length > 0 && text[0] === '.') text = '0' + text;
  if (text === '0.5') text = '\\frac{1}{2}';

  // malformed_operators
  for (const [re, rep] of MALFORMED) text = text.replace(re, rep);
  text = text.split(' sqrt').join('\\sqrt');
  text = fixSqrt(text);
  text = fixFracs(text);
  text = fixASlashB(text);

  return pyStrip(text);
}

export { PY_S_BODY };
