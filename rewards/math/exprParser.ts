// The subset of SymPy's parse_expr(..., evaluate=False) that Math-Verify's plain-expression
// extraction can reach: the matched text only holds digits, '.', whitespace and the operators
// + - * × / ^ ( ) ÷ ('^' already rewritten to '**'). Anything Python's tokenizer or eval would
// reject (×, ÷, "2 3", "2(3)", leading-zero integers, non-ASCII digits) throws.

import { type Node, MINUS_ONE, isSympyNumber, negNumber, pow } from './nodes.js';

export class ExprSyntaxError extends Error {}

type T = { t: 'num'; s: string } | { t: 'op'; s: string } | { t: 'end' };

function tokenize(src: string): T[] {
  const out: T[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\f' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (src.startsWith('**', i)) {
      out.push({ t: 'op', s: '**' });
      i += 2;
      continue;
    }
    if ('+-*/()'.includes(c)) {
      out.push({ t: 'op', s: c });
      i++;
      continue;
    }
    const m = /^(?:[0-9](?:_?[0-9])*(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)/.exec(src.slice(i));
    if (m) {
      const s = m[0];
      // Python rejects leading zeros in decimal integers ("007"), but "0.5" and "00" are fine.
      if (!s.includes('.') && /^0+[1-9_]/.test(s.replace(/_/g, '') === s ? s : s)) {
        if (/^0[0-9_]*[1-9]/.test(s)) throw new ExprSyntaxError('leading zeros');
      }
      out.push({ t: 'num', s });
      i += s.length;
      continue;
    }
    throw new ExprSyntaxError(`invalid character ${c}`);
  }
  out.push({ t: 'end' });
  return out;
}

const MAX_DEPTH = 80;

/** parse_expr(src, evaluate=False) for arithmetic on numbers. */
export function parsePythonArithmetic(src: string): Node {
  const toks = tokenize(src);
  let pos = 0;
  let depth = 0;
  const peek = (): T => toks[pos]!;
  const isOp = (s: string): boolean => {
    const t = peek();
    return t.t === 'op' && t.s === s;
  };
  const number = (s: string): Node => {
    const clean = s.replace(/_/g, '');
    if (/^[0-9]+$/.test(clean)) return { k: 'int', v: BigInt(clean) };
    return { k: 'float', v: Number(clean) };
  };
  // Python precedence: + - (binary) < * / < unary +/- < ** (right-assoc, binds tighter than unary on its left)
  const sum = (): Node => {
    let left = term();
    while (isOp('+') || isOp('-')) {
      const op = (toks[pos++] as { s: string }).s;
      const right = term();
      left = { k: 'add', args: [left, op === '-' ? { k: 'mul', args: [MINUS_ONE, right] } : right] };
    }
    return left;
  };
  const term = (): Node => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (toks[pos++] as { s: string }).s;
      const right = unary();
      left = op === '/' ? { k: 'mul', args: [left, pow(right, MINUS_ONE)] } : { k: 'mul', args: [left, right] };
    }
    return left;
  };
  const unary = (): Node => {
    if (isOp('-') || isOp('+')) {
      const op = (toks[pos++] as { s: string }).s;
      if (++depth > MAX_DEPTH) throw new ExprSyntaxError('too deep');
      const inner = unary();
      depth--;
      if (op === '+') return inner;
      return isSympyNumber(inner) ? negNumber(inner) : { k: 'mul', args: [MINUS_ONE, inner] };
    }
    return power();
  };
  const power = (): Node => {
    const base = atom();
    if (isOp('**')) {
      pos++;
      if (++depth > MAX_DEPTH) throw new ExprSyntaxError('too deep');
      const exp = unary();
      depth--;
      return pow(base, exp);
    }
    return base;
  };
  const atom = (): Node => {
    const t = peek();
    if (t.t === 'num') {
      pos++;
      const n = number(t.s);
      // A number directly followed by '(' is a call of an Integer: TypeError at eval time.
      if (isOp('(')) throw new ExprSyntaxError('number is not callable');
      return n;
    }
    if (isOp('(')) {
      pos++;
      if (++depth > MAX_DEPTH) throw new ExprSyntaxError('too deep');
      const e = sum();
      depth--;
      if (!isOp(')')) throw new ExprSyntaxError('expected )');
      pos++;
      if (isOp('(')) throw new ExprSyntaxError('not callable');
      return e;
    }
    throw new ExprSyntaxError('unexpected token');
  };
  const result = sum();
  if (peek().t !== 'end') throw new ExprSyntaxError('trailing input');
  return result;
}
