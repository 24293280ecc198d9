// Turns a raw /score body into what the pool needs, on a worker thread, so that the event loop
// never decodes or parses rollouts. A byte scanner finds each item's JSON text; only the envelope
// (everything but the items) is decoded and parsed here. Items go back as one UTF-8 buffer of
// their texts plus spans (shared, not copied), and the scoring worker that gets an item
// parses and checks it (itemChecks below): a batch is decoded and parsed once, not twice (the
// whole-body parse took ~150 ms of an 8,192-item batch before any scoring could start).
import { itemId, type AuditPenalties, type ItemResult } from '../rewards/index.js';
import { notJsonMessage } from './bodyHints.js';
import { parseItemJsonPy, parseJsonPy, stringifyJsonPy } from '../rewards/pyjson.js';
import { decodeUtf8 } from './utf8.js';
import { checkBodySchema, describeCheckIssues } from './schemas/check.js';
import { penaltiesOrUndefined } from './schemas/audit.js';
import { describeScoreIssues, scoreBodySchema, type AdvantagesOption, type ScoreLimits } from './schemas/score.js';

export interface BodyLimits extends ScoreLimits {
  maxResponseChars: number;
}

export interface ParseTask {
  body: Uint8Array;
  limits: BodyLimits;
}

export type ItemId = string | number;

/**
 * Items as JSON texts in one UTF-8 buffer: item i is bytes[spans[2i], spans[2i + 1]). The buffer
 * is a SharedArrayBuffer: chunks for the scoring workers are new spans over it, not copies (the
 * copies were 20 MB of buffers per 8,192-item batch, whose external-memory pressure forced
 * garbage collections on the event loop).
 */
export interface PackedItems {
  bytes: Uint8Array;
  spans: Float64Array;
}

export const itemCount = (items: PackedItems): number => items.spans.length / 2;
export const itemByteLength = (items: PackedItems, i: number): number => items.spans[2 * i + 1]! - items.spans[2 * i]!;

export interface ParsedBatch {
  ok: true;
  details: boolean;
  timeoutMs?: number;
  advantages?: AdvantagesOption;
  /** Run the reward-hacking audit (asked for, or implied by penalties). */
  audit: boolean;
  /** Audit penalties (non-empty), when asked for. */
  auditPenalty?: AuditPenalties;
  /** Every item's JSON text, as sent; the scoring worker parses it (see checkedItem). */
  packed: PackedItems;
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

/**
 * An item's JSON text as the scoring worker reads it: the value (numbers in its ground truth and
 * extra_info keep their Python types, see parseItemJsonPy), or the result it gets without
 * scoring (not valid JSON: bad_item; a response over `maxResponseChars`: input_too_large, with
 * the item's id).
 */
export function checkedItem(text: string, maxResponseChars: number | undefined): { item: unknown } | { result: ItemResult } {
  let item: unknown;
  try {
    item = parseItemJsonPy(text);
  } catch (err) {
    return { result: { score: null, error: { code: 'bad_item', message: `the item is not valid JSON: ${(err as Error).message.slice(0, 200)}` } } };
  }
  const r = record(item);
  const rejected = r && maxResponseChars !== undefined ? tooLarge(r, maxResponseChars) : undefined;
  if (!rejected) return { item };
  const id = itemId(r);
  return { result: id === undefined ? rejected : { id, ...rejected } };
}

/** Item i's id when its text parses to an object with a valid one (for results made without the item). */
export function itemIdOf(packed: PackedItems, i: number): ItemId | undefined {
  try {
    return itemId(parseItemJsonPy(itemText(packed, i)));
  } catch {
    return undefined;
  }
}

function rejectedJson(err: unknown, body: Uint8Array, text: string): RejectedBody {
  return { ok: false, code: 'FST_ERR_CTP_INVALID_JSON_BODY', message: notJsonMessage(body.subarray(0, 8), (err as Error).message, text) };
}

function envelope(data: unknown, limits: BodyLimits, packed: () => PackedItems): ParsedBatch | RejectedBody {
  const parsed = scoreBodySchema(limits).safeParse(data);
  if (!parsed.success) return { ok: false, code: 'FST_ERR_VALIDATION', message: describeScoreIssues(parsed.error.issues) };
  const { details = false, timeout_ms, advantages, audit_penalty } = parsed.data;
  const auditPenalty = penaltiesOrUndefined(audit_penalty);
  const audit = parsed.data.audit === true || auditPenalty !== undefined;
  return { ok: true, details, timeoutMs: timeout_ms, advantages, audit, ...(auditPenalty && { auditPenalty }), packed: packed() };
}

export function parseScoreBody({ body, limits }: ParseTask): ParsedBatch | RejectedBody {
  return parseItemsBody(body, 'items', (data, packed) => envelope(data, limits, packed));
}

/** A POST /check body: its dataset rows as JSON texts (see ParsedBatch). */
export interface ParsedCheck {
  ok: true;
  timeoutMs?: number;
  includeIdeal: boolean;
  packed: PackedItems;
}

export function parseCheckBody({ body, limits }: ParseTask): ParsedCheck | RejectedBody {
  return parseItemsBody(body, 'rows', (data, packed): ParsedCheck | RejectedBody => {
    const parsed = checkBodySchema(limits).safeParse(data);
    if (!parsed.success) return { ok: false, code: 'FST_ERR_VALIDATION', message: describeCheckIssues(parsed.error.issues) };
    return { ok: true, timeoutMs: parsed.data.timeout_ms, includeIdeal: parsed.data.include_ideal ?? false, packed: packed() };
  });
}

/**
 * A JSON object body whose `key` array holds the items (each kept as its JSON text, parsed later
 * by the worker that gets it); `validate` checks the envelope, with the items array seen as
 * that many nulls. Also the body parser of POST /check (key `rows`).
 */
export function parseItemsBody<T>(body: Uint8Array, key: string, validate: (data: unknown, packed: () => PackedItems) => T | RejectedBody): T | RejectedBody {
  const scan = scanItems(body, key);
  if (scan) {
    // The envelope alone: the items array's bytes become "[]". It parses exactly when the whole
    // body would, but for syntax errors inside an item (the scanner checked everything around
    // them), which become that item's bad_item.
    const b = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    let data: unknown;
    try {
      data = JSON.parse(b.toString('utf8', 0, scan.arrayStart) + '[]' + b.toString('utf8', scan.arrayEnd));
    } catch {
      data = undefined; // the whole-body path below reports it as JSON.parse sees it
    }
    if (record(data)) {
      // zod checks the count (its message names the length); the values are the workers' business.
      (data as Record<string, unknown>)[key] = new Array<null>(scan.spans.length / 2).fill(null);
      return validate(data, () => packSpans(body, scan.spans));
    }
  }
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.trim() === '') return { ok: false, code: 'FST_ERR_CTP_EMPTY_JSON_BODY', message: 'body is empty; send a JSON object' };
  let data: unknown;
  try {
    data = parseJsonPy(text);
  } catch (err) {
    return rejectedJson(err, body, text);
  }
  // Only reached when the scanner did not recognise the shape: the items are re-serialised, Python number types included.
  return validate(data, () => pack((record(data)?.[key] as unknown[]).map((item) => stringifyJsonPy(item))));
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

/** Where the top-level `items` array is, and its elements as [start, end) byte pairs. */
export interface ItemsScan {
  arrayStart: number;
  arrayEnd: number;
  spans: number[];
}

/**
 * The top-level `key` array (`items`; the last such key, as JSON.parse keeps) and its elements, found
 * without decoding: structural characters are ASCII, so UTF-8 continuation bytes never match
 * them. Undefined when the body is not an object with an `items` array of well-delimited
 * values; the values themselves are not checked (the scoring worker parses each one).
 */
export function scanItems(body: Uint8Array, itemsKey = 'items'): ItemsScan | undefined {
  const b = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  let i = skipSpace(b, 0);
  if (b[i] !== 0x7b) return undefined;
  let itemsAt = -1;
  let itemsEnd = -1;
  i = skipSpace(b, i + 1);
  while (b[i] === QUOTE) {
    const keyEnd = stringEnd(b, i);
    if (keyEnd < 0) return undefined;
    const raw = b.toString('latin1', i, keyEnd);
    let key: string;
    try {
      key = raw.includes('\\') || /[^\x00-\x7f]/.test(raw) ? (JSON.parse(b.toString('utf8', i, keyEnd)) as string) : raw.slice(1, -1);
    } catch {
      return undefined;
    }
    i = skipSpace(b, keyEnd);
    if (b[i] !== 0x3a) return undefined;
    i = skipSpace(b, i + 1);
    const end = valueEnd(b, i);
    if (end < 0 || end === i) return undefined;
    if (key === itemsKey) {
      itemsAt = i;
      itemsEnd = end;
    }
    i = skipSpace(b, end);
    if (b[i] === 0x2c) {
      i = skipSpace(b, i + 1);
      if (b[i] !== QUOTE) return undefined;
    } else if (b[i] !== 0x7d) return undefined;
  }
  if (b[i] !== 0x7d || skipSpace(b, i + 1) !== b.length) return undefined;
  if (itemsAt < 0 || b[itemsAt] !== 0x5b) return undefined;
  const spans: number[] = [];
  i = skipSpace(b, itemsAt + 1);
  if (b[i] !== 0x5d) {
    for (;;) {
      const end = valueEnd(b, i);
      if (end < 0 || end === i) return undefined;
      spans.push(i, end);
      i = skipSpace(b, end);
      if (b[i] === 0x2c) i = skipSpace(b, i + 1);
      else if (b[i] === 0x5d) break;
      else return undefined;
    }
  }
  if (i + 1 !== itemsEnd) return undefined;
  return { arrayStart: itemsAt, arrayEnd: itemsEnd, spans };
}

/** [start, end) byte spans of the elements of the top-level `items` array (see scanItems). */
export function itemSpans(body: Uint8Array): number[] | undefined {
  return scanItems(body)?.spans;
}

/** The items of `body` at `spans`: the body in shared memory (as it is when it is already), the spans as they are. */
function packSpans(body: Uint8Array, spans: readonly number[]): PackedItems {
  let bytes = body;
  if (!(body.buffer instanceof SharedArrayBuffer)) {
    bytes = new Uint8Array(new SharedArrayBuffer(body.byteLength));
    bytes.set(body);
  }
  return { bytes, spans: Float64Array.from(spans) };
}

/** Texts packed one after the other into shared memory. */
export function pack(texts: readonly string[]): PackedItems {
  const spans = new Float64Array(2 * texts.length);
  let total = 0;
  texts.forEach((t, i) => {
    spans[2 * i] = total;
    total += Buffer.byteLength(t, 'utf8');
    spans[2 * i + 1] = total;
  });
  const bytes = Buffer.from(new SharedArrayBuffer(total));
  texts.forEach((t, i) => bytes.write(t, spans[2 * i]!, 'utf8'));
  return { bytes, spans };
}

/** The items at `indices` (for one worker task): new spans over the same shared bytes. */
export function select({ bytes, spans }: PackedItems, indices: readonly number[]): PackedItems {
  const out = new Float64Array(2 * indices.length);
  indices.forEach((i, k) => {
    out[2 * k] = spans[2 * i]!;
    out[2 * k + 1] = spans[2 * i + 1]!;
  });
  return { bytes, spans: out };
}

/** Item i's JSON text. */
export function itemText({ bytes, spans }: PackedItems, i: number): string {
  return decodeUtf8(Buffer.from(bytes.buffer, bytes.byteOffset + spans[2 * i]!, spans[2 * i + 1]! - spans[2 * i]!));
}
