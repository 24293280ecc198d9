// Scoring a batch in this process, on one thread: the reference results the service's must equal,
// and the CPU time of each reward type (what dominates a batch).
import { scoreItem, type ItemResult } from '../rewards/index.js';

const score = (item: unknown): ItemResult => scoreItem(item, { timeoutMs: 10_000 });

export interface InProcess {
  /** One thread, warm: total scoring time of the whole batch (ms). */
  totalMs: number;
  byRewardType: Record<string, { n: number; totalMs: number; meanUs: number }>;
}

export function scoreInProcess(rows: readonly unknown[]): { timing: InProcess; results: ItemResult[] } {
  for (let i = 0; i < rows.length; i += 4) score(rows[i]); // warm the JIT on a quarter of the batch
  const byType: InProcess['byRewardType'] = {};
  const results: ItemResult[] = [];
  const t0 = performance.now();
  for (const row of rows) {
    const s = performance.now();
    const r = score(row);
    const dt = performance.now() - s;
    results.push(r);
    const key = r.reward_type ?? `error:${r.error?.code}`;
    const g = (byType[key] ??= { n: 0, totalMs: 0, meanUs: 0 });
    g.n++;
    g.totalMs += dt;
  }
  const totalMs = performance.now() - t0;
  for (const g of Object.values(byType)) g.meanUs = (g.totalMs * 1000) / g.n;
  return { timing: { totalMs, byRewardType: byType }, results };
}

export function errorCounts(results: readonly ItemResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) if (r.score === null) out[r.error?.code ?? 'unknown'] = (out[r.error?.code ?? 'unknown'] ?? 0) + 1;
  return out;
}

