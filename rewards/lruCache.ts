// Per-worker caches of work that depends only on the ground truth. In a GRPO step every prompt's
// gold is scored once per rollout (16 times in GoLongRL), so parsing or segmenting it once and
// reusing the result removes most of that work. Cached values are never mutated by their users.

const ALL_CACHES = new Set<LruCache<unknown>>();

/** A bounded map from a text to what was computed from it, least recently used evicted first. */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();

  /**
   * @param maxEntries entries kept
   * @param maxKeyLength longer keys are computed every time, so one cache holds a few MB at most
   */
  constructor(
    private readonly maxEntries: number,
    private readonly maxKeyLength = Number.POSITIVE_INFINITY,
  ) {
    ALL_CACHES.add(this as LruCache<unknown>);
  }

  /** The cached value for `key`, else `compute(key)`, kept unless the key is too long. A throw caches nothing. */
  get(key: string, compute: (key: string) => V): V {
    const entries = this.entries;
    if (entries.has(key)) {
      const hit = entries.get(key) as V;
      entries.delete(key);
      entries.set(key, hit);
      return hit;
    }
    const value = compute(key);
    if (key.length <= this.maxKeyLength) {
      if (entries.size >= this.maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(key, value);
    }
    return value;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}

/**
 * Empties every cache of the scorer library, as a worker that has not seen these golds yet would
 * be. For benchmarks (which model each gold being scored a fixed number of times) and tests.
 */
export function clearScorerCaches(): void {
  for (const cache of ALL_CACHES) cache.clear();
}
