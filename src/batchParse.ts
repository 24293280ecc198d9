// Turns a raw /score body into what the pool needs, on a worker thread: decoding and parsing a
// batch of 8,192 long rollouts takes ~150 ms of CPU, which must not stall the event loop (health
// probes, other requests). Items go back as one UTF-8 buffer of their JSON texts plus offsets
// (transferred, not copied), so the main thread never parses or even decodes rollouts; the
// scoring worker that gets an item parses it.
import type { ItemResult } from '../rewards/index.js';
import { describeScoreIssues, scoreBodySchema, type AdvantagesOption, type ScoreLimits } from './schemas/score.js';

export interface BodyLimits extends ScoreLimits {
  maxResponseChars: number;
}

export interface ParseTask {
  body: Uint8Array;
  limits: BodyLimits;
}

export type ItemId = string | number;

/** Items as JSON texts packed in one UTF-8 buffer: item i is bytes[offsets[i], offsets[i + 1]). */
export interface PackedItems {
  bytes: Uint8Array;
  offsets: Float64Array;
}

export interface ParsedBatch {
  ok: true;
  details: boolean;
  timeoutMs?: number;
  advantages?: AdvantagesOption;
  /** Every item's JSON text; an item rejected up front (see `early`) is empty. */
  packed: PackedItems;
  /** Results decided without scoring (response over the size limit), by index. */
  early: [number, ItemResult][];
  /** Each item's own id, when it has a valid one. */
  ids: (ItemId | null)[];
  /** Each item's `uid` field (for advantages), as sent. */
  uids: unknown[];
}

export interface RejectedBody {
  ok: false;
  /** fastify-style error code the server's error handler maps to a status. */
  code: 'FST_ERR_CTP_INVALID_JSON_BODY' | 'FST_ERR_CTP_EMPTY_JSON_BODY' | 'FST_ERR_VALIDATION';
  message: string;
}

function record(item: unknown): Record<string, unknown> | undefined {
  return item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
}

/** The item error for a response string over the limit, or undefined. */
function tooLarge(item: Record<string, unknown>, maxChars: number): ItemResult | undefined {
  for (const field of ['solution_str', 'response']) {
    const text = item[field];
    if (typeof text === 'string' && text.length > maxChars) {
      return {
        score: null,
        error: {
          code: 'input_too_large',
          message: `${field} has ${text.length} characters; the limit is ${maxChars} (GOLONG_REWARD_MAX_RESPONSE_CHARS / --max-response-chars)`,
        },
      };
    }
  }
  return undefined;
}

export function parseScoreBody({ body, limits }: ParseTask): ParsedBatch | RejectedBody {
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.trim() === '') return { ok: false, code: 'FST_ERR_CTP_EMPTY_JSON_BODY', message: 'body is empty; send a JSON object' };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    return { ok: false, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: `body is not valid JSON: ${(err as Error).message.slice(0, 200)}` };
  }
  const parsed = scoreBodySchema(limits).safeParse(data);
  if (!parsed.success) return { ok: false, code: 'FST_ERR_VALIDATION', message: describeScoreIssues(parsed.error.issues) };
  const { items, details = false, timeout_ms, advantages } = parsed.data;
  const early: [number, ItemResult][] = [];
  const ids: (ItemId | null)[] = [];
  const uids: unknown[] = [];
  const texts = items.map((item, i) => {
    const r = record(item);
    const id = r?.id;
    ids.push(typeof id === 'string' || typeof id === 'number' ? id : null);
    uids.push(r?.uid);
    const rejected = r && tooLarge(r, limits.maxResponseChars);
    if (rejected) early.push([i, rejected]);
    return rejected ? '' : JSON.stringify(item);
  });
  return { ok: true, details, timeoutMs: timeout_ms, advantages, packed: pack(texts), early, ids, uids };
}

/** Packs texts into one buffer that owns its memory (so it can be transferred). */
export function pack(texts: readonly string[]): PackedItems {
  const offsets = new Float64Array(texts.length + 1);
  let total = 0;
  texts.forEach((t, i) => {
    offsets[i] = total;
    total += Buffer.byteLength(t, 'utf8');
  });
  offsets[texts.length] = total;
  const bytes = Buffer.allocUnsafeSlow(total);
  texts.forEach((t, i) => bytes.write(t, offsets[i]!, 'utf8'));
  return { bytes, offsets };
}

/** The items at `indices`, repacked into a new buffer (for one worker task). */
export function select({ bytes, offsets }: PackedItems, indices: readonly number[]): PackedItems {
  const out = new Float64Array(indices.length + 1);
  let total = 0;
  indices.forEach((i, k) => {
    out[k] = total;
    total += offsets[i + 1]! - offsets[i]!;
  });
  out[indices.length] = total;
  const selected = new Uint8Array(total);
  indices.forEach((i, k) => selected.set(bytes.subarray(offsets[i]!, offsets[i + 1]!), out[k]!));
  return { bytes: selected, offsets: out };
}

/** Item i's JSON text. */
export function itemText({ bytes, offsets }: PackedItems, i: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8', offsets[i]!, offsets[i + 1]!);
}
