// Regenerates the README's screenshots of the reward debugger (docs/debugger-*.png) with the same
// browser setup as the tests: `npm run screenshots`. Starts the built service, feeds it generated
// data (bench/generate.ts, seeded), and captures each view.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startService } from '../../bench/e2e.js';
import { goLongRlBatch } from '../../bench/generate.js';
import { launchBrowser } from './chromium.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const DOCS = join(ROOT, 'docs');

declare const document: { body: { dataset: Record<string, string | undefined> }; getElementById(id: string): { dataset: Record<string, string | undefined>; textContent: string | null } | null };

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'golong-screenshots-'));
  const service = await startService({ repoRoot: ROOT, workers: 2 });
  const browser = await launchBrowser({ width: 1280, height: 860 });
  try {
    const { page } = await browser.page();

    // Playground: a ROUGE-L summary with its LCS words highlighted.
    await page.goto(`${service.origin}/ui/#playground`);
    await page.waitForFunction(() => Number(document.getElementById('pg-result')?.dataset.seq ?? 0) > 0);
    const seq = Number(await page.getAttribute('#pg-result', 'data-seq'));
    await page.click('button:text("ROUGE-L summary")');
    await page.waitForFunction((n) => Number(document.getElementById('pg-result')?.dataset.seq ?? 0) > n, seq);
    await page.screenshot({ path: join(DOCS, 'debugger-playground.png') });

    // File view: 2,000 generated rollouts, the zeros of one reward type, one item opened.
    const file = join(dir, 'rollouts.jsonl');
    writeFileSync(file, goLongRlBatch(7, 125, 16).map((r) => JSON.stringify(r)).join('\n') + '\n');
    await page.goto(`${service.origin}/ui/#file`);
    await page.setInputFiles('#file-input', file);
    await page.waitForSelector('body[data-file-state="done"]', { state: 'attached', timeout: 300_000 });
    await page.selectOption('#filter-type', 'EM');
    await page.selectOption('#filter-zero', '*');
    await page.click('#file-table .vt-row >> nth=0');
    await page.waitForSelector('#file-explanation .x-explain');
    await page.screenshot({ path: join(DOCS, 'debugger-file.png'), fullPage: true });

    // Live view: twelve batches of a run whose rewards climb, as a trainer would post them.
    for (let step = 0; step < 12; step++) {
      // Early batches fail the think gate more often (no </think>), as a policy learning the format would.
      const rows = goLongRlBatch(100 + step, 16, 8).map((r, i) => ((i * 7) % 24 < 12 - step ? { ...r, solution_str: r.solution_str.replace('</think>', '') } : r));
      const res = await fetch(`${service.origin}/score`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: rows }) });
      if (res.status !== 200) throw new Error(`POST /score: ${res.status}`);
      await res.arrayBuffer();
    }
    await page.goto(`${service.origin}/ui/#live`);
    await page.waitForSelector('#live-table tr[data-seq]');
    await page.screenshot({ path: join(DOCS, 'debugger-live.png') });
  } finally {
    await browser.close();
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`wrote ${['playground', 'file', 'live'].map((v) => join('docs', `debugger-${v}.png`)).join(', ')}\n`);
}

await main();
