// The per-worker gold caches: bounded, least recently used evicted first, long keys not kept.
import { describe, expect, it } from 'vitest';
import { clearResponseCaches, clearScorerCaches, LruCache } from '../rewards/lruCache.js';

describe('LruCache', () => {
  it('computes a key once and returns the same value while it is kept', () => {
    const cache = new LruCache<{ n: number }>(2);
    let computed = 0;
    const compute = (k: string) => ({ n: (computed++, k.length) });
    const a = cache.get('aa', compute);
    expect(cache.get('aa', compute)).toBe(a);
    expect(computed).toBe(1);
  });
  it('evicts the least recently used entry, counting hits as uses', () => {
    const cache = new LruCache<string>(2);
    const seen: string[] = [];
    const compute = (k: string) => (seen.push(k), k.toUpperCase());
    cache.get('a', compute);
    cache.get('b', compute);
    cache.get('a', compute); // a is now the most recent
    cache.get('c', compute); // evicts b
    cache.get('a', compute);
    cache.get('b', compute); // recomputed, evicts c
    expect(seen).toEqual(['a', 'b', 'c', 'b']);
    expect(cache.size).toBe(2);
  });
  it('keeps the order right when the same key is used several times in a row', () => {
    const cache = new LruCache<string>(2);
    const seen: string[] = [];
    const compute = (k: string) => (seen.push(k), k);
    for (const k of ['a', 'b', 'a', 'a', 'a', 'c', 'a', 'b', 'b', 'c']) cache.get(k, compute);
    // c evicts b (a was used more recently); then a is used, so b evicts c, and c evicts a.
    expect(seen).toEqual(['a', 'b', 'c', 'b', 'c']);
  });
  it('caches null values, computes keys over the length limit every time, and caches nothing on a throw', () => {
    const cache = new LruCache<null>(4, 3);
    let computed = 0;
    const compute = () => (computed++, null);
    cache.get('abc', compute);
    cache.get('abc', compute);
    cache.get('abcd', compute);
    cache.get('abcd', compute);
    expect(computed).toBe(3);
    expect(() =>
      cache.get('x', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(cache.size).toBe(1);
  });
  it('clearScorerCaches empties every cache', () => {
    const one = new LruCache<number>(4);
    const two = new LruCache<number>(4);
    one.get('a', () => 1);
    two.get('b', () => 2);
    clearScorerCaches();
    expect([one.size, two.size]).toEqual([0, 0]);
  });
  it('peek and set work as get does: a peek is a use, set evicts the least recently used, long keys are not kept', () => {
    const cache = new LruCache<number>(2, 3);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.peek('a')).toBe(1); // a is now the most recent
    cache.set('c', 3); // evicts b
    expect([cache.peek('b'), cache.peek('a'), cache.peek('c')]).toEqual([undefined, 1, 3]);
    cache.set('a', 4); // replaces, evicts nothing
    expect([cache.size, cache.peek('a')]).toEqual([2, 4]);
    cache.set('long', 5);
    expect(cache.peek('long')).toBeUndefined();
  });
  it('clearResponseCaches empties only the caches keyed by responses', () => {
    const gold = new LruCache<number>(4);
    const response = new LruCache<number>(4, Infinity, 'response');
    gold.set('a', 1);
    response.set('b', 2);
    clearResponseCaches();
    expect([gold.size, response.size]).toEqual([1, 0]);
    clearScorerCaches();
    expect(gold.size).toBe(0);
  });
});
