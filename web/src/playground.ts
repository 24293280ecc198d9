// Playground: score one item as you type. Pick a scorer, a reward type or a LongBench-Pro
// sub-task (the list and each entry's explanation come from GET /tasks), or paste a verl row;
// every edit re-scores it (debounced POST /score with details) and the explanation is drawn from
// the service's details.
import { explainHtml } from '../shared/explain.js';
import { score, tasks, type ScoreResult, type TasksInfo } from './api.js';
import { debounce, h } from './dom.js';

type ReferenceKind = 'lines' | 'json' | 'text';

/** How the reference box is read for each scorer (GET /tasks says what the reference holds). */
const REFERENCE_KIND: Record<string, ReferenceKind> = {
  accuracy: 'lines',
  f1: 'lines',
  subem: 'lines',
  ndcg: 'lines',
  pairwise: 'lines',
  rouge_l: 'lines',
  retrieval_calculate: 'json',
};

const REFERENCE_HINT: Record<ReferenceKind, string> = {
  lines: 'one reference answer per line',
  json: 'JSON',
  text: 'plain text',
};

interface Example {
  label: string;
  task?: { task: string; response: string; reference: string; language?: string; think?: string };
  row?: Record<string, unknown>;
}

const EXAMPLES: Example[] = [
  { label: 'F1 (citations)', task: { task: 'T5.1 Full-Sentence Citation Alignment', response: '<think>Passages 3 and 7 support it.</think>\n[Answer]\n[3]\n[7]\n[7]', reference: '[3]\n[5]', think: 'gate' } },
  { label: 'ROUGE-L summary', task: { task: 'rouge_l', response: 'The council approved the budget. Schools get more money next year.', reference: 'The city council approved the new budget. More money goes to schools.' } },
  { label: 'ROUGE-L Chinese', task: { task: 'rouge_l', response: '今天天气很好，我们去公园散步。', reference: '今天天气不错，我们一起去公园。', language: 'zh' } },
  { label: 'NDCG ranking', task: { task: 'ndcg', response: '[Answer]\n[2]\n[9]\n[1]', reference: '[1]\n[2]\n[3]' } },
  { label: 'Pairwise order', task: { task: 'pairwise', response: '[Answer]\nB\nA\nC', reference: 'A\nB\nC' } },
  { label: 'math', task: { task: 'math_verify', response: 'Adding the two parts gives $\\frac{3}{4}$, so the answer is $\\boxed{0.75}$.', reference: '\\frac{3}{4}' } },
  { label: 'multiple choice', task: { task: 'choice', response: 'The correct answer is (B)', reference: 'B' } },
  { label: 'IoU tables', task: { task: 'iou', response: '<answer>{"data": [["Oslo", 709000], ["Bergen", 286000]]}</answer>', reference: '{"data": [["Oslo", 709000], ["Trondheim", 212000]]}' } },
  {
    label: 'verl row: think gate',
    row: { data_source: 'EM', solution_str: 'Paris', ground_truth: { golden_label: 'Paris' }, extra_info: {} },
  },
  {
    label: 'verl row: LongBench-Pro',
    row: {
      data_source: 'longbench_pro',
      solution_str: '<think>The timeline starts with the merger.</think>[Answer]\nmerger\nIPO\nlayoffs',
      ground_truth: { doc_ids: ['merger', 'layoffs', 'IPO'], summary: 'English', golden_label: '' },
      extra_info: { reward_mode: 'T2.1 Global Timeline Reconstruction' },
    },
  },
];

export class Playground {
  private readonly root: HTMLElement;
  private info: TasksInfo | undefined;
  private seq = 0;
  private mode: 'task' | 'row' = 'task';
  private readonly taskSelect = h('select', { id: 'pg-task', 'aria-label': 'scorer, reward type or sub-task' });
  private readonly taskDoc = h('div', { id: 'pg-task-doc', class: 'doc' });
  private readonly language = h('select', { id: 'pg-language' }, h('option', { value: '' }, '(default: en)'), h('option', { value: 'en' }, 'en'), h('option', { value: 'zh' }, 'zh'));
  private readonly think = h('select', { id: 'pg-think' }, h('option', { value: '' }, '(default: none)'), h('option', { value: 'none' }, 'none'), h('option', { value: 'strip' }, 'strip'), h('option', { value: 'gate' }, 'gate'));
  private readonly response = h('textarea', { id: 'pg-response', rows: 9, spellcheck: false });
  private readonly reference = h('textarea', { id: 'pg-reference', rows: 5, spellcheck: false });
  private readonly referenceHint = h('span', { class: 'muted' });
  private readonly rowJson = h('textarea', { id: 'pg-row', rows: 6, spellcheck: false, placeholder: '{"data_source": "...", "solution_str": "...", "ground_truth": ..., "extra_info": ...}' });
  private readonly rowSource = h('input', { id: 'pg-row-source', type: 'text' });
  private readonly rowSolution = h('textarea', { id: 'pg-row-solution', rows: 9, spellcheck: false });
  private readonly rowTruth = h('textarea', { id: 'pg-row-truth', rows: 4, spellcheck: false });
  private readonly rowExtra = h('textarea', { id: 'pg-row-extra', rows: 2, spellcheck: false });
  private readonly inputError = h('p', { id: 'pg-input-error', class: 'error', hidden: true });
  private readonly status = h('span', { id: 'pg-status', class: 'muted' });
  private readonly result = h('div', { id: 'pg-result', 'data-seq': '0' });
  private readonly taskPane: HTMLElement;
  private readonly rowPane: HTMLElement;
  private readonly schedule = debounce(() => void this.run(), 250);

  constructor(root: HTMLElement) {
    this.root = root;
    const modeRadio = (value: 'task' | 'row', label: string) =>
      h('label', {}, h('input', { type: 'radio', name: 'pg-mode', value, checked: value === 'task', onchange: () => this.setMode(value) }), ` ${label}`);
    this.taskPane = h(
      'div',
      { id: 'pg-task-pane' },
      h('label', { class: 'field' }, 'Scorer, reward type or LongBench-Pro sub-task', this.taskSelect),
      this.taskDoc,
      h('div', { class: 'row' }, h('label', { class: 'field', id: 'pg-language-field' }, 'language', this.language), h('label', { class: 'field' }, 'think', this.think)),
      h('label', { class: 'field' }, 'Response', this.response),
      h('label', { class: 'field' }, h('span', {}, 'Reference ', this.referenceHint), this.reference),
    );
    this.rowPane = h(
      'div',
      { id: 'pg-row-pane', hidden: true },
      h('label', { class: 'field' }, 'verl row (paste a JSON line; the fields below follow it)', this.rowJson),
      h('label', { class: 'field' }, 'data_source', this.rowSource),
      h('label', { class: 'field' }, 'solution_str', this.rowSolution),
      h('label', { class: 'field' }, 'ground_truth (JSON)', this.rowTruth),
      h('label', { class: 'field' }, 'extra_info (JSON)', this.rowExtra),
    );
    const examples = h('div', { class: 'examples' }, h('span', { class: 'muted' }, 'Examples: '), ...EXAMPLES.map((e) => h('button', { type: 'button', class: 'link', onclick: () => this.loadExample(e) }, e.label)));
    root.append(
      h('div', { class: 'intro' }, h('p', {}, 'Score one item as you type and see why it got its reward. Every fact below comes from the service (POST /score with details); the page never computes a score.')),
      h(
        'div',
        { class: 'split' },
        h('div', { class: 'pane' }, h('div', { class: 'row' }, modeRadio('task', 'task'), modeRadio('row', 'verl row')), examples, this.taskPane, this.rowPane, this.inputError),
        h('div', { class: 'pane' }, h('div', { class: 'row' }, h('h2', {}, 'Result'), this.status), this.result),
      ),
    );
    for (const el of [this.response, this.reference, this.rowSolution, this.rowTruth, this.rowExtra, this.rowSource]) el.addEventListener('input', () => this.onFieldInput(el));
    for (const el of [this.taskSelect, this.language, this.think]) el.addEventListener('change', () => this.onTaskChange());
    this.rowJson.addEventListener('input', () => this.onRowJson());
  }

  async start(): Promise<void> {
    this.response.value = EXAMPLES[0]!.task!.response;
    this.reference.value = EXAMPLES[0]!.task!.reference;
    this.think.value = 'gate';
    this.rowJson.value = JSON.stringify(EXAMPLES[EXAMPLES.length - 1]!.row);
    this.onRowJson(false);
    this.status.textContent = 'loading the task list…';
    try {
      this.info = await tasks();
    } catch (err) {
      this.status.textContent = `could not load GET /tasks: ${(err as Error).message}`;
      return;
    }
    this.fillTasks(this.info);
    this.taskSelect.value = EXAMPLES[0]!.task!.task;
    this.onTaskChange();
  }

  private fillTasks(info: TasksInfo): void {
    const group = (label: string, options: [string, string][]) => h('optgroup', { label }, ...options.map(([value, text]) => h('option', { value }, text)));
    this.taskSelect.replaceChildren(
      group('Scorers', info.scorers.map((s) => [s.name, `${s.name} (${s.reward_type})`])),
      group('Reward types', info.scorers.map((s) => [s.reward_type, s.reward_type])),
      group('LongBench-Pro sub-tasks', info.longbench_pro_subtasks.map((t) => [t.name, `${t.name} → ${t.reward_type}`])),
    );
  }

  /** The registry entry a native task name resolves to. */
  private entryFor(task: string): TasksInfo['scorers'][number] | undefined {
    const info = this.info;
    if (!info) return undefined;
    const sub = info.longbench_pro_subtasks.find((t) => t.name === task);
    return info.scorers.find((s) => s.name === task || s.reward_type === task || (sub !== undefined && s.name === sub.scorer));
  }

  private onTaskChange(): void {
    const entry = this.entryFor(this.taskSelect.value);
    if (entry) {
      const kind = REFERENCE_KIND[entry.name] ?? 'text';
      this.referenceHint.textContent = `(${entry.reference}; ${REFERENCE_HINT[kind]})`;
      const options = Object.entries(entry.options).map(([name, doc]) => h('li', {}, h('code', {}, name), `: ${doc}`));
      this.taskDoc.replaceChildren(
        h('p', {}, h('strong', {}, `${entry.name} → reward type ${entry.reward_type}. `), entry.description),
        options.length ? h('ul', { class: 'muted' }, ...options) : '',
      );
      (document.getElementById('pg-language-field') as HTMLElement).hidden = !('language' in entry.options);
    }
    this.schedule();
  }

  private onFieldInput(el: HTMLElement): void {
    if (this.mode === 'row' && el !== this.rowJson) this.syncRowJson();
    this.schedule();
  }

  /** The row's fields from the pasted JSON (and the JSON from the fields when they change). */
  private onRowJson(run = true): void {
    let row: unknown;
    try {
      row = JSON.parse(this.rowJson.value);
    } catch (err) {
      this.showInputError(`The verl row is not valid JSON: ${(err as Error).message}`);
      return;
    }
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      this.showInputError('The verl row must be a JSON object {data_source, solution_str, ground_truth, extra_info}.');
      return;
    }
    const r = row as Record<string, unknown>;
    // A whole verl dataset row keeps its ground truth under reward_model.
    const truth = 'ground_truth' in r ? r.ground_truth : (r.reward_model as Record<string, unknown> | undefined)?.ground_truth;
    this.rowSource.value = typeof r.data_source === 'string' ? r.data_source : JSON.stringify(r.data_source ?? '');
    this.rowSolution.value = typeof r.solution_str === 'string' ? r.solution_str : '';
    this.rowTruth.value = JSON.stringify(truth ?? null, null, 1);
    this.rowExtra.value = JSON.stringify(r.extra_info ?? null);
    if (run) this.schedule();
  }

  private syncRowJson(): void {
    const parsed = this.rowFromFields();
    if ('row' in parsed) this.rowJson.value = JSON.stringify(parsed.row);
  }

  private rowFromFields(): { row: Record<string, unknown> } | { error: string } {
    const parse = (text: string, field: string): { value: unknown } | { error: string } => {
      try {
        return { value: JSON.parse(text) };
      } catch (err) {
        return { error: `${field} is not valid JSON: ${(err as Error).message}` };
      }
    };
    const truth = parse(this.rowTruth.value, 'ground_truth');
    if ('error' in truth) return truth;
    const extra = parse(this.rowExtra.value, 'extra_info');
    if ('error' in extra) return extra;
    return { row: { data_source: this.rowSource.value, solution_str: this.rowSolution.value, ground_truth: truth.value, extra_info: extra.value } };
  }

  private setMode(mode: 'task' | 'row'): void {
    this.mode = mode;
    (this.root.querySelector(`input[name="pg-mode"][value="${mode}"]`) as HTMLInputElement).checked = true;
    this.taskPane.hidden = mode !== 'task';
    this.rowPane.hidden = mode !== 'row';
    this.schedule();
  }

  private loadExample(e: Example): void {
    if (e.task) {
      this.taskSelect.value = e.task.task;
      this.response.value = e.task.response;
      this.reference.value = e.task.reference;
      this.language.value = e.task.language ?? '';
      this.think.value = e.task.think ?? '';
      this.setMode('task');
      this.onTaskChange();
    } else if (e.row) {
      this.loadRow(e.row);
    }
  }

  /** Opens an item (a verl row or a native item) in the playground, e.g. from the file view. */
  loadRow(item: Record<string, unknown>): void {
    if (typeof item.task === 'string') {
      const options = (item.options ?? {}) as Record<string, unknown>;
      this.taskSelect.value = item.task;
      this.response.value = typeof item.response === 'string' ? item.response : '';
      const kind = REFERENCE_KIND[this.entryFor(item.task)?.name ?? ''] ?? 'text';
      const ref = item.reference;
      this.reference.value = kind === 'lines' && Array.isArray(ref) ? ref.join('\n') : typeof ref === 'string' ? ref : JSON.stringify(ref);
      this.language.value = typeof options.language === 'string' ? options.language : '';
      this.think.value = typeof options.think === 'string' ? options.think : '';
      this.setMode('task');
      this.onTaskChange();
      return;
    }
    const { data_source, solution_str, ground_truth, extra_info, reward_model } = item;
    this.rowJson.value = JSON.stringify({ data_source, solution_str, ground_truth: ground_truth ?? (reward_model as Record<string, unknown> | undefined)?.ground_truth, extra_info });
    this.onRowJson(false);
    this.setMode('row');
  }

  private showInputError(message: string | undefined): void {
    this.inputError.hidden = message === undefined;
    this.inputError.textContent = message ?? '';
  }

  private buildItem(): { item: Record<string, unknown> } | { error: string } {
    if (this.mode === 'row') {
      const parsed = this.rowFromFields();
      return 'error' in parsed ? parsed : { item: { id: 'playground', ...parsed.row } };
    }
    const task = this.taskSelect.value;
    const kind = REFERENCE_KIND[this.entryFor(task)?.name ?? ''] ?? 'text';
    let reference: unknown = this.reference.value;
    if (kind === 'lines') {
      reference = this.reference.value.split('\n');
      if ((reference as string[]).length > 1 && (reference as string[]).at(-1) === '') (reference as string[]).pop();
    } else if (kind === 'json') {
      try {
        reference = JSON.parse(this.reference.value);
      } catch (err) {
        return { error: `The reference is not valid JSON: ${(err as Error).message}` };
      }
    }
    const options: Record<string, string> = {};
    if (this.language.value && !(document.getElementById('pg-language-field') as HTMLElement).hidden) options.language = this.language.value;
    if (this.think.value) options.think = this.think.value;
    return { item: { id: 'playground', task, response: this.response.value, reference, options } };
  }

  private async run(): Promise<void> {
    const built = this.buildItem();
    if ('error' in built) {
      this.showInputError(built.error);
      return;
    }
    this.showInputError(undefined);
    const seq = ++this.seq;
    this.status.textContent = 'scoring…';
    let results: ScoreResult[];
    try {
      results = await score([built.item], true);
    } catch (err) {
      if (seq === this.seq) this.status.textContent = `could not score: ${(err as Error).message}`;
      return;
    }
    if (seq !== this.seq) return; // a newer edit is on its way
    this.status.textContent = '';
    this.result.innerHTML = explainHtml(results[0]!, { maxText: 20_000, maxWords: 5000 });
    this.result.dataset.seq = String(seq);
  }
}
