// Tokenizer for latex2sympy2_extended's PS.g4 lexer (version 1.10.2, the one Math-Verify
// 0.8.0 pins): longest match wins, ties go to the rule defined first. Unknown input throws,
// as the reference's error listener does.

/**
 * A failed parse. Backtracking throws these often, so they carry no stack trace (capturing one
 * costs microseconds per throw).
 */
export class LatexSyntaxError {
  constructor(readonly message: string) {}
}

/**
 * A construct the reference reads but this port does not (or not faithfully). Unlike a syntax
 * error, after which the reference goes on to other candidates, this stops the extraction: going
 * on could pick a stray number from inside the construct where the reference had a value.
 */
export class UnsupportedLatex {
  constructor(readonly message: string) {}
}

export type Tok =
  | 'ADD' | 'SUB' | 'MUL' | 'DIV'
  | 'LPAREN' | 'RPAREN' | 'LPAREN_V' | 'RPAREN_V' | 'LGROUP' | 'RGROUP'
  | 'LBRACE' | 'RBRACE' | 'LBRACE_V' | 'RBRACE_V' | 'LBRACE_CMD' | 'RBRACE_CMD'
  | 'LBRACKET' | 'RBRACKET' | 'LBRACK' | 'RBRACK'
  | 'PHANTOM' | 'BOXED' | 'BAR' | 'LVERT' | 'RVERT' | 'VERT' | 'NORM' | 'LANGLE' | 'RANGLE'
  | 'LFLOOR' | 'RFLOOR' | 'LLCORNER' | 'LRCORNER' | 'LCEIL' | 'RCEIL' | 'ULCORNER' | 'URCORNER'
  | 'FUNC_LIM' | 'LIM_APPROACH' | 'FUNC_INT' | 'FUNC_SUM' | 'FUNC_PROD'
  | 'FUNC1' // single-argument named function (\sin, \log, ...)
  | 'FUNC_MULTI' // \gcd \lcm \max \min
  | 'OPNAME1' | 'OPNAME_MULTI' // bare words usable inside \operatorname{...}
  | 'FUNC_SQRT' | 'TIMES' | 'CDOT' | 'CMD_DIV' | 'FRAC' | 'BINOM' | 'CHOOSE' | 'MOD' | 'MATHIT' | 'OPERATORNAME'
  | 'MATRIX_WORD' | 'MATRIX_START' | 'MATRIX_END' | 'ARRAY_START' | 'ARRAY_END' | 'DET_START' | 'DET_END' | 'DEL_COL' | 'DEL_ROW' | 'XRIGHTARROW' | 'EXCHANGE'
  | 'UNDERSCORE' | 'CARET' | 'COLON' | 'SEMICOLON' | 'COMMA' | 'PERIOD'
  | 'DIFFERENTIAL' | 'EXP_E' | 'E_NOTATION_E' | 'LETTER' | 'NUMBER' | 'E_NOTATION'
  | 'IN' | 'ASSIGN' | 'EQUAL' | 'APPROX' | 'LT' | 'LTE' | 'GT' | 'GTE' | 'UNEQUAL' | 'BANG'
  | 'PERCENT_NUMBER' | 'GREEK' | 'OTHER_SYMBOL' | 'SYMBOL' | 'SET_LITERAL' | 'ACCENT'
  | 'UNION' | 'INTER' | 'SETMINUS' | 'PM' | 'SET_EMPTY' | 'SUPSET' | 'SUBSET' | 'NOTIN'
  | 'TRANSPOSE' | 'DEGREE' | 'EOF';

export interface Token {
  t: Tok;
  s: string;
}

const SKIP = 'SKIP';
type Rule = [string, Tok | typeof SKIP];

// Literal rules in definition order (implicit parser literals first, as ANTLR numbers them).
const LITERALS: Rule[] = [
  ['^T', 'TRANSPOSE'], ['^{T}', 'TRANSPOSE'], ['^{\\top}', 'TRANSPOSE'], ["'", 'TRANSPOSE'],
  ['^\\circ', 'DEGREE'], ['^\\degree', 'DEGREE'], ['^\\circle', 'DEGREE'], ['^°', 'DEGREE'],
  ['^{\\circ}', 'DEGREE'], ['^{\\degree}', 'DEGREE'], ['^{\\circle}', 'DEGREE'], ['^{°}', 'DEGREE'],
  ['\\,', SKIP], ['\\thinspace', SKIP], ['\\:', SKIP], ['\\medspace', SKIP], ['\\;', SKIP], ['\\thickspace', SKIP],
  ['\\quad', SKIP], ['\\qquad', SKIP], ['\\!', SKIP], ['\\negthinspace', SKIP], ['\\negmedspace', SKIP],
  ['\\negthickspace', SKIP], ['\\$', SKIP],
  ['\\vrule', SKIP], ['\\vcenter', SKIP], ['\\vbox', SKIP], ['\\vskip', SKIP], ['\\vspace', SKIP], ['\\hfil', SKIP],
  ['+', 'ADD'], ['∔', 'ADD'], ['⊕', 'ADD'], ['⊞', 'ADD'],
  ['-', 'SUB'], ['−', 'SUB'], ['∸', 'SUB'],
  ...['*', '×', '⋅', '⋄', '⊡', '∗', '⋆', '∘', '∙', '⊗', '⊠', '⋈', '⋉', '⋊'].map((s): Rule => [s, 'MUL']),
  ['/', 'DIV'], ['÷', 'DIV'], ['∕', 'DIV'], ['\\over', 'DIV'],
  ['(', 'LPAREN'], [')', 'RPAREN'], ['\\(', 'LPAREN_V'], ['\\)', 'RPAREN_V'], ['\\lgroup', 'LGROUP'], ['\\rgroup', 'RGROUP'],
  ['{', 'LBRACE'], ['}', 'RBRACE'], ['\\{', 'LBRACE_V'], ['\\}', 'RBRACE_V'], ['\\lbrace', 'LBRACE_CMD'], ['\\rbrace', 'RBRACE_CMD'],
  ['[', 'LBRACKET'], [']', 'RBRACKET'], ['\\lbrack', 'LBRACK'], ['\\rbrack', 'RBRACK'],
  ['\\phantom', 'PHANTOM'], ['\\boxed', 'BOXED'],
  ['|', 'BAR'], ['\\lvert', 'LVERT'], ['\\rvert', 'RVERT'], ['\\vert', 'VERT'], ['\\|', 'NORM'],
  ['\\langle', 'LANGLE'], ['\\rangle', 'RANGLE'],
  ['\\lfloor', 'LFLOOR'], ['\\rfloor', 'RFLOOR'], ['\\llcorner', 'LLCORNER'], ['\\lrcorner', 'LRCORNER'],
  ['\\lceil', 'LCEIL'], ['\\rceil', 'RCEIL'], ['\\ulcorner', 'ULCORNER'], ['\\urcorner', 'URCORNER'],
  ['\\lim', 'FUNC_LIM'],
  ...['\\to', '\\rightarrow', '\\Rightarrow', '\\longrightarrow', '\\Longrightarrow'].map((s): Rule => [s, 'LIM_APPROACH']),
  ['\\int', 'FUNC_INT'], ['\\sum', 'FUNC_SUM'], ['\\prod', 'FUNC_PROD'],
  ...[
    'log', 'ln', 'exp', 'sin', 'cos', 'tan', 'csc', 'sec', 'cot', 'arcsin', 'arccos', 'arctan', 'arccsc', 'arcsec',
    'arccot', 'sinh', 'cosh', 'tanh', 'arsinh', 'arcosh', 'artanh', 'arcsinh', 'arccosh', 'arctanh',
  ].map((s): Rule => ['\\' + s, 'FUNC1']),
  ...['arsinh', 'arcsinh', 'arcosh', 'arccosh', 'artanh', 'arctanh'].map((s): Rule => [s, 'OPNAME1']),
  ['gcd', 'OPNAME_MULTI'], ['lcm', 'OPNAME_MULTI'], ['floor', 'OPNAME1'], ['ceil', 'OPNAME1'],
  ['\\sqrt', 'FUNC_SQRT'], ['\\gcd', 'FUNC_MULTI'], ['\\lcm', 'FUNC_MULTI'], ['\\floor', 'FUNC1'], ['\\ceil', 'FUNC1'],
  ['\\max', 'FUNC_MULTI'], ['\\min', 'FUNC_MULTI'], ['\\det', 'FUNC1'],
  ['eye', 'OPNAME1'], ['zeros', 'OPNAME_MULTI'], ['ones', 'OPNAME_MULTI'], ['cols', 'OPNAME1'], ['rows', 'OPNAME1'],
  ['diag', 'OPNAME_MULTI'], ['norm', 'OPNAME1'], ['rank', 'OPNAME1'], ['trace', 'OPNAME1'], ['tr', 'OPNAME1'],
  ['rref', 'OPNAME1'], ['hstack', 'OPNAME_MULTI'], ['vstack', 'OPNAME_MULTI'],
  ['orth', 'OPNAME_MULTI'], ['ortho', 'OPNAME_MULTI'], ['orthogonal', 'OPNAME_MULTI'], ['orthogonalize', 'OPNAME_MULTI'],
  ['nullspace', 'OPNAME1'], ['eig', 'OPNAME1'], ['eigen', 'OPNAME1'], ['diagonalize', 'OPNAME1'],
  ['eigenvals', 'OPNAME1'], ['eigenvalues', 'OPNAME1'], ['eigenvects', 'OPNAME1'], ['eigenvectors', 'OPNAME1'],
  ['svd', 'OPNAME1'], ['SVD', 'OPNAME1'],
  ['\\times', 'TIMES'], ['\\cdot', 'CDOT'], ['\\div', 'CMD_DIV'],
  ['\\frac', 'FRAC'], ['\\dfrac', 'FRAC'], ['\\tfrac', 'FRAC'], ['\\cfrac', 'FRAC'],
  ['\\binom', 'BINOM'], ['\\tbinom', 'BINOM'], ['\\dbinom', 'BINOM'], ['\\choose', 'CHOOSE'], ['\\mod', 'MOD'],
  ['\\mathit', 'MATHIT'], ['\\operatorname', 'OPERATORNAME'],
  ['matrix', 'MATRIX_WORD'], ['pmatrix', 'MATRIX_WORD'], ['bmatrix', 'MATRIX_WORD'], ['vmatrix', 'MATRIX_WORD'],
  ...['matrix', 'pmatrix', 'bmatrix'].map((w): Rule => [`\\begin{${w}}`, 'MATRIX_START']),
  ...['matrix', 'pmatrix', 'bmatrix'].map((w): Rule => [`\\end{${w}}`, 'MATRIX_END']),
  ['\\end{array}', 'ARRAY_END'], // CMD_ARRAY_START ('\\begin{array}{' [clr]* '}') is matched in lex()
  ['\\begin{vmatrix}', 'DET_START'], ['\\end{vmatrix}', 'DET_END'],
  ['&', 'DEL_COL'], ['\\\\', 'DEL_ROW'],
  ['_', 'UNDERSCORE'], ['^', 'CARET'], [':', 'COLON'], [';', 'SEMICOLON'], [',', 'COMMA'], ['.', 'PERIOD'],
  ['e', 'EXP_E'], ['\\exponentialE', 'EXP_E'], ['E', 'E_NOTATION_E'],
  ['\\xrightarrow', 'XRIGHTARROW'], ['\\xRightarrow', 'XRIGHTARROW'],
  ['<->', 'EXCHANGE'], ['<=>', 'EXCHANGE'], ['\\leftrightarrow', 'EXCHANGE'], ['\\Leftrightarrow', 'EXCHANGE'],
  ['\\in', 'IN'],
  ...['=', '≡', '≣', '≟', '≎', '≏', '≐', '≑', '≒', '≓', '≔', '≕', '≖', '≗'].map((s): Rule => [s, 'ASSIGN']),
  ['==', 'EQUAL'], ['\\equiv', 'EQUAL'],
  ...['~=', '≈', '≊', '≋', '≃', '≅', '\\approx'].map((s): Rule => [s, 'APPROX']),
  ...['<', '≪', '≺', '⋖', '\\lt'].map((s): Rule => [s, 'LT']),
  ...['\\leq', '\\le', '\\leqslant', '≤', '≦', '≲', '≾', '<='].map((s): Rule => [s, 'LTE']),
  ...['>', '≫', '≻', '⋗', '\\gt'].map((s): Rule => [s, 'GT']),
  ...['\\geq', '\\ge', '\\geqslant', '≥', '≧', '≳', '≿', '>='].map((s): Rule => [s, 'GTE']),
  ...['!=', '!==', '\\ne', '\\neq', '\\not\\equiv', '≠', '≁', '≄', '≇', '≉', '≢'].map((s): Rule => [s, 'UNEQUAL']),
  ['!', 'BANG'],
  ['\\mathbb{N}', 'SET_LITERAL'], ['ℕ', 'SET_LITERAL'], ['\\mathbb{Z}', 'SET_LITERAL'], ['ℤ', 'SET_LITERAL'],
  ['\\mathbb{Q}', 'SET_LITERAL'], ['ℚ', 'SET_LITERAL'], ['\\mathbb{R}', 'SET_LITERAL'], ['ℝ', 'SET_LITERAL'],
  ['\\mathbb{C}', 'SET_LITERAL'], ['ℂ', 'SET_LITERAL'], ['\\mathbb{P}', 'SET_LITERAL'], ['ℙ', 'SET_LITERAL'],
  ['\\cup', 'UNION'], ['∪', 'UNION'], ['\\cap', 'INTER'], ['∩', 'INTER'], ['\\setminus', 'SETMINUS'], ['∖', 'SETMINUS'],
  ['\\pm', 'PM'], ['±', 'PM'], ['∓', 'PM'], ['\\mp', 'PM'],
  ['\\emptyset', 'SET_EMPTY'], ['∅', 'SET_EMPTY'], ['\\{\\}', 'SET_EMPTY'], ['\\lbrace\\rbrace', 'SET_EMPTY'],
  ['\\supseteq', 'SUPSET'], ['⊇', 'SUPSET'], ['\\subseteq', 'SUBSET'], ['⊆', 'SUBSET'], ['\\notin', 'NOTIN'], ['∉', 'NOTIN'],
];

const GREEK_NAMES = [
  'alpha', 'beta', 'gamma', 'Gamma', 'delta', 'Delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'Theta',
  'vartheta', 'iota', 'kappa', 'lambda', 'Lambda', 'mu', 'nu', 'xi', 'Xi', 'omicron', 'pi', 'Pi', 'varpi', 'rho',
  'varrho', 'sigma', 'Sigma', 'varsigma', 'tau', 'upsilon', 'Upsilon', 'phi', 'Phi', 'varphi', 'chi', 'psi', 'Psi',
  'omega', 'Omega',
];
const GREEK_UNICODE = 'αβγΓδΔεϵζηθΘϑικλΛμνξΞοπΠϖρϱσΣςτυΥφΦϕχψΨωΩ';
const OTHER_SYMBOLS = [
  'Bbbk', 'wp', 'nabla', 'bigstar', 'angle', 'nexists', 'diagdown', 'measuredangle', 'eth', 'diagup',
  'sphericalangle', 'clubsuit', 'varnothing', 'Diamond', 'complement', 'diamondsuit', 'imath', 'Finv',
  'triangledown', 'heartsuit', 'jmath', 'Game', 'triangle', 'spadesuit', 'ell', 'hbar', 'vartriangle', 'hslash',
  'blacklozenge', 'lozenge', 'blacksquare', 'mho', 'blacktriangle', 'sharp', 'prime', 'Im', 'flat', 'square',
  'backprime', 'Re', 'natural', 'surd', 'circledS',
];
const ACCENTS = [
  'acute', 'bar', 'overline', 'breve', 'check', 'widecheck', 'dot', 'ddot', 'grave', 'hat', 'tilde', 'widetilde',
  'vec', 'overrightarrow', 'bm', 'boldsymbol', 'text', 'textit', 'textbf', 'textnormal', 'mathbb', 'mathbin',
  'mathbf', 'mathcal', 'mathclap', 'mathclose', 'mathellipsis', 'mathfrak', 'mathinner', 'mathit', 'mathnormal',
  'mathop', 'mathopen', 'mathord', 'mathpunct', 'mathrel', 'mathring', 'mathrlap', 'mathrm', 'mathscr', 'mathsf',
  'mathsterling', 'mathtt', 'mbox',
];

// Rule precedence for ties: index in this order.
const ORDER: Record<string, number> = {};
LITERALS.forEach(([, t], i) => {
  if (!(t in ORDER)) ORDER[t] = i;
});
const RANK_NUMBER = 1000;
const RANK_E_NOTATION = 1001;
const RANK_PERCENT = 1002;
const RANK_GREEK = 1003;
const RANK_OTHER = 1004;
const RANK_SYMBOL = 1005;
const RANK_ACCENT = 1007;
const RANK_DIFFERENTIAL = (ORDER['EXP_E'] ?? 0) - 0.5;
const RANK_LETTER = (ORDER['E_NOTATION_E'] ?? 0) + 0.5;

interface Candidate {
  t: Tok | typeof SKIP;
  len: number;
  rank: number;
}

// Literals indexed by first character for speed.
const BY_FIRST = new Map<string, { lit: string; t: Tok | typeof SKIP; rank: number }[]>();
LITERALS.forEach(([lit, t], i) => {
  const c = lit[0]!;
  let list = BY_FIRST.get(c);
  if (!list) BY_FIRST.set(c, (list = []));
  list.push({ lit, t, rank: i });
});
for (const name of GREEK_NAMES) addExtra('\\' + name, 'GREEK', RANK_GREEK);
for (const ch of GREEK_UNICODE) addExtra(ch, 'GREEK', RANK_GREEK);
for (const name of OTHER_SYMBOLS) addExtra('\\' + name, 'OTHER_SYMBOL', RANK_OTHER);
for (const ch of 'ℵℶℷℸ') addExtra(ch, 'OTHER_SYMBOL', RANK_OTHER);
for (const lit of ['\\partial', '\\infty', '\\$\\infty', '\\infty\\%', '\\infty%']) addExtra(lit, 'SYMBOL', RANK_SYMBOL);

function addExtra(lit: string, t: Tok, rank: number): void {
  const c = lit[0]!;
  let list = BY_FIRST.get(c);
  if (!list) BY_FIRST.set(c, (list = []));
  list.push({ lit, t, rank });
}

const isAsciiLetter = (c: string | undefined): boolean => c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isWsChar = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** Length of NUMBER at i (DIGIT+ | DIGIT* '.' DIGIT+), longest; 0 if none. */
function numberLen(s: string, i: number): number {
  let j = i;
  while (isDigit(s[j])) j++;
  const intLen = j - i;
  if (s[j] === '.' && isDigit(s[j + 1])) {
    let k = j + 1;
    while (isDigit(s[k])) k++;
    return k - i;
  }
  return intLen;
}

export function lex(s: string, maxTokens = 5000): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = s.length;
  while (i < n) {
    if (out.length > maxTokens) throw new LatexSyntaxError('too many tokens');
    const c = s[i]!;
    if (isWsChar(c)) {
      i++;
      continue;
    }
    let best: Candidate | null = null;
    const consider = (t: Tok | typeof SKIP, len: number, rank: number): void => {
      if (len <= 0) return;
      if (!best || len > best.len || (len === best.len && rank < best.rank)) best = { t, len, rank };
    };
    const lits = BY_FIRST.get(c);
    if (lits) for (const l of lits) if (s.startsWith(l.lit, i)) consider(l.t, l.lit.length, l.rank);
    // GREEK_CMD / OTHER_SYMBOL_CMD take one optional trailing space.
    if (best && ((best as Candidate).t === 'GREEK' || (best as Candidate).t === 'OTHER_SYMBOL') && s[i + (best as Candidate).len] === ' ') {
      (best as Candidate).len++;
    }
    if (isDigit(c) || c === '.') {
      const nl = numberLen(s, i);
      if (nl > 0) {
        consider('NUMBER', nl, RANK_NUMBER);
        // E_NOTATION: NUMBER 'E' (SUB|ADD)? DIGIT+
        let j = i + nl;
        if (s[j] === 'E') {
          j++;
          if (s[j] === '+' || s[j] === '-' || s[j] === '−' || s[j] === '∸' || s[j] === '∔' || s[j] === '⊕' || s[j] === '⊞') j++;
          if (isDigit(s[j])) {
            while (isDigit(s[j])) j++;
            consider('E_NOTATION', j - i, RANK_E_NOTATION);
          }
        }
        // PERCENT_NUMBER: NUMBER WS_CHAR? ('\%' | '%')
        let k = i + nl;
        if (isWsChar(s[k])) k++;
        if (s[k] === '%') consider('PERCENT_NUMBER', k + 1 - i, RANK_PERCENT);
        else if (s[k] === '\\' && s[k + 1] === '%') consider('PERCENT_NUMBER', k + 2 - i, RANK_PERCENT);
      }
    }
    if (c === 'd') {
      // DIFFERENTIAL: 'd' WS_CHAR*? ([a-zA-Z] | '\' [a-zA-Z]+)
      let j = i + 1;
      while (isWsChar(s[j])) j++;
      if (isAsciiLetter(s[j])) consider('DIFFERENTIAL', j + 1 - i, RANK_DIFFERENTIAL);
      else if (s[j] === '\\' && isAsciiLetter(s[j + 1])) {
        let k = j + 1;
        while (isAsciiLetter(s[k])) k++;
        consider('DIFFERENTIAL', k - i, RANK_DIFFERENTIAL);
      }
    }
    if (isAsciiLetter(c) && c !== 'e' && c !== 'E') consider('LETTER', 1, RANK_LETTER);
    if (c === '\\') {
      // ACCENT: ACCENT_CMD WS_CHAR? '{' ('\}' | ~[}])*? '}'
      let j = i + 1;
      while (isAsciiLetter(s[j])) j++;
      const word = s.slice(i + 1, j);
      for (const acc of ACCENTS) {
        if (!word.startsWith(acc)) continue;
        let k = i + 1 + acc.length;
        if (isWsChar(s[k])) k++;
        if (s[k] !== '{') continue;
        k++;
        // Lazy loop: the first '}' not consumed as part of '\}' closes (both alternatives can
        // consume the backslash, so the lazy match stops at the first '}' overall).
        const close = s.indexOf('}', k);
        if (close >= 0) consider('ACCENT', close + 1 - i, RANK_ACCENT);
      }
      // Greek letters written \char"000391 and \variable{...}: lexed by the reference, not here.
      if (s.startsWith('\\char', i) || s.startsWith('\\variable{', i)) throw new UnsupportedLatex('\\char and \\variable');
      if (s.startsWith('\\begin{array}{', i)) {
        let j = i + 14;
        while (s[j] === 'c' || s[j] === 'l' || s[j] === 'r') j++;
        if (s[j] === '}') consider('ARRAY_START', j + 1 - i, ORDER['ARRAY_END'] ?? 0);
      }
    }
    if (!best) throw new LatexSyntaxError(`token recognition error at ${i}`);
    const b = best as Candidate;
    if (b.t !== SKIP) out.push({ t: b.t, s: s.slice(i, i + b.len) });
    i += b.len;
  }
  out.push({ t: 'EOF', s: '' });
  return out;
}
