// Per-worker caches of work that depends only on the ground truth. In a GRPO step every prompt's
// gold is scored once per rollout (16 times in GoLongRL), so parsing or segmenting it once and
// reusing the result removes most of that work. Cached values are never mutated by their users.

interface Clearable {
  clear(): void;
}
const ALL_CACHES = new Set<Clearable>();
const RESPONSE_CACHES = new Set<Clearable>();

function register(cache: Clearable, kind: CacheKind): void {
  ALL_CACHES.add(cache);
  if (kind === 'response') RESPONSE_CACHES.add(cache);
}

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
    register(this, kind);
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
 * A bounded map for hot lookups of many small keys, where LruCache's exact recency order costs
 * more than the lookup (a hit moves its key to the end of a Map: delete and set, ~10x a get on a
 * cache of 16k entries). Two generations instead: keys go into the young one; when it holds half
 * the entries the young one becomes the old one and the former old one is dropped; a hit in the
 * old generation copies the key into the young one. A key used within the last maxEntries / 2
 * insertions is always kept; at most maxEntries are held.
 */
export class GenerationCache<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private readonly generation: number;

  constructor(
    maxEntries: number,
    private readonly maxKeyLength = Number.POSITIVE_INFINITY,
    kind: CacheKind = 'gold',
  ) {
    this.generation = Math.max(1, Math.floor(maxEntries / 2));
    register(this, kind);
  }

  /** The cached value for `key`, or undefined. */
  peek(key: string): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const old = this.old.get(key);
    if (old !== undefined) this.put(key, old);
    return old;
  }

  /** Keeps `value` for `key` (unless the key is too long). */
  set(key: string, value: V): void {
    if (key.length <= this.maxKeyLength) this.put(key, value);
  }

  /** Entries held (a key promoted from the old generation counts twice until that one goes). */
  get size(): number {
    return this.young.size + this.old.size;
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
  }

  private put(key: string, value: V): void {
    this.young.set(key, value);
    if (this.young.size >= this.generation) {
      this.old = this.young;
      this.young = new Map();
    }
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
