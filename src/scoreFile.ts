// Offline scoring of a JSONL file (verl rows or native items), one result line per input line, in
// input order. A malformed line becomes an error result for that line, never a crash.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { scoreItem, type ItemResult, type ScoreItemOptions } from '../rewards/index.js';

/** Parses one JSONL line into an item, or an error result that names the line. */
export function parseLine(line: string, index: number, lineNumber = index + 1): { item: unknown } | { error: ItemResult } {
  try {
    return { item: JSON.parse(line) };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { error: { id: index, score: null, error: { code: 'bad_item', message: `line ${lineNumber} is not valid JSON: ${reason}` } } };
  }
}

/** Scores one parsed line; items without an id get their 0-based position as id. */
export function scoreLine(line: string, index: number, options: ScoreItemOptions, lineNumber = index + 1): ItemResult {
  const parsed = parseLine(line, index, lineNumber);
  if ('error' in parsed) return parsed.error;
  const result = scoreItem(parsed.item, options);
  return result.id === undefined ? { id: index, ...result } : result;
}

export interface InputLine {
  line: string;
  /** 0-based position among the items (blank lines are not items). */
  index: number;
  /** 1-based line number in the file, for messages. */
  lineNumber: number;
}

/** Yields the non-blank lines of a file (or stdin for "-"). */
export async function* readItems(path: string, stdin: Readable = process.stdin): AsyncGenerator<InputLine> {
  const input = path === '-' ? stdin : createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let index = 0;
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    yield { line, index: index++, lineNumber };
  }
}
