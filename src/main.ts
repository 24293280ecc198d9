// Starts the service: listen, then on SIGTERM/SIGINT stop accepting, let in-flight batches
// finish (bounded by the drain timeout), close the worker pool and exit 0.
import { realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig, type Config } from './config.js';
import { defaultWorkerCount } from './cpuLimit.js';
import { buildServer } from './server.js';

export interface RunningServer {
  app: FastifyInstance;
  /** A URL that reaches the server from this machine, e.g. http://127.0.0.1:8000 (loopback for a wildcard bind). */
  address: string;
  /** Drains and closes; resolves when done. */
  stop(): Promise<void>;
}

/** Listens and installs the signal handlers. The CLI's `serve` command calls this. */
export async function startServer(config: Config): Promise<RunningServer> {
  const app = buildServer(config);
  // fastify logs one line per reachable URL; ours below says what was bound.
  await app.listen({ port: config.port, host: config.host, listenTextResolver: (url) => `reachable at ${url}` });
  const sockets = app.addresses().filter((a): a is AddressInfo => typeof a !== 'string');
  const bound = sockets.map(socketName);
  const urls = sockets.flatMap(reachableUrls);
  const address = urls[0]!;
  const metricsServer = config.metricsPort === undefined ? undefined : await startMetricsServer(app, config);
  // One line a supervisor or test can parse: the sockets bound (0.0.0.0 means every IPv4 interface),
  // how to reach them, and `address`, a URL that works from this machine (PORT=0 picks a free port).
  app.log.info(
    { bound, urls, address, ...(metricsServer && { metrics: metricsServer.url }), workers: config.workers, auth: config.token !== undefined },
    'golong-reward listening',
  );
  // `cpus`: what the default worker count is based on (the cgroup quota in a container).
  app.log.info({ config: effectiveConfig(config), cpus: defaultWorkerCount().source }, 'effective configuration');
  if (config.token === undefined && !bound.every(isLoopbackSocket)) {
    app.log.warn(
      { bound, auth: config.auth },
      `serving without a token on ${bound.join(', ')}: anyone who can reach this address can use every route; ` +
        (config.auth === 'none'
          ? 'GOLONG_REWARD_AUTH=none says this is intended'
          : 'set GOLONG_REWARD_TOKEN, bind to 127.0.0.1 (HOST), or set GOLONG_REWARD_AUTH=none to say it is intended'),
    );
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      app.service.state.draining = true;
      metricsServer?.server.close();
      await app.close(); // stops accepting, waits for in-flight requests, then closes the pool
    })();
    return stopping;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    app.log.info({ signal, drainTimeoutMs: config.drainTimeoutMs }, 'shutting down: draining in-flight batches');
    const deadline = setTimeout(() => {
      app.log.error({ drainTimeoutMs: config.drainTimeoutMs }, 'drain timeout: exiting with batches still in flight');
      process.exit(1);
    }, config.drainTimeoutMs);
    deadline.unref();
    stop().then(
      () => {
        app.log.info('drained; bye');
        process.exit(0);
      },
      (err: unknown) => {
        app.log.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  return { app, address, stop };
}

/** The configuration as it is in force, for the start log: never the token itself. */
export function effectiveConfig(config: Config): Record<string, unknown> {
  const { token, ...rest } = config;
  return { ...rest, token: token === undefined ? 'unset' : 'set' };
}

const socketName = (a: AddressInfo): string => (a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`);

/** URLs that reach a bound socket: one per interface address of its family when it is a wildcard. */
function reachableUrls(a: AddressInfo): string[] {
  const wildcard = a.address === '0.0.0.0' || a.address === '::';
  if (!wildcard) return [`http://${socketName(a)}`];
  const family = a.address === '::' ? null : 'IPv4'; // '::' also takes IPv4 on a dual-stack host
  const ifaces = Object.values(networkInterfaces())
    .flat()
    .filter((i): i is NetworkInterfaceInfo => i !== undefined && (family === null || i.family === family))
    .sort((x, y) => Number(y.internal) - Number(x.internal)); // loopback first: the URL that works here
  return ifaces.map((i) => `http://${socketName({ address: i.address, family: i.family, port: a.port })}`);
}

function isLoopbackSocket(socket: string): boolean {
  const host = socket.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === '::1' || host.startsWith('127.') || host.startsWith('::ffff:127.');
}

/**
 * GET /metrics without the token on its own port (GOLONG_REWARD_METRICS_PORT), for Prometheus:
 * scrape configs by annotation cannot send a bearer token. Nothing else is served there; the
 * metrics carry no rollout text.
 */
async function startMetricsServer(app: FastifyInstance, config: Config): Promise<{ server: Server; url: string }> {
  const registry = app.service.metrics.registry;
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?', 1)[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'this port serves GET /metrics only' }));
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: unknown) => {
        app.log.error({ err }, 'metrics scrape failed');
        response.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.metricsPort, config.host, () => resolve());
  });
  server.unref(); // the main server decides when the process ends
  return { server, url: `http://${socketName(server.address() as AddressInfo)}/metrics` };
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  let config: Config;
  try {
    config = loadConfig({ env: process.env, argv: process.argv.slice(2) });
  } catch (err) {
    process.stderr.write(`golong-reward: ${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(2);
  }
  startServer(config).catch((err: unknown) => {
    process.stderr.write(`golong-reward: could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
