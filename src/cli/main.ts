#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { EXIT_ERROR, errorLine, version } from './output.js';

async function main(argv: string[]): Promise<number> {
  const program = new Command();
  let code = 0;
  program
    .name('linkplan')
    .description('Prove from the bytes how binaries were linked, and check them against a linkage plan.')
    .version(version())
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError(false);

  program
    .command('inspect')
    .description('report linkage facts of ELF, PE and Mach-O files (directories are searched recursively)')
    .argument('<paths...>', 'files or directories')
    .option('--json', 'JSON output (same as --format json)')
    .option('-f, --format <format>', 'table | json', 'table')
    .option('-l, --long', 'every fact and its evidence, one block per binary')
    .option('--no-color', 'no colours in tables')
    .action(async (paths: string[], opts) => {
      const { runInspect } = await import('./inspect-command.js');
      code = await runInspect(paths, opts);
    });

  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit 0; every usage error exits 2 (DEVELOPERS.md: 2 = bad usage).
      return e.exitCode === 0 ? 0 : EXIT_ERROR;
    }
    throw e;
  }
  return code;
}

main(process.argv).then(
  (code) => { process.exitCode = code; },
  (e) => {
    errorLine(`internal error: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = EXIT_ERROR;
  },
);
