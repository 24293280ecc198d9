// What the pool and its scoring threads exchange. Kept apart from worker.ts so that the main
// thread never loads the worker module (whose import warms up jieba and the math code).
import type { ItemResult } from '../rewards/index.js';
import type { BodyLimits, PackedItems } from './batchParse.js';

export interface ChunkTask {
  items: PackedItems;
  details: boolean;
  timeoutMs: number;
  /** Float64Array[2] over shared memory: [index of the item being scored, Date.now() when it started]. */
  progress: SharedArrayBuffer;
  /** Longest solution_str/response in characters; a longer one is the item error input_too_large. */
  maxResponseChars?: number;
  /** Also return each item's `uid` field (for advantages). */
  wantUids?: boolean;
}

/** A chunk's results in item order, and each item's `uid` field when the task asked for them. */
export interface ChunkOutput {
  results: ItemResult[];
  uids?: unknown[];
}

/** Sent to the pool once a thread has loaded its dictionaries and math code. */
export const WARM_MESSAGE = 'golong-reward:warm';

/** A /score body to parse: its bytes in blocks, in order (see bodyBlocks.ts). */
export interface BodyBlocksTask {
  blocks: Uint8Array[];
  limits: BodyLimits;
}
