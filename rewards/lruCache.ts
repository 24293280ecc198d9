// Per-worker caches of work that depends only on the ground truth. In a GRPO step every prompt's
// gold is scored once per rollout (16 times in GoLongRL), so parsing or segmenting it once and
// reusing the result removes most of that work. Cached values are never mutated by their users.

const ALL_CACHES = new Set<LruCache<unknown>>();
const RESPONSE_CACHES = new Set<LruCache<unknown>>();

/** What a cache's keys come from: ground truths (reused by a prompt's rollouts) or responses. */
export type CacheKind = 'gold' | 'response';

/** A bounded map from a text to what was computed from it, least recently used evicted first. */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();
  /** The key last used or inserted, i.e. the last entry of `entries` when it is still there. */
  private newest: string | undefined;

  /**
   * @param maxEntries entries kept
   * @param maxKeyLength longer keys are computed every time, so one cache holds a few MB at most
   * @param kind what the keys come from (benchmarks clear response caches separately)
   */
  constructor(
    private readonly maxEntries: number,
    private readonly maxKeyLength = Number.POSITIVE_INFINITY,
    kind: CacheKind = 'gold',
  ) {
    ALL_CACHES.add(this as LruCache<unknown>);
    if (kind === 'response') RESPONSE_CACHES.add(this as LruCache<unknown>);
  }

  /**
   * The cached value for `key`, else `compute(key)`, kept unless the key is too long. A throw
   * caches nothing; `compute` never returns undefined (that would read as a miss).
   */
  get(key: string, compute: (key: string) => V): V {
    const entries = this.entries;
    const hit = entries.get(key);
    if (hit !== undefined) {
      // Already the most recent (the usual case: rollouts of one prompt come one after another):
      // skip the two Map operations of moving it to the end.
      if (key !== this.newest) {
        entries.delete(key);
        entries.set(key, hit);
        this.newest = key;
      }
      return hit;
    }
    const value = compute(key);
    if (key.length <= this.maxKeyLength) {
      if (entries.size >= this.maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, value);
      this.newest = key;
    }
    return value;
  }

  /** The cached value for `key` (marked most recent), or undefined. */
  peek(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined && key !== this.newest) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.newest = key;
    }
    return hit;
  }

  /** Keeps `value` for `key` (unless the key is too long), evicting the least recently used. */
  set(key: string, value: V): void {
    if (key.length > this.maxKeyLength) return;
    const entries = this.entries;
    if (!entries.delete(key) && entries.size >= this.maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(key, value);
    this.newest = key;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.newest = undefined;
  }
}

/**
 * Empties every cache of the scorer library, as a worker that has not seen these golds yet would
 * be. For benchmarks (which model each gold being scored a fixed number of times) and tests.
 */
export function clearScorerCaches(): void {
  for (const cache of ALL_CACHES) cache.clear();
}

/**
 * Empties the caches keyed by pieces of responses, as if the next response shared nothing with
 * those scored before: the worst case, for benchmarks.
 */
export function clearResponseCaches(): void {
  for (const cache of RESPONSE_CACHES) cache.clear();
}
