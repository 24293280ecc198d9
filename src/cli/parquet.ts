// verl datasets (.parquet) as items to score: each row's data_source, reward_model.ground_truth and
// extra_info, plus a response from a column of the file (verl's generation step writes a
// `responses` column, a list of samples per prompt) or from a separate file with one line per row.
// Read row group by row group with hyparquet (pure JS), only the columns needed (never `prompt`).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import * as zlib from 'node:zlib';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { AsyncBuffer, Compressors, FileMetaData } from 'hyparquet';
import { InputError, requireReadableFile } from './common.js';
import { chooseColumns, pythonValue, responsesOf, responsesOfLine, rowItems } from './verlRows.js';

// Snappy is built into hyparquet; node's zlib covers the other codecs pandas/pyarrow can write.
const zlibAny = zlib as unknown as Record<string, ((b: Uint8Array) => Buffer) | undefined>;
const COMPRESSORS: Compressors = {
  GZIP: (input) => zlib.gunzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
  ...(zlibAny.zstdDecompressSync && { ZSTD: (input: Uint8Array) => zlibAny.zstdDecompressSync!(input) }),
};

export interface VerlParquetOptions {
  /** Read the dataset rows only, without responses (`golong-reward check`). */
  datasetOnly?: boolean;
  /** Columns copied onto every item when the file has them (`profile` reads `uid` and `model`). */
  passColumns?: readonly string[];
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

/** Yields each line of the responses file as that row's responses. */
async function* responsesFromFile(path: string): AsyncGenerator<string[]> {
  const plainText = /\.txt$/i.test(path);
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    const responses = responsesOfLine(line, plainText, `${path} line ${lineNumber}`);
    if (responses) yield responses;
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
  const { read, responseColumn } = chooseColumns(path, columns, options);
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
        let responses: string[] | undefined; // none for a dataset read without responses
        if (options.datasetOnly) responses = undefined;
        else if (fromFile) {
          const next = await fromFile.next();
          if (next.done) throw new InputError(`${options.responsesFile} has fewer responses than ${path} has rows (${rows}); it ran out at row ${row}`);
          responses = next.value;
        } else {
          responses = responsesOf(r[responseColumn!], `${path} row ${row} column ${responseColumn}`, true);
        }
        for (const item of rowItems(r, row, responses, responseColumn, options.passColumns)) yield { item, row };
        row++;
      }
    }
    if (fromFile && !(await fromFile.next()).done) throw new InputError(`${options.responsesFile} has more responses than ${path} has rows (${rows})`);
  }

  return { rows, items: items() };
}
