// Exact rational evaluation of number-only trees (SymPy's doit() on integers and rationals),
// bounded so hostile exponents cannot blow up: returns undefined when the tree is not purely
// rational or the result would be too large.

import { gcd, type Node, symKey } from './nodes.js';
import { exactBudgetSpent, spendExact, termCost } from './evaluate.js';

export interface Rat {
  p: bigint;
  q: bigint;
}

const MAX_DIGITS = 2000;

/** p/q in lowest terms with a positive denominator (undefined for q = 0). */
export function norm(p: bigint, q: bigint): Rat | undefined {
  if (q === 0n) return undefined;
  if (q < 0n) {
    p = -p;
    q = -q;
  }
  const g = gcd(p, q);
  return g > 1n ? { p: p / g, q: q / g } : { p, q };
}

function tooBig(r: Rat): boolean {
  return r.p.toString().length > MAX_DIGITS || r.q.toString().length > MAX_DIGITS;
}

/** Terms a finite Sum/Product may have to be evaluated exactly. */
const MAX_EXACT_TERMS = 2000;

export function exactValue(n: Node, depth = 0, env?: ReadonlyMap<string, bigint>): Rat | undefined {
  if (depth > 200) return undefined;
  switch (n.k) {
    case 'sym': {
      const v = env?.get(symKey(n));
      return v === undefined ? undefined : { p: v, q: 1n };
    }
    case 'sum':
    case 'prod': {
      // doit() of a sum or product with integer bounds, term by term (Karr's convention for hi < lo).
      const lo = exactValue(n.lo, depth + 1, env);
      const hi = exactValue(n.hi, depth + 1, env);
      if (!lo || !hi || lo.q !== 1n || hi.q !== 1n) return undefined;
      const reversed = hi.p < lo.p;
      const from = reversed ? hi.p + 1n : lo.p;
      const to = reversed ? lo.p - 1n : hi.p;
      const count = to - from + 1n;
      // Exact terms cost more than floating-point ones (bigint arithmetic): they draw 5 units each.
      if (count > BigInt(MAX_EXACT_TERMS) || !spendExact(5 * termCost(n.body) * Number(count > 0n ? count : 0n))) return undefined;
      const local = new Map(env ?? []);
      const key = symKey(n.v);
      let acc: Rat = { p: n.k === 'sum' ? 0n : 1n, q: 1n };
      for (let k = from; k <= to; k++) {
        local.set(key, k);
        const t = exactValue(n.body, depth + 1, local);
        if (!t || exactBudgetSpent()) return undefined;
        const r = n.k === 'sum' ? norm(acc.p * t.q + t.p * acc.q, acc.q * t.q) : norm(acc.p * t.p, acc.q * t.q);
        if (!r || tooBig(r)) return undefined;
        acc = r;
      }
      if (!reversed) return acc;
      return n.k === 'sum' ? { p: -acc.p, q: acc.q } : norm(acc.q, acc.p);
    }
    case 'int':
      return { p: n.v, q: 1n };
    case 'rat':
      return { p: n.p, q: n.q };
    case 'add': {
      let acc: Rat = { p: 0n, q: 1n };
      for (const a of n.args) {
        const v = exactValue(a, depth + 1, env);
        if (!v) return undefined;
        const r = norm(acc.p * v.q + v.p * acc.q, acc.q * v.q);
        if (!r || tooBig(r)) return undefined;
        acc = r;
      }
      return acc;
    }
    case 'mul': {
      let acc: Rat = { p: 1n, q: 1n };
      for (const a of n.args) {
        const v = exactValue(a, depth + 1, env);
        if (!v) return undefined;
        const r = norm(acc.p * v.p, acc.q * v.q);
        if (!r || tooBig(r)) return undefined;
        acc = r;
      }
      return acc;
    }
    case 'pow': {
      const b = exactValue(n.base, depth + 1, env);
      const e = exactValue(n.exp, depth + 1, env);
      if (!b || !e || e.q !== 1n) return undefined;
      let k = e.p;
      const neg = k < 0n;
      if (neg) k = -k;
      if (b.p === 0n) return neg ? undefined : k === 0n ? { p: 1n, q: 1n } : { p: 0n, q: 1n };
      const absP = b.p < 0n ? -b.p : b.p;
      const digits = Math.max(absP.toString().length, b.q.toString().length);
      if (absP !== 1n || b.q !== 1n) {
        if (Number(k) * digits > MAX_DIGITS) return undefined;
      }
      let p = 1n;
      let q = 1n;
      if (absP === 1n && b.q === 1n) p = b.p < 0n && k % 2n === 1n ? -1n : 1n;
      else {
        p = b.p ** k;
        q = b.q ** k;
      }
      return neg ? norm(q, p) : { p, q };
    }
    default:
      return undefined;
  }
}

export function ratEqual(a: Rat, b: Rat): boolean {
  return a.p === b.p && a.q === b.q;
}
