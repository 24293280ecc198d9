// Python string rules, checked against facts of CPython 3.11 (str.isspace, strip, split, len).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterLast, answerArea, codePointLength, fold, foldLines, lastCodePoints, pyCount, pyLower, pySplit, pyStrip, PY_WHITESPACE_CODE_POINTS } from '../rewards/text.js';

describe('Python whitespace', () => {
  it('strips the separators Python counts as space and JavaScript trim() does not', () => {
    expect(pyStrip('\u001cx\u001f')).toBe('x');
    expect(pyStrip('\u0085x\u0085')).toBe('x');
  });
  it('keeps U+FEFF and zero-width space, which Python does not strip', () => {
    expect(pyStrip('\ufeffx')).toBe('\ufeffx');
    expect(pyStrip('x\u200b')).toBe('x\u200b');
  });
  it('strips ideographic space, NBSP, line and paragraph separators', () => {
    expect(pyStrip('\u3000\u00a0\u2028x\u2029\u202f')).toBe('x');
  });
  it('splits on runs of any Python whitespace and drops empty pieces', () => {
    expect(pySplit('  a\t\u000bb\u001e\u001ec  ')).toEqual(['a', 'b', 'c']);
    expect(pySplit('')).toEqual([]);
    expect(pySplit(' \n ')).toEqual([]);
  });
  it('fold joins the pieces with one space', () => {
    expect(fold('  The  quick\n\nfox\u3000 ')).toBe('The quick fox');
  });
  it('fold and foldLines equal Python\'s " ".join(s.split()) and its per-line form on any text', () => {
    // Python's split() written out from its definition: maximal runs of non-space code units.
    const spaces = new Set(PY_WHITESPACE_CODE_POINTS.map((cp) => String.fromCharCode(cp)));
    const pyFold = (t: string): string => {
      const words: string[] = [];
      let word = '';
      for (const ch of t) {
        if (spaces.has(ch)) {
          if (word) words.push(word);
          word = '';
        } else word += ch;
      }
      if (word) words.push(word);
      return words.join(' ');
    };
    const unit = fc.oneof(fc.constantFrom(' ', '  ', '\n', '\t', '\u3000', '\u0085', '\r', 'a', 'b', '中'), fc.string({ maxLength: 2 }));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 20 }).map((parts) => parts.join('')), (t) => {
        expect(fold(t)).toBe(pyFold(t));
        expect(foldLines(t)).toEqual(t.split('\n').map(pyFold));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('lower case', () => {
  it('equals toLowerCase on any text, including every code unit of the ranges it skips', () => {
    const skipped: string[] = [];
    for (let c = 0; c < 0x80; c++) skipped.push(String.fromCharCode(c));
    for (let c = 0x3000; c <= 0x9fff; c++) skipped.push(String.fromCharCode(c));
    for (const ch of skipped) expect(pyLower(ch)).toBe(ch.toLowerCase());
    const unit = fc.oneof(fc.constantFrom('中', '文', 'A', 'z', 'İ', 'Σ', 'Ａ', '\u3000', '\u9fff', '\ua000', '\u2fff'), fc.string({ unit: 'binary', maxLength: 2 }));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 12 }).map((parts) => parts.join('')), (t) => {
        expect(pyLower(t)).toBe(t.toLowerCase());
      }),
      { numRuns: 2000 },
    );
  });
});

describe('code points', () => {
  it('counts an astral character once and a lone surrogate once, as Python len() does', () => {
    expect(codePointLength('a😀b')).toBe(3);
    expect(codePointLength('\ud800x')).toBe(2);
    expect(codePointLength('\udc00\ud800')).toBe(2);
  });
  it('takes the last n code points without splitting a pair', () => {
    expect(lastCodePoints('ab😀c', 2)).toBe('😀c');
    expect(lastCodePoints('ab😀c', 10)).toBe('ab😀c');
    expect(lastCodePoints('abc', 0)).toBe('');
  });
  it('matches Array.from slicing on arbitrary strings, lone surrogates included', () => {
    fc.assert(
      // Mostly-ASCII strings too: the fast path for a tail without surrogates must still split
      // exactly where a pair just before it begins.
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('a', 'b', 'a', '😀', '\ud83d', '\ude00'), maxLength: 60 })), fc.nat(40), (s, n) => {
        const points = Array.from(s);
        expect(lastCodePoints(s, n)).toBe(n === 0 ? '' : points.slice(Math.max(0, points.length - n)).join(''));
        expect(codePointLength(s)).toBe(Array.from(s).length);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('substring rules', () => {
  it('counts non-overlapping occurrences like str.count', () => {
    expect(pyCount('aaaa', 'aa')).toBe(2);
    expect(pyCount('<think><think>', '<think>')).toBe(2);
    expect(pyCount('x', 'y')).toBe(0);
  });
  it('afterLast is split(sep)[-1]', () => {
    expect(afterLast('a</think>b</think>c', '</think>')).toBe('c');
    expect(afterLast('abc', '</think>')).toBe('abc');
  });
  it('answerArea prefers the last [Answer], then the last [答案], and strips', () => {
    expect(answerArea('x [答案] y [Answer] a [Answer]\n b \n')).toBe('b');
    expect(answerArea('x [答案] y [答案] z ')).toBe('z');
    expect(answerArea('  no marker ')).toBe('no marker');
  });
});
