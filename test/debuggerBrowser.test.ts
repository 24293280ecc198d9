// The reward debugger in a real browser: Debian's headless Chromium driven by playwright-core,
// against the real built service. Every wait is on a condition the page reaches (a result drawn,
// a status reached), never a fixed sleep, so the tests hold on a loaded 2-core machine.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Browser } from '../web/tools/chromium.js';
import { AUDIT_CASES } from './helpers/auditCases.js';
import { loadScoreCases, type ScoreCase } from './helpers/parity.js';
import { post, startService, type Service } from './helpers/service.js';

// The page functions below run in the browser; the tests' type-check has no DOM library.
declare const document: any;

const SLOW = 240_000;
const wait = { timeout: 120_000 };

/** Waits until the playground shows a result newer than `after`; returns its sequence number. */
async function nextResult(page: Page, after: number): Promise<number> {
  const handle = await page.waitForFunction((n) => {
    const seq = Number(document.getElementById('pg-result')?.dataset.seq ?? 0);
    return seq > n ? seq : false;
  }, after, wait);
  return (await handle.jsonValue()) as number;
}

/** Starts the built service and a browser for the enclosing describe block, and stops both after it. */
function serviceAndBrowser(serviceEnv: Record<string, string>): { service: Service; browser: Browser } {
  const env = {} as { service: Service; browser: Browser };
  beforeAll(async () => {
    env.service = await startService({ env: serviceEnv });
    await env.service.waitReady(SLOW / 2); // workers load jieba; slow on a loaded machine
    env.browser = await launchBrowser();
  }, SLOW);
  afterAll(async () => {
    await env.browser?.close();
    await env.service?.stop();
  });
  return env;
}

const seqOf = async (page: Page) => Number(await page.getAttribute('#pg-result', 'data-seq'));

describe('the reward debugger in Chromium', () => {
  const env = serviceAndBrowser({ GOLONG_REWARD_WORKERS: '2' });
  let service: Service;
  let browser: Browser;
  let dir: string;
  let cases: ScoreCase[];

  beforeAll(() => {
    ({ service, browser } = env);
    dir = mkdtempSync(join(tmpdir(), 'golong-debugger-'));
    cases = loadScoreCases();
  });

  it('loads every view with no console error', async () => {
    const { page, errors } = await browser.page();
    await page.goto(`${service.url}/`);
    expect(new URL(page.url()).pathname).toBe('/ui/');
    await nextResult(page, 0);
    expect(await page.textContent('#pg-result .x-score')).toBe('0.500000');
    await page.click('#tabs a[data-view="file"]');
    await page.waitForSelector('#file-input', { state: 'attached', ...wait });
    expect(await page.isVisible('#view-file')).toBe(true);
    await page.click('#tabs a[data-view="live"]');
    await page.waitForFunction(() => /updated/.test(document.getElementById('live-status')?.textContent ?? ''), undefined, wait);
    await page.click('#tabs a[data-view="playground"]');
    expect(await page.isVisible('#pg-response')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, SLOW);

  it('playground: the score and the line matches follow the typing', async () => {
    const { page, errors } = await browser.page();
    await page.goto(`${service.url}/ui/#playground`);
    let seq = await nextResult(page, 0);
    await page.selectOption('#pg-task', 'f1');
    await page.selectOption('#pg-think', '');
    await page.fill('#pg-reference', 'Paris\nNice');
    await page.fill('#pg-response', '[Answer]\nParis\nLyon');
    await page.waitForFunction(() => document.querySelector('#pg-result .x-score')?.textContent === '0.500000' && document.querySelector('#pg-result')?.textContent?.includes('lyon'), undefined, wait);
    seq = await seqOf(page);
    // Two answer lines: paris matched, lyon not; nice still missing among the references.
    const statuses = async () =>
      page.$$eval('#pg-result table[data-list="answer lines"] tr', (rows) => rows.map((r) => [r.querySelector('.x-line')?.textContent, r.className]));
    expect(await statuses()).toEqual([
      ['paris', 'x-st-matched'],
      ['lyon', 'x-st-unmatched'],
    ]);
    await page.focus('#pg-response');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nNice');
    await nextResult(page, seq);
    await page.waitForFunction(() => document.querySelector('#pg-result .x-score')?.textContent === '0.800000', undefined, wait);
    expect(await statuses()).toEqual([
      ['paris', 'x-st-matched'],
      ['lyon', 'x-st-unmatched'],
      ['nice', 'x-st-matched'],
    ]);
    expect(errors).toEqual([]);
    await page.close();
  }, SLOW);

  it('ROUGE-L: the highlighted words are exactly the LCS words of the details, in both texts', async () => {
    const { page, errors } = await browser.page();
    await page.goto(`${service.url}/ui/#playground`);
    const seq = await nextResult(page, 0);
    const response = page.waitForResponse((r) => r.url().endsWith('/score') && (r.request().postData() ?? '').includes('council'));
    await page.click('button:text("ROUGE-L summary")');
    const body = (await (await response).json()) as { results: { details: { best_reference: number; references: { lcs_words: string[] }[]; hypothesis_sentences: string[][] } }[] };
    await nextResult(page, seq);
    const d = body.results[0]!.details;
    const lcs = d.references[d.best_reference]!.lcs_words;
    expect(lcs.length).toBeGreaterThan(2);
    for (const side of ['.x-rouge-hyp', '.x-rouge-ref']) {
      const words = await page.$$eval(`#pg-result ${side} .x-w`, (spans) => spans.map((s) => [s.textContent, s.classList.contains('x-lcs')]));
      expect(words.length).toBeGreaterThan(0);
      for (const [word, highlighted] of words) expect(highlighted, `${side} ${word}`).toBe(lcs.includes(word as string));
      expect(new Set(words.filter(([, hl]) => hl).map(([w]) => w))).toEqual(new Set(lcs));
    }
    expect(await page.$$eval('#pg-result .x-rouge-hyp .x-w', (s) => s.map((x) => x.textContent))).toEqual(d.hypothesis_sentences.flat());
    // Chinese: jieba's tokens drawn as boxes, one per token the reference scored.
    const zh = page.waitForResponse((r) => r.url().endsWith('/score') && (r.request().postData() ?? '').includes('"zh"'));
    await page.click('button:text("ROUGE-L Chinese")');
    const zhBody = (await (await zh).json()) as { results: { details: { hypothesis_sentences: string[][] } }[] };
    await page.waitForFunction((n) => document.querySelectorAll('#pg-result .x-rouge-hyp .x-tok').length === n, zhBody.results[0]!.details.hypothesis_sentences.flat().length, wait);
    expect(errors).toEqual([]);
    await page.close();
  }, SLOW);

  it('file view: a 10,000-row file is scored, filtered, and an item explained; export gives the filtered items', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ ...cases[i % cases.length]!, id: `${cases[i % cases.length]!.id}#${i}` }));
    const path = join(dir, 'rows.jsonl');
    writeFileSync(path, rows.map((r) => JSON.stringify(r)).join('\n') + '\n{"id": "broken", \n');
    const { page, errors } = await browser.page();
    await page.goto(`${service.url}/ui/#file`);
    await page.setInputFiles('#file-input', path);
    await page.waitForSelector('body[data-file-state="done"]', { state: 'attached', timeout: SLOW - 30_000 });
    expect(await page.textContent('#file-count')).toBe('10,001 of 10,001 items');
    // The malformed line is that line's error.
    await page.selectOption('#filter-error', 'bad_item');
    await page.waitForFunction(() => document.getElementById('file-count')?.textContent === '1 of 10,001 items', undefined, wait);
    expect(await page.textContent('#file-table .vt-row')).toMatch(/line 10001 is not valid JSON/);
    await page.selectOption('#filter-error', '');
    const em = rows.filter((r) => r.data_source === 'EM').length;
    await page.selectOption('#filter-source', 'EM');
    await page.waitForFunction((n) => document.getElementById('file-count')?.textContent === `${n} of 10,001 items`, em.toLocaleString('en-US'), wait);
    // Every zero is explained: its reason is one of the think gate's or a wrong text.
    await page.selectOption('#filter-zero', '*');
    const reasons = await page.$$eval('#file-table .vt-row .x-zero', (s) => [...new Set(s.map((x) => x.textContent))]);
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) expect(r).toMatch(/^(think gate: .*|text differs from the gold)$/);
    await page.click('#file-table .vt-row >> nth=0');
    await page.waitForSelector('#file-explanation .x-explain', wait);
    expect(await page.textContent('#file-explanation')).toMatch(/Deciding rule/);
    // Where the score differs from the file's expected one: only the documented divergences.
    await page.selectOption('#filter-source', '');
    await page.selectOption('#filter-zero', '');
    await page.check('#filter-differs');
    const differing = await page.$$eval('#file-table .vt-row', (r) => r.length);
    expect(differing).toBeGreaterThan(0);
    const codes = await page.$$eval('#file-table .vt-row .err', (s) => [...new Set(s.map((x) => x.textContent))]);
    for (const c of codes) expect(['unknown_data_source', 'unknown_task', 'error', '≠']).toContain(c);
    const download = page.waitForEvent('download');
    await page.click('#file-export');
    const exported = readFileSync((await (await download).path())!, 'utf8').trim().split('\n');
    const count = Number((await page.textContent('#file-count'))!.split(' ')[0]!.replace(/,/g, ''));
    expect(exported).toHaveLength(count);
    for (const line of exported) expect(Object.keys(JSON.parse(line)).some((k) => k === 'expected' || k === 'expected_error')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, SLOW);

  it('file view: verl parquet with a responses column, and with a responses file', async () => {
    const rows = [
      { data_source: 'math_longcot_math_verify', ground_truth: { golden_label: '42' }, answers: ['<think>x</think>so $\\boxed{42}$', '<think>x</think>so $\\boxed{41}$'] },
      { data_source: 'EM', ground_truth: { golden_label: 'Paris' }, answers: ['<think>a</think>Paris', 'Paris'] },
    ];
    const parquet = (withResponses: boolean) =>
      new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'data_source', data: rows.map((r) => r.data_source), type: 'STRING' },
            { name: 'prompt', data: rows.map(() => 'question'), type: 'STRING' },
            { name: 'ground_truth', data: rows.map((r) => r.ground_truth), type: 'JSON' },
            { name: 'extra_info', data: rows.map(() => ({})), type: 'JSON' },
            ...(withResponses ? [{ name: 'responses', data: rows.map((r) => r.answers), type: 'JSON' as const }] : []),
          ],
        }),
      );
    writeFileSync(join(dir, 'with.parquet'), parquet(true));
    writeFileSync(join(dir, 'without.parquet'), parquet(false));
    writeFileSync(join(dir, 'responses.jsonl'), rows.map((r) => JSON.stringify(r.answers[0])).join('\n') + '\n');
    const { page, errors } = await browser.page();
    const scores = () => page.$$eval('#file-table .vt-row', (rs) => rs.map((r) => [r.children[1]!.textContent, r.children[4]!.textContent]));
    await page.goto(`${service.url}/ui/#file`);
    await page.setInputFiles('#file-input', join(dir, 'with.parquet'));
    await page.waitForFunction(() => document.getElementById('file-count')?.textContent === '4 of 4 items' && document.body.dataset.fileState === 'done', undefined, wait);
    expect(await scores()).toEqual([
      ['0-0', '1'],
      ['0-1', '0'],
      ['1-0', '1'],
      ['1-1', '0'],
    ]);
    await page.evaluate(() => delete document.body.dataset.fileState);
    await page.setInputFiles('#file-responses', join(dir, 'responses.jsonl'));
    await page.setInputFiles('#file-input', join(dir, 'without.parquet'));
    await page.waitForFunction(() => document.getElementById('file-count')?.textContent === '2 of 2 items' && document.body.dataset.fileState === 'done', undefined, wait);
    expect(await scores()).toEqual([
      ['0', '1'],
      ['1', '1'],
    ]);
    expect(errors).toEqual([]);
    await page.close();
  }, SLOW);

  it('file view: the dataset check marks the rows whose ground truth no rollout can match', async () => {
    // Verdicts as POST /check's documented example (checked against the reference): "(B)" is not a
    // choice letter, and a Pairwise sub-task needs two answers to order. The two selection
    // rollouts share one dataset row, which is checked once.
    const rows = [
      { id: 'em', data_source: 'EM', solution_str: '<think>x</think>Porto', ground_truth: { golden_label: 'Porto' }, extra_info: {} },
      { id: 'sel-0', data_source: 'selection', solution_str: '<think>x</think>The correct answer is (B)', ground_truth: { golden_label: '(B)' }, extra_info: {} },
      { id: 'sel-1', data_source: 'selection', solution_str: '<think>x</think>(A)', ground_truth: { golden_label: '(B)' }, extra_info: {} },
      {
        id: 'lbp',
        data_source: 'longbench_pro',
        solution_str: '<think>x</think>[Answer]\nParis',
        ground_truth: { doc_ids: ['Paris'], summary: 'English' },
        extra_info: { reward_mode: 'T2.1 Global Timeline Reconstruction' },
      },
    ];
    writeFileSync(join(dir, 'dataset.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const { page, errors } = await browser.page();
    await page.goto(`${service.url}/ui/#file`);
    await page.setInputFiles('#file-input', join(dir, 'dataset.jsonl'));
    await page.waitForFunction(() => document.body.dataset.fileState === 'done', undefined, wait);
    await page.click('#file-check');
    await page.waitForFunction(() => /^Dataset check:/.test(document.getElementById('file-check-summary')?.textContent ?? ''), undefined, wait);
    expect(await page.textContent('#file-check-summary')).toBe(
      'Dataset check: 3 distinct rows, 2 with a problem (label_not_a_choice 1, too_few_answers 1); click a row to read it.',
    );
    const why = await page.$$eval('#file-table .vt-row', (els) => els.map((e) => e.textContent ?? ''));
    expect(why.filter((t) => t.includes('label_not_a_choice'))).toHaveLength(2);
    expect(why.filter((t) => t.includes('too_few_answers'))).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  }, SLOW);

  it('file view: the audit flag filter shows exactly the rollouts the service flags, with the evidence', async () => {
    const rows = AUDIT_CASES.map((c) => c.row);
    writeFileSync(join(dir, 'audit.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    // What the service flags, asked directly: the page must show the same sets.
    const direct = await post(`${service.url}/score`, { audit: true, items: rows });
    const flagged = new Map<string, Set<string>>();
    for (const r of direct.json.results as { id: string; audit?: { flag: string }[] }[]) {
      for (const f of r.audit ?? []) flagged.set(f.flag, (flagged.get(f.flag) ?? new Set()).add(r.id));
    }
    expect(flagged.size).toBeGreaterThanOrEqual(7);
    const { page, errors } = await browser.page();
    await page.goto(`${service.url}/ui/#file`);
    await page.setInputFiles('#file-input', join(dir, 'audit.jsonl'));
    await page.waitForFunction(() => document.body.dataset.fileState === 'done', undefined, wait);
    const total = rows.length;
    const shownIds = () => page.$$eval('#file-table .vt-row', (els) => els.map((e) => (e.children[1]?.textContent ?? '').trim()));
    for (const [flag, ids] of flagged) {
      await page.selectOption('#filter-flag', flag);
      await page.waitForFunction((want) => document.getElementById('file-count')?.textContent === want, `${ids.size} of ${total} items`, wait);
      expect(new Set(await shownIds()), flag).toEqual(ids);
      for (const c of AUDIT_CASES.filter((x) => x.flag === flag)) expect(ids.has(c.id), c.id).toBe(c.kind === 'exploit');
    }
    const anyFlag = new Set([...flagged.values()].flatMap((ids) => [...ids]));
    await page.selectOption('#filter-flag', '-');
    await page.waitForFunction((want) => document.getElementById('file-count')?.textContent === want, `${total - anyFlag.size} of ${total} items`, wait);
    // An exploit's row names its flag; its explanation quotes the evidence.
    const exploit = AUDIT_CASES.find((c) => c.flag === 'pairwise_short_list' && c.kind === 'exploit')!;
    await page.selectOption('#filter-flag', 'pairwise_short_list');
    await page.waitForFunction((want) => document.getElementById('file-count')?.textContent === want, `${flagged.get('pairwise_short_list')!.size} of ${total} items`, wait);
    expect(await page.textContent('#file-flags')).toContain('pairwise_short_list');
    const at = (await shownIds()).indexOf(exploit.id);
    expect(await page.textContent(`#file-table .vt-row >> nth=${at}`)).toContain('pairwise_short_list');
    await page.click(`#file-table .vt-row >> nth=${at}`);
    await page.waitForSelector('#file-row-audit', wait);
    expect(await page.textContent('#file-row-audit')).toMatch(/pairwise_short_list 2 answer lines for 5 references/);
    expect(errors).toEqual([]);
    await page.close();
  }, SLOW);

  it('bad files get a sentence: over the item limit, not text, not parquet', async () => {
    writeFileSync(join(dir, 'huge.jsonl'), '{}\n'.repeat(100_001));
    writeFileSync(join(dir, 'binary.jsonl'), Buffer.from([0x7b, 0x00, 0x01, 0x02]));
    writeFileSync(join(dir, 'broken.parquet'), 'not parquet at all');
    const { page, errors } = await browser.page();
    await page.goto(`${service.url}/ui/#file`);
    const expectStatus = async (file: string, pattern: RegExp) => {
      await page.setInputFiles('#file-input', join(dir, file));
      await page.waitForFunction((source) => new RegExp(source).test(document.getElementById('file-status')?.textContent ?? ''), pattern.source, wait);
      expect(await page.getAttribute('#file-status', 'class')).toBe('error');
    };
    await expectStatus('huge.jsonl', /huge\.jsonl has 100,001 items; the debugger opens at most 100,000 at a time/);
    await expectStatus('binary.jsonl', /binary\.jsonl is not a text file/);
    await expectStatus('broken.parquet', /broken\.parquet could not be read as parquet/);
    expect(errors).toEqual([]);
    await page.close();
  }, SLOW);

  it('live view: a batch posted by the test appears in the table and the curves', async () => {
    const { page, errors } = await browser.page();
    await page.goto(`${service.url}/ui/#live`);
    await page.waitForFunction(() => /updated/.test(document.getElementById('live-status')?.textContent ?? ''), undefined, wait);
    const posted = await post(`${service.url}/score`, {
      items: [
        { task: 'choice', response: 'The correct answer is (B)', reference: 'B' },
        { task: 'choice', response: 'The correct answer is (C)', reference: 'B' },
      ],
    });
    expect(posted.status).toBe(200);
    const recent = (await (await fetch(`${service.url}/batches/recent`)).json()) as { batches: { seq: number; by_reward_type: Record<string, unknown> }[] };
    const mine = recent.batches.filter((b) => 'selection' in b.by_reward_type).at(-1)!;
    await page.waitForSelector(`#live-table tr[data-seq="${mine.seq}"]`, wait);
    expect(await page.textContent(`#live-table tr[data-seq="${mine.seq}"]`)).toContain('selection 2·0.500');
    expect(await page.$$eval('#live-chart circle[data-series="selection"]', (c) => c.length)).toBeGreaterThan(0);
    expect(await page.textContent('#live-legend')).toContain('selection');
    expect(errors).toEqual([]);
    await page.close();
  }, SLOW);
});

describe('the reward debugger with a token', () => {
  const TOKEN = 'browser-token';
  const env = serviceAndBrowser({ GOLONG_REWARD_TOKEN: TOKEN, GOLONG_REWARD_WORKERS: '1' });
  let service: Service;
  let browser: Browser;
  beforeAll(() => {
    ({ service, browser } = env);
  });

  it('asks for the token once, says when it is wrong, keeps it for the tab', async () => {
    const { page, errors } = await browser.page();
    await page.goto(`${service.url}/`);
    await page.waitForSelector('#token-dialog[open]', wait);
    expect(await page.textContent('#token-message')).toMatch(/requires a bearer token/);
    await page.fill('#token-input', 'wrong-token');
    await page.click('#token-submit');
    await page.waitForFunction(() => /not accepted \(the bearer token is not valid\)/.test(document.getElementById('token-message')?.textContent ?? ''), undefined, wait);
    expect(await page.isVisible('#token-dialog')).toBe(true);
    await page.fill('#token-input', TOKEN);
    await page.click('#token-submit');
    await nextResult(page, 0);
    expect(await page.textContent('#pg-result .x-score')).toBe('0.500000');
    await page.waitForFunction(() => /token accepted/.test(document.getElementById('service-status')?.textContent ?? ''), undefined, wait);
    // Kept for the tab: a reload asks no more.
    await page.reload();
    await nextResult(page, 0);
    expect(await page.isVisible('#token-dialog')).toBe(false);
    // The only errors are the 401 answers that asked for the token.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    await page.close();
  }, SLOW);
});
