// Exact rational evaluation of number-only trees (SymPy's doit() on integers and rationals),
// bounded so hostile exponents cannot blow up: returns undefined when the tree is not purely
// rational or the result would be too large.

import type { Node } from './nodes.js';

export interface Rat {
  p: bigint;
  q: bigint;
}

const MAX_DIGITS = 2000;

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b) [a, b] = [b, a % b];
  return a;
}

function norm(p: bigint, q: bigint): Rat | undefined {
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

export function exactValue(n: Node, depth = 0): Rat | undefined {
  if (depth > 200) return undefined;
  switch (n.k) {
    case 'int':
      return { p: n.v, q: 1n };
    case 'rat':
      return { p: n.p, q: n.q };
    case 'add': {
      let acc: Rat = { p: 0n, q: 1n };
      for (const a of n.args) {
        const v = exactValue(a, depth + 1);
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
        const v = exactValue(a, depth + 1);
        if (!v) return undefined;
        const r = norm(acc.p * v.p, acc.q * v.q);
        if (!r || tooBig(r)) return undefined;
        acc = r;
      }
      return acc;
    }
    case 'pow': {
      const b = exactValue(n.base, depth + 1);
      const e = exactValue(n.exp, depth + 1);
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
