// Python jieba 0.42.1's precise mode (`jieba.cut(text, cut_all=False)`, HMM on), computed here
// for everything but the HMM: a trie over jieba's default dictionary gives each position's words,
// the route is the same maximum-probability path, and only the runs the HMM must split go to
// @node-rs/jieba (jiebaPy.ts). Calling @node-rs/jieba on a whole long response cost about 400 ns
// per token, mostly in turning every token into a JavaScript string; a 32k-character Chinese
// response (20k tokens) took 10-13 ms. Here tokens are only boundaries.
//
// The route compares sums of logarithms. Python and jieba-rs take them from the C library's log;
// JavaScript's Math.log may differ in the last bit, which could only matter where two paths tie
// within rounding. A block where the best and second-best candidates of any position are that
// close is segmented by jieba-rs instead, so the result is always the plain path's.
import { dict } from '@node-rs/jieba/dict.js';

/** Candidates closer than this (in natural-log probability) count as a tie; see above. */
const TIE = 1e-7;

/** Python jieba's re_han_default: `[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]`, by UTF-16 code unit. */
const HAN_DEFAULT = new Uint8Array(0x10000);
HAN_DEFAULT.fill(1, 0x4e00, 0x9fd6);
for (const c of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-') HAN_DEFAULT[c.charCodeAt(0)] = 1;

export function isHanDefault(c: number): boolean {
  return HAN_DEFAULT[c] === 1;
}

/** A built trie's arrays: what threads share (SharedArrayBuffer-backed when built to share). */
export interface DictTrieData {
  /** ROOT_STRIDE ints per code unit: the root's child, its word, its children's signature (see DictTrie). */
  root: Int32Array;
  edges: Int32Array;
  logFreqs: Float64Array;
  logTotal: number;
  /** Number of nodes: node ids are below it. */
  nodes: number;
}

const SLOTS = 1 << 20;
/** Ints per code unit in the root table (32 bytes: an entry never straddles a cache line). */
const ROOT_STRIDE = 8;
/** A slot packs a child node (below 2^NODE_BITS) and its frequency index + 1 into one int. */
const NODE_BITS = 19;
const NODE_MASK = (1 << NODE_BITS) - 1;

/**
 * The signature hash of a code unit: bit `h >>> 27` of a 32-bit signature word, and for the
 * root's 192-bit signatures word `(((h >>> 11) & 0xffff) * 6) >>> 16` of six.
 */
const sigHash = (c: number): number => Math.imul(c, 0x9e3779b1);
const rootSigWord = (h: number): number => 2 + ((((h >>> 11) & 0xffff) * 6) >>> 16);

function int32s(n: number, shared: boolean): Int32Array {
  return new Int32Array(shared ? new SharedArrayBuffer(4 * n) : new ArrayBuffer(4 * n));
}

/**
 * jieba's dictionary as a trie over UTF-16 code units (every dictionary word is in the BMP). The
 * root's children are in a direct table; deeper edges in one open-addressing hash table whose slot
 * holds [parent, code unit, child and frequency index, signature] side by side, so that a step of
 * the walk reads one cache line: the walk is memory-bound (half a million nodes), and separate
 * arrays for edges and frequencies cost a cache miss each. Most walks end on a code unit the node
 * has no edge for, and such a lookup probed the table until a free slot (38 % of the route's
 * time): a node's signature, a Bloom filter of its children's code units in the line already
 * read, rules out most of them (192 bits for the root's children, 32 for the others).
 */
class DictTrie {
  /**
   * By code unit c, at ROOT_STRIDE * c: the root's child (-1 when none), the frequency index of
   * the one-character word (-1 when the character alone is no word), then six signature words.
   */
  readonly root: Int32Array;
  /**
   * 4 ints per slot: parent node (-1 when free), code unit, child node | (frequency index + 1) <<
   * NODE_BITS (index + 1 = 0: no word ends there), and the child's signature.
   */
  readonly edges: Int32Array;
  readonly mask = SLOTS - 1;
  /** ln(freq) by frequency index (the dictionary has a few thousand distinct frequencies). */
  readonly logFreqs: Float64Array;
  /** ln(total frequency), as jieba-rs computes logtotal. */
  readonly logTotal: number;
  /** Node ids are below this; a node stands for one string (its path from the root). */
  readonly nodes: number;
  /** The frequency index of the word ending at the node last returned by child(), or -1. */
  word = -1;

  constructor(data: DictTrieData) {
    this.root = data.root;
    this.edges = data.edges;
    this.logFreqs = data.logFreqs;
    this.logTotal = data.logTotal;
    this.nodes = data.nodes;
  }

  data(): DictTrieData {
    return { root: this.root, edges: this.edges, logFreqs: this.logFreqs, logTotal: this.logTotal, nodes: this.nodes };
  }

  /** The node reached from `node` by code unit `c`, or -1; sets `word` for it. */
  child(node: number, c: number): number {
    if (node === 0) {
      this.word = this.root[ROOT_STRIDE * c + 1]!;
      return this.root[ROOT_STRIDE * c]!;
    }
    const e = this.edges;
    const mask = this.mask;
    for (let s = slotOf(node, c, mask); ; s = (s + 1) & mask) {
      const at = 4 * s;
      const parent = e[at]!;
      if (parent === node && e[at + 1] === c) {
        const packed = e[at + 2]!;
        this.word = (packed >>> NODE_BITS) - 1;
        return packed & NODE_MASK;
      }
      if (parent < 0) return -1;
    }
  }

  /** The node of the one-character string c (-1 when no word starts with c). */
  charNode(c: number): number {
    return this.root[ROOT_STRIDE * c]!;
  }

  /** Whether text[start, end) is a dictionary word. */
  isWord(text: string, start: number, end: number): boolean {
    let node = 0;
    for (let i = start; i < end; i++) {
      node = this.child(node, text.charCodeAt(i));
      if (node < 0) return false;
    }
    return this.word >= 0;
  }
}

function slotOf(node: number, c: number, mask: number): number {
  let h = Math.imul(node, 0x9e3779b1) ^ Math.imul(c + 1, 0x85ebca6b);
  h ^= h >>> 15;
  return h & mask;
}

/** Builds the trie of jieba's dictionary text ("word freq [tag]" lines, sorted or not). */
function buildDictTrie(text: string, shared: boolean): DictTrieData {
  const root = int32s(ROOT_STRIDE * 0x10000, shared).fill(-1);
  const edges = int32s(4 * SLOTS, shared).fill(-1);
  const mask = SLOTS - 1;
  let nodes = 1;
  let edgeCount = 0;
  /** The slot offset of the edge (node, c), added (with no word) when missing. */
  const slotOrAdd = (node: number, c: number): number => {
    for (let s = slotOf(node, c, mask); ; s = (s + 1) & mask) {
      const at = 4 * s;
      const parent = edges[at]!;
      if (parent === node && edges[at + 1] === c) return at;
      if (parent < 0) {
        if (++edgeCount * 2 > mask) throw new Error('jieba dictionary trie: edge table full');
        edges[at] = node;
        edges[at + 1] = c;
        edges[at + 2] = nodes++;
        return at; // edges[at + 3] stays -1 (no word) until a word ends here
      }
    }
  };
  const freqIndex = new Map<number, number>();
  const freqs: number[] = [];
  let nodeFreq = new Float64Array(1 << 19); // each word node's frequency (0: not a word), for the total
  const n = text.length;
  let pos = 0;
  while (pos < n) {
    // A line is "word freq [tag]" (one space-separated word, then its frequency).
    let node = 0;
    let at = -1; // where the word's frequency index goes (root child: -1 - code unit)
    let i = pos;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d) break;
      if (node === 0) {
        let child = root[ROOT_STRIDE * c]!;
        if (child < 0) child = root[ROOT_STRIDE * c] = nodes++;
        node = child;
        at = -1 - c;
      } else {
        at = slotOrAdd(node, c);
        node = edges[at + 2]!;
      }
    }
    let freq = 0;
    if (text.charCodeAt(i) === 0x20) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i) - 0x30;
        if (d < 0 || d > 9) break;
        freq = freq * 10 + d;
      }
    }
    if (node !== 0) {
      let fi = freqIndex.get(freq);
      if (fi === undefined) {
        fi = freqs.length;
        freqs.push(freq);
        freqIndex.set(freq, fi);
      }
      if (at < 0) root[ROOT_STRIDE * (-1 - at) + 1] = fi;
      else edges[at + 3] = fi;
      if (node >= nodeFreq.length) {
        const grown = new Float64Array(nodeFreq.length * 2);
        grown.set(nodeFreq);
        nodeFreq = grown;
      }
      nodeFreq[node] = freq; // a repeated word keeps its last frequency, counted once (jieba-rs)
    }
    const eol = text.indexOf('\n', i);
    pos = eol < 0 ? n : eol + 1;
  }
  packEdges(root, edges, nodes, freqs.length);
  let total = 0;
  for (let k = 0; k < nodes; k++) total += nodeFreq[k]!;
  const logFreqs = new Float64Array(shared ? new SharedArrayBuffer(8 * freqs.length) : new ArrayBuffer(8 * freqs.length));
  freqs.forEach((f, i) => (logFreqs[i] = Math.log(f)));
  return { root, edges, logFreqs, logTotal: Math.log(total), nodes };
}

/**
 * Turns the built slots [parent, c, child, frequency index] into the walk's layout: child and
 * index + 1 packed into one int, and each node's signature of its children's code units (in its
 * root entry for the root's children, else in its slot).
 */
function packEdges(root: Int32Array, edges: Int32Array, nodes: number, frequencies: number): void {
  if (nodes > NODE_MASK + 1 || frequencies + 1 >= 1 << (32 - NODE_BITS)) {
    throw new Error(`jieba dictionary trie: ${nodes} nodes and ${frequencies} distinct frequencies do not fit a slot's packing (${NODE_BITS} bits of node)`);
  }
  for (let c = 0; c < 0x10000; c++) root.fill(0, ROOT_STRIDE * c + 2, ROOT_STRIDE * c + ROOT_STRIDE);
  const rootCode = new Int32Array(nodes).fill(-1); // code unit of each root child
  for (let c = 0; c < 0x10000; c++) if (root[ROOT_STRIDE * c]! >= 0) rootCode[root[ROOT_STRIDE * c]!] = c;
  const slotOfNode = new Int32Array(nodes).fill(-1);
  for (let at = 0; at < edges.length; at += 4) {
    if (edges[at]! < 0) continue;
    const child = edges[at + 2]!;
    slotOfNode[child] = at;
    edges[at + 2] = child | ((edges[at + 3]! + 1) << NODE_BITS);
    edges[at + 3] = 0;
  }
  for (let at = 0; at < edges.length; at += 4) {
    const parent = edges[at]!;
    if (parent < 0) continue;
    const h = sigHash(edges[at + 1]!);
    const code = rootCode[parent]!;
    if (code >= 0) root[ROOT_STRIDE * code + rootSigWord(h)]! |= 1 << (h >>> 27);
    else edges[slotOfNode[parent]! + 3]! |= 1 << (h >>> 27);
  }
}

let trie: DictTrie | undefined;

const dictText = (): string => Buffer.from(dict.buffer, dict.byteOffset, dict.byteLength).toString('utf8');

/** This thread's trie: adopted from another thread (adoptDictTrie), else built on first use (0.2-0.4 s). */
export function dictTrie(): DictTrie {
  trie ??= new DictTrie(buildDictTrie(dictText(), false));
  return trie;
}

/**
 * The trie in shared memory, built here unless this thread has it already, for worker threads to
 * adopt: the service builds it once instead of once per thread (16 MB each, and the CPU time of
 * the build while the threads warm up).
 */
export function sharedDictTrie(): DictTrieData {
  if (!trie || !(trie.data().edges.buffer instanceof SharedArrayBuffer)) trie = new DictTrie(buildDictTrie(dictText(), true));
  return trie.data();
}

/** Uses a trie built by another thread (sharedDictTrie) instead of building one. */
export function adoptDictTrie(data: DictTrieData): void {
  trie = new DictTrie(data);
}

/** Receives a segmentation: token ends, and the pieces that need jieba-rs. */
export interface BlockSink {
  /**
   * A token ends at this offset of the text; `node` is the trie node spelling it (equal tokens,
   * equal nodes; a dictionary word never holds "." or whitespace), or -1.
   */
  end(at: number, node: number): void;
  /**
   * text[start, end) is a run of single characters that is no dictionary word: Python hands it
   * to finalseg (the HMM).
   */
  hmm(start: number, end: number): void;
  /** The block text[start, end) has a near-tie: jieba-rs must segment it whole. */
  rust(start: number, end: number): void;
}

/**
 * Longest block the route handles; a longer one (a run of Han characters and ASCII letters and
 * digits with no punctuation, over 32k code units) goes to jieba-rs whole, the plain path.
 */
export const MAX_ROUTE_BLOCK = 1 << 15;

// Route buffers, reused across calls. Module constants of a fixed size, not variables that grow:
// the optimising compiler then embeds their addresses and lengths in cutCodes instead of checking
// each array's map at every access of every position (its loop holds inner loops, which V8 does
// not peel, so those checks were not hoisted): a quarter fewer instructions in cutCodes.
const routeValue = new Float64Array(MAX_ROUTE_BLOCK + 1);
const routeEnd = new Int32Array(MAX_ROUTE_BLOCK + 1);
const routeNode = new Int32Array(MAX_ROUTE_BLOCK + 1);
/** Bit i set: text[k, k + i + 1) is a word (i < 31), so a run of single characters needs no new walk. */
const routeWords = new Int32Array(MAX_ROUTE_BLOCK + 1);
/** The code units of the block being routed (blockCodes[k] = codes[start + k]), for the same reason. */
const blockCodes = new Uint16Array(MAX_ROUTE_BLOCK + 1);

/**
 * jieba's __cut_DAG (HMM on) over the Han block that starts at `start` (text[start] is in
 * re_han_default) and runs as far as it goes; returns its end. `codes` holds the text's code
 * units (codes[i] = text.charCodeAt(i) for i < text.length): the walks read each several times,
 * and charCodeAt costs more than a typed array. Dictionary words go to `sink.end`, runs of single
 * characters that are not a word go to `sink.hmm` (Python hands them to finalseg, the HMM), and
 * the whole block goes to `sink.rust` when its route has a near-tie or it is longer than
 * MAX_ROUTE_BLOCK.
 */
export function cutHanBlockFrom(text: string, codes: Uint16Array, start: number, sink: BlockSink): number {
  const limit = text.length;
  const copyEnd = Math.min(limit, start + MAX_ROUTE_BLOCK + 1);
  const block = blockCodes;
  block[0] = codes[start]!;
  let end = start + 1;
  for (let c = codes[end]!; end < copyEnd && HAN_DEFAULT[c] === 1; c = codes[++end]!) block[end - start] = c;
  while (end < limit && HAN_DEFAULT[codes[end]!] === 1) end++;
  const n = end - start;
  if (n > MAX_ROUTE_BLOCK) sink.rust(start, end);
  else cutCodes(text, codes, start, n, sink);
  return end;
}

/**
 * The route over the block text[start, start + n), whose code units cutHanBlockFrom copied to
 * blockCodes[0, n).
 * The walk is DictTrie.child inlined: this loop is a third of a Chinese summary's instructions.
 */
function cutCodes(text: string, codes: Uint16Array, start: number, n: number, sink: BlockSink): void {
  const t = dictTrie();
  const end = start + n;
  const value = routeValue; // (module constants: see above)
  const block = blockCodes;
  const to = routeEnd;
  const nodeOf = routeNode;
  const words = routeWords;
  const root = t.root;
  const edges = t.edges;
  const mask = t.mask;
  const logFreqs = t.logFreqs;
  const logTotal = t.logTotal;
  const single = 0 - logTotal; // ln(1) - logtotal: a character that starts no word
  value[n] = 0;
  for (let k = n - 1; k >= 0; k--) {
    const entry = ROOT_STRIDE * block[k]!;
    let node = root[entry]!;
    if (node < 0) {
      // No word starts here: the character alone, at frequency 1.
      value[k] = single + value[k + 1]!;
      to[k] = k + 1;
      nodeOf[k] = -1;
      words[k] = 0;
      continue;
    }
    let best = Number.NEGATIVE_INFINITY;
    let second = Number.NEGATIVE_INFINITY;
    let bestX = -1;
    let bestNode = -1;
    let lengths = 0;
    let word = root[entry + 1]!;
    if (word >= 0) {
      best = logFreqs[word]! - logTotal + value[k + 1]!;
      bestX = k;
      bestNode = node;
      lengths = 1;
    }
    let x = k + 1;
    let sig = 0;
    // Whether the next code unit may extend the walk (the signature has no false negatives).
    let may = false;
    if (x < n) {
      const h = sigHash(block[x]!);
      may = ((root[entry + rootSigWord(h)]! >>> (h >>> 27)) & 1) !== 0;
    }
    walk: while (may) {
      const c = block[x]!;
      for (let s = slotOf(node, c, mask); ; s = (s + 1) & mask) {
        const at = 4 * s;
        const parent = edges[at]!;
        if (parent === node && edges[at + 1] === c) {
          const packed = edges[at + 2]!;
          node = packed & NODE_MASK;
          word = (packed >>> NODE_BITS) - 1;
          sig = edges[at + 3]!;
          break;
        }
        if (parent < 0) break walk;
      }
      if (word >= 0) {
        if (x - k < 31) lengths |= 1 << (x - k);
        const v = logFreqs[word]! - logTotal + value[x + 1]!;
        // Python's max over (value, x): equal values go to the longer word.
        if (v >= best) {
          second = best;
          best = v;
          bestX = x;
          bestNode = node;
        } else if (v > second) second = v;
      }
      if (++x >= n) break;
      may = ((sig >>> (sigHash(block[x]!) >>> 27)) & 1) !== 0;
    }
    if (bestX < 0) {
      best = single + value[k + 1]!;
      bestX = k;
      bestNode = root[entry]!;
    } else if (best - second < TIE) {
      sink.rust(start, end);
      return;
    }
    value[k] = best;
    to[k] = bestX + 1;
    nodeOf[k] = bestNode;
    words[k] = lengths;
  }
  let run = -1; // start of the current run of single characters
  for (let x = 0; x < n; ) {
    const y = to[x]!;
    if (y - x === 1) {
      if (run < 0) run = x;
    } else {
      if (run >= 0) flushRun(t, text, codes, start, run, x, sink);
      run = -1;
      sink.end(start + y, nodeOf[x]!);
    }
    x = y;
  }
  if (run >= 0) flushRun(t, text, codes, start, run, n, sink);
}

/** The run of single characters text[start + run, start + stop), as __cut_DAG yields it. */
function flushRun(t: DictTrie, text: string, codes: Uint16Array, start: number, run: number, stop: number, sink: BlockSink): void {
  if (stop - run === 1) sink.end(start + stop, routeNode[run]!);
  else if (!(stop - run <= 31 ? (routeWords[run]! >>> (stop - run - 1)) & 1 : t.isWord(text, start + run, start + stop))) sink.hmm(start + run, start + stop);
  else for (let i = run; i < stop; i++) sink.end(start + i + 1, t.charNode(codes[start + i]!));
}
