// Python jieba 0.42.1 compatibility of the @node-rs/jieba wrapper. Expected tokens follow from
// jieba's __init__.py (re_han_default, __cut_DAG) and finalseg (re_skip `[a-zA-Z0-9]+(?:\.\d+)?%?`).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyJiebaCut } from '../rewards/jiebaPy.js';

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
