// `golong-reward serve`: the HTTP service, configured by flags over environment over defaults.
import { UsageError } from './common.js';

export const SERVE_USAGE = `  golong-reward serve [--port N] [--host H] [--workers N] [--token T] [more flags: golong-reward serve --help]
`;

export async function serveCommand(args: string[]): Promise<number> {
  const { loadConfig, ConfigError, SETTINGS } = await import('../config.js');
  if (args.includes('--help') || args.includes('-h')) {
    const rows = SETTINGS.filter((s) => s.flag).map((s) => `  --${s.flag!.padEnd(24)} ${s.env ? `(${s.env}) ` : ''}${s.doc}`);
    process.stdout.write(`usage: golong-reward serve [flags]\nFlags override environment variables, which override defaults.\n${rows.join('\n')}\n`);
    return 0;
  }
  let config;
  try {
    config = loadConfig({ env: process.env, argv: args });
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
  const { startServer } = await import('../main.js');
  await startServer(config); // keeps running; SIGTERM/SIGINT drain and exit
  return 0;
}
