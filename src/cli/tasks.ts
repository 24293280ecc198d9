// `golong-reward tasks`: the registry as GET /tasks serves it.
import { describeTasks } from '../../rewards/index.js';

export const TASKS_USAGE = `  golong-reward tasks          list scorers, LongBench-Pro sub-tasks and verl data sources (JSON)
`;

export function tasksCommand(): number {
  process.stdout.write(JSON.stringify(describeTasks(), null, 2) + '\n');
  return 0;
}
