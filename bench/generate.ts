// Seeded generator of realistic scorer inputs, modelled on the shapes of the public parity rows:
// a think section of a few hundred words, then the answer the scorer reads ([Answer] blocks,
// summaries, boxed math, JSON tables, "The correct answer is (X)", retrieval blocks), in English
// and Chinese. Every item exists in two forms: the verl row a trainer sends, and the native item
// holding only the answer part (to separate the scorer's cost from the think section's).
import { Rng } from './prng.js';
import {
  EN_CITIES, EN_COMPANIES, EN_PEOPLE, ZH_CITIES, ZH_COMPANIES, ZH_PEOPLE,
  sentencesOfSize, summarySentence, thinkSection, type Lang,
} from './text.js';

export interface VerlRow {
  id?: string;
  uid?: string;
  data_source: string;
  solution_str: string;
  ground_truth: unknown;
  extra_info?: Record<string, unknown>;
}

export interface NativeItem {
  task: string;
  response: string;
  reference: unknown;
  options?: Record<string, unknown>;
}

/** One generated rollout in both forms. */
export interface BenchItem {
  verl: VerlRow;
  native: NativeItem;
}

// ---------------------------------------------------------------------------------------------
// Think sections and the verl response around an answer

/** Writes a rollout's think section; `answerChars` is the length of what follows it. */
export type ThinkWriter = (r: Rng, lang: Lang, answerChars: number) => string;

/** "A few hundred words": 150–400 English words or 250–700 Chinese characters. */
export const shortThink: ThinkWriter = (r, lang) => thinkSection(r, lang, lang === 'en' ? r.int(150, 400) : r.int(250, 700));

/**
 * Long-CoT lengths of a GoLongRL step (what a reasoning policy writes before its answer): the
 * think section's length in characters is log-normal with median `medianChars` and shape
 * `sigma`, and the whole response is capped by GoLongRL's response limit
 * (`max_response_length=$((1024 * 16))` tokens in Train/verl/examples/GoLongRL/*.sh) at
 * `charsPerToken` characters per token (Qwen3's tokenizer: about 4 for English prose, 1.4 for
 * Chinese). With these numbers English never reaches the cap (65k characters is 4.7 sigma out)
 * and about a fifth of the Chinese think sections stop at it (22.9k characters).
 */
export const LONG_COT = {
  medianChars: 15_000,
  sigma: 0.5,
  maxResponseTokens: 16_384,
  charsPerToken: { en: 4, zh: 1.4 },
} as const;

/** Longest response (characters) under GoLongRL's 16K-token cap. */
export const longCotCapChars = (lang: Lang): number => Math.floor(LONG_COT.maxResponseTokens * LONG_COT.charsPerToken[lang]);

/** A standard normal draw (Box–Muller). */
function gaussian(r: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
}

/**
 * Think-section text per language: 256k characters of the short generator's sentences, built
 * once. A long think section is a window of it at a random offset (a flat string, cheap to
 * cut and to serialise; 8,192 sections built sentence by sentence took 15 s).
 */
const THINK_CORPUS_CHARS = 1 << 18;
const thinkCorpora = new Map<Lang, string>();
function thinkCorpus(lang: Lang): string {
  let corpus = thinkCorpora.get(lang);
  if (corpus === undefined) {
    const r = new Rng(lang === 'en' ? 0x7e1c07 : 0x2c07e1);
    const parts: string[] = [];
    let n = 0;
    while (n < THINK_CORPUS_CHARS) {
      const section = thinkSection(r, lang, 400);
      parts.push(section);
      n += section.length + 2;
    }
    corpus = parts.join('\n\n');
    corpus = JSON.parse(JSON.stringify(corpus + '\n\n' + corpus)) as string; // flat; windows may wrap
    thinkCorpora.set(lang, corpus);
  }
  return corpus;
}

export const longCotThink: ThinkWriter = (r, lang, answerChars) => {
  const drawn = Math.round(LONG_COT.medianChars * Math.exp(LONG_COT.sigma * gaussian(r)));
  const chars = Math.max(200, Math.min(drawn, longCotCapChars(lang) - answerChars - 20));
  const corpus = thinkCorpus(lang);
  const start = r.int(0, corpus.length / 2 - 1);
  return corpus.slice(start, start + chars);
};

/**
 * A think section in `lang` (whatever the answer's language) sized so that the whole response
 * is about `totalChars` characters: for showing how each scorer's cost grows with length.
 */
export function thinkToLength(lang: Lang, totalChars: number): ThinkWriter {
  return (r, _answerLang, answerChars) => {
    const chars = Math.max(0, totalChars - answerChars - '<think>\n\n</think>'.length);
    const corpus = thinkCorpus(lang);
    const start = r.int(0, corpus.length / 2 - 1);
    return corpus.slice(start, start + chars);
  };
}

/** `<think>…</think>` then the answer; a chat template often puts the opening tag in the prompt. */
function withThink(r: Rng, lang: Lang, answer: string, sep = '\n\n', writer: ThinkWriter = shortThink): string {
  const open = r.chance(0.7) ? '<think>\n' : '';
  return `${open}${writer(r, lang, answer.length + sep.length)}\n</think>${sep}${answer}`;
}

// ---------------------------------------------------------------------------------------------
// ROUGE-L summaries (LongBench-Pro T4.1 / T4.2)

export type SummaryStyle = 'plain' | 'bullets' | 'paragraphs';

function layoutSummary(r: Rng, sentences: readonly string[], lang: Lang, style: SummaryStyle): string {
  const sep = lang === 'en' ? ' ' : '';
  if (style === 'bullets') return sentences.map((s) => `- ${s}`).join('\n');
  if (style === 'plain') return sentences.join(sep);
  const paragraphs: string[] = [];
  for (let i = 0; i < sentences.length; ) {
    const k = r.int(3, 5);
    paragraphs.push(sentences.slice(i, i + k).join(sep));
    i += k;
  }
  return paragraphs.join('\n\n');
}

/**
 * A reference summary and a model summary of `size` words (en) or characters (zh) each. With
 * probability `quality` the model reuses the next reference sentence, else it writes its own.
 */
export function summaryPair(r: Rng, lang: Lang, size: number, quality: number, references = 1): { hypothesis: string; references: string[] } {
  const refSentences = Array.from({ length: references }, () => sentencesOfSize(r, lang, Math.round(size * (0.8 + 0.4 * r.next()))));
  const first = refSentences[0]!;
  let cursor = 0;
  const hyp = sentencesOfSize(r, lang, size, () => {
    if (cursor < first.length && r.chance(quality)) return first[cursor++]!;
    if (r.chance(0.5)) cursor++; // the model skipped a point
    return summarySentence(r, lang);
  });
  const style = r.pick<SummaryStyle>(['plain', 'bullets', 'paragraphs']);
  return {
    hypothesis: layoutSummary(r, hyp, lang, style),
    references: refSentences.map((s) => s.join(lang === 'en' ? ' ' : '')),
  };
}

const SUMMARY_TASKS = ['T4.1 Global-Coverage Constrained Summary', 'T4.2 Query-Focused Summary'];

function answerMarker(r: Rng, lang: Lang): string {
  return lang === 'zh' && r.chance(0.6) ? '[答案]' : '[Answer]';
}

function summaryItem(r: Rng, lang: Lang, pair: { hypothesis: string; references: string[] }, subTask: string, writer: ThinkWriter = shortThink): BenchItem {
  const answer = `${answerMarker(r, lang)}\n${pair.hypothesis}`;
  return {
    verl: {
      data_source: 'longbench_pro',
      solution_str: withThink(r, lang, answer, '\n\n', writer),
      ground_truth: { doc_ids: pair.references, summary: lang === 'zh' ? 'Chinese' : 'English' },
      extra_info: { reward_mode: subTask },
    },
    native: { task: 'rouge_l', response: pair.hypothesis, reference: pair.references, options: { language: lang } },
  };
}

/** Chinese sizes for an English word count: 1.5 characters per word, a usual translation ratio. */
export const ZH_CHARS_PER_WORD = 1.5;

export function summaryItems(seed: number, lang: Lang, size: number, count: number, writer: ThinkWriter = shortThink): BenchItem[] {
  const r = new Rng(seed);
  return Array.from({ length: count }, () => {
    const pair = summaryPair(r, lang, size, 0.2 + 0.75 * r.next());
    return summaryItem(r, lang, pair, r.pick(SUMMARY_TASKS), writer);
  });
}

// ---------------------------------------------------------------------------------------------
// Math (math_verify)

export type MathKind = 'int' | 'decimal' | 'fraction' | 'latex';

interface MathProblem {
  work: string;
  gold: string;
  /** Written differently from the gold but equal to it. */
  equivalent: string[];
  wrong: string;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function fracLatex(r: Rng, n: number, d: number): string {
  return r.chance(0.5) ? `\\frac{${n}}{${d}}` : `${n}/${d}`;
}

function mathProblem(r: Rng, kind: MathKind): MathProblem {
  switch (kind) {
    case 'int': {
      if (r.chance(0.2)) {
        const a = r.int(1000, 9999);
        const b = r.int(100, 999);
        const c = a * b;
        return { work: `Multiplying, ${a} \\cdot ${b} = ${c}.`, gold: c.toLocaleString('en-US'), equivalent: [`${c}`], wrong: `${c + r.int(1, 9) * 10}` };
      }
      const a = r.int(200, 2000);
      const b = r.int(10, 199);
      const c = a - b;
      return { work: `Then ${b} crates come back, so ${a} - ${b} = ${c}.`, gold: `${c}`, equivalent: [`${c}.0`, `x = ${c}`], wrong: `${c + r.pick([-10, -1, 1, 10])}` };
    }
    case 'decimal': {
      if (r.chance(0.4)) {
        const n = r.int(3, 20);
        const p = r.pick([1.25, 2.5, 3.75, 4.2, 0.35]);
        const t = +(n * p).toFixed(2);
        return { work: `Total = ${n} \\times ${p} = ${t}.`, gold: `${t}`, equivalent: [`\\$${t}`, `${t} \\text{ dollars}`], wrong: `${+(t + p).toFixed(2)}` };
      }
      const s = r.int(40, 400) * 4 + r.pick([1, 2, 3]);
      const mean = s / 4;
      return { work: `Their sum is ${s}, and dividing by 4 gives the mean.`, gold: `${mean}`, equivalent: [`${s}/4`, `\\frac{${s}}{4}`], wrong: `${mean * 2}` };
    }
    case 'fraction': {
      const k = r.int(1, 11);
      const g = gcd(k, 36);
      const wrongK = k + 1;
      const wg = gcd(wrongK, 36);
      return {
        work: `The pairs that sum to ${k + 1} number ${k}. So the probability is ${k}/36.`,
        gold: fracLatex(r, k / g, 36 / g),
        equivalent: [`${k}/36`, `\\frac{${k}}{36}`, `\\dfrac{${k / g}}{${36 / g}}`],
        wrong: fracLatex(r, wrongK / wg, 36 / wg),
      };
    }
    case 'latex': {
      switch (r.int(0, 4)) {
        case 0: {
          const a = r.int(2, 12);
          const b = r.int(2, 12);
          const s = a * a + b * b;
          let q = 1;
          for (let f = 2; f * f <= s; f++) if (s % (f * f) === 0) q = f;
          const rest = s / (q * q);
          const simplified = q > 1 ? `${q}\\sqrt{${rest}}` : `\\sqrt{${s}}`;
          return { work: `The diagonal is \\sqrt{${a}^2 + ${b}^2} = \\sqrt{${s}}.`, gold: simplified, equivalent: [`\\sqrt{${s}}`], wrong: `\\sqrt{${s + 1}}` };
        }
        case 1: {
          const rad = r.int(2, 15);
          return { work: `Its area is \\pi r^2 = ${rad * rad}\\pi.`, gold: `${rad * rad}\\pi`, equivalent: [`${rad * rad} \\pi`, `\\pi \\cdot ${rad * rad}`], wrong: `${rad * rad}` };
        }
        case 2: {
          const a = r.int(1, 12);
          return { work: `Multiplying (x - ${a}) by (x + ${a}) gives a difference of squares.`, gold: `x^2 - ${a * a}`, equivalent: [`(x-${a})(x+${a})`, `-${a * a} + x^2`], wrong: `(x-${a})^2` };
        }
        case 3: {
          const m = r.pick(['2.25', '3.5', '1.2', '7.75']);
          const e = r.int(3, 20);
          return { work: 'Scientific notation keeps the mantissa below ten.', gold: `${m} \\times 10^{${e}}`, equivalent: [`${m}\\cdot 10^{${e}}`], wrong: `${m} \\times 10^{${e + 1}}` };
        }
        default: {
          const n = r.pick([2, 3, 5, 6, 7]);
          return { work: `So \\sin\\theta = \\frac{\\sqrt{${n}}}{${n + 1}} after rationalising.`, gold: `\\frac{\\sqrt{${n}}}{${n + 1}}`, equivalent: [`\\sqrt{${n}}/${n + 1}`], wrong: `\\frac{${n}}{${n + 1}}` };
        }
      }
    }
  }
}

/** The ways rollouts state a final math answer. */
function mathAnswerText(r: Rng, lang: Lang, answer: string): string {
  if (lang === 'zh' && r.chance(0.5)) return r.chance(0.5) ? `所以答案是 $\\boxed{${answer}}$。` : `答案：${answer}`;
  switch (r.int(0, 6)) {
    case 0:
      return `Therefore, the answer is $\\boxed{${answer}}$.`;
    case 1:
      return `Final Answer: The final answer is $${answer}$. I hope it is correct.`;
    case 2:
      return `\\boxed{${answer}}`;
    case 3:
      return `**Final Answer**\n\\[\n\\boxed{${answer}}\n\\]`;
    case 4:
      return `$\\boxed{${answer}}$`;
    case 5:
      return `The answer is ${answer}.`;
    default:
      return `So the result is \\(${answer}\\).`;
  }
}

const MATH_SOURCES = ['math_longcot_math_verify', 'dapo_math_longcot_math_verify', 'longctx_math_longcot_math_verify_v2', 'math_longcot_math_verify_zh'];

/** The gold as verl rows carry it: a string, {golden_label}, or a list whose last entry counts. */
function mathGroundTruth(r: Rng, gold: string): unknown {
  const x = r.next();
  if (x < 0.6) return gold;
  if (x < 0.85) return { golden_label: gold };
  return ['\\frac{1}{2}', gold];
}

function mathRollout(r: Rng, lang: Lang, p: MathProblem, groundTruth: unknown, dataSource: string, writer: ThinkWriter = shortThink): BenchItem {
  const x = r.next();
  const answer = x < 0.5 ? p.gold : x < 0.75 ? r.pick(p.equivalent) : p.wrong;
  const tail = `${p.work}\n\n${mathAnswerText(r, lang, answer)}`;
  return {
    verl: { data_source: dataSource, solution_str: withThink(r, lang, tail, '\n\n', writer), ground_truth: groundTruth },
    native: { task: 'math_verify', response: tail, reference: p.gold },
  };
}

export function mathItems(seed: number, kind: MathKind, count: number, writer: ThinkWriter = shortThink): BenchItem[] {
  const r = new Rng(seed);
  return Array.from({ length: count }, () => {
    const p = mathProblem(r, kind);
    const lang: Lang = r.chance(0.7) ? 'en' : 'zh';
    return mathRollout(r, lang, p, mathGroundTruth(r, p.gold), r.pick(MATH_SOURCES), writer);
  });
}

// ---------------------------------------------------------------------------------------------
// LongBench-Pro line metrics (F1, SubEM, NDCG, Pairwise, Accuracy)

export type LineMetric = 'F1_Score' | 'SubEM' | 'NDCG' | 'Pairwise_Accuracy' | 'Accuracy';

export const LINE_SUBTASKS: Readonly<Record<LineMetric, readonly string[]>> = {
  NDCG: ['T1.1 Global Cohesive Retrieval', 'T1.2 Key-Snippet Retrieval'],
  Pairwise_Accuracy: ['T2.1 Global Timeline Reconstruction', 'T2.2 Local Causal Chain Sorting', 'T6.3 Global Frequency Analysis'],
  Accuracy: ['T3.1 Multi-Doc Integration QA', 'T3.2 Single-Hop Fact QA', 'T11.1 Long-Range Entity & Commitment Tracking', 'T11.2 Short-Range Reference Resolution & State Query'],
  F1_Score: [
    'T5.1 Full-Sentence Citation Alignment', 'T5.2 Key-Statement Citation Alignment', 'T6.2 Targeted Subset Cluster Identification',
    'T7.1 Global Conflict & Inconsistency Localization', 'T7.2 Targeted Rule or Condition Violation Detection',
    'T7.3 Comprehensive Error & Anomaly Sweep', 'T9.1 Dependency-Aware Multi-Version Impact Analysis', 'T9.2 Localized Interface Change Detection',
  ],
  SubEM: [
    'T6.1 Large-Scale Document Clustering', 'T8.1 Structured Multi-Source Consistency Verification', 'T8.2 Single-Source Targeted Aggregation',
    'T8.3 Long-Context Procedural State Tracking', 'T10.1 Large-Scale In-Context Rule Induction', 'T10.2 Targeted Example-Based Rule Induction',
  ],
};

export const LINE_SCORER: Readonly<Record<LineMetric, string>> = { F1_Score: 'f1', SubEM: 'subem', NDCG: 'ndcg', Pairwise_Accuracy: 'pairwise', Accuracy: 'accuracy' };

const EN_EVENTS = [
  'the pump failed', 'the relief valve opened', 'the alarm was triggered', 'inventory ran short', 'the backup generator started',
  'the board approved the budget', 'the audit began', 'the supplier missed a delivery', 'the contract was signed', 'the plant reopened',
];
const ZH_EVENTS = ['水泵发生故障', '安全阀打开', '警报被触发', '库存不足', '备用发电机启动', '董事会批准预算', '审计开始', '供应商延迟交货', '合同签署', '工厂恢复生产'];

/** A pool of distinct answer strings of one kind, in the given language. */
function answerPool(r: Rng, lang: Lang, metric: LineMetric): string[] {
  const ids = (max: number) => Array.from({ length: max }, (_, i) => `[${i + 1}]`);
  switch (metric) {
    case 'NDCG':
      return ids(160);
    case 'Pairwise_Accuracy':
      if (r.chance(0.5)) return (lang === 'en' ? EN_EVENTS : ZH_EVENTS).map((e, i) => (lang === 'en' ? `${e} ${i + 3}` : `${e}${i + 3}`));
      return lang === 'en' ? [...EN_PEOPLE, ...EN_COMPANIES] : [...ZH_PEOPLE, ...ZH_COMPANIES];
    case 'F1_Score':
      return r.chance(0.6) ? ids(120) : Array.from({ length: 80 }, (_, i) => `${r.pick(['S', 'R', 'API-', 'v'])}${i + 10}`);
    case 'SubEM': {
      const names = lang === 'en' ? [...EN_COMPANIES, ...EN_CITIES] : [...ZH_COMPANIES, ...ZH_CITIES];
      return r.chance(0.5) ? names.map((n) => `${n}: ${r.int(1, 99)}`) : Array.from({ length: 40 }, (_, i) => `f(${i + 1}) = ${r.int(1, 300)}`);
    }
    case 'Accuracy':
      return lang === 'en' ? ['Yes', 'No', 'Partially', ...EN_PEOPLE, ...EN_CITIES] : ['是', '否', '部分', ...ZH_PEOPLE, ...ZH_CITIES];
  }
}

/** A model's answer lines for a gold list: exact, reordered, subset, superset, or mixed up. */
function predictLines(r: Rng, metric: LineMetric, gold: readonly string[], pool: readonly string[]): string[] {
  const distractors = pool.filter((x) => !gold.includes(x));
  if (metric === 'Accuracy') return [r.chance(0.55) ? gold[0]! : r.pick(distractors)];
  const lines = gold.slice();
  switch (r.int(0, 4)) {
    case 0: // exact
      break;
    case 1: // reordered (a few swaps)
      for (let k = 0; k < r.int(1, 3); k++) {
        const i = r.int(0, lines.length - 1);
        const j = r.int(0, lines.length - 1);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
      break;
    case 2: // subset
      lines.splice(r.int(0, lines.length - 1), r.int(1, Math.max(1, lines.length >> 1)));
      break;
    case 3: // superset
      lines.splice(r.int(0, lines.length), 0, ...r.sample(distractors, r.int(1, 3)));
      break;
    default: // overlap
      lines.splice(0, r.int(1, lines.length - 1), ...r.sample(distractors, r.int(1, 3)));
  }
  if (r.chance(0.1)) return lines.map((l) => l.toLowerCase());
  return lines;
}

function lineRollout(r: Rng, lang: Lang, subTask: string, metric: LineMetric, gold: string[], pool: string[], writer: ThinkWriter = shortThink): BenchItem {
  const lines = predictLines(r, metric, gold, pool);
  const lead = r.pick(['', '', 'Final answer:\n', 'I have verified each item against the context.\n']);
  const answer = `${lead}${answerMarker(r, lang)}\n${lines.join(r.chance(0.05) ? '\r\n' : '\n')}`;
  return {
    verl: {
      data_source: 'longbench_pro',
      solution_str: withThink(r, lang, answer, '\n\n', writer),
      ground_truth: { doc_ids: gold, summary: lang === 'zh' ? 'Chinese' : 'English' },
      extra_info: { reward_mode: subTask },
    },
    native: { task: LINE_SCORER[metric], response: answer, reference: gold },
  };
}

function lineGold(r: Rng, metric: LineMetric, pool: readonly string[]): string[] {
  if (metric === 'Accuracy') return [r.pick(pool)];
  const k = metric === 'NDCG' ? r.int(5, 15) : metric === 'Pairwise_Accuracy' ? r.int(4, 9) : r.int(3, 10);
  return r.sample(pool, k);
}

export function lineItems(seed: number, metric: LineMetric, count: number, writer: ThinkWriter = shortThink): BenchItem[] {
  const r = new Rng(seed);
  return Array.from({ length: count }, () => {
    const lang: Lang = r.chance(0.65) ? 'en' : 'zh';
    const pool = answerPool(r, lang, metric);
    return lineRollout(r, lang, r.pick(LINE_SUBTASKS[metric]), metric, lineGold(r, metric, pool), pool, writer);
  });
}

// ---------------------------------------------------------------------------------------------
// Tables (multitableqa_pretraining, IoU of rows)

type Cell = string | number | boolean | null;

/**
 * Row counts and layout follow the reference's own multitableqa parity rows
 * (../shared/parity/scores.public.jsonl: 1-7 rows, a quarter pretty-printed, about 140
 * characters per gold document). `big` tables (8-12 rows, all pretty-printed, about 700
 * characters) show how the cost grows with size.
 */
export type TableSize = 'typical' | 'big';

function tableRows(r: Rng, size: TableSize = 'typical'): Cell[][] {
  const n = size === 'big' ? r.int(8, 12) : r.int(1, 7);
  const domain = r.int(0, 3);
  const cities = [...EN_CITIES, ...ZH_CITIES];
  return Array.from({ length: n }, (): Cell[] => {
    switch (domain) {
      case 0:
        return [`${r.pick(['DL', 'LH', 'CA', 'MU', 'KL'])}${r.int(100, 9999)}`, r.pick(cities), r.pick(cities), r.int(20, 240), r.pick([true, false, null])];
      case 1:
        return [r.pick(cities), r.pick(['Q1', 'Q2', 'Q3', 'Q4']), r.int(100, 5000), r.int(1000, 99999) / 100];
      case 2:
        return [`SKU-${r.int(1000, 9999)}`, r.pick([0.75, 3.0, 9.99, 12.5, 19.95]), r.int(10, 400), r.pick([true, false, null])];
      default:
        return [r.pick([...EN_PEOPLE, ...ZH_PEOPLE]), r.pick(['Ops', 'Sales', 'R&D', 'Finance']), r.int(22, 64), r.int(40, 250) * 1000];
    }
  });
}

function tableJson(r: Rng, rows: Cell[][], size: TableSize = 'typical'): string {
  return JSON.stringify({ data: rows }, null, size === 'big' || r.chance(0.25) ? 2 : undefined);
}

function tableRollout(r: Rng, gold: Cell[][], goldText: string, size: TableSize = 'typical', writer: ThinkWriter = shortThink): BenchItem {
  let rows = gold.map((row) => row.slice());
  switch (r.int(0, 4)) {
    case 0:
      break;
    case 1:
      rows = r.shuffled(rows);
      break;
    case 2:
      rows.splice(r.int(0, rows.length - 1), 1);
      break;
    case 3:
      rows.push(...tableRows(r).slice(0, r.int(1, 2)));
      break;
    default: // cell types: a number written as a string
      rows = rows.map((row) => row.map((c) => (typeof c === 'number' && r.chance(0.3) ? String(c) : c)));
  }
  const lead = r.chance(0.3) ? 'I joined the two tables on the key column and filtered the rows.\n' : '';
  const answer = `${lead}<answer>${tableJson(r, rows, size)}</answer>`;
  const lang: Lang = r.chance(0.7) ? 'en' : 'zh';
  return {
    verl: { data_source: 'multitableqa_pretraining', solution_str: withThink(r, lang, answer, '\n\n', writer), ground_truth: { golden_label: goldText } },
    native: { task: 'iou', response: answer, reference: goldText },
  };
}

export function tableItems(seed: number, count: number, size: TableSize = 'typical', writer: ThinkWriter = shortThink): BenchItem[] {
  const r = new Rng(seed);
  return Array.from({ length: count }, () => {
    const gold = tableRows(r, size);
    return tableRollout(r, gold, tableJson(r, gold, size), size, writer);
  });
}

// ---------------------------------------------------------------------------------------------
// Multiple choice (selection) and exact match (EM)

const LETTERS = ['A', 'B', 'C', 'D'];

function choiceRollout(r: Rng, lang: Lang, gold: string, goldLabel: string, writer: ThinkWriter = shortThink): BenchItem {
  const letter = r.chance(0.6) ? gold : r.pick(LETTERS);
  const statement = r.pick([`The correct answer is (${letter}).`, `The correct answer is ${letter}.`, `**The correct answer is (${letter})**`]);
  const lead = r.chance(0.5) ? (lang === 'en' ? 'Only one option is consistent with every passage.\n\n' : '只有一个选项与所有段落一致。\n\n') : '';
  const answer = `${lead}${statement}`;
  return {
    verl: { data_source: 'selection', solution_str: withThink(r, lang, answer, '\n\n', writer), ground_truth: { golden_label: goldLabel } },
    native: { task: 'choice', response: answer, reference: goldLabel },
  };
}

function choiceGold(r: Rng): { gold: string; goldLabel: string } {
  const gold = r.pick(LETTERS);
  return { gold, goldLabel: r.chance(0.7) ? gold : `The correct answer is (${gold})` };
}

export function choiceItems(seed: number, count: number, writer: ThinkWriter = shortThink): BenchItem[] {
  const r = new Rng(seed);
  return Array.from({ length: count }, () => {
    const { gold, goldLabel } = choiceGold(r);
    return choiceRollout(r, r.chance(0.65) ? 'en' : 'zh', gold, goldLabel, writer);
  });
}

function emGold(r: Rng, lang: Lang): string {
  const x = r.int(0, 3);
  if (x === 3) return String(r.int(2, 5000));
  return r.pick(lang === 'en' ? [EN_PEOPLE, EN_COMPANIES, EN_CITIES][x]! : [ZH_PEOPLE, ZH_COMPANIES, ZH_CITIES][x]!);
}

function emRollout(r: Rng, lang: Lang, gold: string, writer: ThinkWriter = shortThink): BenchItem {
  const answer = r.chance(0.6) ? gold : emGold(r, lang);
  const sep = r.pick([' ', '\n\n', '\n']);
  const text = r.chance(0.8) ? answer : `${answer}\n`;
  return {
    verl: { data_source: 'EM', solution_str: withThink(r, lang, text, sep, writer), ground_truth: { golden_label: gold } },
    native: { task: 'em', response: `${sep}${text}`, reference: gold },
  };
}

export function emItems(seed: number, count: number, writer: ThinkWriter = shortThink): BenchItem[] {
  const r = new Rng(seed);
  return Array.from({ length: count }, () => {
    const lang: Lang = r.chance(0.6) ? 'en' : 'zh';
    return emRollout(r, lang, emGold(r, lang), writer);
  });
}

// ---------------------------------------------------------------------------------------------
// retrieval_calculate: document ids, a summary, then reasoning that ends in a boxed number

function retrievalRollout(r: Rng, goldIds: string[], gold: number, parts: { n: number; p: number }, writer: ThinkWriter = shortThink): BenchItem {
  const lang: Lang = 'en';
  const x = r.next();
  const ids = x < 0.6 ? goldIds : x < 0.8 ? [...goldIds, `<|doc_${r.int(1, 2000)}|>`] : goldIds.slice(0, Math.max(1, goldIds.length - 1));
  const value = r.chance(0.7) ? gold : +(gold + parts.p).toFixed(2);
  const calc = `${parts.n} items at $${parts.p} each. Total = ${parts.n} \\times ${parts.p} = ${value}.`;
  const answer =
    `<relevant_doc_ids>${ids.join('\n')}</relevant_doc_ids>\n` +
    `<summary>${calc} ${thinkSection(r, lang, r.int(30, 60))}</summary>\n` +
    `<continue_reasoning>${thinkSection(r, lang, r.int(60, 150))} ${calc}\nTherefore, the answer is $\\boxed{${value}}$.</continue_reasoning>`;
  const groundTruth = { doc_ids: goldIds, golden_label: String(gold) };
  return {
    verl: { data_source: 'retrieval_calculate', solution_str: withThink(r, lang, answer, '\n\n', writer), ground_truth: groundTruth },
    native: { task: 'retrieval_calculate', response: answer, reference: groundTruth },
  };
}

function retrievalGold(r: Rng): { goldIds: string[]; gold: number; parts: { n: number; p: number } } {
  const goldIds = Array.from({ length: r.int(1, 3) }, () => `<|doc_${r.int(1, 2000)}|>`);
  const parts = { n: r.int(3, 20), p: r.pick([1.25, 2.5, 3.75, 4.2, 0.35]) };
  return { goldIds, gold: +(parts.n * parts.p).toFixed(2), parts };
}

export function retrievalItems(seed: number, count: number, writer: ThinkWriter = shortThink): BenchItem[] {
  const r = new Rng(seed);
  return Array.from({ length: count }, () => {
    const { goldIds, gold, parts } = retrievalGold(r);
    return retrievalRollout(r, goldIds, gold, parts, writer);
  });
}

// ---------------------------------------------------------------------------------------------
// The GoLongRL step: 512 prompts × 16 rollouts with the task mix of the issue

/** Share of prompts per task family (the issue's mix; retrieval_calculate counts with "the rest"). */
export const GOLONGRL_MIX = {
  line: 60, // F1 / SubEM / NDCG / Pairwise / Accuracy (LongBench-Pro sub-tasks, uniformly)
  summary: 10,
  math: 15,
  em: 5,
  choice: 5,
  iou: 4,
  retrieval: 1,
} as const;

/** Summary sizes by prompt, following the parity rows (about 1/4 short, 2/3 medium, 1/12 long). */
function summarySize(r: Rng, lang: Lang): number {
  const x = r.next();
  const words = x < 0.23 ? r.int(80, 150) : x < 0.92 ? r.int(200, 900) : r.int(1800, 2200);
  return lang === 'en' ? words : Math.round(words * ZH_CHARS_PER_WORD);
}

/** One prompt's rollouts: the prompt fixes the task and the gold; rollouts vary. */
function promptRollouts(r: Rng, rollouts: number, writer: ThinkWriter): BenchItem[] {
  const family = r.weighted(GOLONGRL_MIX);
  const lang: Lang = r.chance(0.65) ? 'en' : 'zh';
  const out: BenchItem[] = [];
  switch (family) {
    case 'line': {
      const subTasks = Object.entries(LINE_SUBTASKS).flatMap(([m, ts]) => ts.map((t) => [m as LineMetric, t] as const));
      const [metric, subTask] = r.pick(subTasks);
      const pool = answerPool(r, lang, metric);
      const gold = lineGold(r, metric, pool);
      for (let i = 0; i < rollouts; i++) out.push(lineRollout(r, lang, subTask, metric, gold, pool, writer));
      break;
    }
    case 'summary': {
      const size = summarySize(r, lang);
      const subTask = r.pick(SUMMARY_TASKS);
      const refs = summaryPair(r, lang, size, 1, r.chance(0.2) ? 2 : 1).references;
      for (let i = 0; i < rollouts; i++) {
        // Each rollout writes its own summary against the prompt's fixed references.
        const own = summaryPair(r, lang, Math.round(size * (0.6 + 0.8 * r.next())), 0, 1).hypothesis;
        const hypothesis = r.chance(0.5) ? own : mixSummary(r, lang, refs[0]!, own);
        out.push(summaryItem(r, lang, { hypothesis, references: refs }, subTask, writer));
      }
      break;
    }
    case 'math': {
      const kind = r.weighted({ int: 35, decimal: 20, fraction: 20, latex: 25 });
      const p = mathProblem(r, kind);
      const gt = mathGroundTruth(r, p.gold);
      const source = r.pick(MATH_SOURCES);
      for (let i = 0; i < rollouts; i++) out.push(mathRollout(r, lang, p, gt, source, writer));
      break;
    }
    case 'em': {
      const gold = emGold(r, lang);
      for (let i = 0; i < rollouts; i++) out.push(emRollout(r, lang, gold, writer));
      break;
    }
    case 'choice': {
      const { gold, goldLabel } = choiceGold(r);
      for (let i = 0; i < rollouts; i++) out.push(choiceRollout(r, lang, gold, goldLabel, writer));
      break;
    }
    case 'iou': {
      const gold = tableRows(r);
      const goldText = tableJson(r, gold);
      for (let i = 0; i < rollouts; i++) out.push(tableRollout(r, gold, goldText, 'typical', writer));
      break;
    }
    case 'retrieval': {
      const { goldIds, gold, parts } = retrievalGold(r);
      for (let i = 0; i < rollouts; i++) out.push(retrievalRollout(r, goldIds, gold, parts, writer));
      break;
    }
  }
  return out;
}

/** A rollout summary that copies part of the reference: its first sentences, then its own. */
function mixSummary(r: Rng, lang: Lang, reference: string, own: string): string {
  const splitter = lang === 'en' ? /(?<=\.) / : /(?<=。)/;
  const refSentences = reference.split(splitter);
  const ownSentences = own.split(splitter);
  const k = r.int(1, Math.max(1, refSentences.length - 1));
  return [...refSentences.slice(0, k), ...ownSentences.slice(k)].join(lang === 'en' ? ' ' : '');
}

/**
 * The end-to-end batch: `prompts × rollouts` verl rows with ids and uids, in prompt order. Think
 * sections are short (a few hundred words) unless `writer` is longCotThink (a real step).
 */
export function goLongRlBatch(seed: number, prompts = 512, rollouts = 16, writer: ThinkWriter = shortThink): VerlRow[] {
  const r = new Rng(seed);
  const rows: VerlRow[] = [];
  for (let p = 0; p < prompts; p++) {
    const uid = `prompt-${p}`;
    for (const item of promptRollouts(r, rollouts, writer)) rows.push({ id: `r-${rows.length}`, uid, ...item.verl });
  }
  return rows;
}
