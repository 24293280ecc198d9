// Reading a file in the browser into rows: a JSONL of verl rows or native items (a malformed line
// becomes that line's error), a results file of `golong-reward score --details` (shown as is), or
// a verl parquet dataset with its responses column or a responses file, read with hyparquet exactly
// as the CLI reads it (src/cli/verlRows.ts).
import { chooseColumns, InputError, pythonValue, responsesOf, responsesOfLine, rowItems } from '../../src/cli/verlRows.js';
import type { ScoreResult } from './api.js';
import { yieldToBrowser } from './dom.js';

export { InputError };

/** Most items the page opens at once (its memory, not the service's limit). */
export const MAX_ITEMS = 100_000;

export interface LoadedRow {
  /** 1-based line of the file (JSONL) or dataset row (parquet). */
  line: number;
  item?: Record<string, unknown>;
  /** The item's JSON text as it is in the file (sent as is, without serialising it again). */
  text?: string;
  /** A line that is not a JSON object: its text and why. */
  raw?: string;
  parseError?: string;
  /** Results files: the result as the CLI wrote it. */
  result?: ScoreResult;
}

export interface Loaded {
  kind: 'items' | 'results';
  name: string;
  rows: LoadedRow[];
}

const tooMany = (name: string, n: number | string) =>
  new InputError(`${name} has ${n} items; the debugger opens at most ${MAX_ITEMS.toLocaleString('en-US')} at a time. Split the file, or score it with golong-reward score --report.`);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A result line of `golong-reward score` has a score and none of an item's fields. */
function looksLikeResult(v: Record<string, unknown>): boolean {
  return 'score' in v && !('data_source' in v) && !('task' in v) && !('solution_str' in v) && !('response' in v);
}

async function readText(file: File): Promise<string> {
  try {
    return await file.text();
  } catch (err) {
    throw new InputError(`${file.name} could not be read by the browser (${(err as Error).message}); is it still on disk and readable?`);
  }
}

export async function loadJsonl(file: File, onProgress: (done: number, total: number) => void): Promise<Loaded> {
  const text = await readText(file);
  if (text.includes('\u0000')) throw new InputError(`${file.name} is not a text file (it contains NUL bytes); open a .jsonl file or a verl .parquet dataset`);
  const lines = text.split('\n');
  let nonBlank = 0;
  for (const line of lines) if (line.trim() !== '') nonBlank++;
  if (nonBlank === 0) throw new InputError(`${file.name} is empty: no JSON line to score`);
  if (nonBlank > MAX_ITEMS) throw tooMany(file.name, nonBlank.toLocaleString('en-US'));
  const rows: LoadedRow[] = [];
  let kind: Loaded['kind'] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      rows.push({ line: i + 1, raw: line, parseError: `line ${i + 1} is not valid JSON: ${(err as Error).message}` });
      continue;
    }
    if (!isObject(value)) {
      rows.push({ line: i + 1, raw: line, parseError: `line ${i + 1} is not a JSON object` });
      continue;
    }
    kind ??= looksLikeResult(value) ? 'results' : 'items';
    if (kind === 'results') rows.push({ line: i + 1, result: value as unknown as ScoreResult, item: value });
    else rows.push({ line: i + 1, item: value, text: line });
    if ((i & 4095) === 4095) {
      onProgress(i, lines.length);
      await yieldToBrowser();
    }
  }
  return { kind: kind ?? 'items', name: file.name, rows };
}

export interface ParquetOptions {
  responsesFile?: File;
  responseColumn?: string;
}

export async function loadParquet(file: File, options: ParquetOptions, onProgress: (done: number, total: number) => void): Promise<Loaded> {
  const [{ parquetMetadataAsync, parquetReadObjects, parquetSchema }, { compressors }] = await Promise.all([import('hyparquet'), import('hyparquet-compressors')]);
  const buffer = { byteLength: file.size, slice: (start: number, end?: number) => file.slice(start, end).arrayBuffer() };
  let metadata;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (err) {
    throw new InputError(`${file.name} could not be read as parquet: ${(err as Error).message}`);
  }
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  const columnNodes = new Map(parquetSchema(metadata).children.map((c) => [c.element.name, c]));
  const { read, responseColumn } = chooseColumns(
    file.name,
    columns,
    { responsesFile: options.responsesFile?.name, responseColumn: options.responseColumn || undefined },
    { file: 'a responses file', column: 'a response column' },
  );
  const total = Number(metadata.num_rows);
  let responseLines: string[] | undefined;
  const plainText = options.responsesFile ? /\.txt$/i.test(options.responsesFile.name) : false;
  // Lines as readline gives them to the CLI: split on \n, a trailing \r dropped.
  if (options.responsesFile) responseLines = (await readText(options.responsesFile)).split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  let nextLine = 0;
  const nextResponses = (row: number): string[] => {
    const name = options.responsesFile!.name;
    while (nextLine < responseLines!.length) {
      const lineNumber = ++nextLine;
      if (plainText && lineNumber === responseLines!.length && responseLines![lineNumber - 1] === '') break; // the file's final newline
      const got = responsesOfLine(responseLines![lineNumber - 1]!, plainText, `${name} line ${lineNumber}`);
      if (got) return got;
    }
    throw new InputError(`${name} has fewer responses than ${file.name} has rows (${total}); it ran out at row ${row}`);
  };

  const rows: LoadedRow[] = [];
  let row = 0;
  for (const group of metadata.row_groups) {
    const groupRows = Number(group.num_rows);
    let objects: Record<string, unknown>[];
    try {
      objects = (await parquetReadObjects({ file: buffer, metadata, columns: read, rowStart: row, rowEnd: row + groupRows, compressors })) as Record<string, unknown>[];
    } catch (err) {
      throw new InputError(`${file.name}: ${(err as Error).message}`);
    }
    for (const raw of objects) {
      // With Python's number types from the schema, as the CLI reads parquet (a DOUBLE 100 is 100.0).
      const r: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(raw)) r[name] = pythonValue(value, columnNodes.get(name), r, name);
      const responses = responseLines ? nextResponses(row) : responsesOf(r[responseColumn!], `${file.name} row ${row} column ${responseColumn}`, true);
      for (const item of rowItems(r, row, responses, responseColumn)) rows.push({ line: row + 1, item });
      if (rows.length > MAX_ITEMS) throw tooMany(file.name, `more than ${MAX_ITEMS.toLocaleString('en-US')}`);
      row++;
    }
    onProgress(row, total);
    await yieldToBrowser();
  }
  if (responseLines) {
    for (let k = nextLine; k < responseLines.length; k++) {
      const line = responseLines[k]!;
      if (plainText ? k < responseLines.length - 1 || line !== '' : line.trim() !== '') {
        throw new InputError(`${options.responsesFile!.name} has more responses than ${file.name} has rows (${total})`);
      }
    }
  }
  return { kind: 'items', name: file.name, rows };
}

export async function loadFile(file: File, options: ParquetOptions, onProgress: (done: number, total: number) => void): Promise<Loaded> {
  if (/\.parquet$/i.test(file.name)) return loadParquet(file, options, onProgress);
  if (options.responsesFile) throw new InputError('a responses file goes with a verl .parquet dataset; JSONL items carry their own solution_str / response');
  return loadJsonl(file, onProgress);
}
