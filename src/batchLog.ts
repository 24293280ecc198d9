// The last N batch summaries, in memory, for the reward debugger's live view (GET /batches/recent):
// the trainer's reward curves per task as the service sees them. A summary holds counts and means
// only, never rollout text; the ring is bounded, so memory stays constant however long the service runs.

export interface BatchSummary {
  /** Sequence number since the service started (1, 2, …); the live view asks for batches after one it has. */
  seq: number;
  /** When the batch finished scoring (ISO 8601). */
  time: string;
  /** The route that scored it. */
  route: '/score' | '/openrlhf/reward';
  /** 'debugger' for the reward debugger's own requests (it sends `X-Golong-Origin: debugger`), else 'client'. */
  origin: 'client' | 'debugger';
  items: number;
  scored: number;
  errors: number;
  duration_ms: number;
  /** Per reward type: scored items and their mean score. */
  by_reward_type: Record<string, { n: number; mean: number }>;
  /** Item errors by code. */
  error_codes: Record<string, number>;
}

export type NewBatchSummary = Omit<BatchSummary, 'seq' | 'time'>;

export class BatchLog {
  private readonly ring: BatchSummary[] = [];
  private next = 0;
  private seq = 0;

  constructor(readonly capacity: number) {}

  add(summary: NewBatchSummary, now = new Date()): void {
    if (this.capacity === 0) return;
    const entry: BatchSummary = { seq: ++this.seq, time: now.toISOString(), ...summary };
    if (this.ring.length < this.capacity) this.ring.push(entry);
    else this.ring[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first; only those with seq > `after`, at most `limit` (the newest ones). */
  recent(after = 0, limit = this.capacity): BatchSummary[] {
    const ordered = this.ring.length < this.capacity ? this.ring.slice() : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    const newer = ordered.filter((b) => b.seq > after);
    return limit >= newer.length ? newer : newer.slice(newer.length - limit);
  }
}

export interface BatchCounts {
  items: number;
  scored: number;
  errors: number;
  by_reward_type: Record<string, { n: number; mean: number }>;
}

/** Counts and per-reward-type means of a batch, from parallel arrays: scores (NaN = not scored) and reward types ('' = none). */
export function summarizeBatch(scores: ArrayLike<number>, rewardTypes: readonly string[]): BatchCounts {
  const sums: Record<string, { n: number; sum: number }> = {};
  let scored = 0;
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    if (Number.isNaN(score)) continue;
    scored++;
    const type = rewardTypes[i]!;
    if (type === '') continue;
    const t = (sums[type] ??= { n: 0, sum: 0 });
    t.n++;
    t.sum += score;
  }
  const by_reward_type: BatchCounts['by_reward_type'] = {};
  for (const [type, { n, sum }] of Object.entries(sums)) by_reward_type[type] = { n, mean: sum / n };
  return { items: scores.length, scored, errors: scores.length - scored, by_reward_type };
}

/** Item errors by code ('' = no error). */
export function countErrorCodes(errorCodes: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const code of errorCodes) if (code !== '') out[code] = (out[code] ?? 0) + 1;
  return out;
}

/** The reward debugger marks its own requests, so that the live view can tell them from a trainer's. */
export function batchOrigin(headers: Record<string, string | string[] | undefined>): BatchSummary['origin'] {
  return headers['x-golong-origin'] === 'debugger' ? 'debugger' : 'client';
}

/** Counts, means and error codes of a batch of result objects (the OpenRLHF route). */
export function summarizeResults(results: readonly { score: number | null; reward_type?: string; error?: { code: string } }[]): BatchCounts & { error_codes: Record<string, number> } {
  const scores = results.map((r) => r.score ?? Number.NaN);
  return { ...summarizeBatch(scores, results.map((r) => r.reward_type ?? '')), error_codes: countErrorCodes(results.map((r) => r.error?.code ?? '')) };
}
