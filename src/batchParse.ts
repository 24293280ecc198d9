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
  items.forEach((item, i) => {
    const r = record(item);
    const id = r?.id;
    ids.push(typeof id === 'string' || typeof id === 'number' ? id : null);
    uids.push(r?.uid);
    const rejected = r && tooLarge(r, limits.maxResponseChars);
    if (rejected) early.push([i, rejected]);
  });
  const rejected = new Set(early.map(([i]) => i));
  // The items' own bytes go to the scoring workers as sent (no re-stringify): they parse to the
  // same values. The scanner's count must agree with JSON.parse's; otherwise fall back.
  const spans = itemSpans(body);
  const packed =
    spans && spans.length === 2 * items.length
      ? packSpans(body, spans, rejected)
      : pack(items.map((item, i) => (rejected.has(i) ? '' : JSON.stringify(item))));
  return { ok: true, details, timeoutMs: timeout_ms, advantages, packed, early, ids, uids };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isJsonSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function skipSpace(b: Uint8Array, i: number): number {
  while (isJsonSpace(b[i])) i++;
  return i;
}

/** End (exclusive) of the string whose opening quote is at `i`. */
function stringEnd(b: Buffer, i: number): number {
  for (;;) {
    const q = b.indexOf(QUOTE, i + 1);
    if (q < 0) return -1;
    let k = q - 1;
    while (b[k] === BACKSLASH) k--;
    if ((q - 1 - k) % 2 === 0) return q + 1;
    i = q;
  }
}

/** End (exclusive) of the JSON value starting at `i`. */
function valueEnd(b: Buffer, i: number): number {
  const c = b[i];
  if (c === QUOTE) return stringEnd(b, i);
  if (c === 0x7b || c === 0x5b) {
    let depth = 0;
    for (let j = i; j < b.length; j++) {
      const d = b[j]!;
      if (d === QUOTE) {
        j = stringEnd(b, j) - 1;
        if (j < 0) return -1;
      } else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < b.length && b[j] !== 0x2c && b[j] !== 0x7d && b[j] !== 0x5d && !isJsonSpace(b[j])) j++;
  return j;
}

/**
 * [start, end) byte spans of the elements of the top-level `items` array (the last such key, as
 * JSON.parse keeps), found without decoding: structural characters are ASCII, so UTF-8
 * continuation bytes never match them. Only called on a body JSON.parse accepted; undefined if
 * the shape is not the expected one.
 */
export function itemSpans(body: Uint8Array): number[] | undefined {
  const b = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let i = skipSpace(b, 0);
  if (b[i] !== 0x7b) return undefined;
  let itemsAt = -1;
  i = skipSpace(b, i + 1);
  while (b[i] === QUOTE) {
    const keyEnd = stringEnd(b, i);
    if (keyEnd < 0) return undefined;
    const raw = b.toString('latin1', i, keyEnd);
    const key = raw.includes('\\') || /[^\x00-\x7f]/.test(raw) ? (JSON.parse(b.toString('utf8', i, keyEnd)) as string) : raw.slice(1, -1);
    i = skipSpace(b, keyEnd);
    if (b[i] !== 0x3a) return undefined;
    i = skipSpace(b, i + 1);
    const end = valueEnd(b, i);
    if (end < 0) return undefined;
    if (key === 'items') itemsAt = i;
    i = skipSpace(b, end);
    if (b[i] === 0x2c) i = skipSpace(b, i + 1);
  }
  if (itemsAt < 0 || b[itemsAt] !== 0x5b) return undefined;
  const spans: number[] = [];
  i = skipSpace(b, itemsAt + 1);
  while (b[i] !== 0x5d) {
    const end = valueEnd(b, i);
    if (end < 0 || end === i) return undefined;
    spans.push(i, end);
    i = skipSpace(b, end);
    if (b[i] === 0x2c) i = skipSpace(b, i + 1);
    else if (b[i] !== 0x5d) return undefined;
  }
  return spans;
}

/** Packs the spans of `body` (empty for `skip`) into one buffer that owns its memory. */
function packSpans(body: Uint8Array, spans: readonly number[], skip: ReadonlySet<number>): PackedItems {
  const n = spans.length / 2;
  const offsets = new Float64Array(n + 1);
  let total = 0;
  for (let k = 0; k < n; k++) {
    offsets[k] = total;
    if (!skip.has(k)) total += spans[2 * k + 1]! - spans[2 * k]!;
  }
  offsets[n] = total;
  const bytes = Buffer.allocUnsafeSlow(total);
  for (let k = 0; k < n; k++) if (!skip.has(k)) bytes.set(body.subarray(spans[2 * k]!, spans[2 * k + 1]!), offsets[k]!);
  return { bytes, offsets };
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
