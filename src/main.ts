// Starts the service: listen, then on SIGTERM/SIGINT stop accepting, let in-flight batches
// finish (bounded by the drain timeout), close the worker pool and exit 0.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { ConfigError, loadConfig, type Config } from './config.js';
import { buildServer } from './server.js';

export interface RunningServer {
  app: FastifyInstance;
  /** The bound address, e.g. http://127.0.0.1:8000. */
  address: string;
  /** Drains and closes; resolves when done. */
  stop(): Promise<void>;
}

/** Listens and installs the signal handlers. The CLI's `serve` command calls this. */
export async function startServer(config: Config): Promise<RunningServer> {
  const app = buildServer(config);
  const address = await app.listen({ port: config.port, host: config.host });
  // One line a supervisor or test can parse for the bound address (PORT=0 picks a free port).
  app.log.info({ address, workers: config.workers, auth: config.token !== undefined }, 'golong-reward listening');

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      app.service.state.draining = true;
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
