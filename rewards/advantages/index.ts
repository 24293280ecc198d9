// Advantage estimators for GRPO-style training on mixed tasks: GRPO, Dr. GRPO, QwenLong-L1.5's
// task normalisation and GoLongRL's TMN-Reweight, with the trainer's per-reward-type metrics.
// Pure float64 arithmetic, O(n) in the batch size.
import { drgrpoAdvantages } from './drgrpo.js';
import { AdvantageInputError } from './errors.js';
import { grpoAdvantages } from './grpo.js';
import { groupBatch } from './groups.js';
import { rewardModeMetrics } from './metrics.js';
import { qwenlongAdvantages } from './qwenlong.js';
import { tmnGrpoAdvantages } from './tmnGrpo.js';

export { AdvantageInputError } from './errors.js';
export { rewardModeKey } from './metrics.js';

export const ESTIMATORS = ['grpo', 'drgrpo', 'qwenlong', 'tmn_grpo'] as const;
export type Estimator = (typeof ESTIMATORS)[number];

export interface AdvantageParams {
  difficulty_reweight?: boolean;
  difficulty_smooth_alpha?: number;
  difficulty_gamma?: number;
  norm_adv_by_task_scale?: boolean;
}

/** Defaults of the reference trainer (the paper's runs use α = 0.8). */
export const PARAM_DEFAULTS = {
  difficulty_reweight: false,
  difficulty_smooth_alpha: 0.5,
  difficulty_gamma: 1,
  norm_adv_by_task_scale: true,
} as const satisfies Required<AdvantageParams>;

/** Which parameters each estimator reads; any other is rejected rather than silently ignored. */
export const ESTIMATOR_PARAMS: Record<Estimator, readonly (keyof AdvantageParams)[]> = {
  grpo: ['difficulty_reweight', 'difficulty_gamma'],
  drgrpo: ['difficulty_reweight', 'difficulty_gamma'],
  qwenlong: [],
  tmn_grpo: ['difficulty_reweight', 'difficulty_smooth_alpha', 'difficulty_gamma', 'norm_adv_by_task_scale'],
};

/**
 * Bounds that keep every output finite in float64: |s − mean| / 1e-6 · e^(|γ|/2) stays far
 * below 1.8e308. Real rewards are in [0, 1] (or ±1), so the bounds never bind in practice.
 */
export const MAX_ABS_SCORE = 1e100;
export const MAX_ABS_GAMMA = 100;

export interface AdvantageInput {
  estimator: Estimator;
  /** Prompt (group) id of each sample. */
  uids: string[];
  /** Reward type of each sample (a task's metric, e.g. `F1_Score`); one per group. */
  rewardTypes: string[];
  scores: number[];
  params?: AdvantageParams;
}

export interface AdvantageOutput {
  /** One advantage per sample, in input order. */
  advantages: number[];
  /** `reward_mode/<type>/<name>` batch metrics, plus `difficulty/mean_pass_rate` for tmn_grpo with reweighting. */
  metrics: Record<string, number>;
}

const isEstimator = (v: unknown): v is Estimator => typeof v === 'string' && (ESTIMATORS as readonly string[]).includes(v);

function checkParams(estimator: Estimator, params: unknown): Required<AdvantageParams> {
  if (params === undefined || params === null) return { ...PARAM_DEFAULTS };
  if (typeof params !== 'object' || Array.isArray(params)) throw new AdvantageInputError('params must be an object', 'params');
  const allowed = ESTIMATOR_PARAMS[estimator];
  const given = params as Record<string, unknown>;
  for (const [name, value] of Object.entries(given)) {
    if (value === undefined) continue;
    if (!(name in PARAM_DEFAULTS)) {
      throw new AdvantageInputError(`unknown parameter ${JSON.stringify(name)}; known: ${Object.keys(PARAM_DEFAULTS).join(', ')}`, name);
    }
    if (!(allowed as readonly string[]).includes(name)) {
      const users = ESTIMATORS.filter((e) => (ESTIMATOR_PARAMS[e] as readonly string[]).includes(name));
      throw new AdvantageInputError(`${name} is not a parameter of ${estimator} (only ${users.join(', ')} ${users.length === 1 ? 'takes' : 'take'} it)`, name);
    }
  }
  const out: Required<AdvantageParams> = { ...PARAM_DEFAULTS };
  for (const name of ['difficulty_reweight', 'norm_adv_by_task_scale'] as const) {
    const v = given[name];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') throw new AdvantageInputError(`${name} must be true or false`, name);
    out[name] = v;
  }
  const alpha = given.difficulty_smooth_alpha;
  if (alpha !== undefined) {
    if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
      throw new AdvantageInputError('difficulty_smooth_alpha must be a number between 0 and 1', 'difficulty_smooth_alpha');
    }
    out.difficulty_smooth_alpha = alpha;
  }
  const gamma = given.difficulty_gamma;
  if (gamma !== undefined) {
    if (typeof gamma !== 'number' || !(Math.abs(gamma) <= MAX_ABS_GAMMA)) {
      throw new AdvantageInputError(`difficulty_gamma must be a finite number between -${MAX_ABS_GAMMA} and ${MAX_ABS_GAMMA}`, 'difficulty_gamma');
    }
    out.difficulty_gamma = gamma;
  }
  return out;
}

function checkArrays(input: AdvantageInput): void {
  const { uids, rewardTypes, scores } = input;
  for (const [name, arr] of [['uids', uids], ['reward_types', rewardTypes], ['scores', scores]] as const) {
    if (!Array.isArray(arr)) throw new AdvantageInputError(`${name} must be an array`, name);
  }
  if (uids.length !== scores.length || rewardTypes.length !== scores.length) {
    throw new AdvantageInputError(
      `uids, reward_types and scores must have the same length (got ${uids.length}, ${rewardTypes.length} and ${scores.length})`,
      'scores',
    );
  }
  for (let i = 0; i < scores.length; i++) {
    const uid = uids[i];
    if (typeof uid !== 'string' || uid === '') throw new AdvantageInputError(`uids[${i}] must be a non-empty string`, `uids[${i}]`);
    const type = rewardTypes[i];
    if (typeof type !== 'string' || type === '') {
      throw new AdvantageInputError(`reward_types[${i}] must be a non-empty string`, `reward_types[${i}]`);
    }
    const s = scores[i];
    if (typeof s !== 'number' || !Number.isFinite(s)) throw new AdvantageInputError(`scores[${i}] must be a finite number`, `scores[${i}]`);
    if (Math.abs(s) > MAX_ABS_SCORE) {
      throw new AdvantageInputError(`scores[${i}] must be between -1e100 and 1e100 so that advantages stay finite`, `scores[${i}]`);
    }
  }
}

/** Advantages (input order) and batch metrics for one batch of scored samples. Throws AdvantageInputError. */
export function computeAdvantages(input: AdvantageInput): AdvantageOutput {
  const { estimator } = input;
  if (!isEstimator(estimator)) {
    throw new AdvantageInputError(`unknown estimator ${JSON.stringify(estimator)}; known: ${ESTIMATORS.join(', ')}`, 'estimator');
  }
  const params = checkParams(estimator, input.params);
  checkArrays(input);
  if (input.scores.length === 0) return { advantages: [], metrics: {} };

  const batch = groupBatch(input.uids, input.rewardTypes, input.scores);
  const metrics = rewardModeMetrics(batch);
  const reweight = { difficultyReweight: params.difficulty_reweight, difficultyGamma: params.difficulty_gamma };
  let advantages: Float64Array;
  switch (estimator) {
    case 'grpo':
      advantages = grpoAdvantages(batch, reweight);
      break;
    case 'drgrpo':
      advantages = drgrpoAdvantages(batch, reweight);
      break;
    case 'qwenlong':
      advantages = qwenlongAdvantages(batch);
      break;
    case 'tmn_grpo': {
      const result = tmnGrpoAdvantages(batch, {
        ...reweight,
        normByTaskScale: params.norm_adv_by_task_scale,
        difficultySmoothAlpha: params.difficulty_smooth_alpha,
      });
      advantages = result.advantages;
      if (result.meanPassRate !== undefined) metrics['difficulty/mean_pass_rate'] = result.meanPassRate;
      break;
    }
  }
  // The input bounds make this unreachable; a non-finite number here is a bug, never client data.
  if (!advantages.every(Number.isFinite)) throw new Error('internal error: a non-finite advantage was computed');
  return { advantages: Array.from(advantages), metrics };
}

/** A prompt id as a string: non-empty strings as they are, integers in decimal; anything else is no uid. */
export function uidKey(uid: unknown): string | undefined {
  if (typeof uid === 'string') return uid === '' ? undefined : uid;
  if (typeof uid === 'number' && Number.isSafeInteger(uid)) return String(uid);
  return undefined;
}

export interface ScoredItem {
  uid?: unknown;
  reward_type?: string;
  score: number | null;
}

export interface ScoredAdvantages {
  /** One per item; null for an item left out. */
  advantages: (number | null)[];
  metrics: Record<string, number>;
  /** Items left out of the estimator, with why. */
  excluded: { index: number; reason: string }[];
}

/**
 * Advantages for /score results. Items are left out and reported, never thrown for, when they
 * errored (score null), have no usable uid or reward type, or belong to a group that mixes
 * reward types. Throws AdvantageInputError only for bad estimator parameters.
 */
export function advantagesForScored(items: readonly ScoredItem[], params: AdvantageParams & { estimator: Estimator }): ScoredAdvantages {
  const { estimator, ...estimatorParams } = params;
  const excluded: ScoredAdvantages['excluded'] = [];
  const candidates: { index: number; uid: string; rewardType: string; score: number }[] = [];
  const typeOfUid = new Map<string, string>();
  const mixedUids = new Set<string>();
  items.forEach((item, index) => {
    const uid = uidKey(item.uid);
    let reason: string | undefined;
    if (item.score === null) reason = 'the item has no score (it failed to score)';
    else if (typeof item.score !== 'number' || !(Math.abs(item.score) <= MAX_ABS_SCORE)) reason = 'the score is not a finite number within ±1e100';
    else if (item.uid === undefined || item.uid === null) reason = 'the item has no uid';
    else if (uid === undefined) reason = 'uid must be a non-empty string or an integer';
    else if (typeof item.reward_type !== 'string' || item.reward_type === '') reason = 'the item has no reward type';
    if (reason !== undefined) {
      excluded.push({ index, reason });
      return;
    }
    const known = typeOfUid.get(uid!);
    if (known === undefined) typeOfUid.set(uid!, item.reward_type!);
    else if (known !== item.reward_type) mixedUids.add(uid!);
    candidates.push({ index, uid: uid!, rewardType: item.reward_type!, score: item.score! });
  });
  const kept = mixedUids.size === 0 ? candidates : candidates.filter((c) => !mixedUids.has(c.uid));
  if (kept.length !== candidates.length) {
    for (const c of candidates) {
      if (mixedUids.has(c.uid)) excluded.push({ index: c.index, reason: `group ${JSON.stringify(c.uid)} mixes reward types` });
    }
    excluded.sort((a, b) => a.index - b.index);
  }
  const out = computeAdvantages({
    estimator,
    uids: kept.map((c) => c.uid),
    rewardTypes: kept.map((c) => c.rewardType),
    scores: kept.map((c) => c.score),
    params: estimatorParams,
  });
  const advantages = new Array<number | null>(items.length).fill(null);
  kept.forEach((c, k) => (advantages[c.index] = out.advantages[k]!));
  return { advantages, metrics: out.metrics, excluded };
}
