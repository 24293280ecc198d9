// Worker thread of the end-to-end bench: polls GET /healthz on its own connection and its own
// event loop, so that what the bench's main thread does (sending 20 MB, reading the response)
// cannot delay a probe and be blamed on the server. Also samples the server's VmRSS.
import { parentPort, workerData } from 'node:worker_threads';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'undici';
import { procMemory } from './procMemory.js';

export interface PollerInput {
  origin: string;
  pid: number;
  everyMs: number;
}

export interface PollerOutput {
  latenciesMs: number[];
  sampledRssKiB: number;
}

const { origin, pid, everyMs } = workerData as PollerInput;
const client = new Client(origin);
let running = true;
parentPort!.once('message', () => (running = false));

const latenciesMs: number[] = [];
let sampledRssKiB = 0;
while (running) {
  const t0 = performance.now();
  const res = await client.request({ path: '/healthz', method: 'GET' });
  await res.body.text();
  latenciesMs.push(performance.now() - t0);
  sampledRssKiB = Math.max(sampledRssKiB, procMemory(pid)?.rssKiB ?? 0);
  const wait = everyMs - (performance.now() - t0);
  if (wait > 0) await sleep(wait);
}
await client.close();
parentPort!.postMessage({ latenciesMs, sampledRssKiB } satisfies PollerOutput);
