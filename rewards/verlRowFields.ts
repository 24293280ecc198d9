// A verl row's fields checked before routing, with messages that say how to fix the row: the
// field a native item would use instead (`response` for `solution_str`), and the ground_truth /
// extra_info shape its data_source expects (the routing table's, as GET /tasks shows it).
import { knownTaskNames, resolveTask } from './registry.js';
import { unknownDataSourceMessage } from './suggest.js';
import { ScoreFailure } from './types.js';
import { typeName, VERL_DATA_SOURCES, verlBranch, verlRouteOf, type VerlRoute } from './verlRouting.js';

const ROW_FORM = 'a verl row is {data_source, solution_str, ground_truth, extra_info}';


/** Throws bad_item / bad_ground_truth for a row whose fields are missing or in the native form's names. */
export function checkVerlRowFields(row: Record<string, unknown>): void {
  const dataSource = row.data_source;
  if (typeof dataSource !== 'string') throw new ScoreFailure('bad_item', `data_source must be a string naming a route (GET /tasks lists them), not ${typeName(dataSource)}`, 'data_source');
  const solution = row.solution_str;
  if (typeof solution !== 'string') {
    if (solution === undefined && 'response' in row) {
      throw new ScoreFailure('bad_item', `solution_str is missing: verl rows (with data_source) carry the rollout text in solution_str; "response" is the native items' field ({task, response, reference})`, 'solution_str');
    }
    throw new ScoreFailure('bad_item', solution === undefined ? `solution_str is missing; ${ROW_FORM}` : `solution_str must be a string, not ${typeName(solution)}`, 'solution_str');
  }
  const route = verlRouteOf(dataSource);
  if (!route) {
    // A native task name sent as a data_source: say which form it belongs to (the router, which
    // does not know the native tasks, reports every other unknown data_source).
    if (resolveTask(dataSource) || knownTaskNames().some((t) => t.toLowerCase() === dataSource.toLowerCase())) {
      throw new ScoreFailure('unknown_data_source', unknownDataSourceMessage(dataSource, VERL_DATA_SOURCES, (name) => verlBranch(name) !== undefined, knownTaskNames()), 'data_source');
    }
    return;
  }
  if (row.ground_truth === undefined) {
    const hint = 'reference' in row ? '; "reference" is the native items\' field, verl rows use ground_truth' : '';
    throw new ScoreFailure('bad_ground_truth', `ground_truth is missing${hint}. ${expected(dataSource, route, 'ground_truth')}`, 'ground_truth');
  }
  if (row.extra_info === undefined && route.extra_info !== 'not read') {
    throw new ScoreFailure('bad_ground_truth', `extra_info is missing. ${expected(dataSource, route, 'extra_info')}`, 'extra_info');
  }
}

function expected(dataSource: string, route: VerlRoute, field: 'ground_truth' | 'extra_info'): string {
  return `${JSON.stringify(dataSource)} rows need ${field} ${route[field]}`;
}

/**
 * A bad_ground_truth failure of a routed row, with what the data_source expects added: the
 * reference's own exception says what broke, not what to send instead.
 */
export function withExpectedShape(failure: ScoreFailure, row: Record<string, unknown>): ScoreFailure {
  if (failure.code !== 'bad_ground_truth' || typeof row.data_source !== 'string') return failure;
  const route = verlRouteOf(row.data_source);
  if (!route) return failure;
  const field = /^extra_info\b/.test(failure.message) ? 'extra_info' : 'ground_truth';
  if (failure.message.includes(`rows need ${field}`)) return failure;
  const isNull = row[field] === null ? `${field} is null. ` : '';
  return new ScoreFailure('bad_ground_truth', `${isNull}${expected(row.data_source, route, field)}; the reference fails on this row: ${failure.message}`, failure.field);
}
