// What the pool and its scoring threads exchange. Kept apart from worker.ts so that the main
// thread never loads the worker module (whose import warms up jieba and the math code).
import type { AuditPenalties, ItemResult } from '../rewards/index.js';
import type { DictTrieData } from '../rewards/jiebaDag.js';
import type { BodyLimits, PackedItems } from './batchParse.js';

export interface ChunkTask {
  items: PackedItems;
  /** `check`: the items are dataset rows to check (POST /check), not rollouts to score. */
  kind?: 'score' | 'check';
  details: boolean;
  timeoutMs: number;
  /** Float64Array[2] over shared memory: [index of the item being scored, Date.now() when it started]. */
  progress: SharedArrayBuffer;
  /** Longest solution_str/response in characters; a longer one is the item error input_too_large. */
  maxResponseChars?: number;
  /** Also return each item's `uid` field (for advantages). */
  wantUids?: boolean;
  /** Run the reward-hacking audit on every item. */
  audit?: boolean;
  /** Audit penalties (implies the audit). */
  auditPenalty?: AuditPenalties;
  /**
   * Return results as JSON texts (see JsonResults) instead of objects; the id of a result whose
   * item has none is the item's entry here (its index in the request).
   */
  jsonIds?: Float64Array;
}

/**
 * Results as JSON texts, each with its `id`, plus the fields the caller reads: /score then
 * neither rebuilds thousands of result objects on the event loop nor serialises them there.
 */
export interface JsonResults {
  texts: string[];
  /** NaN for a result without a score. */
  scores: Float64Array;
  /** '' when there is none. */
  rewardTypes: string[];
  /** '' when the item was scored. */
  errorCodes: string[];
  /** With the audit: each result's flags, comma-separated ('' for none), and its scorer ('' for none). */
  auditFlags?: string[];
  scorers?: string[];
}

/** A chunk's results in item order (objects, or JSON when asked), and each item's `uid` when asked. */
export interface ChunkOutput {
  results?: ItemResult[];
  json?: JsonResults;
  uids?: unknown[];
}

/** Fills position `at` of `out` with `r`, as JSON carrying `id` when `r` has none. */
export function putJsonResult(out: JsonResults, at: number, r: ItemResult, id: string | number): void {
  out.texts[at] = JSON.stringify(r.id !== undefined ? r : { id, ...r });
  out.scores[at] = r.score ?? Number.NaN;
  out.rewardTypes[at] = r.reward_type ?? '';
  out.errorCodes[at] = r.error?.code ?? '';
  if (out.auditFlags) {
    out.auditFlags[at] = r.audit ? r.audit.map((f) => f.flag).join(',') : '';
    out.scorers![at] = r.scorer ?? '';
  }
}

export function emptyJsonResults(n: number, audit = false): JsonResults {
  const out: JsonResults = { texts: new Array<string>(n), scores: new Float64Array(n), rewardTypes: new Array<string>(n), errorCodes: new Array<string>(n) };
  if (audit) {
    out.auditFlags = new Array<string>(n);
    out.scorers = new Array<string>(n);
  }
  return out;
}

/** Sent to the pool once a thread has loaded its dictionaries and math code. */
export const WARM_MESSAGE = 'golong-reward:warm';

/** A /score body to parse: its bytes in blocks, in order (see bodyBlocks.ts). */
export interface BodyBlocksTask {
  blocks: Uint8Array[];
  limits: BodyLimits;
  /** Which body: a /score batch (default) or a /check dataset. */
  body?: 'score' | 'check';
}

/** What every worker thread starts with (piscina's workerData). */
export interface PoolWorkerData {
  testHooks: boolean;
  /** jieba's dictionary trie in shared memory, built once by the main thread. */
  jiebaTrie: DictTrieData;
}
