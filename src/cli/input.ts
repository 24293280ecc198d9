// Offline scoring of a file of items: JSONL (verl rows or native items, one per line) or a verl
// parquet dataset plus responses. One result per item, in input order. A malformed line becomes
// an error result for that line, never a crash. Scoring runs in this thread, or with `workers`
// on the service's worker pool (same per-item watchdog and crash isolation), still in order.
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { DEFAULT_ITEM_TIMEOUT_MS, scoreItem, warmUp, type AuditPenalties, type ItemResult, type ScoreItemOptions } from '../../rewards/index.js';
import { pack, type PackedItems } from '../batchParse.js';
import { parseItemJsonPy, stringifyJsonPy } from '../../rewards/pyjson.js';
import { InputError, requireReadableFile } from './common.js';
import { openVerlParquet, type VerlParquetOptions } from './parquet.js';
import type { ScoringPool } from '../pool.js';
import { itemContext } from './summary.js';

/** The JSON type of a value, in words, for messages. */
function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? 'a string' : typeof value === 'number' ? 'a number' : typeof value === 'boolean' ? 'a boolean' : typeof value;
}

/** Parses one JSONL line into an item (Python number types kept, see parseItemJsonPy), or an error result that names the line and says what a line must be. */
export function parseLine(line: string, index: number, lineNumber = index + 1): { item: unknown } | { error: ItemResult } {
  const bad = (message: string) => ({ error: { id: index, score: null, error: { code: 'bad_item' as const, message } } });
  let item: unknown;
  try {
    item = parseItemJsonPy(line);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return bad(`line ${lineNumber} is not valid JSON: ${reason}`);
  }
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    return bad(`line ${lineNumber} is ${jsonTypeName(item)}, not a JSON object; each line must be one item: a verl row {"data_source", "solution_str", "ground_truth", "extra_info"} or a native item {"task", "response", "reference"}`);
  }
  return { item };
}

/** Items without an id get their 0-based position as id. */
const withIndexId = (result: ItemResult, index: number): ItemResult => (result.id === undefined ? { id: index, ...result } : result);

/** Scores one parsed line. */
export function scoreLine(line: string, index: number, options: ScoreItemOptions, lineNumber = index + 1): ItemResult {
  const parsed = parseLine(line, index, lineNumber);
  if ('error' in parsed) return parsed.error;
  return withIndexId(scoreItem(parsed.item, options), index);
}

export interface InputLine {
  line: string;
  /** 0-based position among the items (blank lines are not items). */
  index: number;
  /** 1-based line number in the file, for messages. */
  lineNumber: number;
  /** UTF-8 bytes read so far, this line included (for progress). */
  bytesRead: number;
}

/** Yields the non-blank lines of a file (or stdin for "-"). */
export async function* readItems(path: string, stdin: Readable = process.stdin): AsyncGenerator<InputLine> {
  const input = path === '-' ? stdin : createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let index = 0;
  let lineNumber = 0;
  let bytesRead = 0;
  for await (const line of lines) {
    lineNumber++;
    bytesRead += Buffer.byteLength(line, 'utf8') + 1;
    if (line.trim() === '') continue;
    yield { line, index: index++, lineNumber, bytesRead };
  }
}

/** One input item, ready to score. */
export interface InputRecord {
  index: number;
  /** The parsed item (absent when the line was malformed). */
  item?: unknown;
  /** The item's JSON text, when it is already at hand (a JSONL line, also one that was rejected). */
  text?: string;
  /** A result decided without scoring (malformed line). */
  early?: ItemResult;
  /** Progress in the input's own unit (bytes of a JSONL file, rows of a parquet file). */
  position: number;
  /** The parquet row the item came from (a row with a list of responses gives several items). */
  row?: number;
  /** The JSONL line the item came from (1-based). */
  line?: number;
}

export interface InputSource {
  /** Total in the unit of `position`, when known. */
  total?: number;
  records: AsyncGenerator<InputRecord>;
}

export interface SourceOptions extends VerlParquetOptions {
  stdin?: Readable;
}

const PARQUET_MAGIC = 'PAR1';

/**
 * Whether a file is a parquet file (its magic bytes, whatever its name) or JSONL; anything else
 * (a JSON array, CSV, a binary file) is an InputError that says so. "-" (stdin) is JSONL.
 */
export async function detectFormat(path: string): Promise<'parquet' | 'jsonl'> {
  if (path === '-') return 'jsonl';
  requireReadableFile(path, /\.parquet$/i.test(path) ? 'the parquet dataset' : 'the items file');
  const handle = await open(path, 'r');
  let head: string;
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (buffer.toString('latin1', 0, 4) === PARQUET_MAGIC) return 'parquet';
    head = buffer.toString('utf8', 0, bytesRead);
  } finally {
    await handle.close();
  }
  if (/\.parquet$/i.test(path)) throw new InputError(`${path} could not be read as parquet: it does not start with the parquet magic bytes PAR1`);
  const neither = (why: string) => new InputError(`${path} is neither JSONL (one JSON object per line) nor parquet (no PAR1 magic): ${why}`);
  if (head.includes('\u0000')) throw neither('it is a binary file');
  // Whole lines only: the last one may be cut at the 64 KiB mark.
  const lines = head.split('\n').slice(0, head.length === 64 * 1024 ? -1 : undefined).filter((l) => l.trim() !== '').slice(0, 2);
  const parses = (line: string) => {
    try {
      JSON.parse(line);
      return true;
    } catch {
      return false;
    }
  };
  if (lines[0]?.trim() === '[') throw neither('it is one JSON array spread over lines; write one row per line (e.g. jq -c ".[]")');
  // One bad line is that line's problem; a file none of whose first lines is JSON is not JSONL.
  if (lines.length > 0 && !lines.some(parses)) throw neither(`its first line${lines.length > 1 ? 's are' : ' is'} not JSON`);
  return 'jsonl';
}

/** The items of a JSONL file (or stdin for "-"), or of a verl .parquet dataset. An input without items is an InputError. */
export async function openSource(path: string, options: SourceOptions = {}): Promise<InputSource> {
  if ((await detectFormat(path)) === 'parquet') {
    const { rows, items } = await openVerlParquet(path, options);
    async function* records(): AsyncGenerator<InputRecord> {
      let index = 0;
      for await (const { item, row } of items) yield { index: index++, item, position: row + 1, row };
      if (index === 0) throw new InputError(rows === 0 ? `${path} has no rows: no items to score` : `${path} has no responses: no items to score`);
    }
    return { total: rows, records: records() };
  }
  if (options.responsesFile || options.responseColumn) {
    throw new InputError('--responses and --response-column apply to .parquet datasets; JSONL items carry their own solution_str / response');
  }
  if (path !== '-') requireReadableFile(path, 'the items file');
  async function* records(): AsyncGenerator<InputRecord> {
    let items = 0;
    for await (const { line, index, lineNumber, bytesRead } of readItems(path, options.stdin)) {
      items++;
      const parsed = parseLine(line, index, lineNumber);
      yield 'error' in parsed ? { index, early: parsed.error, text: line, position: bytesRead, line: lineNumber } : { index, item: parsed.item, text: line, position: bytesRead, line: lineNumber };
    }
    if (items === 0) {
      const what =
        path === '-' ? 'stdin had no items (it was empty or only blank lines)' : statSync(path).size === 0 ? `${path} is empty` : `${path} has only blank lines`;
      throw new InputError(`${what}: nothing to score; give one JSON item per line`);
    }
  }
  return { total: path === '-' ? undefined : statSync(path).size, records: records() };
}

export interface Scored {
  record: InputRecord;
  result: ItemResult;
}

/**
 * A function to call on each item before scoring it in this thread: the first item that routes to
 * ROUGE-L (Summary) first loads jieba's dictionary (hundreds of ms, seconds on a busy machine)
 * outside its time budget, as the service's workers do at start.
 */
export function summaryWarmer(): (item: unknown) => void {
  let warm = false;
  return (item) => {
    if (warm || item === undefined || itemContext(item).rewardType !== 'Summary') return;
    warmUp();
    warm = true;
  };
}

/** Scores records one by one in this thread. */
export async function* scoreInProcess(records: AsyncIterable<InputRecord>, options: ScoreItemOptions): AsyncGenerator<Scored> {
  const warm = summaryWarmer();
  for await (const record of records) {
    warm(record.item);
    const result = record.early ?? withIndexId(scoreItem(record.item, options), record.index);
    yield { record, result };
  }
}

export interface PoolScoreOptions {
  details: boolean;
  timeoutMs?: number;
  audit?: boolean;
  auditPenalty?: AuditPenalties;
  /** Records per batch handed to the pool; two batches are in flight so reading overlaps scoring. */
  batchSize: number;
}

/**
 * Runs records through `run` batch by batch, yielding its results in input order; two batches are
 * in flight, so reading the input overlaps the work on the pool.
 */
export async function* inBatches<T, R>(records: AsyncIterable<T>, batchSize: number, run: (batch: T[]) => Promise<R[]>): AsyncGenerator<R> {
  let inFlight: Promise<R[]> | undefined;
  let batch: T[] = [];
  for await (const record of records) {
    batch.push(record);
    if (batch.length < batchSize) continue;
    const next = run(batch);
    batch = [];
    if (inFlight) yield* await inFlight;
    inFlight = next;
  }
  const last = batch.length > 0 ? run(batch) : undefined;
  if (inFlight) yield* await inFlight;
  if (last) yield* await last;
}

/** The JSON texts of a batch of records for the pool, and the positions of those that need it (not `early`). */
export function packRecords(batch: readonly InputRecord[]): { packed: PackedItems; indices: number[] } {
  const indices: number[] = [];
  const texts = batch.map((r, k) => {
    if (r.early) return '';
    indices.push(k);
    return r.text ?? stringifyJsonPy(r.item);
  });
  return { packed: pack(texts), indices };
}

/** Scores records on a worker pool, batch by batch, yielding results in input order. */
export function scoreOnPool(records: AsyncIterable<InputRecord>, pool: ScoringPool, options: PoolScoreOptions): AsyncGenerator<Scored> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_ITEM_TIMEOUT_MS;
  return inBatches(records, options.batchSize, async (batch): Promise<Scored[]> => {
    const { packed, indices } = packRecords(batch);
    const scored = indices.length > 0 ? await pool.scoreBatch(packed, indices, { details: options.details, timeoutMs, ...(options.audit && { audit: true }), ...(options.auditPenalty && { auditPenalty: options.auditPenalty }) }) : [];
    const results: ItemResult[] = batch.map((r) => r.early!);
    indices.forEach((k, j) => (results[k] = withIndexId(scored[j]!, batch[k]!.index)));
    return batch.map((record, k) => ({ record, result: results[k]! }));
  });
}
