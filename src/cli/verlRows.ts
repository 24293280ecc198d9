// The pure part of reading a verl parquet dataset (no I/O, no Node APIs): which columns to read,
// parquet values as JSON values, each row's responses, and the items a row becomes. The CLI
// (parquet.ts) and the reward debugger page (web/src/fileInput.ts, hyparquet in the browser) both
// read datasets through it, so a file scores the same in both.

import type { SchemaTree } from 'hyparquet';
import { copyPyMember, setPyMember } from '../../rewards/pyjson.js';

export class InputError extends Error {
  override name = 'InputError';
}

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

/** One row's responses, from a responses-file line or a column value. */
export function responsesOf(value: unknown, where: string, fromText: boolean): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  if (!fromText && value !== null && typeof value === 'object') {
    const r = value as Record<string, unknown>;
    for (const key of ['response', 'solution_str', 'responses', 'text']) if (key in r) return responsesOf(r[key], `${where}.${key}`, true);
  }
  throw new InputError(`${where} must be a response string or a list of them, not ${value === null ? 'null' : Array.isArray(value) ? 'a list with non-strings' : typeof value}`);
}

/** The responses of one line of a responses file (JSONL, or a plain line of a .txt file), or undefined for a blank JSONL line. */
export function responsesOfLine(line: string, plainText: boolean, where: string): string[] | undefined {
  if (plainText) return [line];
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new InputError(`${where} is not valid JSON (${(err as Error).message}); use a .txt file for plain-text responses, one per line`);
  }
  return responsesOf(value, where, false);
}

export interface ColumnChoice {
  /** The columns to read (never `prompt`). */
  read: string[];
  /** The column holding each row's response(s), unless they come from a responses file. */
  responseColumn?: string;
}

/** Checks a dataset's columns and picks what to read; `name` names the file in messages. */
export function chooseColumns(
  name: string,
  columns: readonly string[],
  options: { responsesFile?: string; responseColumn?: string; datasetOnly?: boolean; passColumns?: readonly string[] },
  flags = { file: '--responses FILE', column: '--response-column NAME' },
): ColumnChoice {
  const has = (c: string) => columns.includes(c);
  const need = (c: string, why: string) => {
    if (!has(c)) throw new InputError(`${name} has no ${c} column (${why}); its columns: ${columns.join(', ')}`);
  };
  need('data_source', 'verl rows route on it');
  if (!has('reward_model') && !has('ground_truth')) need('reward_model', 'the ground truth is reward_model.ground_truth');
  if (options.responsesFile && options.responseColumn) throw new InputError(`give either ${flags.file} or ${flags.column}, not both`);
  let responseColumn = options.responseColumn;
  if (responseColumn) need(responseColumn, `named by ${flags.column}`);
  else if (!options.responsesFile && !options.datasetOnly) {
    responseColumn = ['responses', 'response', 'solution_str'].find(has);
    if (!responseColumn) {
      throw new InputError(`${name} has no responses column (responses, response or solution_str); pass ${flags.file} (one response per row) or ${flags.column}`);
    }
  }
  const read = [...new Set(['data_source', 'reward_model', 'ground_truth', 'extra_info', 'id', responseColumn, ...(options.passColumns ?? [])])].filter(
    (c): c is string => c !== undefined && has(c),
  );
  return { read, responseColumn };
}

/**
 * The verl rows (one per response) that a dataset row becomes; ids are ROW-K when the row holds a
 * list. Without responses (`check` reads datasets so), the dataset row itself, without
 * solution_str. `passColumns` (profile's uid and model) are copied onto each item when read.
 */
export function rowItems(
  r: Record<string, unknown>,
  row: number,
  responses: readonly string[] | undefined,
  responseColumn: string | undefined,
  passColumns: readonly string[] = [],
): Record<string, unknown>[] {
  const rewardModel = r.reward_model;
  const from = 'ground_truth' in r ? r : rewardModel !== null && typeof rewardModel === 'object' ? (rewardModel as Record<string, unknown>) : undefined;
  const groundTruth = from?.ground_truth;
  const baseId = typeof r.id === 'string' || typeof r.id === 'number' ? r.id : row;
  const extra = Object.fromEntries(passColumns.filter((c) => c in r).map((c) => [c, r[c]]));
  const itemOf = (id: string | number, solution: Record<string, string>): Record<string, unknown> => {
    const item = { id, data_source: r.data_source, ...solution, ground_truth: groundTruth, extra_info: r.extra_info ?? null, ...extra };
    // A ground truth's Python number type (100.0 a float) travels with the item.
    if (from) copyPyMember(from, 'ground_truth', item, 'ground_truth');
    return item;
  };
  if (!responses) return [itemOf(baseId, {})];
  const many = responses.length !== 1 || Array.isArray(r[responseColumn ?? '']);
  return responses.map((response, k) => itemOf(many ? `${baseId}-${k}` : baseId, { solution_str: response }));
}
