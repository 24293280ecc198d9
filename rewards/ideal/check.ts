// The dataset check of one row: route it as /score does, read its ground truth the way that route
// does (recipes.ts), build the ideal response, score it with the real router (think gate off: the
// ideal has no think section) and report every way the row keeps rollouts from the scorer's best.
import { DEFAULT_ITEM_TIMEOUT_MS, itemId } from '../index.js';
import { ScoreFailure, type ScoreContext } from '../types.js';
import { didYouMean } from '../suggest.js';
import { scoreVerlRow, thinkGateFailure, verlBranch, verlBuiltinModule, VERL_DATA_SOURCES } from '../verlRouting.js';
import { problem, sortProblems, type Problem, type RowCheck } from './problems.js';
import { pyMemberTypeName } from '../pyjson.js';
import { errorProblem, IDEAL_RECIPES, type IdealOutcome, type RowView } from './recipes.js';

export interface CheckOptions {
  /** Time budget for the whole row, in milliseconds (default 2000). */
  timeoutMs?: number;
  /** Also return the ideal response that was scored (`ideal_response`). */
  includeIdeal?: boolean;
}

/** Scores within this distance of the best count as the best (floating-point noise). */
const BEST_TOLERANCE = 1e-12;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Branches whose scorer sees only the text after the last </think>. */
const READS_AFTER_THINK = new Set(VERL_DATA_SOURCES.filter((d) => d.response === 'after </think>').map((d) => verlBranch(d.data_source)));

/** A likely intended data_source for an unrouted one: stray whitespace is named as such, else the router's own suggestion. */
function dataSourceHint(dataSource: string): string {
  const trimmed = dataSource.trim();
  if (trimmed !== dataSource && verlBranch(trimmed)) return ` (it has stray whitespace: ${JSON.stringify(trimmed)} is routed)`;
  return didYouMean(dataSource, VERL_DATA_SOURCES.map((d) => d.data_source));
}

/** The ground truth of a dataset row: `ground_truth`, else verl's `reward_model.ground_truth`; with its Python type name. */
function groundTruthOf(row: Record<string, unknown>): { found: boolean; value: unknown; type: string } {
  const rm = row.reward_model;
  const holder = Object.hasOwn(row, 'ground_truth') ? row : isRecord(rm) && Object.hasOwn(rm, 'ground_truth') ? rm : undefined;
  if (!holder) return { found: false, value: undefined, type: 'NoneType' };
  return { found: true, value: holder.ground_truth, type: pyMemberTypeName(holder, 'ground_truth') };
}

function scoreIdeal(view: RowView, response: string, ctx: ScoreContext): IdealOutcome {
  try {
    const out = scoreVerlRow(
      { data_source: view.dataSource, solution_str: response, ground_truth: view.groundTruth, extra_info: view.extraInfo },
      ctx,
      { thinkGate: false },
    );
    return { score: out.score, ...(out.details && { details: out.details }), ...(out.warnings && { warnings: out.warnings }) };
  } catch (err) {
    if (err instanceof ScoreFailure) return { error: { code: err.code, message: err.message } };
    return { error: { code: 'internal_error', message: err instanceof Error ? `${err.name}: ${err.message}` : String(err) } };
  }
}

/** Checks one dataset row (verl layout: data_source, reward_model.ground_truth or ground_truth, extra_info). Never throws. */
export function checkRow(row: unknown, options: CheckOptions = {}): RowCheck {
  const ctx: ScoreContext = { details: true, deadline: performance.now() + (options.timeoutMs ?? DEFAULT_ITEM_TIMEOUT_MS) };
  const none = (p: Problem, extra: Partial<RowCheck> = {}): RowCheck => ({ ...extra, ideal_score: null, best_score: null, problems: [p] });
  if (!isRecord(row)) {
    const what = row === null ? 'null' : Array.isArray(row) ? 'an array' : `a ${typeof row}`;
    return none(problem('not_an_object', `the row is ${what}, not an object {data_source, reward_model: {ground_truth}, extra_info}`));
  }
  const id = itemId(row);
  const base: Partial<RowCheck> = id === undefined ? {} : { id };
  const dataSource = row.data_source;
  if (typeof dataSource !== 'string') {
    const what = dataSource === undefined ? 'has no data_source' : `has data_source ${JSON.stringify(dataSource)}, not a string`;
    const native = typeof row.task === 'string' ? ' (it looks like a native item; check reads verl dataset rows, whose ground truth it checks against the route)' : '';
    return none(problem('no_data_source', `the row ${what}: nothing routes it${native}`), base);
  }
  base.data_source = dataSource;
  const branch = verlBranch(dataSource);
  const builtin = verlBuiltinModule(dataSource);
  if (builtin !== undefined) {
    return none(
      problem(
        'unknown_data_source',
        `data_source ${JSON.stringify(dataSource)} is one of verl's built-in reward routes (${builtin}), which GoLongRL keeps but its training does not use: /score answers unknown_data_source for every rollout, as this service does not implement verl built-ins`,
      ),
      base,
    );
  }
  if (!branch) {
    return none(
      problem('unknown_data_source', `data_source ${JSON.stringify(dataSource)} is not routed${dataSourceHint(dataSource)}: the reference raises for every rollout of it, and /score answers unknown_data_source`),
      base,
    );
  }
  const groundTruth = groundTruthOf(row);
  const view: RowView = { dataSource, groundTruth: groundTruth.value, groundTruthType: groundTruth.type, extraInfo: row.extra_info };
  const recipe = IDEAL_RECIPES[branch];

  try {
    const plan = recipe.plan(view, ctx);
    const check: RowCheck = {
      ...base,
      ...(plan.subtask !== undefined && { subtask: plan.subtask }),
      ...(plan.reward_type !== undefined && { reward_type: plan.reward_type }),
      ...(plan.scorer !== undefined && { scorer: plan.scorer }),
      ideal_score: null,
      best_score: plan.best,
      problems: [...plan.problems],
    };
    if (!groundTruth.found) {
      // What reading a missing value would say is beside the point: the row lacks the field.
      check.problems = [problem('bad_ground_truth', 'the row has no ground truth: give ground_truth, or reward_model.ground_truth as verl datasets do')];
      return check;
    }
    if (plan.response === undefined) {
      check.problems = sortProblems(check.problems);
      return check;
    }
    const response = plan.response;
    const outcome = scoreIdeal(view, response, ctx);
    if (options.includeIdeal) check.ideal_response = response;
    if (outcome.error) {
      // A problem found in the shape already says why the router refuses; otherwise say what it said.
      if (!check.problems.some((p) => p.severity === 'fatal')) check.problems.push(errorProblem(outcome.error));
    } else {
      const score = outcome.score!;
      check.ideal_score = score;
      const gate = thinkGateFailure(`<think>\n</think>\n${response}`);
      if (gate && score < plan.best - BEST_TOLERANCE && READS_AFTER_THINK.has(branch) && response.includes('</think>')) {
        check.problems.push(
          problem('gold_split_by_think', 'the answer contains </think>, and this route scores only the text after the last </think>: no response can hold the whole answer, so every rollout scores 0'),
        );
      } else if (gate) {
        check.problems.push(
          problem(
            'gold_contains_think_tag',
            `the answer contains <think> or </think>: a response that closes its think section and then writes the answer has ${gate}, and the think gate scores it 0 (only a response whose one </think> is the answer's own can score)`,
          ),
        );
      }
      if (score < plan.best - BEST_TOLERANCE && !check.problems.some((p) => p.severity !== 'warning')) {
        check.problems.push(plan.explain?.(outcome) ?? problem('ideal_below_best', `the ideal response scores ${score}, below the best ${plan.best}`));
      }
      for (const warning of outcome.warnings ?? []) {
        if (!check.problems.some((p) => p.problem === 'odd_ground_truth')) check.problems.push(problem('odd_ground_truth', warning.replace(/^bad_ground_truth: /, '')));
      }
    }
    check.problems = sortProblems(check.problems);
    return check;
  } catch (err) {
    // A deadline inside a recipe (math parsing of a pathological gold), or a bug: this row's problem only.
    const message = err instanceof ScoreFailure ? `${err.code}: ${err.message}` : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { ...base, ideal_score: null, best_score: null, problems: [problem('check_failed', `the check could not finish: ${message}`)] };
  }
}
