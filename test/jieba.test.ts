// Python jieba 0.42.1 compatibility of the @node-rs/jieba wrapper. Expected tokens follow from
// jieba's __init__.py (re_han_default, __cut_DAG) and finalseg (re_skip `[a-zA-Z0-9]+(?:\.\d+)?%?`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dict } from '@node-rs/jieba/dict.js';
import { adoptDictTrie, isHanDefault, MAX_ROUTE_BLOCK, sharedDictTrie } from '../rewards/jiebaDag.js';
import { pyJiebaCut, pyJiebaJoin, pyJiebaSegment } from '../rewards/jiebaPy.js';
import { PY_WHITESPACE_CODE_POINTS } from '../rewards/text.js';

describe('pyJiebaCut', () => {
  it('segments Chinese as jieba does', () => {
    expect(pyJiebaCut('我爱北京天安门')).toEqual(['我', '爱', '北京', '天安门']);
    expect(pyJiebaCut('')).toEqual([]);
  });

  it('splits hyphenated alphanumerics on the HMM path as Python finalseg does', () => {
    expect(pyJiebaCut('gme-71')).toEqual(['gme', '-', '71']);
    expect(pyJiebaCut('我们的gme-71模型')).toEqual(['我们', '的', 'gme', '-', '71', '模型']);
    expect(pyJiebaCut('模型gme-71和qwen2.5-7b')).toEqual(['模型', 'gme', '-', '71', '和', 'qwen2.5', '-', '7b']);
    expect(pyJiebaCut('x#1')).toEqual(['x', '#', '1']);
  });

  it('re-scans the rest of the non-Han run after such a token', () => {
    // jieba-rs: "a-1", "b" / Python: "a", "-", "1b"
    expect(pyJiebaCut('a-1b测试')).toEqual(['a', '-', '1b', '测试']);
    // jieba-rs: "5%3", "abc" / Python: "5%", "3abc"
    expect(pyJiebaCut('5%3abc中文')).toEqual(['5%', '3abc', '中文']);
  });

  it('keeps what both agree on: decimals, percentages, dictionary words', () => {
    expect(pyJiebaCut('价格是3.5%左右')).toEqual(['价格', '是', '3.5%', '左右']);
    expect(pyJiebaCut('c++语言')).toEqual(['c++', '语言']);
  });

  it('yields characters outside Python\'s Han range one by one', () => {
    expect(pyJiebaCut('㐀㐁测试')).toEqual(['㐀', '㐁', '测试']);
    expect(pyJiebaCut('中 文\r\n字')).toEqual(['中', ' ', '文', '\r\n', '字']);
  });

  it('tokens always concatenate to the input and never keep a symbol-joined alnum-digit token', () => {
    const alphabet = fc.constantFrom('a', 'b', '7', '1', '-', '.', '%', '#', '+', '_', ' ', '的', '模', '型', '北京', '㐀');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 30 }).map((a) => a.join('')), (text) => {
        const tokens = pyJiebaCut(text);
        expect(tokens.join('')).toBe(text);
        for (const t of tokens) expect(t).not.toMatch(/^[a-zA-Z0-9]+[+#&_%-][0-9]+%?$/);
      }),
      { numRuns: 300 },
    );
  });
});

// The fast path (jiebaDag.ts: route and buffers in JavaScript, only HMM runs through jieba-rs)
// against the plain one above, on texts mixing dictionary words, single characters the HMM
// groups, exact route ties, non-Han runs and everything Python yields one by one.
describe('pyJiebaSegment / pyJiebaJoin (fast path)', () => {
  const pieces = [
    // dictionary words and common single characters (HMM runs such as 好的, 我对)
    '北京', '天安门', '我们', '模型', '数据', '分析', '结果', '问题', '答案', '公司', '年度报告', '供应商', '董事会', '计划',
    '的', '了', '是', '我', '对', '好', '在', '有', '和', '就', '不', '也', '很', '到', '说', '要', '去', '你', '会', '着',
    // route ties: 一一+一 vs 一+一一 and the like (the fast path hands such blocks to jieba-rs)
    '一一一', '丁税政', '上上上', '万万万',
    // characters that start no dictionary word, names the HMM has to guess
    '徐明', '明辉', '锦程纺织', '蓝海', '鑫', '犇', '龘',
    // dictionary words the route splits into single characters, so that next to a digit they
    // are the Han part of a mixed HMM run (7好个7: finalseg's HMM keeps 好个 whole)
    '好个', '这人', '下到', '不大',
    // non-Han runs inside blocks and around them
    'gme', '-', '71', '3.5', '%', 'c++', 'AT&T', 'a', 'B', '7', '#', '_', '.', '+', '&',
    // outside Python's Han class: punctuation, spaces, CJK extension A, compatibility, astral, fullwidth
    '，', '。', '！', '“', ' ', '  ', '\n', '\r\n', '\r', '\t', '\u3000', '㐀', '豈', '𠀀', 'Ａ', '①',
  ];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 80 }).map((a) => a.join(''));

  it('joins to what the plain path joins, token for token', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(pyJiebaJoin(t)).toBe(pyJiebaCut(t).join(' '));
      }),
      { numRuns: 1500 },
    );
  });

  it('gives token ends that cut the text into the plain path\'s tokens', () => {
    fc.assert(
      fc.property(text, (t) => {
        const { ends, count, nodes, nodeLimit } = pyJiebaSegment(t);
        const tokens: string[] = [];
        const spelled = new Map<number, string>();
        let prev = 0;
        for (let k = 0; k < count; k++) {
          const token = t.slice(prev, ends[k]);
          tokens.push(token);
          prev = ends[k]!;
          // A token's trie node stands for its string alone; a keyed token has no "." or whitespace.
          const node = nodes[k]!;
          if (node < 0) continue;
          expect(node).toBeLessThan(nodeLimit);
          expect(token).not.toMatch(/[.\s]/);
          expect(spelled.get(node) ?? token).toBe(token);
          spelled.set(node, token);
        }
        expect(new Set(spelled.values()).size).toBe(spelled.size);
        expect(prev).toBe(t.length);
        expect(tokens).toEqual(pyJiebaCut(t));
      }),
      { numRuns: 500 },
    );
  });

  it('keys a one-unit token outside the Han class by that unit, whitespace never', () => {
    // Every BMP code unit outside Python's Han class, twice: equal tokens get equal keys, distinct
    // ones distinct keys, and no keyed token is whitespace (ROUGE-L splits those itself).
    const units: string[] = [];
    for (let c = 0; c < 0x10000; c++) if (!isHanDefault(c) && (c < 0xd800 || c > 0xdfff) && c !== 0x0d) units.push(String.fromCharCode(c));
    const t = units.join('') + units.join('');
    const { ends, count, nodes } = pyJiebaSegment(t);
    expect(count).toBe(2 * units.length);
    const keyOf = new Map<string, number>();
    const tokenOf = new Map<number, string>();
    let prev = 0;
    for (let k = 0; k < count; k++) {
      const token = t.slice(prev, ends[k]);
      prev = ends[k]!;
      const key = nodes[k]!;
      if (PY_WHITESPACE_CODE_POINTS.includes(token.charCodeAt(0))) {
        expect(key).toBe(-1);
        continue;
      }
      expect(key).toBeGreaterThanOrEqual(0);
      expect(keyOf.get(token) ?? key).toBe(key);
      expect(tokenOf.get(key) ?? token).toBe(token);
      keyOf.set(token, key);
      tokenOf.set(key, token);
    }
  });

  it('keys jieba-rs\'s one-character tokens but a ".", which ROUGE-L splits on', () => {
    // 一一一 is a near-tie block that jieba-rs segments whole, "." and all; 中的 an HMM piece.
    for (const text of ['一一一.', '.一一一', '一一一.a', '我们中的一一一.', '北京.中的']) {
      const { ends, count, nodes } = pyJiebaSegment(text);
      const tokens: string[] = [];
      let prev = 0;
      for (let k = 0; k < count; k++) {
        tokens.push(text.slice(prev, ends[k]));
        prev = ends[k]!;
        if (tokens[k] === '.') expect(nodes[k]).toBe(-1);
        else if (tokens[k]!.length === 1) expect(nodes[k]).toBeGreaterThanOrEqual(0);
      }
      expect(tokens).toEqual(pyJiebaCut(text));
    }
  });

  it('agrees on long texts, where HMM runs repeat and come from the cache', () => {
    const long = fc.array(fc.constantFrom(...pieces), { minLength: 400, maxLength: 1500 }).map((a) => a.join(''));
    fc.assert(
      fc.property(long, (t) => {
        expect(pyJiebaJoin(t)).toBe(pyJiebaCut(t).join(' '));
      }),
      { numRuns: 40 },
    );
  });

  it('cuts HMM runs with digits as finalseg does, only their Han parts through the HMM', () => {
    // Runs of single characters mixing Han and re_skip parts: 24个, 于1986年在, 是42加33, 3.5%.
    for (const t of ['我得到24个相关项', '天际通信于1986年在西安', '一共是42加33', '大约3.5%的', '从1998年到1999年', 'gme-71模型', '1.2.3.4%%个', '版本2.x的', '第7.b条', 'a.5的']) {
      expect(pyJiebaJoin(t)).toBe(pyJiebaCut(t).join(' '));
    }
    // The Han part 好个 is a dictionary word that loses to 好 + 个 on the route: the HMM keeps it
    // whole inside the run, where jieba-rs given 好个 alone would return the dictionary's split.
    for (const t of ['7好个7', '7这人7', 'a下到b', '3不大%']) expect(pyJiebaJoin(t)).toBe(pyJiebaCut(t).join(' '));
    expect(pyJiebaJoin('7好个7')).toBe('7 好个 7');
  });

  it('agrees with the plain path on every dictionary word, one a line', () => {
    // Every word's walk from its first character, through the signatures that let a walk stop
    // early: a code unit missing from one would cut a word short.
    const words = Buffer.from(dict).toString('utf8').split('\n').map((line) => line.split(' ')[0]!).filter((w) => w !== '');
    expect(words.length).toBeGreaterThan(300_000);
    const text = words.join('\n');
    const fast = pyJiebaJoin(text).split(' \n ');
    const plain = pyJiebaCut(text).join(' ').split(' \n ');
    expect(plain.length).toBe(words.length);
    // The differing lines only: a failure's diff of the whole text would take minutes.
    expect(words.flatMap((w, i) => (fast[i] === plain[i] ? [] : [`${w}: ${fast[i]} / ${plain[i]}`])).slice(0, 10)).toEqual([]);
  });

  it('agrees on Han blocks that fill the route buffers, and longer ones (jieba-rs takes those whole)', () => {
    // Every character here is in re_han_default, so each text is one block of exactly n units.
    const unit = '我们的模型7在北京天安门好的我对锦程纺织gme-71';
    for (const n of [MAX_ROUTE_BLOCK - 1, MAX_ROUTE_BLOCK, MAX_ROUTE_BLOCK + 1, MAX_ROUTE_BLOCK + 40]) {
      const block = unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
      for (const t of [block, `，${block}。好的${block.slice(0, 100)}`]) {
        expect(t.length).toBeGreaterThan(0);
        expect(pyJiebaJoin(t)).toBe(pyJiebaCut(t).join(' '));
      }
    }
  });

  it('resolves exact ties as Python does (the longer word first)', () => {
    // route[0] = max((ln f(一) - ln T + route[1], 0), (ln f(一一) - ln T + route[2], 1)): equal sums, larger x wins
    expect(pyJiebaJoin('一一一')).toBe('一一 一');
    expect(pyJiebaJoin('一一一')).toBe(pyJiebaCut('一一一').join(' '));
  });

  it('works from a trie built in shared memory for the worker threads', () => {
    const shared = sharedDictTrie();
    expect(shared.edges.buffer).toBeInstanceOf(SharedArrayBuffer);
    adoptDictTrie({ ...shared }); // as a worker does with the pool's copy
    const t = '我们的gme-71模型在北京天安门，好的，我对这个结果很满意。一一一';
    expect(pyJiebaJoin(t)).toBe(pyJiebaCut(t).join(' '));
  });

  it('keeps a lone surrogate as one token, as Python does', () => {
    // Python: re_han.split gives 'a', '\ud800', 'b'; the middle one is yielded as it is.
    expect(pyJiebaJoin('a\ud800b')).toBe('a \ud800 b');
  });
});
