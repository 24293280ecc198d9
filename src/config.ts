// Service configuration: embedded defaults, overridden by environment variables, overridden by
// command-line flags; validated with zod so a bad value stops the start with a sentence naming it.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { didYouMean } from '../rewards/suggest.js';
import { defaultWorkerCount } from './cpuLimit.js';

const MiB = 1024 * 1024;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** auto: auth when a token is set; required: no start without a token; none: explicitly open. */
export const AUTH_MODES = ['auto', 'required', 'none'] as const;

const enumOf = (values: readonly string[]) => (issue: { input?: unknown }) => `must be one of ${values.join(', ')}${didYouMean(issue.input, values)}`;

const int = (min: number) => z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(min, { error: `must be at least ${min}` });

export const configSchema = z.strictObject({
  port: int(0).max(65535, { error: 'must be at most 65535' }),
  host: z.string().min(1, { error: 'must not be empty' }),
  token: z.string().min(1, { error: 'must not be empty when set' }).optional(),
  auth: z.enum(AUTH_MODES, { error: enumOf(AUTH_MODES) }),
  protectDocs: z.boolean({ error: 'must be true or false (1/0, yes/no, on/off)' }),
  metricsPort: int(0).max(65535, { error: 'must be at most 65535' }).optional(),
  workers: int(1).max(256, { error: 'must be at most 256' }),
  bodyLimitBytes: int(1024),
  maxItems: int(1),
  maxResponseChars: int(1),
  itemTimeoutMs: int(1),
  maxItemTimeoutMs: int(1),
  timeoutGraceMs: int(0),
  maxConcurrentBatches: int(1),
  maxQueuedBatches: int(0),
  retryAfterSeconds: int(1),
  chunkItems: int(1),
  chunkBytes: int(1),
  drainTimeoutMs: int(0),
  recentBatches: int(0).max(100_000, { error: 'must be at most 100000' }),
  logLevel: z.enum(LOG_LEVELS, { error: enumOf(LOG_LEVELS) }),
  testHooks: z.boolean({ error: 'must be true or false (1/0, yes/no, on/off)' }),
});

export type Config = z.infer<typeof configSchema>;
type Key = keyof Config;

interface Setting {
  key: Key;
  env?: string;
  flag?: string;
  kind: 'int' | 'bytes' | 'string' | 'bool';
  doc: string;
}

/** Every setting, with where it can be set; the README's configuration table is this list. */
export const SETTINGS: readonly Setting[] = [
  { key: 'port', env: 'PORT', flag: 'port', kind: 'int', doc: 'TCP port (0 picks a free one).' },
  { key: 'host', env: 'HOST', flag: 'host', kind: 'string', doc: 'Interface to listen on.' },
  {
    key: 'token',
    env: 'GOLONG_REWARD_TOKEN',
    flag: 'token',
    kind: 'string',
    doc: 'Bearer token; when set, every data route (all but /healthz, /readyz and, unless GOLONG_REWARD_PROTECT_DOCS is set, /docs and /openapi.json) requires `Authorization: Bearer <token>`.',
  },
  {
    key: 'auth',
    env: 'GOLONG_REWARD_AUTH',
    flag: 'auth',
    kind: 'string',
    doc: '`auto`: bearer auth when a token is set. `required`: refuse to start without a token (the Kubernetes manifests set it). `none`: serve without auth on purpose (a token set as well is an error). Without a token on a non-loopback address the start log warns in every mode.',
  },
  { key: 'protectDocs', env: 'GOLONG_REWARD_PROTECT_DOCS', flag: 'protect-docs', kind: 'bool', doc: 'Require the token for /docs and /openapi.json too (they hold no data and are open by default).' },
  {
    key: 'metricsPort',
    env: 'GOLONG_REWARD_METRICS_PORT',
    flag: 'metrics-port',
    kind: 'int',
    doc: 'Also serve GET /metrics, without the token, on this port (for Prometheus; nothing else is served there). Unset: /metrics only on the main port, behind the token.',
  },
  { key: 'workers', env: 'GOLONG_REWARD_WORKERS', flag: 'workers', kind: 'int', doc: 'Scoring worker threads. Default: the container\'s CPU limit (cgroup v2 cpu.max or v1 cfs quota, rounded down, at least 1) when there is one, else the CPUs available.' },
  { key: 'bodyLimitBytes', env: 'GOLONG_REWARD_BODY_LIMIT', flag: 'body-limit', kind: 'bytes', doc: 'Largest request body, after gzip decompression (bytes, or with KiB/MiB/GiB).' },
  { key: 'maxItems', env: 'GOLONG_REWARD_MAX_ITEMS', flag: 'max-items', kind: 'int', doc: 'Most items in one /score request.' },
  { key: 'maxResponseChars', env: 'GOLONG_REWARD_MAX_RESPONSE_CHARS', flag: 'max-response-chars', kind: 'int', doc: 'Longest `solution_str` / `response` (UTF-16 units); longer items get the item error `input_too_large`.' },
  { key: 'itemTimeoutMs', env: 'GOLONG_REWARD_ITEM_TIMEOUT_MS', flag: 'item-timeout-ms', kind: 'int', doc: 'Per-item time budget when a request gives no `timeout_ms`.' },
  { key: 'maxItemTimeoutMs', env: 'GOLONG_REWARD_MAX_ITEM_TIMEOUT_MS', flag: 'max-item-timeout-ms', kind: 'int', doc: 'Largest `timeout_ms` a request may ask for.' },
  { key: 'timeoutGraceMs', env: 'GOLONG_REWARD_TIMEOUT_GRACE_MS', flag: 'timeout-grace-ms', kind: 'int', doc: 'How long past its budget an item may run before its worker thread is terminated and replaced.' },
  { key: 'maxConcurrentBatches', env: 'GOLONG_REWARD_MAX_CONCURRENT_BATCHES', flag: 'max-concurrent-batches', kind: 'int', doc: '/score requests scored at the same time (they share the worker pool).' },
  { key: 'maxQueuedBatches', env: 'GOLONG_REWARD_MAX_QUEUED_BATCHES', flag: 'max-queued-batches', kind: 'int', doc: '/score requests waiting for a turn; beyond this the service answers 503 with Retry-After.' },
  { key: 'retryAfterSeconds', env: 'GOLONG_REWARD_RETRY_AFTER_S', flag: 'retry-after-s', kind: 'int', doc: 'Retry-After value of a 503.' },
  { key: 'chunkItems', env: 'GOLONG_REWARD_CHUNK_ITEMS', flag: 'chunk-items', kind: 'int', doc: 'Most items sent to a worker in one task.' },
  { key: 'chunkBytes', env: 'GOLONG_REWARD_CHUNK_BYTES', flag: 'chunk-bytes', kind: 'bytes', doc: 'Most item JSON bytes sent to a worker in one task.' },
  { key: 'drainTimeoutMs', env: 'GOLONG_REWARD_DRAIN_TIMEOUT_MS', flag: 'drain-timeout-ms', kind: 'int', doc: 'On SIGTERM/SIGINT, how long in-flight batches may take to finish before the process exits anyway (code 1).' },
  { key: 'recentBatches', env: 'GOLONG_REWARD_RECENT_BATCHES', flag: 'recent-batches', kind: 'int', doc: 'Batch summaries kept in memory for GET /batches/recent (the reward debugger\'s live view); 0 keeps none.' },
  { key: 'logLevel', env: 'LOG_LEVEL', flag: 'log-level', kind: 'string', doc: `pino level: ${LOG_LEVELS.join(', ')}. Rollout text can appear only at debug/trace.` },
  { key: 'testHooks', env: 'GOLONG_REWARD_TEST_HOOKS', kind: 'bool', doc: 'Tests only: `1` enables the `__test_crash__` and `__test_hang__` native tasks.' },
];

/** The embedded defaults (also what the committed OpenAPI document is generated from). */
export function defaultConfig(): Config {
  return {
    port: 8000,
    host: '0.0.0.0',
    token: undefined,
    auth: 'auto',
    protectDocs: false,
    metricsPort: undefined,
    workers: defaultWorkerCount().workers,
    bodyLimitBytes: 256 * MiB,
    maxItems: 100_000,
    maxResponseChars: 2 * MiB,
    itemTimeoutMs: 2000,
    maxItemTimeoutMs: 60_000,
    timeoutGraceMs: 1000,
    maxConcurrentBatches: 4,
    maxQueuedBatches: 32,
    retryAfterSeconds: 2,
    chunkItems: 128,
    chunkBytes: 4 * MiB,
    drainTimeoutMs: 30_000,
    recentBatches: 500,
    logLevel: 'info',
    testHooks: false,
  };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: MiB, mb: MiB, mib: MiB, g: 1024 * MiB, gb: 1024 * MiB, gib: 1024 * MiB };

/** A raw env/flag string as the setting's type; NaN/undefined is left for zod to reject by name. */
function convert(kind: Setting['kind'], raw: string): unknown {
  const text = raw.trim();
  switch (kind) {
    case 'string':
      return text;
    case 'bool': {
      // Anything else is left for zod to reject: a typo must not silently read as false.
      const word = text.toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(word)) return true;
      if (['0', 'false', 'no', 'off'].includes(word)) return false;
      return raw;
    }
    case 'int':
      return /^-?\d+$/.test(text) ? Number(text) : raw;
    case 'bytes': {
      const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text);
      const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
      return m && unit !== undefined ? Math.floor(Number(m[1]) * unit) : raw;
    }
  }
}

function where(s: Setting): string {
  return [s.flag && `--${s.flag}`, s.env].filter(Boolean).join(' / ');
}

export interface ConfigSources {
  env?: NodeJS.ProcessEnv;
  argv?: readonly string[];
}

/** Defaults, then env, then flags (`--port 9000` or `--port=9000`). Throws ConfigError. */
export function loadConfig({ env = process.env, argv = [] }: ConfigSources = {}): Config {
  const raw: Record<string, unknown> = { ...defaultConfig() };
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const s of SETTINGS) if (s.flag) options[s.flag] = { type: s.kind === 'bool' ? 'boolean' : 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }) as { values: Record<string, string | boolean | undefined> });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}; flags: ${SETTINGS.filter((s) => s.flag).map((s) => `--${s.flag}`).join(', ')}`);
  }
  for (const s of SETTINGS) {
    const fromEnv = s.env ? env[s.env] : undefined;
    if (fromEnv !== undefined && fromEnv !== '') raw[s.key] = convert(s.kind, fromEnv);
    const fromFlag = s.flag ? values[s.flag] : undefined;
    if (fromFlag !== undefined) raw[s.key] = typeof fromFlag === 'boolean' ? fromFlag : convert(s.kind, fromFlag);
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const setting = SETTINGS.find((s) => s.key === issue.path[0]);
      const value = raw[String(issue.path[0])];
      return `${setting ? where(setting) : String(issue.path[0])} ${issue.message} (got ${JSON.stringify(value)})`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  if (config.auth === 'required' && config.token === undefined) {
    throw new ConfigError(
      'invalid configuration: GOLONG_REWARD_AUTH=required but no token is set; set GOLONG_REWARD_TOKEN (in Kubernetes: kubectl create secret generic golong-reward --from-literal=token=...), or set GOLONG_REWARD_AUTH=none to serve without auth',
    );
  }
  if (config.auth === 'none' && config.token !== undefined) {
    throw new ConfigError('invalid configuration: GOLONG_REWARD_AUTH=none but a token is set (GOLONG_REWARD_TOKEN / --token); remove one of them');
  }
  if (config.metricsPort !== undefined && config.metricsPort !== 0 && config.metricsPort === config.port) {
    throw new ConfigError(`invalid configuration: the metrics port (${config.metricsPort}) is the service port; choose another one or leave GOLONG_REWARD_METRICS_PORT unset`);
  }
  if (config.itemTimeoutMs > config.maxItemTimeoutMs) {
    throw new ConfigError(`invalid configuration: the item timeout (${config.itemTimeoutMs} ms) exceeds the largest allowed timeout_ms (${config.maxItemTimeoutMs} ms)`);
  }
  return config;
}

/** `268435456` → `256 MiB`, for messages that state a limit. */
export function formatBytes(n: number): string {
  for (const [unit, size] of [['GiB', 1024 * MiB], ['MiB', MiB], ['KiB', 1024]] as const) {
    if (n >= size && n % (size / 1024) === 0) return `${+(n / size).toFixed(3)} ${unit}`;
  }
  return `${n} bytes`;
}
