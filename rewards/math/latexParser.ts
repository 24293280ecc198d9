// Recursive-descent port of latex2sympy2_extended 1.10.2 (grammar PS.g4 plus the conversion
// code in latex2sympy2.py), producing unevaluated expression trees. ANTLR resolves ambiguous
// alternatives by picking the first viable one; we emulate that by trying alternatives in
// grammar order and backtracking when one cannot be completed. Depth and size are bounded
// (Python would hit its recursion limit on deep nesting and fail the parse too).

import { lex, LatexSyntaxError, UnsupportedLatex, type Token, type Tok } from './latexLexer.js';
import {
  type Node,
  type RelOp,
  type SymNode,
  addFlat,
  children,
  hasMatrix,
  isMatrixKind,
  mapTree,
  isNumber,
  isSympyNumber,
  mulFlat,
  negNumber,
  pow,
  rational,
  symbol,
  HALF,
  MINUS_ONE,
  ONE,
  PCT,
} from './nodes.js';
import { greekName } from './symbols.js';

import { MAX_MATRIX_ENTRIES, determinant, makeMatrix, matrixDoit, transpose } from './matrix.js';
import { B } from './pyRegex.js';

export { LatexSyntaxError, UnsupportedLatex };

const MAX_DEPTH = 60;

class Parser {
  private pos = 0;
  private depth = 0;
  /** Inside an integrand: implicit products stop before a differential (`x^2 dx`). */
  private stopAtDifferential = false;

  constructor(
    private readonly toks: Token[],
    private readonly reparse: (text: string) => Node,
  ) {}

  private peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)]!;
  }
  private at(...ts: Tok[]): boolean {
    return ts.includes(this.peek().t);
  }
  private next(): Token {
    const t = this.peek();
    if (this.pos < this.toks.length - 1) this.pos++;
    return t;
  }
  private expect(t: Tok): Token {
    if (this.peek().t !== t) throw new LatexSyntaxError(`expected ${t} got ${this.peek().t}`);
    return this.next();
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw new LatexSyntaxError('maximum recursion depth exceeded');
  }
  private leave(): void {
    this.depth--;
  }
  /** Runs f; on failure restores the position and returns undefined. */
  private attempt<T>(f: () => T): T | undefined {
    const save = this.pos;
    const depth = this.depth;
    try {
      return f();
    } catch (e) {
      if (!(e instanceof LatexSyntaxError)) throw e;
      if (e.message === 'maximum recursion depth exceeded') throw e;
      this.pos = save;
      this.depth = depth;
      return undefined;
    }
  }
  private textBetween(from: number, to: number): string {
    let s = '';
    for (let i = from; i < to; i++) s += this.toks[i]!.s;
    return s;
  }

  // math: (set_elements_relation | set_elements | set_relation) EOF
  parseMath(raw: string): Node {
    const a = this.attempt(() => {
      const r = this.setElementsRelation();
      this.expect('EOF');
      return r;
    });
    if (a) return a;
    const b = this.attempt(() => {
      const r = this.semicolonElements('EOF');
      this.expect('EOF');
      return r;
    });
    if (b) {
      // "3,333" is a number with a thousands separator, not a set.
      if (COMMA_NUMBER.test(raw)) return convertCommaNumber(raw);
      return elementsToSetOrTuple(b);
    }
    const c = this.attempt(() => {
      const r = this.setRelation();
      this.expect('EOF');
      return r;
    });
    if (c) return c;
    throw new LatexSyntaxError('Nothing matched');
  }

  // set_elements_relation: atom_expr_list (IN | ASSIGNMENT) semicolon_elements_no_relation
  private setElementsRelation(): Node {
    const left = this.atomExprList();
    if (!this.at('IN', 'ASSIGN')) throw new LatexSyntaxError('expected relation');
    this.next();
    const groups = this.semicolonElements('EOF', true);
    return { k: 'rel', op: 'eq', lhs: left, rhs: elementsToSetOrTuple(groups) };
  }

  // atom_expr_list: (L_PAREN atom_expr (COMMA atom_expr)* R_PAREN) | atom_expr
  private atomExprList(): Node {
    if (this.at('LPAREN')) {
      this.next();
      const items = [this.atomExpr(true)];
      while (this.at('COMMA')) {
        this.next();
        items.push(this.atomExpr(true));
      }
      this.expect('RPAREN');
      return items.length === 1 ? items[0]! : { k: 'tuple', args: items };
    }
    return this.atomExpr(true);
  }

  private semicolonElements(closer: Tok, noRelation = false): Node[][] {
    const groups: Node[][] = [this.commaElements(closer, noRelation)];
    while (this.at('SEMICOLON')) {
      this.next();
      groups.push(this.commaElements(closer, noRelation));
    }
    return groups;
  }

  private commaElements(closer: Tok, noRelation: boolean): Node[] {
    const out = this.element(closer, noRelation);
    while (this.at('COMMA')) {
      this.next();
      out.push(...this.element(closer, noRelation));
    }
    return out;
  }

  // element: plus_minus_expr | set_atom | relation   (element_no_relation: ... | expr)
  private element(closer: Tok, noRelation: boolean): Node[] {
    const follows = (): boolean => this.at('COMMA', 'SEMICOLON', closer);
    const pm = this.attempt(() => {
      const r = this.plusMinusExpr();
      if (!follows()) throw new LatexSyntaxError('follow');
      return r;
    });
    if (pm) return pm;
    const sa = this.attempt(() => {
      const r = this.setAtom();
      if (!follows()) throw new LatexSyntaxError('follow');
      return r;
    });
    if (sa) return [sa];
    const r = noRelation ? this.expr() : this.relation();
    if (!follows()) throw new LatexSyntaxError('follow');
    return [r];
  }

  // plus_minus_expr: expr PLUS_MINUS expr | PLUS_MINUS expr
  private plusMinusExpr(): Node[] {
    if (this.at('PM')) {
      this.next();
      const e = this.expr();
      return [asUnaryMinus(e), e];
    }
    const l = this.expr();
    this.expect('PM');
    const r = this.expr();
    return [
      { k: 'add', args: [l, r] },
      { k: 'add', args: [l, asUnaryMinus(r)] },
    ];
  }

  // set_atom: interval | literal_set | ordered_tuple | finite_set
  private setAtom(): Node {
    const iv = this.attempt(() => this.interval());
    if (iv) return iv;
    if (this.at('SET_LITERAL', 'SET_EMPTY')) return literalSet(this.next());
    if (this.at('LBRACE') && this.peek(1).t === 'RBRACE') {
      this.next();
      this.next();
      return { k: 'sset', name: 'EmptySet' };
    }
    const ot = this.attempt(() => this.orderedTuple());
    if (ot) return ot;
    return this.finiteSet();
  }

  private interval(): Node {
    const open = this.next();
    if (!['LBRACKET', 'LPAREN', 'LPAREN_V', 'LBRACK', 'LGROUP'].includes(open.t)) throw new LatexSyntaxError('interval');
    const a = this.expr();
    this.expect('COMMA');
    const b = this.expr();
    const close = this.next();
    if (!['RBRACKET', 'RPAREN', 'RPAREN_V', 'RBRACK', 'RGROUP'].includes(close.t)) throw new LatexSyntaxError('interval');
    const lo = open.t === 'LPAREN' || open.t === 'LGROUP' || open.t === 'LPAREN_V';
    const ro = close.t === 'RPAREN' || close.t === 'RGROUP' || close.t === 'RPAREN_V';
    return makeInterval(a, b, lo, ro);
  }

  private orderedTuple(): Node {
    const open = this.next();
    const closer: Tok | undefined =
      open.t === 'LPAREN' ? 'RPAREN' : open.t === 'LPAREN_V' ? 'RPAREN_V' : open.t === 'LBRACKET' ? 'RBRACKET' : undefined;
    if (!closer) throw new LatexSyntaxError('tuple');
    const groups = this.semicolonElements(closer);
    this.expect(closer);
    if (groups.length === 1 && groups[0]!.length === 1) return groups[0]![0]!;
    return { k: 'tuple', args: groups.flat() };
  }

  private finiteSet(): Node {
    const open = this.next();
    let closer: Tok;
    let boxed = false;
    if (open.t === 'LBRACE') closer = 'RBRACE';
    else if (open.t === 'LBRACE_V') closer = 'RBRACE_V';
    else if (open.t === 'BOXED') {
      this.expect('LBRACE');
      closer = 'RBRACE';
      boxed = true;
    } else throw new LatexSyntaxError('set');
    const groups = this.semicolonElements(closer);
    this.expect(closer);
    if (boxed) return elementsToSetOrTuple(groups);
    return makeFiniteSet(groups.flat());
  }

  // set_relation: set_relation (SUBSET|SUPSET) set_relation | atom_expr_list (IN|NOTIN|ASSIGNMENT) set_relation | minus_expr
  private setRelation(): Node {
    const withAtom = this.attempt(() => {
      const left = this.atomExprList();
      const op = this.next();
      if (op.t !== 'IN' && op.t !== 'NOTIN' && op.t !== 'ASSIGN') throw new LatexSyntaxError('set relation');
      const right = this.setRelation();
      if (op.t === 'NOTIN') return { k: 'not', arg: { k: 'rel', op: 'eq', lhs: left, rhs: right } } as Node;
      return { k: 'rel', op: 'eq', lhs: left, rhs: right } as Node;
    });
    if (withAtom) return withAtom;
    const left = this.minusExpr();
    // is_subset() gives a Python bool, which never verifies; not modelled.
    if (this.at('SUBSET', 'SUPSET')) throw new UnsupportedLatex('subset relations');
    return left;
  }

  private minusExpr(): Node {
    let left = this.unionExpr();
    while (this.at('SETMINUS')) {
      this.next();
      const right = this.unionExpr();
      left = { k: 'setop', op: 'minus', args: [left, right] };
    }
    return left;
  }

  private unionExpr(): Node {
    let left = this.interExpr();
    while (this.at('UNION')) {
      this.next();
      const right = this.interExpr();
      left = { k: 'setop', op: 'union', args: [tupleToSet(left), tupleToSet(right)] };
    }
    return left;
  }

  private interExpr(): Node {
    let left = this.setGroup();
    while (this.at('INTER')) {
      this.next();
      const right = this.setGroup();
      left = { k: 'setop', op: 'inter', args: [tupleToSet(left), tupleToSet(right)] };
    }
    return left;
  }

  private setGroup(): Node {
    const sa = this.attempt(() => this.setAtom());
    if (sa) return sa;
    this.expect('LPAREN');
    this.enter();
    const inner = this.minusExpr();
    this.leave();
    this.expect('RPAREN');
    return inner;
  }

  // relation: relation OP relation | expr  (left-associative chain)
  private relation(): Node {
    let left = this.expr();
    while (this.at('IN', 'ASSIGN', 'EQUAL', 'APPROX', 'LT', 'LTE', 'GT', 'GTE', 'UNEQUAL')) {
      const op = this.next().t;
      const right = this.expr();
      left = convertRelation(left, op, right);
    }
    return left;
  }

  expr(): Node {
    this.enter();
    try {
      return this.additive();
    } finally {
      this.leave();
    }
  }

  private additive(): Node {
    let left = this.mp(false);
    while (this.at('ADD', 'SUB')) {
      const op = this.next().t;
      let right = this.mp(false);
      if (isMatrixKind(left) || isMatrixKind(right)) {
        // MatAdd raises on an operand that is not a matrix (a scalar, or a Pow of a matrix).
        if (!matrixValued(left) || !matrixValued(right)) throw new LatexSyntaxError('Mix of Matrix and Scalar symbols');
        left = matAddFlat(left, op === 'SUB' ? matMulFlat(MINUS_ONE, right) : right);
        continue;
      }
      if (op === 'SUB') right = isSympyNumber(right) ? negNumber(right) : mulFlat(MINUS_ONE, right);
      left = addFlat(left, right);
    }
    return left;
  }

  private mp(nofunc: boolean): Node {
    let left = this.unary(nofunc);
    while (this.at('MUL', 'TIMES', 'CDOT', 'DIV', 'CMD_DIV', 'COLON', 'MOD')) {
      const op = this.next().t;
      const right = this.unary(nofunc);
      const matrices = isMatrixKind(left) || isMatrixKind(right);
      if (op === 'MUL' || op === 'TIMES' || op === 'CDOT') left = matrices ? matMulFlat(left, right) : mulFlat(left, right);
      else if (op === 'MOD') {
        if (isMatrixKind(right)) throw new LatexSyntaxError('Cannot perform modulo operation with a matrix as an operand');
        left = { k: 'fn', name: 'Mod', args: [left, right] };
      } else if (matrices) left = { k: 'matmul', args: [left, pow(right, MINUS_ONE)] };
      else if (left.k === 'int' && right.k === 'int') left = rational(left.v, right.v);
      else left = { k: 'mul', args: [left, pow(right, MINUS_ONE)] };
    }
    return left;
  }

  private unary(nofunc: boolean): Node {
    if (this.at('ADD')) {
      this.next();
      return this.unary(nofunc);
    }
    if (this.at('SUB')) {
      this.next();
      this.enter();
      const inner = this.unary(nofunc);
      this.leave();
      if (isMatrixKind(inner)) return matMulFlat(MINUS_ONE, inner);
      return isSympyNumber(inner) ? negNumber(inner) : mulFlat(MINUS_ONE, inner);
    }
    // postfix+ (unary_nofunc: postfix postfix_nofunc*)
    const items: Node[] = [this.postfix(nofunc)];
    for (;;) {
      if (!this.canStartComp()) break;
      if (this.stopAtDifferential && this.at('DIFFERENTIAL')) break;
      const p = this.attempt(() => this.postfix(nofunc));
      if (!p) break;
      items.push(p);
    }
    return postfixList(items, 0);
  }

  private canStartComp(): boolean {
    switch (this.peek().t) {
      case 'LPAREN': case 'LGROUP': case 'LBRACE': case 'LBRACKET': case 'LBRACE_V': case 'LBRACE_CMD': case 'LBRACK':
      case 'PHANTOM': case 'BOXED': case 'NORM': case 'BAR': case 'LVERT': case 'VERT': case 'LANGLE': case 'LFLOOR':
      case 'LLCORNER': case 'LCEIL': case 'ULCORNER': case 'FUNC1': case 'FUNC_MULTI': case 'OPERATORNAME':
      case 'LETTER': case 'GREEK': case 'OTHER_SYMBOL': case 'ACCENT': case 'FUNC_INT': case 'FUNC_SQRT': case 'FUNC_SUM':
      case 'FUNC_PROD': case 'FUNC_LIM': case 'EXP_E': case 'SYMBOL': case 'NUMBER': case 'PERCENT_NUMBER':
      case 'E_NOTATION': case 'E_NOTATION_E': case 'DIFFERENTIAL': case 'FRAC': case 'BINOM':
      case 'MATRIX_START': case 'ARRAY_START': case 'DET_START':
        return true;
      default:
        return false;
    }
  }

  // postfix: exp postfix_op*
  private postfix(nofunc: boolean): Node {
    let e = this.exp(nofunc);
    for (;;) {
      if (this.at('BANG')) {
        this.next();
        if (e.k === 'dmark') throw new LatexSyntaxError('Cannot apply postfix to derivative');
        e = { k: 'fn', name: 'factorial', args: [e] };
      } else if (this.at('TRANSPOSE')) {
        this.next(); // transposing a scalar is the scalar
        if (e.k === 'matrix') e = transpose(e);
        else if (isMatrixKind(e)) {
          const m = matrixDoit(e);
          if (!m) throw new UnsupportedLatex('transpose of a matrix expression');
          e = transpose(m);
        }
      } else if (this.at('BAR') && (this.peek(1).t === 'UNDERSCORE' || this.peek(1).t === 'CARET') && this.peek(2).t === 'LBRACE') {
        e = this.evalAt(e);
      } else if (this.at('DEGREE')) {
        this.next(); // convert_degrees=False: the degree mark is dropped
      } else break;
    }
    return e;
  }

  // eval_at: BAR (eval_at_sup | eval_at_sub | eval_at_sup eval_at_sub), each _{expr | equality}
  private evalAt(e: Node): Node {
    if (e.k === 'dmark') throw new LatexSyntaxError('Cannot apply postfix to derivative');
    this.next();
    const part = (): Node => {
      this.next();
      this.expect('LBRACE');
      const lhs = this.expr();
      let at: Node;
      if (this.at('EQUAL', 'ASSIGN')) {
        // subs(lh, rh)
        this.next();
        const rhs = this.expr();
        if (lhs.k !== 'sym') throw new UnsupportedLatex('substituting for an expression');
        at = substitute(e, lhs, rhs);
      } else {
        // subs(first symbol of the point, point); no symbol: unchanged
        const syms = [...symbolsOf(lhs)];
        if (syms.length > 1) throw new UnsupportedLatex('evaluation point with several symbols');
        at = syms.length === 0 ? e : substitute(e, { k: 'sym', name: syms[0]! }, lhs);
      }
      this.expect('RBRACE');
      return at;
    };
    const upper = this.at('CARET') ? part() : undefined;
    const lower = this.at('UNDERSCORE') ? part() : undefined;
    if (upper && lower) return addFlat(upper, mulFlat(lower, MINUS_ONE));
    return (upper ?? lower)!;
  }

  /**
   * convert_frac's derivatives, decided on the tokens of the two braces: {d}{dx} and
   * {\\partial}{\\partial x} are the operator (applied to what follows, in a product), {dy}{dx}
   * and {d(...)}{dx} (or \\partial) the derivative of the rest of the numerator.
   */
  private derivativeFraction(): Node | undefined {
    if (!this.at('LBRACE')) return undefined;
    const topOpen = this.pos;
    const topClose = this.matchingBraceOrNone(topOpen);
    if (topClose === undefined || this.toks[topClose + 1]?.t !== 'LBRACE') return undefined;
    const botClose = this.matchingBraceOrNone(topClose + 1);
    if (botClose === undefined) return undefined;
    const top = this.toks.slice(topOpen + 1, topClose);
    const bot = this.toks.slice(topClose + 2, botClose);
    const differential = bot.length === 1 && bot[0]!.t === 'DIFFERENTIAL';
    const partial = bot.length === 2 && bot[0]!.t === 'SYMBOL' && bot[0]!.s === '\\partial' && (bot[1]!.t === 'LETTER' || bot[1]!.t === 'SYMBOL');
    if (!differential && !partial) return undefined;
    let v: SymNode;
    if (differential) v = differentialVar(bot[0]!.s);
    else v = { k: 'sym', name: bot[1]!.t === 'SYMBOL' ? bot[1]!.s.slice(1) : bot[1]!.s };
    const operator = differential
      ? top.length === 1 && top[0]!.t === 'LETTER' && top[0]!.s === 'd'
      : top.length === 1 && top[0]!.t === 'SYMBOL' && top[0]!.s === '\\partial';
    if (operator) {
      this.pos = botClose + 1;
      return { k: 'dmark', v };
    }
    const upper = this.textBetween(topOpen + 1, topClose);
    let inner: string | undefined;
    if (differential && upper.startsWith('d')) inner = upper.slice(1);
    else if (partial && top[0]?.t === 'SYMBOL' && top[0].s === '\\partial') inner = upper.slice('\\partial'.length);
    if (inner === undefined) return undefined;
    const body = this.reparse(inner);
    // `if expr_top:` in the reference: a zero numerator falls back to a plain fraction.
    if ((body.k === 'int' && body.v === 0n) || (body.k === 'float' && body.v === 0)) return undefined;
    if (isMatrixKind(body)) throw new UnsupportedLatex('derivative of a matrix');
    this.pos = botClose + 1;
    return { k: 'deriv', body, v };
  }

  private matchingBraceOrNone(open: number): number | undefined {
    let depth = 0;
    for (let i = open; i < this.toks.length; i++) {
      const t = this.toks[i]!.t;
      if (t === 'LBRACE') depth++;
      else if (t === 'RBRACE' && --depth === 0) return i;
    }
    return undefined;
  }

  // exp: exp CARET (atom | L_BRACE expr R_BRACE) subexpr? | comp
  private exp(nofunc: boolean): Node {
    this.enter();
    try {
      let base = this.comp(nofunc);
      while (this.at('CARET')) {
        if (base.k === 'dmark') throw new LatexSyntaxError('Cannot raise derivative to power');
        this.next();
        let exponent: Node;
        if (this.at('LBRACE')) {
          this.next();
          exponent = this.expr();
          this.expect('RBRACE');
        } else exponent = this.atom();
        if (this.at('UNDERSCORE')) this.subexprText();
        base = pow(base, exponent);
      }
      return base;
    } finally {
      this.leave();
    }
  }

  private comp(nofunc: boolean): Node {
    const t = this.peek().t;
    switch (t) {
      case 'LPAREN':
      case 'LGROUP':
      case 'LBRACKET':
      case 'LBRACE_V':
      case 'LBRACE_CMD':
      case 'LBRACK': {
        const close: Record<string, Tok> = {
          LPAREN: 'RPAREN', LGROUP: 'RGROUP', LBRACKET: 'RBRACKET', LBRACE_V: 'RBRACE_V', LBRACE_CMD: 'RBRACE_CMD', LBRACK: 'RBRACK',
        };
        this.next();
        const e = this.expr();
        this.expect(close[t]!);
        return e;
      }
      case 'LBRACE': {
        // group {expr} or binom {a \choose b}
        this.next();
        const e = this.expr();
        if (this.at('CHOOSE')) {
          this.next();
          const lower = this.expr();
          this.expect('RBRACE');
          return binomial(e, lower);
        }
        this.expect('RBRACE');
        return e;
      }
      case 'PHANTOM':
      case 'BOXED': {
        this.next();
        this.expect('LBRACE');
        const e = this.expr();
        this.expect('RBRACE');
        return e;
      }
      case 'BAR':
      case 'LVERT':
      case 'VERT': {
        const close: Tok = t === 'BAR' ? 'BAR' : t === 'LVERT' ? 'RVERT' : 'VERT';
        this.next();
        const e = this.expr();
        this.expect(close);
        return { k: 'fn', name: 'Abs', args: [e] };
      }
      case 'LFLOOR':
      case 'LLCORNER': {
        this.next();
        const e = this.expr();
        this.expect(t === 'LFLOOR' ? 'RFLOOR' : 'LRCORNER');
        return { k: 'fn', name: 'floor', args: [e] };
      }
      case 'LCEIL':
      case 'ULCORNER': {
        this.next();
        const e = this.expr();
        this.expect(t === 'LCEIL' ? 'RCEIL' : 'URCORNER');
        return { k: 'fn', name: 'ceiling', args: [e] };
      }
      case 'NORM':
        throw new UnsupportedLatex('norms');
      case 'LANGLE':
        // convert_comp has no branch for dot_product: the conversion yields None and fails.
        throw new LatexSyntaxError('dot products');
      case 'FRAC': {
        this.next();
        const derivative = this.derivativeFraction();
        if (derivative) return derivative;
        this.expect('LBRACE');
        const top = this.expr();
        this.expect('RBRACE');
        this.expect('LBRACE');
        const bot = this.expr();
        this.expect('RBRACE');
        if (isMatrixKind(top) || isMatrixKind(bot)) return { k: 'matmul', args: [top, pow(bot, MINUS_ONE)] };
        if (top.k === 'int' && bot.k === 'int') return rational(top.v, bot.v);
        return { k: 'mul', args: [top, pow(bot, MINUS_ONE)] };
      }
      case 'MATRIX_START':
      case 'ARRAY_START':
        return this.matrix();
      case 'DET_START': {
        const m = this.matrixBody('DET_START', 'DET_END');
        if (m.rows !== m.cols) throw new LatexSyntaxError('NonSquareMatrixError');
        const det = determinant(m);
        if (!det) throw new UnsupportedLatex('determinant of a large matrix');
        return det;
      }
      case 'BINOM': {
        this.next();
        this.expect('LBRACE');
        const top = this.expr();
        this.expect('RBRACE');
        this.expect('LBRACE');
        const bot = this.expr();
        this.expect('RBRACE');
        return binomial(top, bot);
      }
      default:
        break;
    }
    if (!nofunc) {
      const f = this.attempt(() => this.func());
      if (f) return f;
    } else if (t === 'LETTER' || t === 'GREEK' || t === 'OTHER_SYMBOL' || t === 'ACCENT') {
      // comp_nofunc has no func alternative: the letter is an atom.
    }
    return this.atom();
  }

  // func alternatives
  private func(): Node {
    const t = this.peek().t;
    if (t === 'FUNC1' || (t === 'OPERATORNAME' && this.operatorKind() === 'single')) return this.singleArgFunc();
    if (t === 'FUNC_MULTI' || (t === 'OPERATORNAME' && this.operatorKind() === 'multi')) return this.multiArgFunc();
    if (t === 'LETTER' || t === 'GREEK' || t === 'OTHER_SYMBOL' || t === 'ACCENT') return this.appliedFunction();
    if (t === 'FUNC_SQRT') {
      this.next();
      let root: Node | undefined;
      if (this.at('LBRACKET')) {
        this.next();
        root = this.expr();
        this.expect('RBRACKET');
      }
      this.expect('LBRACE');
      const base = this.expr();
      this.expect('RBRACE');
      if (!root) return pow(base, HALF);
      return pow(base, reciprocal(root));
    }
    if (t === 'FUNC_SUM' || t === 'FUNC_PROD') return this.sumOrProduct();
    if (t === 'FUNC_INT') return this.integral();
    if (t === 'FUNC_LIM') return this.limit();
    if (t === 'EXP_E') {
      this.next();
      if (this.at('CARET')) {
        this.next();
        let e: Node;
        if (this.at('LBRACE')) {
          this.next();
          e = this.expr();
          this.expect('RBRACE');
        } else e = this.atom();
        return expOf(e);
      }
      return { k: 'const', name: 'E' };
    }
    throw new LatexSyntaxError('not a function');
  }

  private operatorKind(): 'single' | 'multi' | 'none' {
    if (this.peek(1).t !== 'LBRACE' || this.peek(3).t !== 'RBRACE') return 'none';
    const w = this.peek(2).t;
    return w === 'OPNAME1' ? 'single' : w === 'OPNAME_MULTI' ? 'multi' : 'none';
  }

  private funcScripts(): { sub?: Node; sup?: Node } {
    const out: { sub?: Node; sup?: Node } = {};
    for (let i = 0; i < 2; i++) {
      if (this.at('UNDERSCORE') && !out.sub) {
        this.next();
        out.sub = this.scriptBody();
      } else if (this.at('CARET') && !out.sup) {
        this.next();
        out.sup = this.scriptBody();
      }
    }
    return out;
  }

  private scriptBody(): Node {
    if (this.at('LBRACE')) {
      this.next();
      const e = this.expr();
      this.expect('RBRACE');
      return e;
    }
    return this.atom();
  }

  private singleArgFunc(): Node {
    const head = this.next();
    let name = head.s.slice(1);
    if (head.t === 'OPERATORNAME') {
      this.next();
      name = this.next().s;
      this.next();
    }
    const { sub, sup } = this.funcScripts();
    let arg: Node;
    const withParens = this.attempt(() => {
      this.expect('LPAREN');
      const e = this.expr();
      this.expect('RPAREN');
      return e;
    });
    arg = withParens ?? this.mp(true);
    let funcPow = sup;
    let expr: Node;
    const isMinusOne = (n: Node | undefined): boolean => n !== undefined && n.k === 'int' && n.v === -1n;
    if (['arcsin', 'arccos', 'arctan', 'arccsc', 'arcsec', 'arccot'].includes(name)) expr = fn('a' + name.slice(3), arg);
    else if (['arsinh', 'arcosh', 'artanh'].includes(name)) expr = fn('a' + name.slice(2), arg);
    else if (['arcsinh', 'arccosh', 'arctanh'].includes(name)) expr = fn('a' + name.slice(3), arg);
    else if (name === 'log' || name === 'ln') {
      const base: Node = sub ?? (name === 'log' ? { k: 'int', v: 10n } : { k: 'const', name: 'E' });
      expr = { k: 'fn', name: 'log', args: [arg, base] };
    } else if (name === 'exp') expr = expOf(arg);
    else if (name === 'floor') expr = fn('floor', arg);
    else if (name === 'ceil') expr = fn('ceiling', arg);
    else if (['sin', 'cos', 'tan', 'csc', 'sec', 'cot', 'sinh', 'cosh', 'tanh'].includes(name)) {
      if (isMinusOne(funcPow)) {
        name = 'a' + name;
        funcPow = undefined;
      }
      expr = fn(name, arg);
    } else if (name === 'det') {
      // arg.det(): only matrices have one.
      if (!isMatrixKind(arg)) throw new LatexSyntaxError("'det' of a non-matrix");
      const m = matrixDoit(arg);
      const det = m && determinant(m);
      if (!det) throw new UnsupportedLatex('determinant of this matrix expression');
      expr = det;
    } else if (['eye', 'rank', 'trace', 'tr', 'rref', 'nullspace', 'norm', 'cols', 'rows', 'eig', 'eigen', 'diagonalize', 'eigenvals', 'eigenvalues', 'eigenvects', 'eigenvectors', 'svd', 'SVD'].includes(name)) {
      throw new UnsupportedLatex('matrix functions');
    } else expr = fn(name, arg);
    if (funcPow && !(funcPow.k === 'int' && funcPow.v === 0n)) expr = pow(expr, funcPow);
    return expr;
  }

  private multiArgFunc(): Node {
    const head = this.next();
    let name = head.s.slice(1);
    if (head.t === 'OPERATORNAME') {
      this.next();
      name = this.next().s;
      this.next();
    }
    const { sup } = this.funcScripts();
    let argText: string;
    if (this.at('LPAREN')) {
      this.next();
      const start = this.pos;
      this.expr();
      while (this.at('COMMA')) {
        this.next();
        this.expr();
      }
      argText = this.textBetween(start, this.pos);
      this.expect('RPAREN');
    } else {
      // func_multi_arg_noparens: the reference calls .split on a parse context and raises.
      throw new LatexSyntaxError('multi-argument function without parentheses');
    }
    if (['zeros', 'ones', 'diag', 'hstack', 'vstack', 'orth', 'ortho', 'orthogonal', 'orthogonalize'].includes(name)) {
      throw new UnsupportedLatex('matrix functions');
    }
    const args = argText.split(',').map((a) => this.reparse(a));
    let expr: Node;
    if (name === 'gcd' || name === 'lcm') expr = gcdLcm(name, args);
    else if (name === 'max' || name === 'min') expr = { k: 'fn', name: name === 'max' ? 'Max' : 'Min', args };
    else expr = { k: 'fn', name, args };
    if (sup && !(sup.k === 'int' && sup.v === 0n)) expr = pow(expr, sup);
    return expr;
  }

  // atom_expr_no_supexpr supexpr? ( '(' func_common_args ')' | '[' ... ']' | '{' '(' ... ')' '}' | '{' '[' ... ']' '}' )
  private appliedFunction(): Node {
    const start = this.pos;
    this.next();
    if (this.at('UNDERSCORE')) this.subexprText();
    const nameText = this.textBetween(start, this.pos);
    let sup: Node | undefined;
    if (this.at('CARET')) {
      this.next();
      sup = this.scriptBody();
    }
    let open: Tok;
    let close: Tok;
    let braced = false;
    if (this.at('LPAREN')) [open, close] = ['LPAREN', 'RPAREN'];
    else if (this.at('LBRACKET')) [open, close] = ['LBRACKET', 'RBRACKET'];
    else if (this.at('LBRACE') && (this.peek(1).t === 'LPAREN' || this.peek(1).t === 'LBRACKET')) {
      braced = true;
      this.next();
      [open, close] = this.at('LPAREN') ? ['LPAREN', 'RPAREN'] : ['LBRACKET', 'RBRACKET'];
    } else throw new LatexSyntaxError('not an applied function');
    this.expect(open);
    const argStart = this.pos;
    // func_common_args: atom | (expr ',') | (expr ',' args)
    const single = this.attempt(() => {
      this.atom();
      if (!this.at(close)) throw new LatexSyntaxError('args');
      return true;
    });
    if (!single) {
      this.expr();
      this.expect('COMMA');
      if (!this.at(close)) {
        this.expr();
        while (this.at('COMMA')) {
          this.next();
          this.expr();
        }
      }
    }
    const argText = this.textBetween(argStart, this.pos);
    this.expect(close);
    if (braced) this.expect('RBRACE');
    let parts = argText.split(',');
    if (parts[parts.length - 1] === '') parts = parts.slice(0, -1);
    const args = parts.map((a) => this.reparse(a));
    const applied: Node = { k: 'fn', name: 'F:' + nameText, args };
    return sup ? pow(applied, sup) : applied;
  }

  private subexprText(): string {
    this.expect('UNDERSCORE');
    const start = this.pos;
    if (this.at('LBRACE')) {
      this.next();
      const inner = this.pos;
      this.expr();
      while (this.at('COMMA')) {
        this.next();
        this.expr();
      }
      const text = this.textBetween(inner, this.pos);
      this.expect('RBRACE');
      return text;
    }
    this.atom();
    return this.textBetween(start, this.pos);
  }

  // matrix: (CMD_MATRIX_START rows CMD_MATRIX_END | CMD_ARRAY_START rows CMD_ARRAY_END) (xrightarrow transforms)?
  private matrix(): Node {
    const start = this.peek().t;
    const m = start === 'ARRAY_START' ? this.matrixBody('ARRAY_START', 'ARRAY_END') : this.matrixBody('MATRIX_START', 'MATRIX_END');
    if (this.at('XRIGHTARROW')) throw new UnsupportedLatex('elementary row and column transforms');
    return m;
  }

  // matrix_row (MATRIX_DEL_ROW matrix_row)* MATRIX_DEL_ROW?, matrix_row: expr (MATRIX_DEL_COL expr)*
  private matrixBody(open: Tok, close: Tok) {
    this.expect(open);
    const rows: Node[][] = [];
    let entries = 0;
    for (;;) {
      const row = [this.expr()];
      while (this.at('DEL_COL')) {
        this.next();
        row.push(this.expr());
      }
      rows.push(row);
      entries += row.length;
      if (entries > MAX_MATRIX_ENTRIES) throw new UnsupportedLatex('matrix too large');
      if (!this.at('DEL_ROW')) break;
      this.next();
      if (this.at(close)) break;
    }
    this.expect(close);
    // sympy.Matrix(rows) rejects ragged rows.
    if (rows.some((r) => r.length !== rows[0]!.length)) throw new LatexSyntaxError('mismatched row lengths');
    if (rows.some((r) => r.some(isMatrixKind))) throw new UnsupportedLatex('nested matrices');
    return makeMatrix(rows);
  }

  // (FUNC_SUM | FUNC_PROD) (subeq supexpr | supexpr subeq) mp
  private sumOrProduct(): Node {
    const head = this.next();
    let v: Node | undefined;
    let lo: Node | undefined;
    let hi: Node | undefined;
    for (let i = 0; i < 2; i++) {
      if (this.at('UNDERSCORE') && !v) {
        // subeq: UNDERSCORE L_BRACE expr (EQUAL | ASSIGNMENT) expr R_BRACE
        this.next();
        this.expect('LBRACE');
        v = this.expr();
        if (!this.at('EQUAL', 'ASSIGN')) throw new LatexSyntaxError('expected =');
        this.next();
        lo = this.expr();
        this.expect('RBRACE');
      } else if (this.at('CARET') && !hi) {
        this.next();
        // ^n_{k=1}: the bare letter does not take the lower limit as its subscript.
        hi = i === 0 && this.at('LETTER', 'GREEK', 'OTHER_SYMBOL', 'ACCENT') ? this.atomExpr(false, true) : this.scriptBody();
      }
    }
    if (!v || !lo || !hi) throw new LatexSyntaxError('a sum or product needs both limits');
    const body = this.mp(false);
    const index = v;
    if (index.k !== 'sym') throw new UnsupportedLatex('summation index that is not a symbol');
    if ([body, lo, hi].some(isMatrixKind)) throw new UnsupportedLatex('sum of matrices');
    return { k: head.t === 'FUNC_SUM' ? 'sum' : 'prod', body, v: index, lo, hi };
  }

  // FUNC_INT (subexpr supexpr | supexpr subexpr | _{}^{} | ^{}_{})? (additive? DIFFERENTIAL | frac | additive)
  private integral(): Node {
    this.next();
    let lo: Node | undefined;
    let hi: Node | undefined;
    const emptyScript = (t: Tok): boolean => this.at(t) && this.peek(1).t === 'LBRACE' && this.peek(2).t === 'RBRACE';
    if (emptyScript('UNDERSCORE') || emptyScript('CARET')) {
      const first = this.peek().t;
      this.pos += 3;
      if (!emptyScript(first === 'UNDERSCORE' ? 'CARET' : 'UNDERSCORE')) throw new LatexSyntaxError('integral limits');
      this.pos += 3;
    } else if (this.at('UNDERSCORE', 'CARET')) {
      // A bare letter as the first limit does not take the other limit as its own script
      // (\int_a^b is from a to b, \int^b_a too), as ANTLR's prediction decides.
      const limit = (first: boolean, isSub: boolean): Node =>
        first && this.at('LETTER', 'GREEK', 'OTHER_SYMBOL', 'ACCENT') ? this.atomExpr(isSub, !isSub) : this.scriptBody();
      for (let i = 0; i < 2; i++) {
        if (this.at('UNDERSCORE') && !lo) {
          this.next();
          lo = limit(i === 0, true);
        } else if (this.at('CARET') && !hi) {
          this.next();
          hi = limit(i === 0, false);
        }
      }
      if (!lo || !hi) throw new LatexSyntaxError('integral limits');
    }
    let body: Node;
    let v: SymNode | undefined;
    if (this.at('DIFFERENTIAL')) {
      body = ONE;
      v = differentialVar(this.next().s);
    } else {
      const saved = this.stopAtDifferential;
      const beforeDifferential = this.attempt(() => {
        this.stopAtDifferential = true;
        try {
          const e = this.additive();
          if (!this.at('DIFFERENTIAL')) throw new LatexSyntaxError('no differential');
          return e;
        } finally {
          this.stopAtDifferential = saved;
        }
      });
      if (beforeDifferential) {
        body = beforeDifferential;
        v = differentialVar(this.next().s);
      } else {
        body = this.at('FRAC') ? this.comp(false) : this.additive();
        if (body.k === 'dmark') throw new LatexSyntaxError('a derivative operator as integrand');
        // No trailing dx: a symbol d<var> inside the integrand names the variable and becomes 1.
        const dSymbols = [...symbolsOf(body)].filter((name) => name.length > 1 && name[0] === 'd');
        if (dSymbols.length > 1) throw new UnsupportedLatex('ambiguous integration variable');
        if (dSymbols.length === 1) {
          const d = dSymbols[0]!;
          v = { k: 'sym', name: d[1] === '\\' ? d.slice(2) : d.slice(1) };
          body = mapTree(body, (n) => (n.k === 'sym' && n.name === d ? ONE : n));
        } else v = { k: 'sym', name: 'x' };
      }
    }
    if ([body, lo, hi].some((n) => n !== undefined && isMatrixKind(n))) throw new UnsupportedLatex('integral of a matrix');
    return lo ? { k: 'integral', body, v: v!, lo, hi } : { k: 'integral', body, v: v! };
  }

  // FUNC_LIM limit_sub mp, limit_sub: _{ (LETTER | GREEK | OTHER_SYMBOL) \to expr (^{+|-})? }
  private limit(): Node {
    this.next();
    this.expect('UNDERSCORE');
    this.expect('LBRACE');
    const varTok = this.next();
    let v: SymNode;
    if (varTok.t === 'LETTER') v = { k: 'sym', name: varTok.s };
    else if (varTok.t === 'GREEK' || varTok.t === 'OTHER_SYMBOL') {
      // get_symbol without lowercasing
      const name = greekName(varTok.s.trim()) ?? varTok.s.trim();
      if (name === 'pi') throw new UnsupportedLatex('limit variable pi');
      v = { k: 'sym', name: name.startsWith('\\') ? name.slice(1) : name };
    } else throw new LatexSyntaxError('limit variable');
    this.expect('LIM_APPROACH');
    // The point is an expr that stops before a trailing ^{+} / ^{-} (the direction).
    const close = this.matchingBrace(this.pos - 3);
    let end = close;
    let dir: '+' | '-' = '+';
    const t = (k: number): Tok => this.toks[k]!.t;
    if (close - 4 >= this.pos && t(close - 4) === 'CARET' && t(close - 3) === 'LBRACE' && (t(close - 2) === 'ADD' || t(close - 2) === 'SUB') && t(close - 1) === 'RBRACE') {
      end = close - 4;
      dir = t(close - 2) === 'SUB' ? '-' : '+';
    }
    const sub = new Parser([...this.toks.slice(this.pos, end), { t: 'EOF', s: '' }], this.reparse);
    const to = sub.expr();
    sub.expect('EOF');
    this.pos = close + 1;
    const body = this.mp(false);
    if (isMatrixKind(body) || isMatrixKind(to)) throw new UnsupportedLatex('limit of a matrix');
    // sympy.Limit: the direction towards an infinity is fixed.
    if (to.k === 'const' && (to.name === 'oo' || to.name === '-oo')) dir = to.name === 'oo' ? '-' : '+';
    return { k: 'limit', body, v, to, dir };
  }

  /** Index of the RBRACE matching the LBRACE at `open` (or throws). */
  private matchingBrace(open: number): number {
    if (this.toks[open]?.t !== 'LBRACE') throw new LatexSyntaxError('expected {');
    let depth = 0;
    for (let i = open; i < this.toks.length; i++) {
      const t = this.toks[i]!.t;
      if (t === 'LBRACE') depth++;
      else if (t === 'RBRACE' && --depth === 0) return i;
    }
    throw new LatexSyntaxError('unbalanced braces');
  }

  // atom: atom_expr | SYMBOL | number_subexpr | PERCENT_NUMBER | E_NOTATION | E_NOTATION_E | DIFFERENTIAL | VARIABLE
  atom(): Node {
    const tk = this.peek();
    switch (tk.t) {
      case 'LETTER':
      case 'GREEK':
      case 'OTHER_SYMBOL':
      case 'ACCENT':
        return this.atomExpr(false);
      case 'SYMBOL': {
        this.next();
        const s = tk.s.replace('\\$', '').replace('\\%', '');
        if (s === '\\infty') return { k: 'const', name: 'oo' };
        throw new LatexSyntaxError('Unrecognized symbol');
      }
      case 'NUMBER': {
        this.next();
        if (this.at('UNDERSCORE')) this.subexprText();
        return parseNumber(tk.s);
      }
      case 'E_NOTATION':
        this.next();
        return parseNumber(tk.s);
      case 'E_NOTATION_E':
        this.next();
        return symbol('e');
      case 'DIFFERENTIAL': {
        this.next();
        let v = tk.s.slice(1).replace(/^[ \t\r\n]+/, '');
        if (v.startsWith('\\')) v = v.slice(1);
        return symbol('d' + v);
      }
      case 'PERCENT_NUMBER': {
        this.next();
        const text = tk.s.replace('\\%', '').replace('%', '').replace(/,/g, '');
        return { k: 'mul', args: [parseNumber(text.trim()), PCT] };
      }
      default:
        throw new LatexSyntaxError(`unexpected ${tk.t}`);
    }
  }

  // atom_expr: (LETTER_NO_E | GREEK_CMD | OTHER_SYMBOL_CMD | ACCENT) (supexpr subexpr | subexpr supexpr | subexpr | supexpr)?
  private atomExpr(noSup: boolean, noSub = false): Node {
    const tk = this.next();
    let atomText: string;
    if (tk.t === 'LETTER') {
      // convert_atom_expr returns sympy.I before looking at scripts.
      if (tk.s === 'I') return { k: 'const', name: 'I' };
      atomText = tk.s;
    } else if (tk.t === 'GREEK' || tk.t === 'OTHER_SYMBOL') atomText = tk.s;
    else if (tk.t === 'ACCENT') atomText = accentText(tk.s);
    else throw new LatexSyntaxError('atom_expr');
    let sub = '';
    let sup: Node | undefined;
    for (let i = 0; i < 2; i++) {
      if (!noSub && this.at('UNDERSCORE') && !sub) {
        const s = this.subexprText();
        sub = s.length > 1 ? `_{${s}}` : `_${s}`;
      } else if (!noSup && this.at('CARET') && !sup) {
        this.next();
        sup = this.scriptBody();
      }
    }
    const sym = getSymbol(atomText.trim() + sub);
    return sup ? pow(sym, sup) : sym;
  }
}

function matrixValued(n: Node): boolean {
  if (n.k === 'matrix') return true;
  return (n.k === 'matadd' || n.k === 'matmul') && n.args.some(matrixValued);
}

/** latex2sympy's mat_add_flat: MatAdd(evaluate=False) splicing the args of MatAdd operands. */
function matAddFlat(a: Node, b: Node): Node {
  return { k: 'matadd', args: [...(a.k === 'matadd' ? a.args : [a]), ...(b.k === 'matadd' ? b.args : [b])] };
}

/** latex2sympy's mat_mul_flat. */
function matMulFlat(a: Node, b: Node): Node {
  return { k: 'matmul', args: [...(a.k === 'matmul' ? a.args : [a]), ...(b.k === 'matmul' ? b.args : [b])] };
}

function fn(name: string, arg: Node): Node {
  return { k: 'fn', name, args: [arg] };
}

function expOf(arg: Node): Node {
  if (arg.k === 'int' && arg.v === 1n) return { k: 'const', name: 'E' };
  if (arg.k === 'int' && arg.v === 0n) return ONE;
  return { k: 'fn', name: 'exp', args: [arg] };
}

function reciprocal(r: Node): Node {
  if (r.k === 'int') return rational(1n, r.v);
  if (r.k === 'rat') return rational(r.q, r.p);
  if (r.k === 'float') return { k: 'float', v: 1 / r.v };
  return pow(r, MINUS_ONE);
}

function binomial(n: Node, k: Node): Node {
  if (n.k === 'int' && k.k === 'int' && n.v >= 0n && k.v >= 0n && n.v <= 5000n) {
    if (k.v > n.v) return { k: 'int', v: 0n };
    let r = 1n;
    const kk = k.v < n.v - k.v ? k.v : n.v - k.v;
    for (let i = 1n; i <= kk; i++) r = (r * (n.v - kk + i)) / i;
    return { k: 'int', v: r };
  }
  return { k: 'fn', name: 'binomial', args: [n, k] };
}

function gcdLcm(name: string, args: Node[]): Node {
  if (args.every((a) => a.k === 'int')) {
    const g = (a: bigint, b: bigint): bigint => {
      a = a < 0n ? -a : a;
      b = b < 0n ? -b : b;
      while (b) [a, b] = [b, a % b];
      return a;
    };
    let acc = (args[0] as { v: bigint }).v;
    for (const a of args.slice(1)) {
      const v = (a as { v: bigint }).v;
      acc = name === 'gcd' ? g(acc, v) : acc === 0n || v === 0n ? 0n : ((acc < 0n ? -acc : acc) * (v < 0n ? -v : v)) / g(acc, v);
    }
    return { k: 'int', v: acc };
  }
  return { k: 'fn', name, args };
}

function asUnaryMinus(e: Node): Node {
  if (e.k === 'int' || e.k === 'rat') return negNumber(e);
  return { k: 'mul', args: [MINUS_ONE, e] };
}

function literalSet(t: Token): Node {
  if (t.t === 'SET_EMPTY') return { k: 'sset', name: 'EmptySet' };
  const s = t.s;
  if (s.includes('N') || s === 'ℕ') return { k: 'sset', name: 'Naturals' };
  if (s.includes('Z') || s === 'ℤ') return { k: 'sset', name: 'Integers' };
  if (s.includes('Q') || s === 'ℚ') return { k: 'sset', name: 'Rationals' };
  if (s.includes('R') || s === 'ℝ') return { k: 'sset', name: 'Reals' };
  if (s.includes('C') || s === 'ℂ') return { k: 'sset', name: 'Complexes' };
  // \mathbb{P} is lexed but convert_literal_set has no branch for it.
  throw new LatexSyntaxError('Unrecognized literal set');
}

function tupleToSet(n: Node): Node {
  return n.k === 'tuple' ? makeFiniteSet(n.args) : n;
}

/** latex2sympy's FiniteSet: deduplicated, sorted by value, remembering the written order. */
export function makeFiniteSet(items: Node[]): Node {
  if (items.length === 0) return { k: 'sset', name: 'EmptySet' };
  const uniq: Node[] = [];
  for (const it of items) if (!uniq.some((u) => sameForSet(u, it))) uniq.push(it);
  return { k: 'fset', args: sortForSet(uniq), unsorted: items };
}

// Imported lazily to avoid a cycle (compare uses the parser's set helpers).
import { sameForSet, sortForSet } from './setOrder.js';

export function elementsToSetOrTuple(groups: Node[][]): Node {
  if (groups.length === 1) {
    const g = groups[0]!;
    return g.length === 1 ? g[0]! : makeFiniteSet(g);
  }
  if (groups.every((g) => g.length === 1)) return makeFiniteSet(groups.map((g) => g[0]!));
  return makeFiniteSet(groups.map((g) => ({ k: 'tuple', args: g }) as Node));
}

function makeInterval(a: Node, b: Node, lo: boolean, ro: boolean): Node {
  const av = numericValue(a);
  const bv = numericValue(b);
  if (av !== undefined && bv !== undefined) {
    if ((lo && ro && bv <= av) || (!lo && !ro && bv < av)) return { k: 'tuple', args: [a, b] };
    // sympy.Interval evaluates: empty or degenerate intervals collapse.
    if (bv < av) return { k: 'sset', name: 'EmptySet' };
    if (bv === av) return lo || ro ? { k: 'sset', name: 'EmptySet' } : makeFiniteSet([a]);
  }
  if (a.k === 'const' && a.name === '-oo') lo = true;
  if (b.k === 'const' && b.name === 'oo') ro = true;
  return { k: 'interval', a, b, lo, ro };
}

import { evalNode } from './evaluate.js';
function numericValue(n: Node): number | undefined {
  if (n.k === 'const' && n.name === 'oo') return Infinity;
  if (n.k === 'const' && n.name === '-oo') return -Infinity;
  const v = evalNode(n);
  if (Number.isNaN(v.re) || v.im !== 0) return undefined;
  return v.re;
}

function convertRelation(lh: Node, op: Tok, rh: Node): Node {
  const relOp: Partial<Record<Tok, RelOp>> = { LT: 'lt', LTE: 'le', GT: 'gt', GTE: 'ge', EQUAL: 'eq', ASSIGN: 'eq', UNEQUAL: 'ne' };
  if (op === 'APPROX') return isExprOfOnlySymbols(lh) ? rh : lh;
  if (op === 'IN') throw new LatexSyntaxError('Unrecognized relation');
  const r = relOp[op]!;
  if (lh.k === 'and') {
    const last = lh.args[lh.args.length - 1] as Extract<Node, { k: 'rel' }>;
    return { k: 'and', args: [...lh.args, { k: 'rel', op: r, lhs: last.rhs, rhs: rh }] };
  }
  if (lh.k === 'rel') return { k: 'and', args: [lh, { k: 'rel', op: r, lhs: lh.rhs, rhs: rh }] };
  return { k: 'rel', op: r, lhs: lh, rhs: rh };
}

/** latex2sympy's is_expr_of_only_symbols. */
export function isExprOfOnlySymbols(n: Node): boolean {
  if (n.k === 'sym') return true;
  if (n.k === 'pow' && n.exp.k === 'int' && n.exp.v === -1n) {
    if (n.base.k === 'sym') return true;
    const kids = childrenOf(n.base);
    if (kids.every(isExprOfOnlySymbols)) return true;
  }
  const kids = childrenOf(n);
  return kids.length > 0 && kids.every(isExprOfOnlySymbols);
}

function childrenOf(n: Node): Node[] {
  switch (n.k) {
    case 'add':
    case 'mul':
    case 'fn':
    case 'tuple':
    case 'and':
      return n.args;
    case 'pow':
      return [n.base, n.exp];
    case 'rel':
      return [n.lhs, n.rhs];
    default:
      return [];
  }
}

/** latex2sympy's convert_postfix_list: implicit products, with mixed-fraction support. */
function postfixList(items: Node[], i: number): Node {
  const res = items[i]!;
  if (res.k === 'dmark') {
    // d/dx applied to the rest of the implicit product.
    if (i === items.length - 1) throw new LatexSyntaxError('Expected expression for derivative');
    const body = postfixList(items, i + 1);
    if (isMatrixKind(body)) throw new UnsupportedLatex('derivative of a matrix');
    return { k: 'deriv', body, v: res.v };
  }
  if (i === items.length - 1) return res;
  const rh = postfixList(items, i + 1);
  if (isMatrixKind(res) || isMatrixKind(rh)) return matMulFlat(res, rh);
  if (res.k === 'int' && (rh.k === 'int' || rh.k === 'rat')) {
    const p = rh.k === 'int' ? rh.v : rh.p;
    const q = rh.k === 'int' ? 1n : rh.q;
    if (p > 0n) return res.v < 0n ? rational(res.v * q - p, q) : rational(res.v * q + p, q);
  }
  return mulFlat(res, rh);
}

function accentText(tok: string): string {
  const brace = tok.indexOf('{');
  let name = tok.slice(1, brace);
  let text = tok.slice(brace + 1, -1).replace(/ /g, '');
  if (name === 'bar' || name === 'overline') name = 'bar';
  else if (name === 'vec' || name === 'overrightarrow') name = 'vec';
  else if (name === 'tilde' || name === 'widetilde') name = 'tilde';
  else if (name.includes('text') || name.includes('mbox')) {
    name = '';
    text = text.replace(/[()]/g, '');
  } else if (name.includes('math')) name = 'math';
  return name ? `${name}{${text}}` : text;
}

/** latex2sympy's get_symbol with lowercase_symbols=True. */
export function getSymbol(text: string): Node {
  let letter = greekName(text.trim().replace(/"/g, '')) ?? text.trim();
  if (letter.startsWith('\\')) letter = letter.slice(1);
  letter = letter.toLowerCase();
  if (letter === 'pi') return { k: 'const', name: 'pi' };
  return symbol(letter);
}

/** latex2sympy's parse_number: drop commas, strip leading zeros of digit strings, sympy.Number. */
export function parseNumber(text: string): Node {
  text = text.replace(/,/g, '');
  if (/^[0-9]+$/.test(text)) {
    text = text.replace(/^0+(?=.)/, '');
    return { k: 'int', v: BigInt(text) };
  }
  return sympyNumberFromString(text);
}

/** sympy.Number(str): an Integer for integer literals, else a Float. */
export function sympyNumberFromString(text: string): Node {
  if (/^[+-]?[0-9]+$/.test(text)) return { k: 'int', v: BigInt(text) };
  const v = Number(text);
  if (Number.isNaN(v)) throw new LatexSyntaxError(`bad number ${text}`);
  return { k: 'float', v };
}

const COMMA_NUMBER = /^[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*-?\p{Nd}{1,3}(?:,\p{Nd}{3})+(?:\.\p{Nd}+)?[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*(?=\n?$)/u;

// latex2sympy's convert_number (used for "1,234,567"-style input).
function convertCommaNumber(raw: string): Node {
  let number = raw;
  if (number.includes(',') && number.startsWith('0')) number = number.replace(/,/g, '.');
  let integer = number.replace(/[, ]/g, '');
  integer = integer.replace(/^0+/, '');
  if (integer.length === 0) integer = '0';
  return sympyNumberFromString(asciiDigitsSimple(integer.trim()));
}

function asciiDigitsSimple(s: string): string {
  return s.replace(/\p{Nd}/gu, (d) => {
    const cp = d.codePointAt(0)!;
    let zero = cp;
    while (zero > 0 && /\p{Nd}/u.test(String.fromCodePoint(zero - 1)) && cp - zero < 9) zero--;
    return String(cp - zero);
  });
}

const PLAIN_INT = /^-?[0-9]+$/;
const PLAIN_DECIMAL = /^-?[0-9]*\.[0-9]+$/;

function differentialVar(tokenText: string): SymNode {
  // get_differential_var_str: drop the 'd', the spaces after it and a leading backslash; the case is kept.
  let v = tokenText.slice(1).replace(/^[ \t\r\n]+/, '');
  if (v.startsWith('\\')) v = v.slice(1);
  return { k: 'sym', name: v };
}

function substitute(n: Node, target: Node, by: Node): Node {
  return mapTree(n, (e) => (e.k === 'sym' && target.k === 'sym' && e.name === target.name ? by : e));
}

function symbolsOf(n: Node, out: Set<string> = new Set()): Set<string> {
  if (n.k === 'sym') out.add(n.name);
  for (const c of children(n)) symbolsOf(c, out);
  return out;
}

/**
 * Math-Verify's should_treat_as_complex: LaTeX matching this is parsed with is_real=False, so its
 * symbols are not the real symbols of the same name.
 */
const COMPLEX_HINT = new RegExp(
  [
    '\\\\mathbb\\{C\\}', `\\\\i${B}`, `${B}i${B}`, '\\\\text\\{i\\}', '\\\\mathrm\\{i\\}', `\\\\imath${B}`, '\\\\det',
    '\\\\operatorname\\{tr\\}', '\\\\operatorname\\{rank\\}', '\\\\text\\{rank\\}', '\\\\arg\\{', '\\\\Re\\{', '\\\\Im\\{',
    '\\\\operatorname\\{Re\\}', '\\\\operatorname\\{Im\\}', '\\\\text\\{Re\\}', '\\\\text\\{Im\\}',
  ].join('|'),
  'u',
);

export function looksComplex(latex: string): boolean {
  return COMPLEX_HINT.test(latex);
}

/**
 * Matrices are read where latex2sympy handles them as matrices: on their own, in sums and products
 * of matrices (MatAdd/MatMul), as the base of a power, and as a side of a relation. Elsewhere (in a
 * set, a function, a scalar sum) SymPy's behaviour is not modelled: the construct is not read.
 */
function checkMatrixPlacement(n: Node, allowed: boolean): void {
  if (isMatrixKind(n) && !allowed) throw new UnsupportedLatex('a matrix inside a scalar expression');
  switch (n.k) {
    case 'matadd':
    case 'matmul':
      for (const a of n.args) checkMatrixPlacement(a, true);
      return;
    case 'pow':
      checkMatrixPlacement(n.base, true);
      checkMatrixPlacement(n.exp, false);
      return;
    case 'rel':
      checkMatrixPlacement(n.lhs, true);
      checkMatrixPlacement(n.rhs, true);
      return;
    default:
      for (const c of children(n)) checkMatrixPlacement(c, false);
  }
}

/** latex2sympy(latex, is_real=not should_treat_as_complex(latex), normalization_config=None). */
export function latexToTree(latex: string): Node {
  // Fast paths with the grammar's result: NUMBER (leading zeros dropped), optionally negated.
  if (PLAIN_INT.test(latex)) return { k: 'int', v: BigInt(latex) };
  if (PLAIN_DECIMAL.test(latex)) return { k: 'float', v: Number(latex) };
  let tree = parseLatex(latex);
  if (hasMatrix(tree)) checkMatrixPlacement(tree, true);
  if (looksComplex(latex)) tree = mapTree(tree, (n) => (n.k === 'sym' ? { ...n, cx: true } : n));
  return tree;
}

/** The parse itself; function arguments are re-parsed through here, with the outer string's realness. */
function parseLatex(latex: string): Node {
  if (PLAIN_INT.test(latex)) return { k: 'int', v: BigInt(latex) };
  if (PLAIN_DECIMAL.test(latex)) return { k: 'float', v: Number(latex) };
  const toks = lex(latex);
  const parser = new Parser(toks, parseLatex);
  return parser.parseMath(latex);
}
