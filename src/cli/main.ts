#!/usr/bin/env node
// The golong-reward command line: run the service, list tasks, or score a file offline.
// One file per command in this folder; this one dispatches and turns errors into exit codes.
import { UsageError } from './common.js';
import { InputError } from './parquet.js';
import { SCORE_USAGE, scoreCommand } from './score.js';
import { SERVE_USAGE, serveCommand } from './serve.js';
import { TASKS_USAGE, tasksCommand } from './tasks.js';

const USAGE = `usage:\n${SERVE_USAGE}${SCORE_USAGE}${TASKS_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'score':
        return await scoreCommand(rest);
      case 'serve':
        return await serveCommand(rest);
      case 'tasks':
        return tasksCommand();
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (err) {
    // parseArgs reports unknown flags with a TypeError whose code starts with ERR_PARSE_ARGS.
    const code = (err as { code?: string }).code ?? '';
    if (err instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`golong-reward: ${(err as Error).message}\n${USAGE}`);
      return 2;
    }
    if (err instanceof InputError || code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      process.stderr.write(`golong-reward: ${(err as Error).message}\n`);
      return 1;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`golong-reward: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
