// Math-Verify's `unwrap_fcs(gold).as_set()`: a relation (or a chain of them) in one variable becomes
// the set of reals satisfying it, so that `0 < f(x) < 1` equals (0, 1) and `1 <= |z| <= 3/2` equals
// [-3/2, -1] U [1, 3/2]. Function applications f(x) are first replaced by symbols (unwrap_fcs).
//
// SymPy's solve_univariate_inequality is reproduced for rational functions of the variable, with
// absolute values of them: the real line is cut at the roots of every numerator and denominator
// (for each sign choice of the absolute values) and the sign of the expression is read between
// the cuts. Roots are kept as exact expressions (rationals, quadratic surds, real n-th roots of
// a x^n + b), so the set's ends compare with the prediction's as SymPy's would. Anything else
// (other functions, cubic factors of another shape without rational roots, several variables)
// is left to the caller, as a failed as_set() is.

import { gcd, type Node, type RelOp, MINUS_ONE, ONE, ZERO, freeSymbols, mapTree, rational, show, size, symKey } from './nodes.js';
import { exactValue, norm, type Rat } from './exact.js';
import { type Env, evalNode } from './evaluate.js';
import { makeFiniteSet } from './latexParser.js';
import { relationTruth } from './relationSign.js';

const MAX_DEGREE = 6;
const MAX_ABS = 3;
const MAX_COEFF_SIZE = 400;
/** Relations larger than this are not solved (a failed as_set(): the relation is compared as it is). */
const MAX_RELATION_NODES = 300;

interface Bound {
  node: Node;
  v: number; // numeric value (±Infinity for the infinities)
  exact?: Rat;
}

interface Piece {
  lo: Bound;
  hi: Bound;
  loOpen: boolean;
  hiOpen: boolean;
}

const NEG_INF: Bound = { node: { k: 'const', name: '-oo' }, v: -Infinity };
const POS_INF: Bound = { node: { k: 'const', name: 'oo' }, v: Infinity };

/** unwrap_fcs: f(x) becomes the symbol f_x (applied undefined functions only). */
export function unwrapFunctions(n: Node): Node {
  return mapTree(n, (e) => {
    if (e.k === 'fn' && e.name.startsWith('F:')) return { k: 'sym', name: `${e.name.slice(2)}_${e.args.map(show).join('_')}`, cx: undefined };
    return e;
  });
}

/**
 * The relation's solution set over the reals, or undefined where as_set() would fail or we cannot
 * follow; 'UniversalSet' when SymPy evaluates the relation to true (it then equals no set).
 */
export function relationAsSet(relation: Node): Node | 'UniversalSet' | undefined {
  if (size(relation, MAX_RELATION_NODES + 1) > MAX_RELATION_NODES) return undefined;
  // Rebuilding evaluates each relation: a chain with one false link is false, one whose links
  // are all true is true (a chain left with a single undecided link keeps all of them: the
  // rebuilt And fails in latex2sympy and unwrap_fcs returns it as it was).
  const links = relation.k === 'and' ? relation.args : [relation];
  const truths = links.map((r) => (r.k === 'rel' ? relationTruth(r.lhs, r.op, r.rhs) : undefined));
  if (truths.includes(false)) return { k: 'sset', name: 'EmptySet' };
  if (truths.every((t) => t === true)) return 'UniversalSet';
  const unwrapped = unwrapFunctions(relation);
  const symbols = freeSymbols(unwrapped);
  if (symbols.size !== 1) return undefined;
  const key = [...symbols][0]!;
  const rels = unwrapped.k === 'and' ? unwrapped.args : [unwrapped];
  let pieces: Piece[] | undefined;
  for (const r of rels) {
    if (r.k !== 'rel') return undefined;
    const solved = solveRelation(r.lhs, r.op, r.rhs, key);
    if (!solved) return undefined;
    pieces = pieces === undefined ? solved : intersect(pieces, solved);
  }
  return pieces && toSetNode(pieces);
}

// ---- rational functions with expression coefficients ----

type Poly = Node[]; // coefficients, lowest degree first

interface RationalFunction {
  num: Poly;
  den: Poly;
}

function simplifyCoeff(c: Node): Node {
  const exact = exactValue(c);
  return exact ? rational(exact.p, exact.q) : c;
}

function nodeSize(n: Node): number {
  let count = 1;
  if (n.k === 'add' || n.k === 'mul' || n.k === 'fn') for (const a of n.args) count += nodeSize(a);
  else if (n.k === 'pow') count += nodeSize(n.base) + nodeSize(n.exp);
  return count;
}

function cAdd(a: Node, b: Node): Node {
  return simplifyCoeff({ k: 'add', args: [a, b] });
}
function cMul(a: Node, b: Node): Node {
  return simplifyCoeff({ k: 'mul', args: [a, b] });
}

function polyAdd(a: Poly, b: Poly): Poly {
  const out: Poly = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) out.push(cAdd(a[i] ?? ZERO, b[i] ?? ZERO));
  return out;
}

function polyMul(a: Poly, b: Poly): Poly | undefined {
  if (a.length + b.length - 2 > MAX_DEGREE) return undefined;
  const out: Poly = Array.from({ length: a.length + b.length - 1 }, () => ZERO);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j] = cAdd(out[i + j]!, cMul(a[i]!, b[j]!));
  if (out.some((c) => nodeSize(c) > MAX_COEFF_SIZE)) return undefined;
  return out;
}

function dependsOn(n: Node, key: string): boolean {
  return freeSymbols(n).has(key);
}

function rfAdd(a: RationalFunction, b: RationalFunction): RationalFunction | undefined {
  const left = polyMul(a.num, b.den);
  const right = polyMul(b.num, a.den);
  const den = polyMul(a.den, b.den);
  return left && right && den ? { num: polyAdd(left, right), den } : undefined;
}

function rfMul(a: RationalFunction, b: RationalFunction): RationalFunction | undefined {
  const num = polyMul(a.num, b.num);
  const den = polyMul(a.den, b.den);
  return num && den ? { num, den } : undefined;
}

/** n as num/den polynomials in the variable; Abs(...) of the variable must already be replaced. */
function rationalFunction(n: Node, key: string): RationalFunction | undefined {
  if (!dependsOn(n, key)) {
    const v = evalNode(n);
    if (!Number.isFinite(v.re) || v.im !== 0) return undefined;
    return { num: [simplifyCoeff(n)], den: [ONE] };
  }
  switch (n.k) {
    case 'sym':
      return { num: [ZERO, ONE], den: [ONE] };
    case 'add':
    case 'mul': {
      const combine = n.k === 'add' ? rfAdd : rfMul;
      let acc: RationalFunction | undefined = { num: [n.k === 'add' ? ZERO : ONE], den: [ONE] };
      for (const a of n.args) {
        const r = rationalFunction(a, key);
        acc = r && acc && combine(acc, r);
        if (!acc) return undefined;
      }
      return acc;
    }
    case 'pow': {
      if (dependsOn(n.exp, key)) return undefined;
      const e = exactValue(n.exp);
      if (!e || e.q !== 1n || e.p > BigInt(MAX_DEGREE) || e.p < -BigInt(MAX_DEGREE)) return undefined;
      const base = rationalFunction(n.base, key);
      let acc: RationalFunction | undefined = { num: [ONE], den: [ONE] };
      for (let i = 0n; i < (e.p < 0n ? -e.p : e.p) && acc; i++) acc = base && rfMul(acc, base);
      if (!acc) return undefined;
      return e.p < 0n ? { num: acc.den, den: acc.num } : acc;
    }
    default:
      return undefined;
  }
}

// ---- roots ----

function value(n: Node): number {
  const v = evalNode(n);
  return v.im === 0 ? v.re : NaN;
}

function bound(node: Node): Bound {
  const exact = exactValue(node);
  if (exact) return { node: rational(exact.p, exact.q), v: Number(exact.p) / Number(exact.q), exact };
  return { node, v: value(node) };
}

function isZeroCoeff(c: Node): boolean {
  const e = exactValue(c);
  if (e) return e.p === 0n;
  const v = value(c);
  return v === 0;
}

function integerSqrt(n: bigint): bigint | undefined {
  if (n < 0n) return undefined;
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n))));
  while (x * x > n) x--;
  while ((x + 1n) * (x + 1n) <= n) x++;
  return x * x === n ? x : undefined;
}

function divisors(n: bigint): bigint[] | undefined {
  if (n < 0n) n = -n;
  if (n === 0n || n > 1_000_000n) return undefined;
  const out: bigint[] = [];
  for (let d = 1n; d * d <= n; d++) {
    if (n % d === 0n) {
      out.push(d);
      if (d * d !== n) out.push(n / d);
    }
  }
  return out;
}

/** Real roots of a polynomial (undefined when we cannot find them all in closed form). */
function realRoots(p: Poly): Bound[] | undefined {
  let c = [...p];
  while (c.length > 0 && isZeroCoeff(c[c.length - 1]!)) c.pop();
  if (c.length <= 1) return []; // a constant: no roots (the zero polynomial is handled by the caller)
  const roots: Bound[] = [];
  // Factor out x^k.
  while (c.length > 1 && isZeroCoeff(c[0]!)) {
    c = c.slice(1);
    if (!roots.some((r) => r.v === 0)) roots.push(bound(ZERO));
  }
  const exact = c.map((x) => exactValue(x));
  if (c.length > 3) {
    // Rational roots of an integer polynomial, deflating as they are found.
    if (exact.some((x) => !x)) return undefined;
    let ints = toIntegerCoeffs(exact as Rat[]);
    for (;;) {
      if (ints.length <= 3) break;
      const root = findRationalRoot(ints);
      if (!root) {
        const binomial = binomialRoots(ints);
        if (!binomial) return undefined;
        for (const b of binomial) if (!roots.some((r) => sameValue(r, b))) roots.push(b);
        return roots;
      }
      if (!roots.some((r) => r.exact && r.exact.p === root.p && r.exact.q === root.q)) roots.push(bound(rational(root.p, root.q)));
      ints = deflate(ints, root);
    }
    c = ints.map((x) => ({ k: 'int', v: x }) as Node);
  }
  const add = (b: Bound): void => {
    if (!roots.some((r) => sameValue(r, b))) roots.push(b);
  };
  if (c.length === 2) add(bound(simplifyCoeff({ k: 'mul', args: [MINUS_ONE, c[0]!, { k: 'pow', base: c[1]!, exp: MINUS_ONE }] })));
  else if (c.length === 3) {
    const [c0, c1, c2] = c as [Node, Node, Node];
    const disc = simplifyCoeff({ k: 'add', args: [{ k: 'pow', base: c1, exp: { k: 'int', v: 2n } }, { k: 'mul', args: [{ k: 'int', v: -4n }, c2, c0] }] });
    const de = exactValue(disc);
    const dv = de ? (de.p === 0n ? 0 : de.p > 0n ? 1 : -1) : Math.sign(value(disc));
    if (Number.isNaN(dv)) return undefined;
    if (dv < 0) return roots;
    const twoA: Node = { k: 'mul', args: [{ k: 'int', v: 2n }, c2] };
    if (dv === 0) {
      add(bound(simplifyCoeff({ k: 'mul', args: [MINUS_ONE, c1, { k: 'pow', base: twoA, exp: MINUS_ONE }] })));
      return roots;
    }
    let sqrt: Node = { k: 'pow', base: disc, exp: { k: 'rat', p: 1n, q: 2n } };
    if (de) {
      const p = integerSqrt(de.p);
      const q = integerSqrt(de.q);
      if (p !== undefined && q !== undefined) sqrt = rational(p, q);
    }
    for (const sign of [MINUS_ONE, ONE]) {
      add(bound(simplifyCoeff({ k: 'mul', args: [{ k: 'add', args: [{ k: 'mul', args: [MINUS_ONE, c1] }, { k: 'mul', args: [sign, sqrt] }] }, { k: 'pow', base: twoA, exp: MINUS_ONE }] })));
    }
  }
  return roots;
}

/**
 * Real roots of a x^n + b (n >= 3, no rational root): the real n-th roots of -b/a, as SymPy
 * writes them (2**(1/3), -2**(1/4)); undefined for any other shape.
 */
function binomialRoots(c: bigint[]): Bound[] | undefined {
  const n = c.length - 1;
  if (c.slice(1, n).some((x) => x !== 0n)) return undefined;
  const ratio = norm(-c[0]!, c[n]!);
  if (!ratio) return undefined;
  if (ratio.p === 0n) return [];
  const magnitude: Node = { k: 'pow', base: rational(ratio.p < 0n ? -ratio.p : ratio.p, ratio.q), exp: rational(1n, BigInt(n)) };
  const negative: Node = { k: 'mul', args: [MINUS_ONE, magnitude] };
  if (n % 2 === 1) return [bound(ratio.p < 0n ? negative : magnitude)];
  return ratio.p < 0n ? [] : [bound(negative), bound(magnitude)];
}

function toIntegerCoeffs(c: Rat[]): bigint[] {
  let lcm = 1n;
  for (const r of c) lcm = (lcm * r.q) / gcd(lcm, r.q);
  return c.map((r) => (r.p * lcm) / r.q);
}

function findRationalRoot(c: bigint[]): Rat | undefined {
  const ps = divisors(c[0]!);
  const qs = divisors(c[c.length - 1]!);
  if (!ps || !qs || ps.length * qs.length > 4000) return undefined;
  for (const p of ps) {
    for (const q of qs) {
      for (const sp of [p, -p]) {
        const g = gcd(sp, q);
        if (g === 1n && horner(c, sp, q) === 0n) return { p: sp, q };
      }
    }
  }
  return undefined;
}

/** q^n * c(p/q) for integer coefficients. */
function horner(c: bigint[], p: bigint, q: bigint): bigint {
  const n = c.length - 1;
  let acc = 0n;
  for (let i = n; i >= 0; i--) acc = acc * p + c[i]! * q ** BigInt(n - i);
  return acc;
}

/** c(x) / (q x - p), exact for a root p/q. */
function deflate(c: bigint[], root: Rat): bigint[] {
  // Synthetic division by (q x - p): coefficients stay integers because p/q is a root in lowest terms.
  const n = c.length - 1;
  const out: bigint[] = new Array(n).fill(0n);
  let carry = 0n;
  for (let i = n; i >= 1; i--) {
    const coef = (c[i]! + carry) / root.q;
    out[i - 1] = coef;
    carry = coef * root.p;
  }
  return out;
}

function sameValue(a: Bound, b: Bound): boolean {
  if (a.exact && b.exact) return a.exact.p === b.exact.p && a.exact.q === b.exact.q;
  if (a.v === b.v) return true;
  if (!Number.isFinite(a.v) || !Number.isFinite(b.v)) return false;
  return Math.abs(a.v - b.v) <= 1e-12 * Math.max(1, Math.abs(a.v), Math.abs(b.v));
}

// ---- solving one relation ----

function collectAbs(n: Node, key: string, out: Map<string, Node>): void {
  if (n.k === 'fn' && n.name === 'Abs' && n.args.length === 1 && dependsOn(n.args[0]!, key)) out.set(show(n.args[0]!), n.args[0]!);
  if (n.k === 'add' || n.k === 'mul' || n.k === 'fn') for (const a of n.args) collectAbs(a, key, out);
  else if (n.k === 'pow') {
    collectAbs(n.base, key, out);
    collectAbs(n.exp, key, out);
  }
}

function holds(op: RelOp, h: number): boolean {
  switch (op) {
    case 'lt':
      return h < 0;
    case 'le':
      return h <= 0;
    case 'gt':
      return h > 0;
    case 'ge':
      return h >= 0;
    case 'eq':
      return h === 0;
    case 'ne':
      return h !== 0;
  }
}

function solveRelation(lhs: Node, op: RelOp, rhs: Node, key: string): Piece[] | undefined {
  const h: Node = { k: 'add', args: [lhs, { k: 'mul', args: [MINUS_ONE, rhs] }] };
  const absArgs = new Map<string, Node>();
  collectAbs(h, key, absArgs);
  if (absArgs.size > MAX_ABS) return undefined;
  const inside = [...absArgs.values()];
  // Cut points: roots of every Abs argument, and of numerator and denominator for every sign choice.
  const cuts: Bound[] = [];
  const addCut = (b: Bound): void => {
    if (Number.isFinite(b.v) && !cuts.some((c) => sameValue(c, b))) cuts.push(b);
  };
  let identicallyZero = false;
  for (const u of inside) {
    const r = rationalFunction(u, key);
    if (!r) return undefined;
    for (const p of [r.num, r.den]) {
      const roots = realRoots(p);
      if (!roots) return undefined;
      roots.forEach(addCut);
    }
  }
  for (let mask = 0; mask < 1 << inside.length; mask++) {
    const signs = new Map(inside.map((u, i) => [show(u), (mask >> i) & 1 ? -1 : 1]));
    const replaced = mapTree(h, (e) => {
      if (e.k === 'fn' && e.name === 'Abs' && e.args.length === 1 && signs.has(show(e.args[0]!))) {
        return signs.get(show(e.args[0]!)) === 1 ? e.args[0]! : { k: 'mul', args: [MINUS_ONE, e.args[0]!] };
      }
      return e;
    });
    const r = rationalFunction(replaced, key);
    if (!r) return undefined;
    const numZero = r.num.every(isZeroCoeff);
    if (numZero && inside.length === 0) identicallyZero = true;
    for (const p of numZero ? [r.den] : [r.num, r.den]) {
      const roots = realRoots(p);
      if (!roots) return undefined;
      roots.forEach(addCut);
    }
  }
  cuts.sort((a, b) => a.v - b.v);
  if (cuts.some((c) => Number.isNaN(c.v))) return undefined;
  const env = new Map<string, number>();
  const at = (x: number): number => {
    env.set(key, x);
    const v = evalNode(h, env as Env);
    return v.im === 0 && Number.isFinite(v.re) ? v.re : NaN;
  };
  // The sign at a cut: exact when the cut is rational, else zero within rounding.
  const atCut = (c: Bound): number => {
    if (c.exact) {
      const substituted = mapTree(h, (e) => (e.k === 'sym' && symKey(e) === key ? rational(c.exact!.p, c.exact!.q) : e));
      const ev = exactValue(substituted);
      if (ev) return ev.p === 0n ? 0 : ev.p > 0n ? 1 : -1;
      if (identicallyZero) return NaN;
    }
    const v = at(c.v);
    if (Number.isNaN(v)) return NaN;
    return Math.abs(v) <= 1e-9 * Math.max(1, Math.abs(c.v)) ? 0 : v;
  };
  const test: number[] = [];
  if (cuts.length === 0) test.push(0);
  else {
    test.push(cuts[0]!.v - 1 - Math.abs(cuts[0]!.v));
    for (let i = 0; i + 1 < cuts.length; i++) test.push((cuts[i]!.v + cuts[i + 1]!.v) / 2);
    test.push(cuts[cuts.length - 1]!.v + 1 + Math.abs(cuts[cuts.length - 1]!.v));
  }
  const regionHolds = test.map((x) => {
    const v = identicallyZero ? (Number.isNaN(at(x)) ? NaN : 0) : at(x);
    return !Number.isNaN(v) && holds(op, v);
  });
  const cutHolds = cuts.map((c) => {
    const v = identicallyZero ? (Number.isNaN(at(c.v)) ? NaN : 0) : atCut(c);
    return !Number.isNaN(v) && holds(op, v);
  });
  // Sweep left to right over region 0, cut 0, region 1, ..., region m, joining what holds.
  const pieces: Piece[] = [];
  let cur: { lo: Bound; loOpen: boolean } | undefined;
  for (let i = 0; i < regionHolds.length; i++) {
    const low = i === 0 ? NEG_INF : cuts[i - 1]!;
    if (regionHolds[i]) cur ??= { lo: low, loOpen: true };
    else if (cur) {
      // Only reachable when the cut before held: the piece ends there, closed.
      pieces.push({ lo: cur.lo, hi: low, loOpen: cur.loOpen, hiOpen: false });
      cur = undefined;
    }
    if (i === cuts.length) break;
    const cut = cuts[i]!;
    if (cutHolds[i]) cur ??= { lo: cut, loOpen: false };
    else if (cur) {
      pieces.push({ lo: cur.lo, hi: cut, loOpen: cur.loOpen, hiOpen: true });
      cur = undefined;
    }
  }
  if (cur) pieces.push({ lo: cur.lo, hi: POS_INF, loOpen: cur.loOpen, hiOpen: true });
  return pieces;
}

// ---- set operations and output ----

function cmp(a: Bound, b: Bound): number {
  return sameValue(a, b) ? 0 : a.v < b.v ? -1 : 1;
}

function intersect(a: Piece[], b: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const x of a) {
    for (const y of b) {
      const c1 = cmp(x.lo, y.lo);
      const lo = c1 > 0 ? x.lo : y.lo;
      const loOpen = c1 > 0 ? x.loOpen : c1 < 0 ? y.loOpen : x.loOpen || y.loOpen;
      const c2 = cmp(x.hi, y.hi);
      const hi = c2 < 0 ? x.hi : y.hi;
      const hiOpen = c2 < 0 ? x.hiOpen : c2 > 0 ? y.hiOpen : x.hiOpen || y.hiOpen;
      const c3 = cmp(lo, hi);
      if (c3 < 0 || (c3 === 0 && !loOpen && !hiOpen)) out.push({ lo, hi, loOpen, hiOpen });
    }
  }
  out.sort((p, q) => p.lo.v - q.lo.v);
  return out;
}

function toSetNode(pieces: Piece[]): Node {
  if (pieces.length === 0) return { k: 'sset', name: 'EmptySet' };
  const points: Node[] = [];
  const intervals: Node[] = [];
  for (const p of pieces) {
    if (cmp(p.lo, p.hi) === 0) points.push(p.lo.node);
    else intervals.push({ k: 'interval', a: p.lo.node, b: p.hi.node, lo: p.loOpen, ro: p.hiOpen });
  }
  if (intervals.length === 1 && points.length === 0) {
    const only = intervals[0] as Extract<Node, { k: 'interval' }>;
    if (only.a.k === 'const' && only.a.name === '-oo' && only.b.k === 'const' && only.b.name === 'oo') return { k: 'sset', name: 'Reals' };
    return only;
  }
  const parts = [...intervals];
  if (points.length > 0) parts.push(makeFiniteSet(points));
  return parts.length === 1 ? parts[0]! : { k: 'setop', op: 'union', args: parts };
}
