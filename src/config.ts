// Service configuration: embedded defaults, overridden by environment variables, overridden by
// command-line flags; validated with zod so a bad value stops the start with a sentence naming it.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const MiB = 1024 * 1024;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const int = (min: number) => z.number({ error: 'must be an integer' }).int({ error: 'must be an integer' }).min(min, { error: `must be at least ${min}` });

export const configSchema = z.strictObject({
  port: int(0).max(65535, { error: 'must be at most 65535' }),
  host: z.string().min(1, { error: 'must not be empty' }),
  token: z.string().min(1, { error: 'must not be empty when set' }).optional(),
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
  logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
  testHooks: z.boolean(),
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
  { key: 'token', env: 'GOLONG_REWARD_TOKEN', flag: 'token', kind: 'string', doc: 'Bearer token; when set, every route but /healthz and /readyz requires `Authorization: Bearer <token>`.' },
  { key: 'workers', env: 'GOLONG_REWARD_WORKERS', flag: 'workers', kind: 'int', doc: 'Scoring worker threads.' },
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
  { key: 'logLevel', env: 'LOG_LEVEL', flag: 'log-level', kind: 'string', doc: `pino level: ${LOG_LEVELS.join(', ')}. Rollout text can appear only at debug/trace.` },
  { key: 'testHooks', env: 'GOLONG_REWARD_TEST_HOOKS', kind: 'bool', doc: 'Tests only: `1` enables the `__test_crash__` and `__test_hang__` native tasks.' },
];

/** The embedded defaults (also what the committed OpenAPI document is generated from). */
export function defaultConfig(): Config {
  return {
    port: 8000,
    host: '0.0.0.0',
    token: undefined,
    workers: availableParallelism(),
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
    case 'bool':
      return ['1', 'true', 'yes', 'on'].includes(text.toLowerCase());
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
  const options: Record<string, { type: 'string' }> = {};
  for (const s of SETTINGS) if (s.flag) options[s.flag] = { type: 'string' };
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }) as { values: Record<string, string | undefined> });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}; flags: ${SETTINGS.filter((s) => s.flag).map((s) => `--${s.flag}`).join(', ')}`);
  }
  for (const s of SETTINGS) {
    const fromEnv = s.env ? env[s.env] : undefined;
    if (fromEnv !== undefined && fromEnv !== '') raw[s.key] = convert(s.kind, fromEnv);
    const fromFlag = s.flag ? values[s.flag] : undefined;
    if (fromFlag !== undefined) raw[s.key] = convert(s.kind, fromFlag);
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
