/**
 * The `n1kit` command: thin over the library. Parses arguments, reads JSON or CSV (file or
 * stdin), calls the library, prints a readable table or JSON (`--json`), writes files
 * atomically. Errors go to stderr with their code and field, never a stack trace unless
 * `--debug` (or N1KIT_DEBUG=1).
 *
 * Exit codes (stable): 0 success; 1 internal error; 2 usage error; 3 invalid input
 * (E_INVALID_ARGUMENT); 4 no convergence (E_CONVERGENCE); 5 prior provider failed (E_PROVIDER);
 * 6 file could not be read or written; 7 an optional peer dependency is missing (E_DEPENDENCY:
 * `vega` and `vega-lite`, needed to render charts).
 */
import { Command, CommanderError, Option } from 'commander';
import { isN1kitError } from '../errors.js';
import { CliIoError } from './io.js';
import { registerCommands } from './commands.js';

export const EXIT = { ok: 0, internal: 1, usage: 2, invalid: 3, convergence: 4, provider: 5, io: 6, dependency: 7 } as const;

const CODE_TO_EXIT: Record<string, number> = {
  E_INVALID_ARGUMENT: EXIT.invalid,
  E_CONVERGENCE: EXIT.convergence,
  E_PROVIDER: EXIT.provider,
  E_DEPENDENCY: EXIT.dependency,
};

/** Runs the command line `argv` (without node and script); resolves to the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  const program = new Command('n1kit')
    .description('N-of-1 trials with population priors from foundation models: design, analyse, report.')
    .version('0.1.0')
    .addOption(new Option('--debug', 'print stack traces of errors').env('N1KIT_DEBUG'))
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerCommands(program);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    const debug = program.opts().debug === true || process.env.N1KIT_DEBUG === '1';
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (isN1kitError(e)) {
      const field = e.field !== undefined ? ` (field: ${e.field})` : '';
      process.stderr.write(`n1kit: error ${e.code}${field}: ${e.message}\n`);
      if (debug && e.stack) process.stderr.write(`${e.stack}\n`);
      return CODE_TO_EXIT[e.code] ?? EXIT.internal;
    }
    if (e instanceof CliIoError) {
      process.stderr.write(`n1kit: error E_IO: ${e.message}\n`);
      return EXIT.io;
    }
    process.stderr.write(`n1kit: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    if (debug && (e as Error)?.stack) process.stderr.write(`${(e as Error).stack}\n`);
    return EXIT.internal;
  }
}

const isMain = (() => {
  const entry = process.argv[1] ?? '';
  return /(?:^|[\\/])(cli\.(?:c?js|mjs)|main\.ts|n1kit)$/.test(entry);
})();
if (isMain) {
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`n1kit: internal error: ${String(e)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
