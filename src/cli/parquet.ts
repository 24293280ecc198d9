// verl datasets (.parquet) as items to score: each row's data_source, reward_model.ground_truth and
// extra_info, plus a response from a column of the file (verl's generation step writes a
// `responses` column, a list of samples per prompt) or from a separate file with one line per row.
// Read row group by row group with hyparquet (pure JS), only the columns needed (never `prompt`).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import * as zlib from 'node:zlib';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, Compressors, FileMetaData, SchemaTree } from 'hyparquet';
import { copyPyMember, setPyMember } from '../../rewards/pyjson.js';
import { InputError, requireReadableFile } from './common.js';

// Snappy is built into hyparquet; node's zlib covers the other codecs pandas/pyarrow can write.
const zlibAny = zlib as unknown as Record<string, ((b: Uint8Array) => Buffer) | undefined>;
const COMPRESSORS: Compressors = {
  GZIP: (input) => zlib.gunzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
  ...(zlibAny.zstdDecompressSync && { ZSTD: (input: Uint8Array) => zlibAny.zstdDecompressSync!(input) }),
};

const utf8 = new TextDecoder();

/** Parquet values as JSON values: INT64 BigInt → number, bytes → text, dates → ISO strings. */
export function jsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return utf8.decode(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(jsonValue);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = jsonValue(v);
    return out;
  }
  return value;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);

/** hyparquet's list layout: a LIST group over one repeated group (whose single child, if any, is the element). */
function listElement(node: SchemaTree): SchemaTree | undefined {
  if (node.element.converted_type !== 'LIST' || node.children.length !== 1) return undefined;
  const repeated = node.children[0]!;
  if (repeated.element.repetition_type !== 'REPEATED' || repeated.children.length > 1) return undefined;
  return repeated.children.length === 1 ? repeated.children[0] : repeated;
}

/** hyparquet's map layout: a MAP group over one repeated key_value group; the value node. */
function mapValue(node: SchemaTree): SchemaTree | undefined {
  if (node.element.converted_type !== 'MAP' || node.children.length !== 1) return undefined;
  const kv = node.children[0]!;
  return kv.element.repetition_type === 'REPEATED' && kv.children.length === 2 ? kv.children.find((c) => c.element.name === 'value') : undefined;
}

/**
 * A parquet value as a JSON value with Python's number types, guided by its schema node: what
 * pandas/pyarrow hand verl is a float for a DOUBLE or FLOAT leaf (an integral one is recorded as
 * such, see setPyMember: JavaScript's 100 would print as the int "100") and an int for an INT32 or
 * INT64 leaf (digits beyond 2**53 recorded). `holder[key]` is where the value will be stored.
 * Where value and schema do not line up, jsonValue's plain conversion.
 */
export function pythonValue(value: unknown, node: SchemaTree | undefined, holder: object, key: string): unknown {
  if (node === undefined || value === null || value === undefined) return jsonValue(value);
  const element = node.children.length === 0 ? undefined : listElement(node);
  if (Array.isArray(value) && element) {
    const out: unknown[] = new Array(value.length);
    value.forEach((x, i) => (out[i] = pythonValue(x, element, out, String(i))));
    return out;
  }
  if (isPlainObject(value) && node.children.length > 0) {
    const valueNode = mapValue(node);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value)) {
      out[k] = pythonValue(x, valueNode ?? node.children.find((c) => c.element.name === k), out, k);
    }
    return out;
  }
  const type = node.children.length === 0 ? node.element.type : undefined;
  if (typeof value === 'number' && (type === 'DOUBLE' || type === 'FLOAT')) {
    if (Number.isInteger(value)) setPyMember(holder, key, { t: 'float', v: value });
    return value;
  }
  if (typeof value === 'bigint' && node.element.converted_type !== 'DECIMAL') {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) setPyMember(holder, key, { t: 'int', v: value.toString() });
    return n;
  }
  return jsonValue(value);
}

export interface VerlParquetOptions {
  /** A file with one response per dataset row: JSONL (a string, a list of strings, or {response}) or, for .txt, plain lines. */
  responsesFile?: string;
  /** A column of the parquet file holding the response (or a list of responses) of each row. */
  responseColumn?: string;
}

export interface ParquetItems {
  /** Dataset rows (an item per response; a row with a list of responses gives several). */
  rows: number;
  items: AsyncGenerator<{ item: Record<string, unknown>; row: number }>;
}

/** One row's responses, from a responses-file line or a column value. */
function responsesOf(value: unknown, where: string, fromText: boolean): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  if (!fromText && value !== null && typeof value === 'object') {
    const r = value as Record<string, unknown>;
    for (const key of ['response', 'solution_str', 'responses', 'text']) if (key in r) return responsesOf(r[key], `${where}.${key}`, true);
  }
  throw new InputError(`${where} must be a response string or a list of them, not ${value === null ? 'null' : Array.isArray(value) ? 'a list with non-strings' : typeof value}`);
}

/** Yields each line of the responses file as that row's responses. */
async function* responsesFromFile(path: string): AsyncGenerator<string[]> {
  const plainText = /\.txt$/i.test(path);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (plainText) {
      yield [line];
      continue;
    }
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new InputError(`${path} line ${lineNumber} is not valid JSON (${(err as Error).message}); use a .txt file for plain-text responses, one per line`);
    }
    yield responsesOf(value, `${path} line ${lineNumber}`, false);
  }
}

/** Opens a verl parquet dataset; items are verl rows with the responses filled in. */
export async function openVerlParquet(path: string, options: VerlParquetOptions = {}): Promise<ParquetItems> {
  requireReadableFile(path, 'the parquet dataset');
  if (options.responsesFile) requireReadableFile(options.responsesFile, '--responses');
  let file: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    file = await asyncBufferFromFile(path);
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw new InputError(`${path} could not be read as parquet: ${(err as Error).message}`);
  }
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  const has = (name: string) => columns.includes(name);
  const need = (name: string, why: string) => {
    if (!has(name)) throw new InputError(`${path} has no ${name} column (${why}); its columns: ${columns.join(', ')}`);
  };
  need('data_source', 'verl rows route on it');
  if (!has('reward_model') && !has('ground_truth')) need('reward_model', 'the ground truth is reward_model.ground_truth');
  if (options.responsesFile && options.responseColumn) throw new InputError('give either --responses FILE or --response-column NAME, not both');
  let responseColumn = options.responseColumn;
  if (responseColumn) need(responseColumn, 'named by --response-column');
  else if (!options.responsesFile) {
    responseColumn = ['responses', 'response', 'solution_str'].find(has);
    if (!responseColumn) {
      throw new InputError(`${path} has no responses column (responses, response or solution_str); pass --responses FILE (one response per row) or --response-column NAME`);
    }
  }
  const read = ['data_source', 'reward_model', 'ground_truth', 'extra_info', 'id', responseColumn].filter((c): c is string => c !== undefined && has(c));
  const columnNodes = new Map(parquetSchema(metadata).children.map((c) => [c.element.name, c]));
  const rows = Number(metadata.num_rows);

  async function* items(): AsyncGenerator<{ item: Record<string, unknown>; row: number }> {
    const fromFile = options.responsesFile ? responsesFromFile(options.responsesFile) : undefined;
    let row = 0;
    for (const group of metadata.row_groups) {
      const groupRows = Number(group.num_rows);
      let objects;
      try {
        objects = await parquetReadObjects({ file, metadata, columns: read, rowStart: row, rowEnd: row + groupRows, compressors: COMPRESSORS });
      } catch (err) {
        throw new InputError(`${path}: ${(err as Error).message}`);
      }
      for (const raw of objects) {
        const r: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(raw)) r[name] = pythonValue(value, columnNodes.get(name), r, name);
        let responses: string[];
        if (fromFile) {
          const next = await fromFile.next();
          if (next.done) throw new InputError(`${options.responsesFile} has fewer responses than ${path} has rows (${rows}); it ran out at row ${row}`);
          responses = next.value;
        } else {
          responses = responsesOf(r[responseColumn!], `${path} row ${row} column ${responseColumn}`, true);
        }
        const rewardModel = r.reward_model;
        const from = 'ground_truth' in r ? r : rewardModel !== null && typeof rewardModel === 'object' ? (rewardModel as Record<string, unknown>) : undefined;
        const groundTruth = from?.ground_truth;
        const baseId = typeof r.id === 'string' || typeof r.id === 'number' ? r.id : row;
        const many = responses.length !== 1 || Array.isArray(r[responseColumn ?? '']);
        for (let k = 0; k < responses.length; k++) {
          const item = { id: many ? `${baseId}-${k}` : baseId, data_source: r.data_source, solution_str: responses[k], ground_truth: groundTruth, extra_info: r.extra_info ?? null };
          if (from) copyPyMember(from, 'ground_truth', item, 'ground_truth');
          yield { item, row };
        }
        row++;
      }
    }
    if (fromFile && !(await fromFile.next()).done) throw new InputError(`${options.responsesFile} has more responses than ${path} has rows (${rows})`);
  }

  return { rows, items: items() };
}
