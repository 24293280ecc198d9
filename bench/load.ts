// Bounded load test (`npm run test:load`, not part of `npm test`): the real service on loopback,
// many concurrent clients posting mixed batches (GoLongRL task mix plus a few bad items) for a
// fixed time, then a report: requests, errors other than 503, 503s, latency percentiles, and the
// server's RSS in the first and last 10 s. Exits 1 when a pass criterion fails:
// no errors beyond the 503s of load shedding, RSS growth between first and last 10 s < 15 %.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Client } from 'undici';
import { procMemory, startService } from './e2e.js';
import { goLongRlBatch } from './generate.js';
import { Rng } from './prng.js';

const DURATION_S = Number(process.env.LOAD_DURATION_S ?? 30);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 16);
const WORKERS = Number(process.env.LOAD_WORKERS ?? 2);
const WINDOW_S = 10;
/** Load before the measured run: heaps and worker caches grow to their working size first. */
const WARMUP_S = Number(process.env.LOAD_WARMUP_S ?? 10);
const MAX_RSS_GROWTH = 0.15;
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Pre-encoded bodies of 8–512 rows, so the clients spend no CPU building them. */
function bodies(count: number): Buffer[] {
  const rows = goLongRlBatch(7, 128, 16);
  const r = new Rng(11);
  const bad = [
    { task: 'no_such_task', response: 'x', reference: 'y' },
    { data_source: 'EM', solution_str: '</think>x', ground_truth: ['not', 'a', 'dict'] },
    { task: 'math_verify', response: '\\boxed{' + '{'.repeat(5000), reference: '1' },
    null,
  ];
  return Array.from({ length: count }, () => {
    const size = [8, 32, 128, 512][r.int(0, 3)]!;
    const start = r.int(0, rows.length - size);
    const items: unknown[] = rows.slice(start, start + size);
    if (r.chance(0.5)) items.splice(r.int(0, items.length), 0, r.pick(bad));
    return Buffer.from(JSON.stringify({ items, ...(r.chance(0.2) && { details: true }) }));
  });
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  const payloads = bodies(64);
  const service = await startService({ repoRoot, workers: WORKERS });
  const warmupEnds = performance.now() + WARMUP_S * 1000;
  const started = warmupEnds;
  const until = started + DURATION_S * 1000;
  const rss: { t: number; kib: number }[] = [];
  const sampler = setInterval(() => {
    const mem = procMemory(service.pid);
    if (mem && performance.now() >= started) rss.push({ t: (performance.now() - started) / 1000, kib: mem.rssKiB });
  }, 250);

  const latencies: number[] = [];
  const statuses = new Map<string, number>();
  const errors: string[] = [];
  let items = 0;
  const clients = Array.from({ length: CLIENTS }, async (_, c) => {
    const client = new Client(service.origin, { headersTimeout: 60_000, bodyTimeout: 60_000 });
    let k = c;
    try {
      while (performance.now() < until) {
        const body = payloads[k++ % payloads.length]!;
        const t0 = performance.now();
        const measured = t0 >= started;
        try {
          const res = await client.request({ path: '/score', method: 'POST', headers: { 'content-type': 'application/json' }, body });
          const text = await res.body.text();
          const ms = performance.now() - t0;
          if (measured) statuses.set(String(res.statusCode), (statuses.get(String(res.statusCode)) ?? 0) + 1);
          if (res.statusCode === 200) {
            if (!measured) continue;
            latencies.push(ms);
            items += (JSON.parse(text) as { results: unknown[] }).results.length;
          } else if (res.statusCode === 503) {
            const wait = Number(res.headers['retry-after'] ?? 1);
            await new Promise((r) => setTimeout(r, Math.min(wait * 1000, 250)));
          } else {
            errors.push(`${res.statusCode}: ${text.slice(0, 200)}`);
          }
        } catch (err) {
          statuses.set('network', (statuses.get('network') ?? 0) + 1);
          errors.push(`network: ${(err as Error).message}`);
        }
      }
    } finally {
      await client.close();
    }
  });
  await Promise.all(clients);
  const elapsedS = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const exitCode = await service.stop();

  latencies.sort((a, b) => a - b);
  const first = rss.filter((s) => s.t < WINDOW_S).map((s) => s.kib);
  const last = rss.filter((s) => s.t >= elapsedS - WINDOW_S).map((s) => s.kib);
  const rssFirstMiB = mean(first) / 1024;
  const rssLastMiB = mean(last) / 1024;
  const growth = rssLastMiB / rssFirstMiB - 1;
  const requests = [...statuses.values()].reduce((a, b) => a + b, 0);
  const report = {
    warmupS: WARMUP_S,
    durationS: Math.round(elapsedS * 10) / 10,
    clients: CLIENTS,
    workers: WORKERS,
    requests,
    ok: statuses.get('200') ?? 0,
    shed503: statuses.get('503') ?? 0,
    otherErrors: errors.length,
    itemsScored: items,
    itemsPerS: Math.round(items / elapsedS),
    latencyMs: { p50: Math.round(percentile(latencies, 50)), p90: Math.round(percentile(latencies, 90)), p99: Math.round(percentile(latencies, 99)), max: Math.round(latencies.at(-1) ?? NaN) },
    /** Mean RSS per 5 s window (MiB): tells a leak (steady climb) from warm-up (a plateau). */
    rssTimelineMiB: Array.from({ length: Math.ceil(elapsedS / 5) }, (_, w) => rss.filter((s) => s.t >= w * 5 && s.t < (w + 1) * 5).map((s) => s.kib))
      .filter((xs) => xs.length > 0)
      .map((xs) => Math.round(mean(xs) / 1024)),
    rssMiB: { first10sMean: Math.round(rssFirstMiB), last10sMean: Math.round(rssLastMiB), peak: Math.round(Math.max(...rss.map((s) => s.kib)) / 1024), growth: Math.round(growth * 1000) / 1000 },
    serverExitCode: exitCode,
  };
  const failures: string[] = [];
  if (errors.length > 0) failures.push(`${errors.length} errors other than 503, e.g. ${errors.slice(0, 3).join(' | ')}`);
  if (!(growth < MAX_RSS_GROWTH)) failures.push(`RSS grew ${(growth * 100).toFixed(1)} % between the first and last ${WINDOW_S} s (limit ${MAX_RSS_GROWTH * 100} %)`);
  if (report.ok === 0) failures.push('no request succeeded');
  if (exitCode !== 0) failures.push(`the server exited with ${exitCode} on SIGTERM`);

  console.log(JSON.stringify(report, null, 2));
  writeFileSync(new URL('../../bench/load-results.json', import.meta.url), JSON.stringify({ ...report, failures }, null, 2) + '\n');
  if (failures.length > 0) {
    console.error(`load test FAILED:\n- ${failures.join('\n- ')}`);
    process.exit(1);
  }
  console.log('load test passed: no errors beyond 503s, RSS flat');
}

await main();
