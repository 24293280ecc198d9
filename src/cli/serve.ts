// `golong-reward serve`: the HTTP service, configured by flags over environment over defaults.
import { InputError, UsageError, type Command } from './common.js';

/** The flags come from the configuration table, so this text lists every one with its variable. */
async function serveUsage(): Promise<string> {
  const { SETTINGS } = await import('../config.js');
  const rows = SETTINGS.filter((s) => s.flag).map((s) => `  --${s.flag!.padEnd(24)} ${s.env ? `(${s.env}) ` : ''}${s.doc}`);
  return (
    'usage: golong-reward serve [flags]\n\n' +
    'Runs the HTTP scoring service until SIGTERM/SIGINT (which drain in-flight batches).\n' +
    'Flags override environment variables, which override the embedded defaults.\n\n' +
    `flags:\n${rows.join('\n')}\n  -h, --help                 this text\n`
  );
}

async function runServe(args: string[]): Promise<number> {
  const { loadConfig, ConfigError } = await import('../config.js');
  let config;
  try {
    config = loadConfig({ env: process.env, argv: args });
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const { startServer } = await import('../main.js');
  try {
    await startServer(config); // keeps running; SIGTERM/SIGINT drain and exit
  } catch (err) {
    const code = (err as { code?: string }).code;
    const where = `port ${config.port} on ${config.host}`;
    if (code === 'EADDRINUSE') throw new InputError(`${where} is already in use: stop what holds it, or choose another port with --port N (or PORT)`);
    if (code === 'EACCES') throw new InputError(`${where} needs privileges this user does not have: choose a port above 1023 with --port N (or PORT)`);
    if (code === 'EADDRNOTAVAIL') throw new InputError(`${config.host} is not an address of this machine: choose another with --host (or HOST)`);
    throw err;
  }
  return 0;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the HTTP scoring service (flags, or environment variables, configure it)',
  usage: serveUsage,
  run: runServe,
};
