// SymPy matrices as latex2sympy builds them: \begin{pmatrix}...\end{pmatrix} is a Matrix, sums and
// products involving one are unevaluated MatAdd/MatMul, \begin{vmatrix} and \det give the
// determinant. doit() evaluates the matrix arithmetic; sizes are bounded so nothing here can blow up.

import { type Node, MINUS_ONE, freeSymbols, hasFloat, isMatrixKind, rational } from './nodes.js';
import { exactValue } from './exact.js';
import { evalNode } from './evaluate.js';

export type MatrixNode = Extract<Node, { k: 'matrix' }>;

/** Entries a matrix may have (10x10): larger ones are not read at all. */
export const MAX_MATRIX_ENTRIES = 100;
/** Determinants are expanded by cofactors up to this size (4! = 24 products). */
const MAX_DET_SIZE = 4;

export function makeMatrix(rows: Node[][]): MatrixNode {
  return { k: 'matrix', rows: rows.length, cols: rows[0]!.length, args: rows.flat() };
}

export function entry(m: MatrixNode, r: number, c: number): Node {
  return m.args[r * m.cols + c]!;
}

export function transpose(m: MatrixNode): MatrixNode {
  const args: Node[] = [];
  for (let c = 0; c < m.cols; c++) for (let r = 0; r < m.rows; r++) args.push(entry(m, r, c));
  return { k: 'matrix', rows: m.cols, cols: m.rows, args };
}

/**
 * doit() on one entry: number-only arithmetic is carried out (exactly, or in floating point once a
 * Float is involved, as SymPy does); anything with symbols or functions stays as written.
 */
export function entryDoit(e: Node): Node {
  if (e.k === 'int' || e.k === 'rat' || e.k === 'float') return e;
  if (!hasFloat(e)) {
    const exact = exactValue(e);
    if (exact) return rational(exact.p, exact.q);
    return e;
  }
  if (freeSymbols(e).size > 0) return e;
  const v = evalNode(e);
  return Number.isFinite(v.re) && v.im === 0 ? { k: 'float', v: v.re } : e;
}

/**
 * The Matrix a matrix expression evaluates to (SymPy's doit()), or undefined where SymPy raises
 * (shape mismatch, a scalar added to a matrix, a matrix inverse or power) or the sizes are too big.
 */
export function matrixDoit(n: Node): MatrixNode | undefined {
  if (n.k === 'matrix') return { ...n, args: n.args.map(entryDoit) };
  if (n.k === 'matadd') {
    let acc: MatrixNode | undefined;
    for (const a of n.args) {
      const m = matrixDoit(a);
      if (!m) return undefined;
      if (!acc) acc = m;
      else {
        if (acc.rows !== m.rows || acc.cols !== m.cols) return undefined;
        acc = { ...acc, args: acc.args.map((x, i) => entryDoit({ k: 'add', args: [x, m.args[i]!] })) };
      }
    }
    return acc;
  }
  if (n.k === 'matmul') {
    const scalars: Node[] = [];
    let acc: MatrixNode | undefined;
    for (const a of n.args) {
      if (!isMatrixKind(a)) {
        if (containsMatrix(a)) return undefined; // e.g. a matrix inverse written as M^{-1}
        scalars.push(a);
        continue;
      }
      const m = matrixDoit(a);
      if (!m) return undefined;
      acc = acc ? multiply(acc, m) : m;
      if (!acc) return undefined;
    }
    if (!acc) return undefined;
    if (scalars.length === 0) return acc;
    const factor: Node = scalars.length === 1 ? scalars[0]! : { k: 'mul', args: scalars };
    return { ...acc, args: acc.args.map((x) => entryDoit({ k: 'mul', args: [factor, x] })) };
  }
  return undefined;
}

function containsMatrix(n: Node): boolean {
  if (isMatrixKind(n)) return true;
  if (n.k === 'pow') return containsMatrix(n.base) || containsMatrix(n.exp);
  if (n.k === 'add' || n.k === 'mul' || n.k === 'fn') return n.args.some(containsMatrix);
  return false;
}

function multiply(a: MatrixNode, b: MatrixNode): MatrixNode | undefined {
  if (a.cols !== b.rows || a.rows * b.cols > MAX_MATRIX_ENTRIES) return undefined;
  const args: Node[] = [];
  for (let r = 0; r < a.rows; r++) {
    for (let c = 0; c < b.cols; c++) {
      const terms: Node[] = [];
      for (let k = 0; k < a.cols; k++) terms.push({ k: 'mul', args: [entry(a, r, k), entry(b, k, c)] });
      args.push(entryDoit(terms.length === 1 ? terms[0]! : { k: 'add', args: terms }));
    }
  }
  return { k: 'matrix', rows: a.rows, cols: b.cols, args };
}

/** Matrix.det(): exact for numbers, a cofactor expansion otherwise; undefined when too large. */
export function determinant(m: MatrixNode): Node | undefined {
  if (m.rows !== m.cols || m.rows > MAX_DET_SIZE) return undefined;
  const entries = m.args.map(entryDoit);
  const cols = [...Array(m.cols).keys()];
  const expand = (row: number, left: number[]): Node => {
    if (left.length === 1) return entries[row * m.cols + left[0]!]!;
    const terms: Node[] = [];
    left.forEach((c, i) => {
      const minor = expand(row + 1, left.filter((x) => x !== c));
      const term: Node = { k: 'mul', args: [entries[row * m.cols + c]!, minor] };
      terms.push(i % 2 === 0 ? term : { k: 'mul', args: [MINUS_ONE, term] });
    });
    return { k: 'add', args: terms };
  };
  return entryDoit(expand(0, cols));
}
