// Expression trees standing in for the SymPy objects Math-Verify builds. They are built
// unevaluated (like latex2sympy's `evaluate=False`), so structural equality behaves like
// SymPy's `a == b` on such trees; numeric evaluation stands in for doit()/evalf().

export type RelOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type ConstName = 'pi' | 'E' | 'I' | 'oo' | '-oo' | 'zoo' | 'nan' | 'EulerGamma';
export type SpecialSet = 'Naturals' | 'Integers' | 'Rationals' | 'Reals' | 'Complexes' | 'EmptySet' | 'Primes';

export type Node =
  | { k: 'int'; v: bigint }
  | { k: 'rat'; p: bigint; q: bigint } // q > 1, gcd(p, q) = 1
  | { k: 'float'; v: number }
  // `cx`: created while parsing LaTeX that looks complex (latex2sympy's is_real=False); SymPy
  // never equates such a symbol with the real one of the same name.
  | { k: 'sym'; name: string; cx?: boolean }
  | { k: 'const'; name: ConstName }
  | { k: 'add'; args: Node[] }
  | { k: 'mul'; args: Node[] }
  | { k: 'pow'; base: Node; exp: Node }
  | { k: 'fn'; name: string; args: Node[] }
  | { k: 'rel'; op: RelOp; lhs: Node; rhs: Node }
  | { k: 'and'; args: Node[] }
  | { k: 'not'; arg: Node }
  | { k: 'fset'; args: Node[]; unsorted: Node[] }
  | { k: 'tuple'; args: Node[] }
  | { k: 'interval'; a: Node; b: Node; lo: boolean; ro: boolean }
  | { k: 'setop'; op: 'union' | 'inter' | 'minus'; args: Node[] }
  | { k: 'sset'; name: SpecialSet }
  // A SymPy Matrix (row-major entries), and the unevaluated MatAdd/MatMul latex2sympy builds.
  | { k: 'matrix'; rows: number; cols: number; args: Node[] }
  | { k: 'matadd'; args: Node[] }
  | { k: 'matmul'; args: Node[] }
  // Sum/Product(body, (v, lo, hi)), Integral(body, (v, lo, hi)) or Integral(body, v), and
  // Limit(body, v, to, dir), all unevaluated as latex2sympy returns them.
  | { k: 'sum' | 'prod'; body: Node; v: SymNode; lo: Node; hi: Node }
  | { k: 'integral'; body: Node; v: SymNode; lo?: Node; hi?: Node }
  | { k: 'limit'; body: Node; v: SymNode; to: Node; dir: '+' | '-' }
  // Derivative(body, v); `dmark` is the bare operator d/dx while parsing (never in a result).
  | { k: 'deriv'; body: Node; v: SymNode }
  | { k: 'dmark'; v: SymNode };

export type SymNode = Extract<Node, { k: 'sym' }>;

/** Identity of a symbol: its name and whether it is the complex one. */
export function symKey(n: SymNode): string {
  return n.cx ? `${n.name}\u0000cx` : n.name;
}

export function isMatrixKind(n: Node): boolean {
  return n.k === 'matrix' || n.k === 'matadd' || n.k === 'matmul';
}

export const ZERO: Node = { k: 'int', v: 0n };
export const ONE: Node = { k: 'int', v: 1n };
export const MINUS_ONE: Node = { k: 'int', v: -1n };
export const HALF: Node = { k: 'rat', p: 1n, q: 2n };
export const PCT: Node = { k: 'rat', p: 1n, q: 100n };

export function int(v: bigint): Node {
  return { k: 'int', v };
}

/** Greatest common divisor of |a| and |b| (0 when both are 0). */
export function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b) [a, b] = [b, a % b];
  return a;
}

/** sympy.Rational(p, q) of two integers (q = 0 gives zoo, 0/0 gives nan). */
export function rational(p: bigint, q: bigint): Node {
  if (q === 0n) return { k: 'const', name: p === 0n ? 'nan' : 'zoo' };
  if (q < 0n) {
    p = -p;
    q = -q;
  }
  const g = gcd(p, q);
  if (g > 1n) {
    p /= g;
    q /= g;
  }
  return q === 1n ? { k: 'int', v: p } : { k: 'rat', p, q };
}

export function isNumber(n: Node): n is Extract<Node, { k: 'int' | 'rat' | 'float' }> {
  return n.k === 'int' || n.k === 'rat' || n.k === 'float';
}

/** SymPy's `is_Number` also holds for oo, -oo, zoo and nan. */
export function isSympyNumber(n: Node): boolean {
  return isNumber(n) || (n.k === 'const' && (n.name === 'oo' || n.name === '-oo' || n.name === 'zoo' || n.name === 'nan'));
}

export function negNumber(n: Node): Node {
  switch (n.k) {
    case 'int':
      return { k: 'int', v: -n.v };
    case 'rat':
      return { k: 'rat', p: -n.p, q: n.q };
    case 'float':
      return { k: 'float', v: -n.v };
    case 'const':
      if (n.name === 'oo') return { k: 'const', name: '-oo' };
      if (n.name === '-oo') return { k: 'const', name: 'oo' };
      return n;
    default:
      return n;
  }
}

/** latex2sympy's mul_flat: Mul(evaluate=False) splicing the args of Mul operands. */
export function mulFlat(a: Node, b: Node): Node {
  const args: Node[] = [];
  if (a.k === 'mul') args.push(...a.args);
  else args.push(a);
  if (b.k === 'mul') args.push(...b.args);
  else args.push(b);
  return { k: 'mul', args };
}

/** latex2sympy's add_flat. */
export function addFlat(a: Node, b: Node): Node {
  const args: Node[] = [];
  if (a.k === 'add') args.push(...a.args);
  else args.push(a);
  if (b.k === 'add') args.push(...b.args);
  else args.push(b);
  return { k: 'add', args };
}

export function pow(base: Node, exp: Node): Node {
  return { k: 'pow', base, exp };
}

export function symbol(name: string): Node {
  return { k: 'sym', name };
}

/** Structural equality (SymPy `==` on unevaluated trees; FiniteSet compares as a set). */
export function same(a: Node, b: Node): boolean {
  if (a === b) return true;
  if (a.k !== b.k) {
    // SymPy compares numbers by value across Integer/Rational/Float.
    if (isNumber(a) && isNumber(b)) return numberValueEqual(a, b);
    return false;
  }
  switch (a.k) {
    case 'int':
      return a.v === (b as typeof a).v;
    case 'rat':
      return a.p === (b as typeof a).p && a.q === (b as typeof a).q;
    case 'float':
      return a.v === (b as typeof a).v;
    case 'sym':
      return a.name === (b as typeof a).name && !a.cx === !(b as typeof a).cx;
    case 'const':
      return a.name === (b as typeof a).name;
    case 'sset':
      return a.name === (b as typeof a).name;
    case 'pow':
      return same(a.base, (b as typeof a).base) && same(a.exp, (b as typeof a).exp);
    case 'fn':
      return a.name === (b as typeof a).name && sameList(a.args, (b as typeof a).args);
    case 'rel':
      return a.op === (b as typeof a).op && same(a.lhs, (b as typeof a).lhs) && same(a.rhs, (b as typeof a).rhs);
    case 'not':
      return same(a.arg, (b as typeof a).arg);
    case 'interval': {
      const o = b as typeof a;
      return a.lo === o.lo && a.ro === o.ro && same(a.a, o.a) && same(a.b, o.b);
    }
    case 'setop':
      return a.op === (b as typeof a).op && sameList(a.args, (b as typeof a).args);
    case 'fset': {
      const o = b as typeof a;
      if (a.args.length !== o.args.length) return false;
      return a.args.every((x) => o.args.some((y) => same(x, y)));
    }
    case 'and': {
      // SymPy's And is commutative: compares as a set of args.
      const o = b as typeof a;
      if (a.args.length !== o.args.length) return false;
      return a.args.every((x) => o.args.some((y) => same(x, y)));
    }
    case 'add':
    case 'mul':
    case 'tuple':
    case 'matadd':
    case 'matmul':
      return sameList(a.args, (b as typeof a).args);
    case 'matrix': {
      const o = b as typeof a;
      return a.rows === o.rows && a.cols === o.cols && sameList(a.args, o.args);
    }
    case 'sum':
    case 'prod': {
      const o = b as typeof a;
      return same(a.v, o.v) && same(a.body, o.body) && same(a.lo, o.lo) && same(a.hi, o.hi);
    }
    case 'integral': {
      const o = b as typeof a;
      if (!same(a.v, o.v) || !same(a.body, o.body) || (a.lo === undefined) !== (o.lo === undefined)) return false;
      return a.lo === undefined || (same(a.lo, o.lo!) && same(a.hi!, o.hi!));
    }
    case 'limit': {
      const o = b as typeof a;
      return a.dir === o.dir && same(a.v, o.v) && same(a.body, o.body) && same(a.to, o.to);
    }
    case 'deriv':
      return same(a.v, (b as typeof a).v) && same(a.body, (b as typeof a).body);
    case 'dmark':
      return same(a.v, (b as typeof a).v);
  }
}

function sameList(a: Node[], b: Node[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
}

function numberValueEqual(a: Node, b: Node): boolean {
  if (a.k === 'float' || b.k === 'float') {
    // SymPy >= 1.13: a Float never equals an Integer/Rational under ==.
    return false;
  }
  return false;
}

export function isSet(n: Node): boolean {
  return n.k === 'fset' || n.k === 'interval' || n.k === 'setop' || n.k === 'sset';
}

export function isRelational(n: Node): n is Extract<Node, { k: 'rel' }> {
  return n.k === 'rel';
}

/** Whether a Float occurs anywhere in the tree. */
export function hasFloat(n: Node): boolean {
  return someNode(n, (x) => x.k === 'float');
}

/** Whether a matrix (or MatAdd/MatMul) occurs anywhere in the tree. */
export function hasMatrix(n: Node): boolean {
  return someNode(n, isMatrixKind);
}

/** Whether `test` holds for the node or any node below it (no allocation: this is on the hot path). */
export function someNode(n: Node, test: (n: Node) => boolean): boolean {
  if (test(n)) return true;
  switch (n.k) {
    case 'int':
    case 'rat':
    case 'float':
    case 'sym':
    case 'const':
    case 'sset':
      return false;
    case 'pow':
      return someNode(n.base, test) || someNode(n.exp, test);
    case 'rel':
      return someNode(n.lhs, test) || someNode(n.rhs, test);
    case 'add':
    case 'mul':
    case 'tuple':
    case 'and':
    case 'fn':
    case 'setop':
    case 'fset':
    case 'matrix':
    case 'matadd':
    case 'matmul':
      for (const a of n.args) if (someNode(a, test)) return true;
      return false;
    default:
      for (const c of children(n)) if (someNode(c, test)) return true;
      return false;
  }
}

/** The tree with every node rebuilt bottom-up through `f` (children first). */
export function mapTree(n: Node, f: (n: Node) => Node): Node {
  let out: Node;
  switch (n.k) {
    case 'add':
    case 'mul':
    case 'tuple':
    case 'and':
    case 'matadd':
    case 'matmul':
      out = { ...n, args: n.args.map((a) => mapTree(a, f)) };
      break;
    case 'fn':
    case 'setop':
      out = { ...n, args: n.args.map((a) => mapTree(a, f)) } as Node;
      break;
    case 'matrix':
      out = { ...n, args: n.args.map((a) => mapTree(a, f)) };
      break;
    case 'fset':
      out = { k: 'fset', args: n.args.map((a) => mapTree(a, f)), unsorted: n.unsorted.map((a) => mapTree(a, f)) };
      break;
    case 'pow':
      out = { k: 'pow', base: mapTree(n.base, f), exp: mapTree(n.exp, f) };
      break;
    case 'rel':
      out = { ...n, lhs: mapTree(n.lhs, f), rhs: mapTree(n.rhs, f) };
      break;
    case 'not':
      out = { k: 'not', arg: mapTree(n.arg, f) };
      break;
    case 'interval':
      out = { ...n, a: mapTree(n.a, f), b: mapTree(n.b, f) };
      break;
    case 'sum':
    case 'prod':
      out = { ...n, body: mapTree(n.body, f), v: mapTree(n.v, f) as SymNode, lo: mapTree(n.lo, f), hi: mapTree(n.hi, f) };
      break;
    case 'integral':
      out = { ...n, body: mapTree(n.body, f), v: mapTree(n.v, f) as SymNode, lo: n.lo && mapTree(n.lo, f), hi: n.hi && mapTree(n.hi, f) };
      break;
    case 'limit':
      out = { ...n, body: mapTree(n.body, f), v: mapTree(n.v, f) as SymNode, to: mapTree(n.to, f) };
      break;
    case 'deriv':
      out = { ...n, body: mapTree(n.body, f), v: mapTree(n.v, f) as SymNode };
      break;
    case 'dmark':
      out = { ...n, v: mapTree(n.v, f) as SymNode };
      break;
    default:
      out = n;
  }
  return f(out);
}

/** Number of nodes, for work bounds. */
export function size(n: Node, limit = 1e6): number {
  let count = 0;
  const stack: Node[] = [n];
  while (stack.length && count < limit) {
    const x = stack.pop()!;
    count++;
    for (const c of children(x)) stack.push(c);
  }
  return count;
}

export function children(n: Node): Node[] {
  switch (n.k) {
    case 'add':
    case 'mul':
    case 'tuple':
    case 'and':
    case 'fn':
    case 'setop':
    case 'matrix':
    case 'matadd':
    case 'matmul':
      return n.args;
    case 'fset':
      return n.args;
    case 'sum':
    case 'prod':
      return [n.body, n.v, n.lo, n.hi];
    case 'integral':
      return n.lo ? [n.body, n.v, n.lo, n.hi!] : [n.body, n.v];
    case 'limit':
      return [n.body, n.v, n.to];
    case 'deriv':
      return [n.body, n.v];
    case 'dmark':
      return [n.v];
    case 'pow':
      return [n.base, n.exp];
    case 'rel':
      return [n.lhs, n.rhs];
    case 'not':
      return [n.arg];
    case 'interval':
      return [n.a, n.b];
    default:
      return [];
  }
}

/** Free symbols (their symKey); a Sum's, Integral's or Limit's own variable is bound in its body. */
export function freeSymbols(n: Node, out: Set<string> = new Set()): Set<string> {
  if (n.k === 'sym') {
    out.add(symKey(n));
    return out;
  }
  if (n.k === 'sum' || n.k === 'prod' || n.k === 'integral' || n.k === 'limit') {
    const inner = freeSymbols(n.body);
    inner.delete(symKey(n.v));
    for (const s of inner) out.add(s);
    if (n.k === 'limit') freeSymbols(n.to, out);
    else if (n.lo) {
      freeSymbols(n.lo, out);
      freeSymbols(n.hi!, out);
    } else out.add(symKey(n.v)); // an indefinite integral is a function of its variable
    return out;
  }
  switch (n.k) {
    case 'int':
    case 'rat':
    case 'float':
    case 'const':
    case 'sset':
      return out;
    case 'pow':
      freeSymbols(n.base, out);
      return freeSymbols(n.exp, out);
    case 'add':
    case 'mul':
    case 'fn':
      for (const a of n.args) freeSymbols(a, out);
      return out;
    default:
      for (const c of children(n)) freeSymbols(c, out);
      return out;
  }
}

/** SymPy-like printing, used where Math-Verify compares str(a) == str(b). */
export function show(n: Node): string {
  switch (n.k) {
    case 'int':
      return n.v.toString();
    case 'rat':
      return `${n.p}/${n.q}`;
    case 'float':
      return String(n.v);
    case 'sym':
      return n.name;
    case 'const':
      return n.name;
    case 'sset':
      return n.name;
    case 'add':
      return n.args.map(show).join(' + ');
    case 'mul':
      return n.args.map(show).join('*');
    case 'pow':
      return `${show(n.base)}**${show(n.exp)}`;
    case 'fn':
      return `${n.name}(${n.args.map(show).join(', ')})`;
    case 'rel':
      return `${show(n.lhs)} ${n.op} ${show(n.rhs)}`;
    case 'and':
      return n.args.map(show).join(' & ');
    case 'not':
      return `~${show(n.arg)}`;
    case 'fset':
      return `{${n.args.map(show).join(', ')}}`;
    case 'tuple':
      return `(${n.args.map(show).join(', ')})`;
    case 'interval':
      return `Interval(${show(n.a)}, ${show(n.b)}, ${n.lo}, ${n.ro})`;
    case 'setop':
      return `${n.op}(${n.args.map(show).join(', ')})`;
    case 'matrix': {
      const rows: string[] = [];
      for (let r = 0; r < n.rows; r++) rows.push(`[${n.args.slice(r * n.cols, (r + 1) * n.cols).map(show).join(', ')}]`);
      return `Matrix([${rows.join(', ')}])`;
    }
    case 'matadd':
      return n.args.map(show).join(' + ');
    case 'matmul':
      return n.args.map(show).join('*');
    case 'sum':
    case 'prod':
      return `${n.k === 'sum' ? 'Sum' : 'Product'}(${show(n.body)}, (${show(n.v)}, ${show(n.lo)}, ${show(n.hi)}))`;
    case 'integral':
      return n.lo ? `Integral(${show(n.body)}, (${show(n.v)}, ${show(n.lo)}, ${show(n.hi!)}))` : `Integral(${show(n.body)}, ${show(n.v)})`;
    case 'limit':
      return `Limit(${show(n.body)}, ${show(n.v)}, ${show(n.to)}, dir='${n.dir}')`;
    case 'deriv':
      return `Derivative(${show(n.body)}, ${show(n.v)})`;
    case 'dmark':
      return `d/d${show(n.v)}`;
  }
}
