// The explanation of one result, as an HTML string: what the scorer extracted, what it compared,
// which rule decided. Every fact comes from the service's result (`details`, `error`, `warnings`);
// nothing here recomputes a score. The reward debugger page (web/src) and the static report
// (src/cli/report.ts) both render explanations with this module, so they always agree.
import { clip, esc, json, num } from './html.js';
import { LINE_SCORERS, ZERO_KIND_LABEL, zeroReason, type ResultLike } from './zeroReason.js';

type Details = Record<string, unknown>;

export interface ExplainOptions {
  /** Longest text shown in full (longer ones are cut to head and tail); the page shows more than the report. */
  maxText?: number;
  /** Most words of a ROUGE-L text drawn word by word. */
  maxWords?: number;
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : json(v));

function kv(rows: [string, string][]): string {
  return `<table class="x-kv">${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</table>`;
}

const code = (text: unknown) => `<code>${esc(text)}</code>`;
const pre = (text: string, max: number) => `<pre class="x-pre">${esc(clip(text, max))}</pre>`;

const STATUS_LABEL: Record<string, string> = {
  matched: 'matched',
  unmatched: 'unmatched',
  ignored: 'not compared',
  beyond_k: 'beyond k',
  found: 'found',
  missing: 'missing',
};

interface LineEntry {
  text: string;
  status: string;
  duplicate?: boolean;
}

function lineTable(title: string, entries: unknown, duplicateNote: string): string {
  const list = arr(entries) as LineEntry[];
  if (list.length === 0) return `<p class="x-muted">${esc(title)}: none</p>`;
  const rows = list
    .map(
      (e, i) =>
        `<tr class="x-st-${esc(e.status)}${e.duplicate ? ' x-dup' : ''}"><td class="x-num">${i + 1}</td><td class="x-line">${esc(e.text === '' ? '(empty line)' : e.text)}</td>` +
        `<td class="x-status">${esc(STATUS_LABEL[e.status] ?? e.status)}${e.duplicate ? ` <span class="x-tag">${esc(duplicateNote)}</span>` : ''}</td></tr>`,
    )
    .join('');
  return `<table class="x-lines" data-list="${esc(title)}"><caption>${esc(title)}</caption>${rows}</table>`;
}

function answerArea(d: Details, opts: Required<ExplainOptions>): string {
  const marker = d.answer_marker;
  const head =
    marker === null
      ? `<p class="x-warn">No <code>[Answer]</code> or <code>[答案]</code> marker: the whole response is the answer area.</p>`
      : `<p>Answer area: the text after the last ${code(marker)}, stripped; one answer per line (lower-cased, whitespace folded).</p>`;
  return head + (typeof d.answer_area === 'string' ? pre(d.answer_area, opts.maxText) : '');
}

function explainLines(d: Details, scorer: string, opts: Required<ExplainOptions>): string {
  const parts = [answerArea(d, opts)];
  switch (scorer) {
    case 'f1':
      parts.push(
        kv([
          ['distinct answer lines', num(d.prediction_set_size)],
          ['distinct references', num(d.answer_set_size)],
          ['in both', num(arr(d.common).length)],
          ['precision', num(d.precision)],
          ['recall', num(d.recall)],
        ]),
      );
      parts.push(`<div class="x-cols">${lineTable('answer lines', d.lines, 'duplicate, counted once')}${lineTable('references', d.reference_lines, 'duplicate, counted once')}</div>`);
      break;
    case 'subem':
      parts.push(kv([['references found', `${arr(d.matched).length} of ${arr(d.answers).length}`]]));
      parts.push(`<div class="x-cols">${lineTable('answer lines', d.lines, 'duplicate')}${lineTable('references', d.reference_lines, 'duplicate reference, counted again')}</div>`);
      break;
    case 'accuracy':
      parts.push(`<div class="x-cols">${lineTable('answer lines', d.lines, 'duplicate')}${lineTable('references', d.reference_lines, 'duplicate')}</div>`);
      break;
    case 'ndcg': {
      const ranking = arr(d.ranking) as { rank: number; text: string; gain: number; discount: number }[];
      const rows = ranking
        .map(
          (r) =>
            `<tr class="${r.gain > 0 ? 'x-st-matched' : 'x-st-unmatched'}"><td class="x-num">${r.rank}</td><td class="x-line">${esc(r.text)}</td><td class="x-num">${num(r.gain)}</td>` +
            `<td class="x-num">${num(r.discount)}</td><td class="x-num">${num(r.gain / r.discount)}</td></tr>`,
        )
        .join('');
      parts.push(
        kv([
          ['k (number of references)', num(d.k)],
          ['DCG', num(d.dcg, 6)],
          ['IDCG', num(d.idcg, 6)],
          ['ideal gains', esc(arr(d.ideal_gains).join(', '))],
        ]),
      );
      parts.push(
        `<table class="x-lines x-ranking"><caption>predicted ranking (top k; a repeated line ranks at its last occurrence)</caption><tr><th>rank</th><th>line</th><th>gain</th><th>log2(rank+1)</th><th>gain / discount</th></tr>${rows}</table>`,
      );
      parts.push(`<div class="x-cols">${lineTable('answer lines', d.lines, 'repeated: its last occurrence counts')}${lineTable('references (gain = k − position)', (arr(d.answers) as string[]).map((text) => ({ text, status: 'found' })), '')}</div>`);
      break;
    }
    case 'pairwise': {
      const pairs = arr(d.pairs) as { first: string; second: string; first_at: number; second_at: number; in_order: boolean }[];
      const at = (p: number) => (p < 0 ? 'not predicted' : `line ${p + 1}`);
      const rows = pairs
        .map(
          (p) =>
            `<tr class="${p.in_order ? 'x-st-matched' : 'x-st-unmatched'}"><td class="x-line">${esc(p.first)}</td><td class="x-line">${esc(p.second)}</td>` +
            `<td>${at(p.first_at)}</td><td>${at(p.second_at)}</td><td>${p.in_order ? 'in order' : 'not in order'}</td></tr>`,
        )
        .join('');
      const more = Number(d.reference_pairs) > pairs.length ? `<p class="x-muted">${pairs.length} of ${num(d.reference_pairs)} reference pairs listed.</p>` : '';
      parts.push(
        kv([
          ['reference pairs in order', num(d.correct_pairs)],
          ['denominator: pairs of answer lines C(n, 2)', num(d.total_pairs)],
        ]),
      );
      parts.push(`<table class="x-lines x-pairs"><caption>reference pairs (i before j)</caption><tr><th>first</th><th>second</th><th>first at</th><th>second at</th><th></th></tr>${rows}</table>${more}`);
      parts.push(lineTable('answer lines', d.lines, 'repeated: its last occurrence counts'));
      break;
    }
  }
  return parts.join('');
}

/** Words of a ROUGE-L text, sentence by sentence; LCS words carry class x-lcs (and data-w, their text). */
function rougeText(sentences: unknown, lcs: ReadonlySet<string>, chinese: boolean, overflow: number, maxWords: number): string {
  const out: string[] = [];
  let words = 0;
  for (const [s, sentence] of (arr(sentences) as string[][]).entries()) {
    const cls = `x-sent${s === overflow ? ' x-overflow' : ''}`;
    const spans: string[] = [];
    for (const w of sentence) {
      if (words++ >= maxWords) break;
      spans.push(`<span class="x-w${chinese ? ' x-tok' : ''}${lcs.has(w) ? ' x-lcs' : ''}">${esc(w === '' ? '␣' : w)}</span>`);
    }
    out.push(`<span class="${cls}" title="sentence ${s + 1}: ${sentence.length} words">${spans.join(chinese ? '' : ' ')}</span>`);
    if (words >= maxWords) {
      out.push(`<span class="x-muted"> … (cut at ${maxWords} words)</span>`);
      break;
    }
  }
  return out.join('<span class="x-dot">.</span> ');
}

function explainRouge(d: Details, opts: Required<ExplainOptions>): string {
  const chinese = d.language === 'Chinese';
  const refs = arr(d.references) as { llcs: number; m: number; n: number; precision: number; recall: number; f: number; lcs_words?: string[] }[];
  const best = typeof d.best_reference === 'number' ? d.best_reference : -1;
  const failed = d.failed_pair as { reference_sentence: number; hypothesis_sentence: number; reference_words: number; hypothesis_words: number; walk_limit: number } | undefined;
  const shownRef = best >= 0 ? best : typeof d.failed_reference === 'number' ? d.failed_reference : 0;
  const parts: string[] = [];
  parts.push(
    `<p>The hypothesis is ${chinese ? 'the jieba-segmented response (token boundaries drawn)' : 'the response, lower-cased and whitespace-folded'}${d.scored_part ? `, ${esc(d.scored_part)}` : ''}; sentences split on ".". ` +
      `Words highlighted are the union-LCS words of the ${best >= 0 ? 'winning' : 'shown'} reference (llcs counts them once each).</p>`,
  );
  if (refs.length > 0) {
    const rows = refs
      .map(
        (r, i) =>
          `<tr${i === best ? ' class="x-best"' : ''}><td>${i + 1}${i === best ? ' (best)' : ''}</td><td class="x-num">${r.llcs}</td><td class="x-num">${r.m}</td><td class="x-num">${r.n}</td>` +
          `<td class="x-num">${num(r.precision)}</td><td class="x-num">${num(r.recall)}</td><td class="x-num">${num(r.f, 6)}</td></tr>`,
      )
      .join('');
    parts.push(
      `<table class="x-lines x-rouge-stats"><tr><th>reference</th><th>llcs</th><th>m (distinct ref words)</th><th>n (distinct hyp words)</th><th>P = llcs/n</th><th>R = llcs/m</th><th>F</th></tr>${rows}</table>`,
    );
  }
  if (failed) {
    parts.push(
      `<p class="x-warn">Reference ${shownRef + 1}, sentence ${failed.reference_sentence + 1} (${failed.reference_words} words) against hypothesis sentence ${failed.hypothesis_sentence + 1} ` +
        `(${failed.hypothesis_words} words): py-rouge rebuilds the LCS recursively, and this walk needs more than ${failed.walk_limit} steps, past Python's recursion limit. ` +
        `It raises RecursionError and LongBench-Pro scores the item 0. Split long texts into sentences ending in "." to avoid it.</p>`,
    );
  }
  const lcs = new Set(refs[shownRef]?.lcs_words ?? []);
  parts.push(
    `<div class="x-cols"><div><h4>hypothesis</h4><div class="x-rouge x-rouge-hyp">${rougeText(d.hypothesis_sentences, lcs, chinese, failed ? failed.hypothesis_sentence : -1, opts.maxWords)}</div></div>` +
      `<div><h4>reference ${shownRef + 1}${best >= 0 ? ' (winning)' : ''}</h4><div class="x-rouge x-rouge-ref">${rougeText(arr(d.reference_sentences)[shownRef], lcs, chinese, failed ? failed.reference_sentence : -1, opts.maxWords)}</div></div></div>`,
  );
  if (lcs.size > 0) parts.push(`<p class="x-muted">LCS words (${lcs.size}): ${[...lcs].map((w) => esc(w)).join(' · ')}</p>`);
  return parts.join('');
}

function explainMath(d: Details, opts: Required<ExplainOptions>): string {
  const parts: string[] = [];
  const window = typeof d.window === 'string' ? d.window : '';
  const match = d.match as { start: number; end: number; via?: string } | undefined;
  if (window) {
    const body = match ? `${esc(window.slice(0, match.start))}<mark class="x-match">${esc(window.slice(match.start, match.end))}</mark>${esc(window.slice(match.end))}` : esc(window);
    parts.push(`<p>Math-Verify reads the last 500 code points${typeof d.window_start === 'number' && d.window_start > 0 ? ` (from character ${d.window_start})` : ' (the whole text)'}; the match that gave the answer is highlighted.</p><pre class="x-pre x-window">${body}</pre>`);
  }
  const golds = arr(d.gold_parse) as { gold: string; parsed: string | null; parsed_value: string | null }[];
  parts.push(
    kv([
      ['extracted (first matched text)', d.extracted === null || d.extracted === undefined ? '<em>nothing</em>' : code(d.extracted)],
      ['prediction as parsed', d.extracted_value === null || d.extracted_value === undefined ? '<em>nothing</em>' : code(d.extracted_value)],
      ['matched by', match?.via ? esc(match.via === 'latex' ? 'LaTeX extraction' : 'plain-expression extraction') : '-'],
      ['gold', code(str(d.gold))],
      ...golds.map((g): [string, string] => [`gold ${code(g.gold)} as parsed`, g.parsed_value === null ? '<em>nothing</em>' : code(g.parsed_value)]),
    ]),
  );
  return parts.join('');
}

function rowCells(row: unknown): string {
  return Array.isArray(row) ? row.map((c) => `<td>${esc(c)}</td>`).join('') : `<td>${esc(row)}</td>`;
}

function rowsTable(title: string, rows: unknown, matched: unknown): string {
  const list = arr(rows);
  const flags = arr(matched);
  if (list.length === 0) return `<div><h4>${esc(title)}</h4><p class="x-muted">no rows</p></div>`;
  return `<div><h4>${esc(title)}</h4><table class="x-lines x-rows">${list
    .map((row, i) => `<tr class="${flags[i] ? 'x-st-matched' : 'x-st-unmatched'}"><td class="x-num">${i + 1}</td>${rowCells(row)}</tr>`)
    .join('')}</table></div>`;
}

function explainIou(d: Details): string {
  return (
    kv([
      ['matched rows (multiset)', num(d.matches)],
      ['union: predicted + gold − matched', num(d.total)],
      ['answer read from', d.answer_in_tag ? 'inside <answer>…</answer>' : 'the whole response'],
    ]) + `<div class="x-cols">${rowsTable('predicted rows', d.pred_rows, d.pred_matched)}${rowsTable('gold rows', d.gold_rows, d.gold_matched)}</div>`
  );
}

function explainSimple(d: Details, scorer: string): string {
  if (scorer === 'em') {
    return `<div class="x-cols"><div><h4>response (stripped)</h4><pre class="x-pre">${esc(str(d.response))}</pre></div><div><h4>gold (stripped)</h4><pre class="x-pre">${esc(str(d.golden_label))}</pre></div></div>`;
  }
  if (scorer === 'choice') {
    return kv([
      ['extracted option', d.extracted === null ? '<em>none</em>' : code(d.extracted)],
      ['gold label', code(d.golden_label)],
      ['option in the gold label', d.label_extracted === null ? '<em>none</em>' : code(d.label_extracted)],
    ]);
  }
  return '';
}

function explainRetrieval(d: Details, opts: Required<ExplainOptions>): string {
  const parts = [
    kv([
      ['cited doc ids', esc(arr(d.doc_ids).join(', ') || '(none)')],
      ['gold doc ids', esc(arr(d.gold_doc_ids).join(', ') || '-')],
      ['ids equal as sets', d.ids_match === undefined ? '-' : d.ids_match ? 'yes' : 'no'],
      ...(d.found_ids_block !== undefined ? ([['<relevant_doc_ids> block', d.found_ids_block ? 'present' : 'missing']] as [string, string][]) : []),
      ...(d.found_reasoning_block !== undefined ? ([['<continue_reasoning> block', d.found_reasoning_block ? 'present' : 'missing']] as [string, string][]) : []),
    ]),
  ];
  if (typeof d.reasoning === 'string' && d.reasoning) parts.push(`<h4>continue_reasoning</h4>${pre(d.reasoning, opts.maxText)}`);
  if (d.math && typeof d.math === 'object') parts.push(`<h4>math_verify of the reasoning (rule: ${esc((d.math as Details).rule ?? '-')})</h4>${explainMath(d.math as Details, opts)}`);
  return parts.join('');
}

function thinkGate(d: Details): string {
  if (d.rule === 'think_gate') {
    return `<p class="x-warn">Think gate failed: ${esc(d.reason)} (found ${num(d.think_open)} × <code>&lt;think&gt;</code>, ${num(d.think_close)} × <code>&lt;/think&gt;</code>). verl scores 0 unless there is exactly one <code>&lt;/think&gt;</code> and at most one <code>&lt;think&gt;</code>; the answer is never looked at.</p>`;
  }
  const gate = d.think_gate as { passed: boolean; think_open: number; think_close: number } | undefined;
  if (!gate) return '';
  return `<p class="x-muted">Think gate passed (${gate.think_open} × &lt;think&gt;, ${gate.think_close} × &lt;/think&gt;); the scorer read ${esc(d.scored_part ?? '')}.</p>`;
}

/** The explanation of one result as an HTML fragment (CSS classes x-*, see EXPLAIN_CSS). */
export function explainHtml(r: ResultLike, options: ExplainOptions = {}): string {
  const opts: Required<ExplainOptions> = { maxText: options.maxText ?? 4000, maxWords: options.maxWords ?? 3000 };
  const parts: string[] = [];
  if (r.error) {
    parts.push(
      `<div class="x-error"><p><strong>Not scored:</strong> ${code(r.error.code)}${r.error.field ? ` in field ${code(r.error.field)}` : ''}</p><p>${esc(r.error.message)}</p></div>`,
    );
  } else {
    const zero = zeroReason(r);
    parts.push(
      `<p class="x-head"><span class="x-score">${num(r.score, 6)}</span> <span class="x-muted">${esc(r.reward_type ?? '')} · scorer ${esc(r.scorer ?? '')}</span>` +
        (zero ? ` <span class="x-zero x-zero-${zero.kind}">${esc(ZERO_KIND_LABEL[zero.kind])}: ${esc(zero.reason)}</span>` : '') +
        '</p>',
    );
  }
  const d = r.details;
  if (d) {
    if (typeof d.rule === 'string') parts.push(`<p class="x-rule">Deciding rule: <strong>${esc(d.rule)}</strong></p>`);
    parts.push(thinkGate(d));
    if (d.rule !== 'think_gate' && LINE_SCORERS.has(r.scorer ?? '')) {
      if ('answer_area' in d) parts.push(explainLines(d, r.scorer!, opts));
    } else if (d.rule !== 'think_gate') {
      switch (r.scorer) {
        case 'rouge_l':
          if ('hypothesis_sentences' in d || 'references' in d) parts.push(explainRouge(d, opts));
          break;
        case 'math_verify':
          parts.push(explainMath(d, opts));
          break;
        case 'retrieval_calculate':
          parts.push(explainRetrieval(d, opts));
          break;
        case 'iou':
          parts.push(explainIou(d));
          break;
        default:
          parts.push(explainSimple(d, r.scorer ?? ''));
      }
    }
  } else if (!r.error) {
    parts.push('<p class="x-muted">No details in this result (score it with details to see why).</p>');
  }
  if (r.warnings?.length) parts.push(`<ul class="x-warnings">${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  return `<div class="x-explain">${parts.join('')}</div>`;
}

/** Styles of the explanation fragments (the page and the report both include them). */
export const EXPLAIN_CSS = `
.x-explain{font-size:13px;line-height:1.45}
.x-explain h4{margin:10px 0 4px;font-size:13px}
.x-head{margin:0 0 6px}.x-score{font-size:20px;font-weight:600;font-variant-numeric:tabular-nums}
.x-muted{color:#6b7685}.x-rule{margin:4px 0}
.x-warn{background:#fff4e5;border-left:3px solid #e8a33d;padding:4px 8px}
.x-error{background:#fdecec;border-left:3px solid #d64545;padding:4px 8px}
.x-zero{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;background:#eef1f5}
.x-flag{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;background:#ffe3c2;color:#8a3b00}
.x-zero-format{background:#fff0d6}.x-zero-wrong{background:#fde2e2}.x-zero-ground_truth{background:#e8e1fb}.x-zero-limit{background:#dcecfb}
.x-kv{border-collapse:collapse;margin:6px 0}.x-kv th{font-weight:600;text-align:left;padding:2px 10px 2px 0;vertical-align:top;color:#3b4554}.x-kv td{padding:2px 0}
.x-pre{margin:4px 0;white-space:pre-wrap;word-break:break-word;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;max-height:18em;overflow:auto;background:#f6f8fa;padding:6px;border-radius:4px}
.x-cols{display:flex;gap:16px;flex-wrap:wrap;align-items:flex-start}.x-cols>*{flex:1 1 300px;min-width:0}
.x-lines{border-collapse:collapse;margin:6px 0;font-size:12px}.x-lines caption{text-align:left;font-weight:600;padding:2px 0}
.x-lines td,.x-lines th{border-bottom:1px solid #eef1f5;padding:2px 6px;text-align:left;vertical-align:top}
.x-num{text-align:right;font-variant-numeric:tabular-nums}.x-line{word-break:break-word}
.x-st-matched td,.x-st-found td{background:#e6f6ea}.x-st-unmatched td,.x-st-missing td{background:#fdecec}
.x-st-ignored td,.x-st-beyond_k td{color:#8a94a3}.x-dup .x-line{text-decoration:underline dotted}
.x-tag{font-size:11px;color:#6b7685;background:#eef1f5;border-radius:3px;padding:0 4px}
.x-best td{font-weight:600}
.x-rouge{font-size:13px;line-height:1.9;max-height:22em;overflow:auto;background:#f6f8fa;padding:6px;border-radius:4px}
.x-w{padding:1px 1px;border-radius:2px}.x-tok{border:1px solid #c9d1dc;margin:0 1px;padding:0 2px}
.x-lcs{background:#ffe58f}.x-overflow{outline:2px solid #d64545}.x-dot{color:#8a94a3}
.x-match{background:#ffe58f;padding:0 1px}
.x-warnings{color:#9a5b00;margin:6px 0;padding-left:18px}
`;
