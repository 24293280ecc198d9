#!/usr/bin/env -S node --single-threaded-gc
// The golong-reward command line: run the service, list tasks, score a file offline, check a
// dataset before training, profile scored rollouts per prompt.
// One file per command in this folder, each exporting a Command (common.ts); this one dispatches,
// answers --help and --version, and turns errors into sentences and exit codes.
import { readFileSync } from 'node:fs';
import { checkCommand } from './check.js';
import { EXIT, InputError, UsageError, wantsHelp, type Command } from './common.js';
import { profileCommand } from './profile.js';
import { scoreCommand } from './score.js';
import { serveCommand } from './serve.js';
import { tasksCommand } from './tasks.js';

const COMMANDS: readonly Command[] = [serveCommand, scoreCommand, checkCommand, profileCommand, tasksCommand];

function programUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: golong-reward COMMAND [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'golong-reward COMMAND --help   the options of a command',
    'golong-reward --version        the version',
    '',
  ].join('\n');
}

function version(): string {
  // dist/src/cli/main.js → the package root, in the clone and in an installed package alike.
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (command === undefined) {
      switch (name) {
        case undefined:
        case '--help':
        case '-h':
        case 'help':
          if (name === 'help' && rest[0] !== undefined) return await main([rest[0], '--help']);
          process.stdout.write(programUsage());
          return EXIT.ok;
        case '--version':
        case '-v':
        case 'version':
          process.stdout.write(`golong-reward ${version()}\n`);
          return EXIT.ok;
        default:
          throw new UsageError(`unknown command ${JSON.stringify(name)}`);
      }
    }
    if (wantsHelp(rest)) {
      process.stdout.write(await command.usage());
      return EXIT.ok;
    }
    return await command.run(rest);
  } catch (err) {
    // parseArgs reports unknown flags and missing values with errors whose code starts with ERR_PARSE_ARGS.
    const code = (err as { code?: string }).code ?? '';
    if (err instanceof UsageError || code.startsWith('ERR_PARSE_ARGS')) {
      const help = command ? `golong-reward ${command.name} --help` : 'golong-reward --help';
      process.stderr.write(`golong-reward: ${(err as Error).message}\n(${help} lists the options)\n`);
      return EXIT.usage;
    }
    // A file-system error the command did not foresee (say, a full disk) is still a sentence, not a stack.
    if (err instanceof InputError || (code.startsWith('E') && (err as { syscall?: string }).syscall !== undefined)) {
      process.stderr.write(`golong-reward: ${(err as Error).message}\n`);
      return EXIT.inputError;
    }
    throw err;
  }
}

// `golong-reward score FILE | head`: the reader went away; stop quietly instead of dumping a stack.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(EXIT.ok);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`golong-reward: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
