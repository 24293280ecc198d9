// Element identity and canonical order inside finite sets (SymPy dedups FiniteSet args and
// sorts them; numbers sort by value).

import { evalNode } from './evaluate.js';
import { type Node, same, show } from './nodes.js';

export function sameForSet(a: Node, b: Node): boolean {
  return same(a, b);
}

function sortValue(n: Node): number | undefined {
  if (n.k === 'const' && n.name === 'oo') return Infinity;
  if (n.k === 'const' && n.name === '-oo') return -Infinity;
  const v = evalNode(n);
  return Number.isNaN(v.re) || v.im !== 0 ? undefined : v.re;
}

/** Numbers first by value, then everything else by printed form. */
export function sortForSet(items: Node[]): Node[] {
  const keyed = items.map((n) => ({ n, v: sortValue(n), s: show(n) }));
  keyed.sort((a, b) => {
    if (a.v !== undefined && b.v !== undefined) return a.v - b.v;
    if (a.v !== undefined) return -1;
    if (b.v !== undefined) return 1;
    return a.s < b.s ? -1 : a.s > b.s ? 1 : 0;
  });
  return keyed.map((k) => k.n);
}
