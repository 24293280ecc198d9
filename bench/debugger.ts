// The reward debugger's budgets, measured (not timed tests): `npm run bench:debugger`.
// - page JavaScript, gzip: every .js file of dist/ui (the first load fetches only the entry;
//   the parquet reader is a chunk loaded when a parquet file is opened);
// - first render: navigation start to the first contentful paint, and to the first playground
//   result (the page's first data round trip), in a fresh browser profile each run;
// - a 10,000-row file (the GoLongRL task mix of bench/generate.ts, 625 prompts x 16 rollouts)
//   opened, scored through POST /score in chunks, the zeros explained and the table drawn.
// Runs the real built service (2 workers) and Debian's headless Chromium.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchBrowser } from '../web/tools/chromium.js';
import { startService } from './e2e.js';
import { goLongRlBatch } from './generate.js';
import { median } from './measure.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const UI = join(ROOT, 'dist/ui');
const RUNS = Number(process.env.DEBUGGER_BENCH_RUNS ?? 5);

declare const document: { body: { dataset: Record<string, string | undefined> }; getElementById(id: string): { dataset: Record<string, string | undefined> } | null };
declare const performance: { getEntriesByName(name: string): { startTime: number }[]; now(): number };

function jsSizes(): { file: string; gzip: number }[] {
  return readdirSync(UI)
    .filter((f) => f.endsWith('.js'))
    .map((file) => ({ file, gzip: gzipSync(readFileSync(join(UI, file)), { level: 9 }).length }));
}

/** CPU seconds the service process has used so far (all its threads: event loop and scoring workers). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds used so far by every process of one Chromium launch (browser, renderer, network, GPU). */
function browserCpuSeconds(profile: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(profile)) continue;
      total += cpuSeconds(Number(pid));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (x: number) => `${Math.round(x)} ms`;

async function main(): Promise<void> {
  const sizes = jsSizes();
  const entry = sizes.find((s) => s.file.startsWith('app-'))!;
  const total = sizes.reduce((a, s) => a + s.gzip, 0);

  const dir = mkdtempSync(join(tmpdir(), 'golong-debugger-bench-'));
  const file = join(dir, 'golongrl-10000.jsonl');
  writeFileSync(file, goLongRlBatch(20261130, 625, 16).map((r) => JSON.stringify(r)).join('\n') + '\n');
  const service = await startService({ repoRoot: ROOT, workers: 2 });
  try {
    const paints: number[] = [];
    const firstResults: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const browser = await launchBrowser();
      try {
        const { page } = await browser.page();
        await page.goto(`${service.origin}/ui/`);
        await page.waitForFunction(() => Number(document.getElementById('pg-result')?.dataset.seq ?? 0) > 0, undefined, { timeout: 60_000 });
        const [fcp, result] = await page.evaluate(() => [performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN, performance.now()]);
        paints.push(fcp!);
        firstResults.push(result!);
      } finally {
        await browser.close();
      }
    }

    const fileTimes: number[] = [];
    const serverCpu: number[] = [];
    const pageBusy: number[] = [];
    const browserCpu: number[] = [];
    const loads: number[] = [];
    for (let run = 0; run < Math.min(RUNS, 3); run++) {
      const browser = await launchBrowser();
      try {
        const { page } = await browser.page();
        await page.goto(`${service.origin}/ui/#file`);
        await page.waitForSelector('#file-input', { state: 'attached' });
        // The page's main-thread busy time (Chrome's TaskDuration), to tell its own work from waiting.
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        const busy = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')!.value;
        const busy0 = await busy();
        const browserCpu0 = browserCpuSeconds(browser.profile);
        const started = Date.now();
        const cpu0 = cpuSeconds(service.pid);
        loads.push(loadavg()[0]!);
        await page.setInputFiles('#file-input', file);
        await page.waitForSelector('body[data-file-state="done"]', { state: 'attached', timeout: 300_000 });
        await page.waitForSelector('#file-table .vt-row', { timeout: 60_000 });
        fileTimes.push(Date.now() - started);
        serverCpu.push(cpuSeconds(service.pid) - cpu0);
        pageBusy.push((await busy()) - busy0);
        browserCpu.push(browserCpuSeconds(browser.profile) - browserCpu0);
        const status = await page.textContent('#file-status');
        if (!/10,000 items scored/.test(status ?? '')) throw new Error(`unexpected status: ${status}`);
      } finally {
        await browser.close();
      }
    }

    // The same file through `golong-reward score --workers 2` at the same moment: the floor the page
    // works against on this machine (reading, scoring on two threads, writing results).
    const cliStarted = Date.now();
    const cli = spawnSync(process.execPath, [join(ROOT, 'dist/src/cli/main.js'), 'score', file, '--workers', '2', '--quiet', '--out', join(dir, 'out.jsonl')], { encoding: 'utf8' });
    if (cli.status !== 0) throw new Error(`golong-reward score failed: ${cli.stderr}`);
    const cliMs = Date.now() - cliStarted;

    const rows: [string, string, string, string][] = [
      ['page JavaScript, gzip (all files)', '150 KB', kb(total), total <= 150 * 1024 ? 'PASS' : 'FAIL'],
      ['  of which loaded first (app entry)', '-', kb(entry.gzip), 'info'],
      [`first contentful paint (median of ${RUNS})`, '1000 ms', ms(median(paints)), median(paints) <= 1000 ? 'PASS' : 'FAIL'],
      [`first playground result (median of ${RUNS})`, '-', ms(median(firstResults)), 'info'],
      [`10,000-row file scored and shown (median of ${fileTimes.length})`, '5000 ms', ms(median(fileTimes)), median(fileTimes) <= 5000 ? 'PASS' : 'FAIL'],
      ['  service CPU for it (event loop + workers)', '-', `${median(serverCpu).toFixed(2)} s`, 'info'],
      ["  the page's main thread busy (wall time of its tasks)", '-', `${median(pageBusy).toFixed(2)} s`, 'info'],
      ['  Chromium CPU for it (all its processes)', '-', `${median(browserCpu).toFixed(2)} s`, 'info'],
      ['  the same file: golong-reward score --workers 2', '-', ms(cliMs), 'info'],
    ];
    const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length), ['budget', 'limit', 'measured', 'verdict'][c]!.length));
    const line = (cells: string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
    process.stdout.write(
      [
        line(['budget', 'limit', 'measured', 'verdict']),
        widths.map((w) => '-'.repeat(w)).join('  '),
        ...rows.map(line),
        '',
        `files: ${sizes.map((s) => `${s.file} ${kb(s.gzip)}`).join(', ')}`,
        `first paints: ${paints.map(ms).join(', ')}; first results: ${firstResults.map(ms).join(', ')}; file runs: ${fileTimes.map(ms).join(', ')}`,
        `load average (1 min) at each file run: ${loads.map((l) => l.toFixed(1)).join(', ')} on ${availableParallelism()} cores`,
        '',
      ].join('\n'),
    );
  } finally {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
