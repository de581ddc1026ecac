/**
 * linkplan in CI: paths shortened in the middle, one cause one finding, --artifact / --target / --shard, merge
 * round-trips, nothing-checked, the Markdown summary and the action's script, the report JSON Schemas, and a
 * SARIF file shaped as GitHub code scanning's upload demands.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { shortenPath, renderVerifyTable } from '../src/report/verify-table.js';
import { renderVerifyMarkdown, md } from '../src/report/verify-markdown.js';
import { evaluate, shardOf } from '../src/plan/evaluate.js';
import { describeFinding } from '../src/plan/messages.js';
import { displayWidth } from '../src/report/text.js';
import { cli, facts, ROOT, sample } from './helpers.js';
import { elfLit, plan } from './plan-helpers.js';
import { parseXml } from './xml.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'linkplan-ci-'));
const WIN = ['verify', '--plan', 'samples/plans/windows-self-contained.toml', 'samples/pe/msvc/x64'];

describe('table paths are cut in the middle', () => {
  const p = 'x/swc-core-win32-ia32-msvc-1.16.22/package/swc.win32-ia32-msvc.node';
  it('keeps the file name and fits the width', () => {
    for (const w of [20, 30, 40, 50, 60]) {
      const s = shortenPath(p, w);
      expect(displayWidth(s)).toBeLessThanOrEqual(w);
      if (w >= 30) expect(s.endsWith('/swc.win32-ia32-msvc.node')).toBe(true);
    }
    expect(shortenPath(p, 200)).toBe(p);
    expect(shortenPath(p, 40)).toBe('x/swc-…/package/swc.win32-ia32-msvc.node');
    // A name too long by itself keeps its start and its end.
    expect(shortenPath('a/very-long-file-name-of-a-native-module.node', 20)).toBe('very-long-…dule.node');
  });
  it('in the verify table, the binary and the artifact keep their ends', () => {
    const long = `target/${'deep/'.repeat(12)}swc-core-win32-ia32-msvc-1.16.22/swc.node`;
    const r = evaluate(
      plan(`[[artifact]]\nname = "a-very-long-artifact-name-for-the-windows-ia32-build"\npath = "**"\nlinkage = "static"\n`),
      [elfLit({ path: long, linkage: 'dynamic' })],
    );
    const t = renderVerifyTable(r, { width: 100 });
    expect(t).toMatch(/│ target\/deep\/[^│]*…\/swc\.node │/);
    expect(t).toMatch(/│ a-very-lo…32-build │/);
    expect(renderVerifyTable(r, { width: 200 })).toMatch(/…\/(deep\/)+swc-core-win32-ia32-msvc-1\.16\.22\/swc\.node │/);
  });
});

describe('one cause, one finding', () => {
  const j = JSON.parse(cli([...WIN, '-f', 'json']).stdout);
  const mine = j.findings.map((f: { file: string }, i: number) => [f, i]).filter(([f]: [{ file: string }]) => f.file.endsWith('/md_like.dll'));
  it('a dynamic CRT: the crt finding is primary, the needed-forbid ones point at it (JSON keeps all)', () => {
    const [crt, ci] = mine.find(([f]: [{ rule: string }]) => f.rule === 'crt');
    expect(crt.primary).toBeUndefined();
    const forbid = mine.filter(([f]: [{ rule: string }]) => f.rule === 'needed-forbid');
    expect(forbid.length).toBe(3);
    for (const [f] of forbid) expect(f.primary).toBe(ci);
  });
  it('the table shows one line with the related ones named', () => {
    const t = cli(WIN).stdout;
    expect(t).not.toMatch(/✗ needed-forbid/);
    expect(t.replace(/\s*│\s*/g, ' ')).toContain('(+3 related: needed-forbid VCRUNTIME140.dll');
  });
  it('SARIF links them both ways; GitHub annotates the cause once', () => {
    const run = JSON.parse(cli([...WIN, '-f', 'sarif']).stdout).runs[0];
    const [, ci] = mine.find(([f]: [{ rule: string }]) => f.rule === 'crt');
    expect(run.results).toHaveLength(j.findings.length);
    expect(run.results[ci].properties.related).toHaveLength(3);
    for (const i of run.results[ci].properties.related) expect(run.results[i].properties.primary).toBe(ci);
    const gh = cli([...WIN, '-f', 'github']).stdout.split('\n').filter((l) => l.includes('md_like.dll:'));
    expect(gh).toHaveLength(1);
    expect(gh[0]).toContain('(+3 related');
  });
  it('a dynamic binary under a static expectation: linkage is primary for interpreter and needed-allow', () => {
    const r = JSON.parse(cli(['verify', '--plan', 'samples/plans/crt-static-drift.toml', 'samples/rust', '-f', 'json']).stdout);
    const dyn = r.findings
      .map((f: { file: string; rule: string; primary?: number }, i: number) => ({ ...f, i }))
      .filter((f: { file: string }) => f.file === 'samples/rust/dynamic');
    const lk = dyn.find((f: { rule: string }) => f.rule === 'linkage');
    expect(dyn.filter((f: { rule: string }) => f.rule !== 'linkage').map((f: { primary?: number }) => f.primary)).toEqual([lk.i, lk.i]);
  });
});

describe('matrix slices: --artifact, --target', () => {
  it('--artifact checks only that artifact: the others are neither missing nor their binaries unmatched', () => {
    const r = cli(['verify', '--plan', 'samples/plans/crt-static-drift.toml', 'samples/rust', '--artifact', 'Windows build*', '-f', 'json']);
    const j = JSON.parse(r.stdout);
    expect(j.findings.map((f: { rule: string }) => f.rule)).not.toContain('artifact-missing');
    expect(j.binaries.every((b: { artifacts: string[] }) => b.artifacts.every((a) => a === 'Windows build of the same crate'))).toBe(true);
    expect(j.artifactMatches.map((m: { artifact: string }) => m.artifact)).toEqual(['Windows build of the same crate']);
    expect(cli(['verify', '--plan', 'samples/plans/crt-static-drift.toml', 'samples/rust', '--artifact', 'nope']).code).toBe(2);
  });
  it('--target selects artifacts whose path globs have the triple as a segment', () => {
    const d = tmp();
    writeFileSync(join(d, 'linkplan.toml'), `[[artifact]]\nname = "musl"\npath = "target/x86_64-unknown-linux-musl/release/*"\nlinkage = "static"\n` +
      `[[artifact]]\nname = "win"\npath = "target/x86_64-pc-windows-msvc/release/*.exe"\ncrt = "msvc-static"\n`);
    mkdirSync(join(d, 'target/x86_64-unknown-linux-musl/release'), { recursive: true });
    writeFileSync(join(d, 'target/x86_64-unknown-linux-musl/release/app'), readFileSync(sample('elf/musl-static')));
    const ok = cli(['verify', '--target', 'x86_64-unknown-linux-musl', 'target', '-f', 'json'], { cwd: d });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).artifactMatches).toEqual([{ artifact: 'musl', matched: 1, missing: null }]);
    // Without the slice the Windows artifact is missing; with a triple no artifact names, a usage error.
    expect(cli(['verify', 'target'], { cwd: d }).code).toBe(1);
    expect(cli(['verify', '--target', 'aarch64-apple-darwin', 'target'], { cwd: d }).code).toBe(2);
  });
});

describe('shards and merge', () => {
  const N = 3;
  const run = (extra: string[], fmt: string) => cli(['verify', '--plan', 'samples/linkplan.toml', 'samples', ...extra, '-f', fmt]);
  const dir = tmp();
  const shards = Array.from({ length: N }, (_, i) => {
    const f = join(dir, `report-${i + 1}.json`);
    writeFileSync(f, run(['--shard', `${i + 1}/${N}`], 'json').stdout);
    return f;
  });
  it('every binary lands in exactly one shard', () => {
    const all = JSON.parse(run([], 'json').stdout).binaries.map((b: { file: string }) => b.file);
    const parts = shards.map((f) => JSON.parse(readFileSync(f, 'utf8')).binaries.map((b: { file: string }) => b.file));
    expect(parts.flat().sort()).toEqual([...all].sort());
    expect(parts.every((p) => p.length > 0)).toBe(true);
    expect(shardOf('a/b', 4)).toBe(shardOf('a/b', 4));
  });
  // Normalized: the SARIF run lists the shards it merged; nothing else may differ.
  const norm = (fmt: string, s: string) => {
    if (fmt !== 'sarif') return s;
    const log = JSON.parse(s);
    delete log.runs[0].properties.shards;
    return JSON.stringify(log);
  };
  it.each(['json', 'table', 'sarif', 'junit', 'github', 'markdown'])('merge of the shards == verify of the tree (%s)', (fmt) => {
    const whole = run([], fmt);
    const merged = cli(['merge', ...shards, '-f', fmt]);
    expect(merged.stderr).toBe('');
    expect(merged.code).toBe(whole.code);
    expect(norm(fmt, merged.stdout)).toBe(norm(fmt, whole.stdout));
  });
  it('a violated tree round-trips too, artifact-missing decided from the sums', () => {
    const args = ['verify', '--plan', 'samples/plans/missing-artifact.toml', 'samples/elf'];
    const files = [1, 2].map((i) => {
      const f = join(dir, `m-${i}.json`);
      writeFileSync(f, cli([...args, '--shard', `${i}/2`, '-f', 'json']).stdout);
      return f;
    });
    expect(JSON.parse(readFileSync(files[0], 'utf8')).findings.some((f: { rule: string }) => f.rule === 'artifact-missing')).toBe(false);
    for (const fmt of ['json', 'junit', 'table']) expect(cli(['merge', ...files, '-f', fmt]).stdout).toBe(cli([...args, '-f', fmt]).stdout);
    const win = [1, 2, 3, 4].map((i) => {
      const f = join(dir, `w-${i}.json`);
      writeFileSync(f, cli([...WIN, '--shard', `${i}/4`, '-f', 'json']).stdout);
      return f;
    });
    const m = cli(['merge', ...win, '-f', 'json']);
    expect(m.code).toBe(1);
    expect(m.stdout).toBe(cli([...WIN, '-f', 'json']).stdout);
  });
  it('a shard carries its own code-scanning category; an incomplete set is refused', () => {
    const s = JSON.parse(run(['--shard', `2/${N}`], 'sarif').stdout);
    expect(s.runs[0].automationDetails).toEqual({ id: `linkplan/shard-2-of-${N}/` });
    expect(JSON.parse(cli(['merge', ...shards, '-f', 'sarif']).stdout).runs[0].properties.shards).toHaveLength(N);
    const r = cli(['merge', ...shards.slice(1)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('shard 1 of 3 missing');
    expect(cli(['verify', '--plan', 'samples/linkplan.toml', 'samples', '--shard', '4/3']).code).toBe(2);
  });
});

describe('a run that checked nothing', () => {
  const empty = tmp();
  const args = ['verify', '--plan', 'samples/linkplan.toml', empty];
  it('fails (exit 1) with a nothing-checked finding, a failing JUnit testcase', () => {
    const r = cli(args);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('nothing checked');
    const doc = parseXml(cli([...args, '-f', 'junit']).stdout);
    const cases = doc.children.flatMap((s) => s.children);
    expect(cases.find((c) => c.attrs.name === 'nothing-checked')!.children[0].name).toBe('failure');
    expect(Number(doc.attrs.failures)).toBeGreaterThan(0);
  });
  it('passes with --allow-empty; audit of an empty tree fails the same way', () => {
    // The plan's artifacts are still missing (exit 1), but the empty run itself is allowed.
    expect(cli([...args, '--allow-empty', '-f', 'json']).stdout).not.toContain('nothing-checked');
    expect(cli(['audit', empty], { cwd: empty }).code).toBe(1);
    expect(cli(['audit', '--allow-empty', empty], { cwd: empty }).code).toBe(0);
  });
  it('binaries found but none in the plan: nothing checked either', () => {
    const r = cli(['verify', '--plan', 'samples/plans/windows-self-contained.toml', 'samples/elf', '-f', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings.at(-1)).toMatchObject({ rule: 'nothing-checked', args: { found: expect.any(Number) } });
  });
  it('binaries found but another --artifact\'s: counted as found, the selection named', () => {
    const d = tmp();
    writeFileSync(join(d, 'p.toml'), '[[artifact]]\nname = "win"\npath = "dist/*.exe"\n[[artifact]]\nname = "linux"\npath = "**"\n');
    const r = cli(['verify', '--plan', join(d, 'p.toml'), '--artifact', 'win', 'samples/elf/musl-static', 'samples/elf/glibc-pie', '-f', 'json']);
    expect(r.code).toBe(1);
    const f = JSON.parse(r.stdout).findings.find((x: { rule: string }) => x.rule === 'nothing-checked');
    expect(f.args).toEqual({ found: 2 });
    expect(describeFinding(f)).toBe('none of the 2 binaries found is covered by the plan (or by the --artifact / --target selection): the run checked nothing');
  });
});

describe('Markdown', () => {
  it('escapes what would break a table or start markup', () => {
    expect(md('a|b<c>&`d`\ne')).toBe('a&#124;b&lt;c&gt;&amp;&#96;d&#96;\\\\ne');
    const r = evaluate(plan('[[artifact]]\npath = "**"\nlinkage = "static"\n'), [elfLit({ path: 'x|<img src=x>`\n| y', linkage: 'dynamic' })]);
    const out = renderVerifyMarkdown(r);
    const row = out.split('\n').find((l) => l.startsWith('| x'))!;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(3);
    expect(out).not.toContain('<img');
    expect(out).toMatch(/^## linkplan verify\n\n❌ \*\*plan violated\*\*/);
  });
});

describe('the GitHub Action (scripts/action.sh)', () => {
  const action = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  it('action.yml is a composite action that runs the script', () => {
    expect(action).toMatch(/using: composite/);
    expect(action).toContain('bash "$GITHUB_ACTION_PATH/scripts/action.sh"');
    for (const k of ['paths', 'plan', 'command', 'format']) expect(action).toMatch(new RegExp(`^  ${k}:`, 'm'));
  });
  it('action.yml builds linkplan once: npm ci runs the prepare script, which is the build', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.prepare).toBe('npm run build');
    const run = /^ {6}run: (cd .*npm ci.*)$/m.exec(action)![1];
    expect(run).not.toContain('--ignore-scripts');
    expect(run).not.toMatch(/npm run build|npm run prepare|tsc/);
  });
  const act = (env: Record<string, string>) => {
    const d = tmp();
    const summary = join(d, 'summary.md'), output = join(d, 'output');
    writeFileSync(summary, '# earlier step\n');
    writeFileSync(output, 'earlier=1\n');
    const r = spawnSync('bash', [join(ROOT, 'scripts/action.sh')], {
      cwd: ROOT, encoding: 'utf8',
      env: { ...process.env, GITHUB_ACTION_PATH: ROOT, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, RUNNER_TEMP: d, ...env },
    });
    return { ...r, summary: readFileSync(summary, 'utf8'), output: readFileSync(output, 'utf8') };
  };
  it('appends the summary, writes annotations and a SARIF path, passes the exit code through', () => {
    const r = act({
      INPUT_PATHS: 'samples/pe/msvc/x64', INPUT_PLAN: 'samples/plans/windows-self-contained.toml', INPUT_COMMAND: 'verify', INPUT_FORMAT: 'github',
    });
    expect(r.status).toBe(1);
    expect(r.summary.startsWith('# earlier step\n## linkplan verify')).toBe(true);
    expect(r.stdout).toMatch(/^::error file=samples\/pe\/msvc\/x64\/md_like.dll,/m);
    const sarif = /^sarif=(.+)$/m.exec(r.output)![1];
    expect(r.output.startsWith('earlier=1\n')).toBe(true);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).version).toBe('2.1.0');
    expect(r.output).toContain('exit-code=1');
    const ok = act({ INPUT_PATHS: 'samples', INPUT_PLAN: 'samples/linkplan.toml', INPUT_COMMAND: 'verify' });
    expect(ok.status).toBe(0);
    expect(ok.summary).toContain('**plan holds**');
    // diff: two paths, the Markdown summary appended, annotations for regressions, the exit code passed through.
    const d = act({ INPUT_COMMAND: 'diff', INPUT_PATHS: 'samples/elf/glibc-pie samples/elf/glibc-nopie' });
    expect(d.status).toBe(1);
    expect(d.summary).toMatch(/^# earlier step\n### linkplan diff: linkage changed/);
    expect(d.stdout).toMatch(/^::error .*pie-lost/m);
    expect(d.output).toContain('exit-code=1');
    expect(act({ INPUT_COMMAND: 'diff', INPUT_PATHS: 'samples/elf/glibc-pie' }).status).toBe(2);
  });

  it('--shard i/n in args: the shard\'s own summary, annotations and SARIF (its automation id); not a merge refused', () => {
    const r = act({ INPUT_PATHS: 'samples/elf', INPUT_PLAN: 'samples/plans/hardening.toml', INPUT_ARGS: '--shard 1/2' });
    expect(r.stderr).not.toMatch(/cannot merge/);
    expect(r.status).toBe(1);
    expect(r.summary).toMatch(/^# earlier step\n## linkplan verify\n\n❌ \*\*plan violated\*\*/);
    expect(r.stdout).toMatch(/^::error file=samples\/elf\//m);
    const sarif = JSON.parse(readFileSync(/^sarif=(.+)$/m.exec(r.output)![1], 'utf8'));
    expect(sarif.runs[0].automationDetails.id).toBe('linkplan/shard-1-of-2/');
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
  });

  it('args are split with shell quoting, never globbed: a quoted name is one word, a * reaches linkplan as it is', () => {
    const base = { INPUT_PATHS: 'samples', INPUT_PLAN: 'samples/linkplan.toml' };
    const matched = (r: { output: string }) => {
      const json = JSON.parse(readFileSync(/^json=(.+)$/m.exec(r.output)![1], 'utf8')) as { artifactMatches: { artifact: string }[] };
      return json.artifactMatches.map((m) => m.artifact);
    };
    const quoted = act({ ...base, INPUT_ARGS: '--artifact "vendored openssl"' });
    expect([quoted.status, quoted.stderr]).toEqual([0, '']);
    expect(matched(quoted)).toEqual(['vendored openssl']);
    expect(matched(act({ ...base, INPUT_ARGS: "--artifact 'vendored openssl' --artifact vendored\\ zlib*" })))
      .toEqual(['vendored zlib (with and without .symtab)', 'vendored openssl']);
    // The working directory has files: a * expanded against it would name them as artifacts.
    const star = act({ ...base, INPUT_ARGS: '--artifact *' });
    expect([star.status, star.stderr]).toEqual([cli(['verify', '--plan', 'samples/linkplan.toml', 'samples', '--artifact', '*']).code, '']);
    expect(matched(star).length).toBeGreaterThan(10);
    const open = act({ ...base, INPUT_ARGS: '--artifact "vendored openssl' });
    expect(open.status).toBe(2);
    expect(open.stdout).toMatch(/^::error title=linkplan::the args input cannot be split into words/m);
    expect(open.stderr).toContain('an unterminated " at character 12');
  });

  it('a format the command does not write is refused before anything runs: exit 2, an annotation, exit-code set', () => {
    for (const [cmd, format] of [['verify', 'tabel'], ['audit', 'cyclonedx'], ['diff', 'junit']]) {
      const r = act({ INPUT_COMMAND: cmd, INPUT_FORMAT: format, INPUT_PATHS: 'samples/elf/glibc-pie samples/elf/glibc-nopie' });
      expect(r.status, cmd).toBe(2);
      expect(r.stdout).toMatch(new RegExp(`^::error title=linkplan::unknown format '${format}' for ${cmd} \\(expected table, github, `, 'm'));
      expect(r.output).toBe('earlier=1\nexit-code=2\n');
      expect(r.summary).toBe('# earlier step\n');
    }
  });

  it('diff runs linkplan once and renders the format asked from its JSON, as diff --format writes it', () => {
    const d = tmp(), count = join(d, 'runs');
    // A linkplan that counts its runs.
    writeFileSync(join(d, 'linkplan'), `#!/bin/sh\necho run >> '${count}'\nexec node '${join(ROOT, 'dist/cli/bin.cjs')}' "$@"\n`, { mode: 0o755 });
    const paths = ['samples/elf/glibc-pie', 'samples/elf/glibc-nopie'];
    for (const format of ['markdown', 'github', 'table', 'json']) {
      writeFileSync(count, '');
      const r = act({ INPUT_COMMAND: 'diff', INPUT_FORMAT: format, INPUT_PATHS: paths.join(' '), LINKPLAN: join(d, 'linkplan'), COLUMNS: '200' });
      expect(r.status, format).toBe(1);
      expect(readFileSync(count, 'utf8'), format).toBe('run\n');
      expect(r.stdout, format).toBe(format === 'json' ? '' : cli(['diff', '-f', format, ...paths]).stdout);
      expect(r.summary).toBe(`# earlier step\n${cli(['diff', '-f', 'markdown', ...paths]).stdout}`);
      expect(readFileSync(/^json=(.+)$/m.exec(r.output)![1], 'utf8')).toBe(cli(['diff', '-f', 'json', ...paths]).stdout);
    }
  });

  it('a run that could not run: one error line, an annotation, a line in the summary, exit-code 2 and no empty report named', () => {
    // diff of a path that is not there; verify and audit of a plan that is not there.
    for (const [cmd, plan, paths] of [['diff', '', 'samples/elf/glibc-pie no/such/path'], ['verify', 'no/such/path', 'samples/elf'],
      ['audit', 'no/such/path', 'samples/elf']]) {
      const r = act({ INPUT_COMMAND: cmd, INPUT_PLAN: plan, INPUT_PATHS: paths });
      expect(r.status, cmd).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), cmd).toHaveLength(1);
      expect(r.stderr).toContain('no/such/path');
      expect(r.stdout).toBe(`::error title=linkplan::linkplan ${cmd} could not run (exit 2): see the log above\n`);
      expect(r.summary).toBe(`# earlier step\n## linkplan ${cmd}\n\n❌ **could not run** (exit 2): see the log of this step\n`);
      expect(r.output).toBe('earlier=1\nexit-code=2\n');
    }
  });

  it('an empty run fails with nothing-checked in the summary, the annotations and the SARIF (unless args say --allow-empty)', () => {
    const d = tmp();
    mkdirSync(join(d, 'empty'));
    writeFileSync(join(d, 'linkplan.toml'), '[severity]\nartifact-missing = "off"\n[[artifact]]\npath = "**"\n');
    const r = act({ INPUT_PATHS: join(d, 'empty'), INPUT_PLAN: join(d, 'linkplan.toml') });
    expect(r.status).toBe(1);
    expect(r.summary).toContain('nothing-checked');
    expect(r.summary).not.toContain('plan holds');
    expect(r.stdout).toMatch(/^::error .*nothing-checked/m);
    const sarif = JSON.parse(readFileSync(/^sarif=(.+)$/m.exec(r.output)![1], 'utf8'));
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('nothing-checked');
    const allowed = act({ INPUT_PATHS: join(d, 'empty'), INPUT_PLAN: join(d, 'linkplan.toml'), INPUT_ARGS: '--allow-empty' });
    expect(allowed.status).toBe(0);
    expect(allowed.summary).toContain('plan holds');
  });

  it('merge refuses the same report twice (its binaries and findings would count twice)', () => {
    const d = tmp(), f = join(d, 'r.json'), g = join(d, 'copy.json');
    writeFileSync(f, cli([...WIN, '-f', 'json']).stdout);
    writeFileSync(g, readFileSync(f));
    const r = cli(['merge', f, g]);
    expect([r.code, r.stderr])
      .toEqual([2, `linkplan: cannot merge: ${g} is the same report as ${f} (given twice, or two jobs that checked the same files: merge one)\n`]);
  });

  it('merge --as-is renders one report as its run did, and only one', () => {
    const d = tmp(), f = join(d, 'r.json');
    writeFileSync(f, cli([...WIN, '--shard', '1/2', '-f', 'json']).stdout);
    expect(cli(['merge', f]).stderr).toMatch(/cannot merge: shard 2 of 2 missing/);
    const one = cli(['merge', '--as-is', '-f', 'json', f]);
    expect(JSON.parse(one.stdout).shard).toEqual({ index: 1, count: 2 });
    const two = cli(['merge', '--as-is', f, f]);
    expect([two.code, two.stderr]).toEqual([2, 'linkplan: --as-is renders one report, not 2\n']);
  });
});

describe('JSON Schemas of the reports', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  const load = (n: string) => ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema', n), 'utf8')));
  const inspect = load('inspect-report.schema.json');
  const verify = load('verify-report.schema.json');
  const ok = (v: typeof inspect, text: string) => expect(v(JSON.parse(text)), JSON.stringify(v.errors?.slice(0, 3))).toBe(true);
  const hostile = tmp();
  writeFileSync(join(hostile, 'bad\n::error::x'), Buffer.concat([readFileSync(sample('elf/musl-static')).subarray(0, 200)]));
  writeFileSync(join(hostile, 'ok-\u202e.so'), readFileSync(sample('elf/libfoo.so.1')));
  it('inspect --json over the samples and a hostile tree', () => {
    ok(inspect, cli(['inspect', '--json', 'samples']).stdout);
    ok(inspect, cli(['inspect', '--json', hostile]).stdout);
  });
  it('verify and audit --format json, shards and merges', () => {
    ok(verify, cli(['verify', '--plan', 'samples/linkplan.toml', 'samples', '-f', 'json']).stdout);
    ok(verify, cli([...WIN, '-f', 'json']).stdout);
    ok(verify, cli([...WIN, '--shard', '1/2', '-f', 'json']).stdout);
    ok(verify, cli(['verify', '--plan', 'samples/linkplan.toml', hostile, '-f', 'json']).stdout);
    ok(verify, cli(['audit', 'samples/elf-tree', '-f', 'json']).stdout);
    const d = tmp(), f = join(d, 'r.json');
    writeFileSync(f, cli([...WIN, '--shard', '1/1', '-f', 'json']).stdout);
    ok(verify, cli(['merge', f, '-f', 'json']).stdout);
  });
});

describe('SARIF as GitHub code scanning takes it', () => {
  const text = cli([...WIN, '-f', 'sarif']).stdout;
  const log = JSON.parse(text);
  it('every result has a file, a rule, a message and fingerprints; rule ids are unique; relative URIs', () => {
    const run = log.runs[0];
    expect(log.runs).toHaveLength(1);
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(run.results.length).toBeGreaterThan(0);
    for (const r of run.results) {
      const loc = r.locations[0].physicalLocation.artifactLocation;
      expect(loc.uri).toMatch(/\S/);
      expect(loc.uri.startsWith('file:')).toBe(false);
      expect(loc.uriBaseId).toBe('%SRCROOT%');
      expect(ids).toContain(r.ruleId);
      expect(r.message.text).toMatch(/\S/);
      expect(Object.keys(r.partialFingerprints).length).toBeGreaterThan(0);
    }
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toMatch(/^file:\/\/.*\/$/);
    // GitHub's limits: 10 MB gzip per upload, 25,000 results per run; this is far below.
    expect(text.length).toBeLessThan(10 * 1024 * 1024);
    expect(run.results.length).toBeLessThanOrEqual(25000);
  });
  it("the binary's facts are in the result's properties", () => {
    const r = log.runs[0].results.find((x: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
      x.ruleId === 'crt' && x.locations[0].physicalLocation.artifactLocation.uri.endsWith('/md_like.dll'));
    expect(r.properties.binary).toMatchObject({ format: 'pe', arch: 'x86_64', type: 'shared-library', crt: 'msvc-dynamic' });
    expect(Object.keys(r.properties.binary).sort()).toEqual(['arch', 'crt', 'format', 'libc', 'linkage', 'pie', 'type']);
    void facts;
  });
});

describe('merge tells plans and commands apart by what the reports say', () => {
  const d = tmp();
  const one = (body: string, name: string) => {
    const p = join(d, name);
    mkdirSync(p, { recursive: true });
    writeFileSync(join(p, 'linkplan.toml'), body);
    return join(p, 'linkplan.toml');
  };
  it('one plan file name, different contents (two jobs\' layers, LINKPLAN_PLAN): refused by planDigest', () => {
    const a = one('[[artifact]]\npath = "**"\nlinkage = "dynamic"\n', 'a');
    const b = one('[[artifact]]\npath = "**"\nlinkage = "static"\n', 'b');
    // The same name in both reports, as two jobs that each read ./linkplan.toml give.
    const report = (plan: string, shard: string) => {
      const j = JSON.parse(cli(['verify', '--plan', plan, 'samples/elf', '--shard', shard, '-f', 'json']).stdout);
      expect(j.planDigest).toMatch(/^[0-9a-f]{16}$/);
      j.plan = 'linkplan.toml';
      const f = join(d, `r-${shard.replace('/', '-')}-${plan.includes('/a/') ? 'a' : 'b'}.json`);
      writeFileSync(f, JSON.stringify(j));
      return f;
    };
    const r = cli(['merge', report(a, '1/2'), report(b, '2/2')]);
    expect([r.code, r.stderr])
      .toEqual([2, 'linkplan: cannot merge: the reports are of different plans: linkplan.toml did not say the same in every job (planDigest differs)\n']);
    // The same contents in another key order and with comments: one plan.
    const c = one('# the same\n[[artifact]]\nlinkage = "dynamic"\npath = "**"\n', 'c');
    const same = cli(['merge', report(a, '1/2'), report(c, '2/2'), '-f', 'json']);
    expect(same.stderr).toBe('');
    expect(JSON.parse(same.stdout).planDigest).toBe(JSON.parse(readFileSync(report(a, '1/2'), 'utf8')).planDigest);
  });
  it('an audit\'s report is merged and rendered as an audit without --audit; audit and verify reports do not merge', () => {
    const f = join(d, 'audit.json'), v = join(d, 'verify.json');
    writeFileSync(f, cli(['audit', 'samples/elf', '-f', 'json']).stdout);
    writeFileSync(v, cli(['verify', '--plan', 'samples/linkplan.toml', 'samples/pe', '-f', 'json']).stdout);
    expect(JSON.parse(readFileSync(f, 'utf8')).audit).toBe(true);
    expect(JSON.parse(readFileSync(v, 'utf8')).audit).toBeUndefined();
    const table = cli(['audit', 'samples/elf']).stdout;
    expect(table).toMatch(/^audit (passed|failed): /m);
    expect(cli(['merge', '--as-is', f]).stdout).toBe(table);
    expect(cli(['merge', f]).stdout).toBe(table);
    const mixed = cli(['merge', f, v]);
    expect([mixed.code, mixed.stderr]).toEqual([2, 'linkplan: cannot merge: some reports are of linkplan audit and some of verify\n']);
  });
});
