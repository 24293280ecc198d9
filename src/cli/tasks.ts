// `golong-reward tasks`: the registry as GET /tasks serves it.
import { parseArgs } from 'node:util';
import { describeTasks } from '../../rewards/index.js';
import { EXIT, UsageError, type Command } from './common.js';

export const TASKS_USAGE = `usage: golong-reward tasks

Prints, as JSON on stdout (the same document as GET /tasks): every scorer with its reward
type, options and what a native item's "reference" holds; every LongBench-Pro sub-task with
its reward type; every verl data_source with the scorer it routes to. A data_source with
"match": "contains" routes every data_source containing that name (error messages write it
between asterisks: *math_longcot_math_verify*); the others must match exactly.

options:
  -h, --help   this text
`;

function runTasks(args: string[]): number {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length > 0) throw new UsageError(`tasks takes no arguments, not ${JSON.stringify(positionals[0])}`);
  process.stdout.write(JSON.stringify(describeTasks(), null, 2) + '\n');
  return EXIT.ok;
}

export const tasksCommand: Command = {
  name: 'tasks',
  summary: 'list scorers, LongBench-Pro sub-tasks and verl data sources (JSON)',
  usage: () => TASKS_USAGE,
  run: runTasks,
};
