#!/usr/bin/env node
// The golong-reward command line: score a JSONL file offline, list tasks, or run the service.
import { parseArgs } from 'node:util';
import { describeTasks } from '../rewards/index.js';
import { readItems, scoreLine } from './scoreFile.js';

const USAGE = `usage:
  golong-reward score FILE.jsonl [--details] [--timeout-ms N]   (FILE "-" reads stdin)
  golong-reward tasks
`;

async function scoreCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { details: { type: 'boolean', default: false }, 'timeout-ms': { type: 'string' } },
  });
  if (positionals.length !== 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const timeoutMs = values['timeout-ms'] === undefined ? undefined : Number(values['timeout-ms']);
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    process.stderr.write(`--timeout-ms must be a positive number, not ${values['timeout-ms']}\n`);
    return 2;
  }
  const options = { details: values.details, timeoutMs };
  let buffer = '';
  for await (const { line, index, lineNumber } of readItems(positionals[0]!)) {
    buffer += JSON.stringify(scoreLine(line, index, options, lineNumber)) + '\n';
    if (buffer.length > 1 << 16) {
      if (!process.stdout.write(buffer)) await new Promise((resolve) => process.stdout.once('drain', resolve));
      buffer = '';
    }
  }
  process.stdout.write(buffer);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'score':
      return scoreCommand(rest);
    case 'tasks':
      process.stdout.write(JSON.stringify(describeTasks(), null, 2) + '\n');
      return 0;
    default:
      process.stderr.write(USAGE);
      return command === undefined || command === '--help' || command === '-h' ? 0 : 2;
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
