// What every command shares: the Command shape main.ts dispatches on, exit codes, the two kinds
// of error a command throws (usage and input), flag parsing helpers, and line output with
// backpressure, the output stream and the worker pool behind --workers. A new command is a file in this folder exporting a Command, plus one line in
// main.ts's COMMANDS; `--help` and the error handling come from main.ts.
import { accessSync, constants, createWriteStream, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { InputError } from './verlRows.js';
import type { ScoringPool } from '../pool.js';

export interface Command {
  name: string;
  /** One line for the program's command list. */
  summary: string;
  /** The full usage text `golong-reward NAME --help` prints on stdout (ends with a newline). */
  usage(): string | Promise<string>;
  /** Runs the command on its arguments (the command name removed); resolves with the exit code. */
  run(args: string[]): number | Promise<number>;
}

/** Exit codes of every command. */
export const EXIT = {
  ok: 0,
  /** The input could not be read or is not usable (missing, empty, unreadable file). */
  inputError: 1,
  /** The command was called wrongly (unknown flag, bad value, missing argument). */
  usage: 2,
  /** Every item was read, some could not be scored, and --fail-on-error was given. */
  itemsFailed: 3,
  /** check: every row was read, some have a problem, and --fail-on-problem was given (score's code for the same situation). */
  problemsFound: 3,
} as const;

/** A mistake in how the command was called: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The input is missing, empty or unusable: printed as one sentence (no usage), exit code 1.
 * Defined beside the dataset rules (verlRows.ts, no Node APIs) so that the reward debugger page
 * throws the same error when it reads a dataset.
 */
export { InputError };

const positiveIntSchema = z.coerce.number().int().min(1);

export function positiveInt(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const parsed = positiveIntSchema.safeParse(raw.trim() === '' ? NaN : raw);
  if (!parsed.success) throw new UsageError(`--${name} must be a positive integer, not ${JSON.stringify(raw)}`);
  return parsed.data;
}

/** Whether the arguments ask for help (`--help` or `-h` before a `--` that ends the options). */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** Node's file-system error codes, as the reason a path could not be used. */
const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EMFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
};

/** A file-system error as a sentence naming the path and what it was for. */
export function fsErrorMessage(err: unknown, path: string, what: string, verb: 'read' | 'write' = 'read'): string {
  const code = (err as { code?: string }).code;
  const reason = (code && FS_REASONS[code]) ?? (err instanceof Error ? err.message : String(err));
  return `cannot ${verb} ${what} ${path}: ${reason}`;
}

/** Checks that `path` names a readable regular file; the message says what it was for. */
export function requireReadableFile(path: string, what: string): void {
  let stats;
  try {
    stats = statSync(path);
    accessSync(path, constants.R_OK);
  } catch (err) {
    throw new InputError(fsErrorMessage(err, path, what));
  }
  if (stats.isDirectory()) throw new InputError(`cannot read ${what} ${path}: it is a directory, not a file`);
}

/**
 * Checks, before any work, that a file can be written at `path` (its folder exists and is
 * writable, and it is not a directory), so a long run does not end in a write error.
 */
export function requireWritablePath(path: string, flag: string): void {
  const folder = dirname(resolve(path));
  let problem: string | undefined;
  try {
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) problem = 'it is a directory';
    else if (!statSync(folder).isDirectory()) problem = `${folder} is not a directory`;
    else accessSync(folder, constants.W_OK);
  } catch (err) {
    const code = (err as { code?: string }).code;
    problem = code === 'ENOENT' ? `the folder ${folder} does not exist` : ((code && FS_REASONS[code]) ?? String(err));
  }
  if (problem) throw new UsageError(`${flag} ${path} cannot be written: ${problem}`);
}

/** Writes lines with backpressure. */
export function lineWriter(stream: NodeJS.WritableStream) {
  let buffer = '';
  const flush = async () => {
    if (buffer === '') return;
    const chunk = buffer;
    buffer = '';
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
  };
  return {
    async write(line: string) {
      buffer += line + '\n';
      if (buffer.length > 1 << 16) await flush();
    },
    flush,
  };
}

/**
 * Where a command's lines go: the file of `--out` (a write error mid-run, such as a full disk,
 * ends the command with a sentence, not a stack) or stdout.
 */
export function openOutput(path: string | undefined): NodeJS.WritableStream {
  if (path === undefined) return process.stdout;
  const stream = createWriteStream(path);
  stream.on('error', (err) => {
    process.stderr.write(`golong-reward: ${fsErrorMessage(err, path, '--out', 'write')}\n`);
    process.exit(EXIT.inputError);
  });
  return stream;
}

/** Flushes the line writer and, for a file, ends the stream once everything is written. */
export async function closeOutput(out: ReturnType<typeof lineWriter>, stream: NodeJS.WritableStream): Promise<void> {
  await out.flush();
  if (stream === process.stdout) return;
  await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/**
 * The service's worker pool for a command's --workers (per-item watchdog, crash isolation).
 * Loaded on demand: without --workers the commands run in this thread.
 */
export async function startPool(workers: number): Promise<ScoringPool> {
  if (workers > 4 * availableParallelism()) process.stderr.write(`note: --workers ${workers} on a machine with ${availableParallelism()} cores\n`);
  const { ScoringPool } = await import('../pool.js');
  const pool = new ScoringPool({ workers, chunkItems: 64, chunkBytes: 4 << 20, timeoutGraceMs: 1000, testHooks: false });
  pool.start();
  return pool;
}
