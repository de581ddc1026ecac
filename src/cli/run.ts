/** The CLI: commander's commands over argv (main.ts runs it unbundled; bundle.ts is what bin.cjs runs of it). */
import { Command, CommanderError } from 'commander';
import { EXIT_ERROR, errorLine, version } from './output.js';

/** A repeatable option's values, in order. */
const repeat = (v: string, prev: string[] = []) => [...prev, v];
const PLAN_HELP = 'the plan: linkplan.toml, linkplan.json or Cargo.toml (default: found in . or a parent); '
  + 'again: a layer over it; $LINKPLAN_PLAN adds layers over all';
const JOBS_HELP = 'threads reading files (default: one per core, started once a run has read for a second)';
const AUDIT_PLAN_HELP = 'also check this plan (default: found in . or a parent, if there is one); again: a layer over it';

/** The options verify and audit share: report format, strictness, the CI matrix and shard selection. */
function checkOptions(c: Command): Command {
  return c
    .option('-f, --format <format>', 'table | json | sarif | junit | github | markdown', 'table')
    .option('--strict', 'treat warnings as errors')
    .option('-a, --all', 'table: list every binary, not only those with findings')
    .option('--no-color', 'no colours in tables')
    .option('--artifact <name>', 'check only this plan artifact (a name or a glob over names; repeatable)', repeat)
    .option('--target <triple>', 'check only the artifacts for this target triple (their `target`, or a path segment)')
    .option('--shard <i/n>', 'check only shard i of n of the binaries (by a stable hash of the path); merge the JSON reports')
    .option('--allow-empty', 'a run that checks no binary passes (by default it fails: nothing-checked)')
    .option('--root <dir|archive>', 'the target system\'s root for resolving dependencies (deps.* rules, unshipped-dependency)')
    .option('-j, --jobs <n>', JOBS_HELP);
}

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
    .option('-f, --format <format>', 'table | json | cyclonedx (CycloneDX 1.6 JSON SBOM; implies --libs)', 'table')
    .option('-l, --long', 'every fact and its evidence, one block per binary')
    .option('--libs', 'also look for well-known libraries linked statically or dynamically (reads symbols and read-only data)')
    .option('--no-color', 'no colours in tables')
    .option('-j, --jobs <n>', JOBS_HELP)
    .action(async (paths: string[], opts) => {
      const { runInspect } = await import('./inspect-command.js');
      code = await runInspect(paths, opts);
    });

  checkOptions(program
    .command('verify')
    .description('check binaries against a linkage plan (exit 0 holds, 1 violated, 2 could not analyse)')
    .argument('<paths...>', 'files or directories')
    .option('-p, --plan <file>', PLAN_HELP, repeat))
    .action(async (paths: string[], opts) => {
      const { runVerify } = await import('./verify-command.js');
      code = await runVerify(paths, opts);
    });

  checkOptions(program
    .command('audit')
    .description('release hygiene of archives and trees, no plan needed (exit 0 clean, 1 findings, 2 could not analyse)')
    .argument('<paths...>', 'archives (.tar.gz, .zip, .whl, .deb, …), directories or files')
    .option('-p, --plan <file>', AUDIT_PLAN_HELP, repeat)
    .option('--glibc-max <version>', 'report a glibc floor above this version (e.g. 2.28)'))
    .addHelpText('after', '\n--format cyclonedx: a CycloneDX 1.6 BOM of what was audited, findings as linkplan:finding properties.')
    .action(async (paths: string[], opts) => {
      const { runAudit } = await import('./audit-command.js');
      code = await runAudit(paths, opts);
    });

  program
    .command('diff')
    .description('what changed in linkage between two builds (exit 0 no change that counts, 1 changed, 2 could not analyse)')
    .argument('<old>', 'the old build: a file, directory or archive')
    .argument('<new>', 'the new build: a file, directory or archive')
    .option('--strip <n>', 'drop N leading path components before pairing (after a version folder like tool-1.2.3/)')
    .option('--map <old=new>', 'pair the old path (or folder) OLD with NEW (repeatable)', repeat, [] as string[])
    .option('--fail-on <kinds>', 'only these change kinds fail the run (comma-separated, repeatable; "regressions" for every regression)',
      repeat, [] as string[])
    .option('-p, --plan <file>', "a plan whose [diff] allow lists expected changes (default: found in . or a parent, if there is one)")
    .option('-f, --format <format>', 'table | json | markdown | github', 'table')
    .option('--no-color', 'no colours in tables')
    .action(async (oldPath: string, newPath: string, opts) => {
      const { runDiff } = await import('./diff-command.js');
      code = await runDiff(oldPath, newPath, opts);
    });

  program
    .command('merge')
    .description('combine the verify/audit JSON reports of matrix jobs or --shard runs into one (exit codes as verify)')
    .argument('<reports...>', 'JSON reports (verify --format json)')
    .option('-f, --format <format>', 'table | json | sarif | junit | github | markdown', 'table')
    .option('--audit', 'the reports are of linkplan audit (the table and Markdown speak of an audit)')
    .option('--allow-empty', 'a merged run that checked no binary passes')
    .option('--as-is', 'one report, rendered as the run that wrote it would (a --shard run\'s stays that shard\'s): no merging')
    .option('-a, --all', 'table: list every binary, not only those with findings')
    .option('--no-color', 'no colours in tables')
    .action(async (reports: string[], opts) => {
      const { runMerge } = await import('./merge-command.js');
      code = await runMerge(reports, opts);
    });

  program
    .command('resolve')
    .description('resolve each needed library the way its loader would, from the bytes and a root; nothing is run '
      + '(exit 0 all found, 1 missing or ambiguous, 2 could not analyse)')
    .argument('<paths...>', 'binaries or directories')
    .option('--root <dir|archive>', 'the target system\'s root: a directory or an archive (default: / of this machine for ELF)')
    .option('--env <NAME=VALUE>', 'loader environment: LD_LIBRARY_PATH, DYLD_LIBRARY_PATH (repeatable)',
      repeat, [] as string[])
    .option('--loader <name>', 'glibc | musl | dyld | windows (default: from the binary)')
    .option('-f, --format <format>', 'tree | json | dot', 'tree')
    .option('--why', 'tree: every step of every search')
    .action(async (paths: string[], opts) => {
      const { runResolve } = await import('./resolve-command.js');
      code = await runResolve(paths, opts);
    });

  const plan = program.command('plan').description('write and check linkage plans');
  plan
    .command('init')
    .description('print a starting plan for a Rust target triple and/or a release channel')
    .option('-t, --target <triple>', 'Rust target triple, e.g. x86_64-unknown-linux-musl')
    .option('--channel <channel>', 'distro | tarball | app-bundle | homebrew-formula | windows-portable | windows-installer')
    .option('--crt-static', 'the build uses -C target-feature=+crt-static (default on musl targets)')
    .option('--no-crt-static', 'the build does not use crt-static')
    .action(async (opts) => {
      // Both flags set one value, the last one winning: a usage error rather than a plan for half the command line.
      if (argv.includes('--crt-static') && argv.includes('--no-crt-static')) {
        errorLine('plan init: --crt-static and --no-crt-static contradict each other: give one');
        code = EXIT_ERROR;
        return;
      }
      const { runPlanInit } = await import('./plan-command.js');
      code = runPlanInit(opts);
    });
  plan
    .command('check')
    .description('validate a plan file (exit 0 valid, 2 invalid)')
    .argument('[file]', 'the plan (default: found in . or a parent)')
    .action(async (file: string | undefined) => {
      const { runPlanCheck } = await import('./plan-command.js');
      code = runPlanCheck(file);
    });
  plan
    .command('show')
    .description('print the effective plan after every layer, each value with the layer that set it')
    .option('-p, --plan <file>', PLAN_HELP, repeat)
    .option('--target <triple>', 'only the artifacts for this target triple')
    .option('-f, --format <format>', 'toml | json', 'toml')
    .action(async (opts) => {
      const { runPlanShow } = await import('./plan-command.js');
      code = runPlanShow(opts);
    });
  plan
    .command('schema')
    .description('print the JSON Schema of plans')
    .action(async () => {
      const { runPlanSchema } = await import('./plan-command.js');
      code = await runPlanSchema();
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

let guarded = false;

/**
 * The CLI over `argv` (process.argv's shape): sets process.exitCode, never rejects. bin.cjs calls it, through the
 * bundle (bundle.ts) or, should that be missing, from this module.
 */
export async function run(argv: string[]): Promise<void> {
  // The reader went away (`linkplan inspect --json | head`): stop at once and quietly, as a tool killed by SIGPIPE
  // would, with the exit code for a run that could not finish; never Node's unhandled 'error' stack trace.
  if (!guarded) {
    guarded = true;
    for (const stream of [process.stdout, process.stderr]) {
      stream.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE' && stream === process.stdout) errorLine(`cannot write the output: ${e.message}`);
        process.exit(EXIT_ERROR);
      });
    }
  }
  // Should the run ever wait on something that cannot come (a decoder waiting on a lock held by the stream around
  // it did), Node's event loop empties and the process would end with exit code 0 and nothing said: a CI step passing
  // on a run that never finished. Said instead, as what it is, with the exit code of a run that could not analyse.
  let settled = false;
  const unfinished = () => {
    if (settled) return;
    settled = true;
    errorLine('internal error: the run stopped before it finished (it waited on something that never came); please report it');
    process.exitCode = EXIT_ERROR;
  };
  process.once('beforeExit', unfinished);
  await main(argv).then(
    (code) => { process.exitCode = code; },
    (e) => {
      errorLine(`internal error: ${e instanceof Error ? e.message : String(e)}`);
      process.exitCode = EXIT_ERROR;
    },
  );
  settled = true;
  process.off('beforeExit', unfinished);
}
