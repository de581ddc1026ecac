/** evaluate(): matching, unmatched policies, severities, --strict, missing artifacts, the three outcomes. */
import { describe, expect, it } from 'vitest';
import { failed } from '../src/facts/types.js';
import { evaluate, outcome } from '../src/plan/evaluate.js';
import { elfLit, plan, rulesOf, run } from './plan-helpers.js';

const a = elfLit({ path: 'dist/bin/app' });
const lib = elfLit({ path: 'dist/lib/libx.so.1', type: 'shared-library', pie: null, interpreter: null, soname: 'libx.so.1' });
const stray = elfLit({ path: 'build/tmp/probe' });

describe('evaluate', () => {
  it('matches paths relative to the plan, a pattern without "/" by base name, and honours exclude', () => {
    const p = plan('unmatched = "error"\n[[artifact]]\npath = "dist/bin/*"\nlinkage = "dynamic"\n' +
      '[[artifact]]\npath = "lib*.so.*"\nexclude = "build/**"\ntype = "shared-library"\n');
    const r = run(p, [a, lib, stray]);
    expect(r.binaries.map((b) => [b.file, b.artifacts, b.status])).toEqual([
      ['dist/bin/app', ['dist/bin/*'], 'pass'],
      ['dist/lib/libx.so.1', ['lib*.so.*'], 'pass'],
      ['build/tmp/probe', [], 'unmatched'],
    ]);
    expect(rulesOf(r)).toEqual(['unmatched-binary']);
    expect(outcome(r)).toBe('violated');
  });

  it('applies every matching artifact, and names the artifact in each finding', () => {
    const p = plan('[[artifact]]\nname = "all"\npath = "**"\npie = false\n[[artifact]]\nname = "bins"\npath = "dist/bin/*"\nlinkage = "static"\n');
    expect(run(p, [a]).findings.map((f) => [f.rule, f.artifact])).toEqual([['pie', 'all'], ['linkage', 'bins']]);
  });

  it.each([
    ['error', ['error'], 'violated'],
    ['warn', ['warning'], 'holds'],
    ['ignore', [], 'holds'],
  ] as const)('unmatched = "%s"', (policy, severities, out) => {
    const r = run(plan(`unmatched = "${policy}"\n[[artifact]]\npath = "dist/**"\n`), [a, stray]);
    expect(r.findings.map((f) => f.severity)).toEqual(severities);
    expect(outcome(r)).toBe(out);
    expect(r.binaries[1].status).toBe('unmatched');
    expect(r.summary).toMatchObject({ binaries: 2, passed: 1, unmatched: 1 });
  });

  it('the default unmatched policy is warn', () => {
    expect(run(plan('[[artifact]]\npath = "dist/**"\n'), [stray]).findings[0].severity).toBe('warning');
  });

  it('an artifact that matches nothing is a violation located at the plan', () => {
    const r = run(plan('unmatched = "ignore"\n[[artifact]]\nname = "server"\npath = ["dist/bin/server", "dist/sbin/server"]\n'), [a]);
    expect(r.findings).toEqual([
      expect.objectContaining({
        rule: 'artifact-missing', file: 'linkplan.toml', artifact: 'server', field: 'artifact[0]', expected: ['dist/bin/server', 'dist/sbin/server'],
      }),
      // Nothing else was covered either: the run checked nothing.
      expect.objectContaining({ rule: 'nothing-checked', args: { found: 1 } })]);
    expect(outcome(r)).toBe('violated');
  });

  it('ignore skips files entirely: neither checked, nor unmatched, nor counted', () => {
    const r = run(plan('unmatched = "error"\nignore = "build/**"\n[[artifact]]\npath = "dist/**"\n'), [a, stray, failed('build/x', 'elf', 'malformed', 'bad')]);
    expect(r.binaries.map((b) => b.file)).toEqual(['dist/bin/app']);
    expect(outcome(r)).toBe('holds');
  });

  it('severities: the rule default, then the plan table, then the artifact table; off silences', () => {
    const base = '[[artifact]]\npath = "**"\nlinkage = "static"\npie = false\n';
    expect(run(plan(base), [a]).findings.map((f) => f.severity)).toEqual(['error', 'error']);
    const planLevel = run(plan(`[severity]\nlinkage = "warn"\npie = "off"\n${base}`), [a]);
    expect(planLevel.findings.map((f) => [f.rule, f.severity])).toEqual([['linkage', 'warning']]);
    expect(outcome(planLevel)).toBe('holds');
    expect(planLevel.binaries[0].status).toBe('warn');
    const artLevel = run(plan(`[severity]\nlinkage = "warn"\n${base}severity.linkage = "error"\n`), [a]);
    expect(artLevel.findings.map((f) => [f.rule, f.severity])).toEqual([['linkage', 'error'], ['pie', 'error']]);
    // A rule turned off records no check either.
    expect(planLevel.checks.map((c) => c.rule)).toEqual(['linkage']);
  });

  it('--strict promotes every warning to an error, and only there', () => {
    const p = plan('[severity]\nlinkage = "warn"\n[[artifact]]\npath = "dist/bin/*"\nlinkage = "static"\n');
    const lax = evaluate(p, [a, stray]);
    expect(lax.findings.map((f) => f.severity)).toEqual(['warning', 'warning']);
    expect(outcome(lax)).toBe('holds');
    const strict = evaluate(p, [a, stray], { strict: true });
    expect(strict.findings.map((f) => f.severity)).toEqual(['error', 'error']);
    expect(strict.strict).toBe(true);
    expect(outcome(strict)).toBe('violated');
  });

  it('a file that cannot be analysed makes the run unanalysable, whatever else was found', () => {
    const r = run(plan('[[artifact]]\npath = "**"\nlinkage = "static"\n'), [a, failed('dist/bin/broken', 'elf', 'malformed', 'section headers past the end')]);
    expect(r.errors).toEqual([{ file: 'dist/bin/broken', code: 'malformed', message: 'section headers past the end' }]);
    expect(r.binaries[1].status).toBe('error');
    expect(outcome(r)).toBe('unanalysable');
    // It counts as matched: the artifact is not "missing".
    expect(rulesOf(run(plan('[[artifact]]\npath = "dist/bin/broken"\n'), [failed('dist/bin/broken', 'elf', 'malformed', 'x')]))).toEqual([]);
  });

  it('records one check per binary × artifact × rule (JUnit testcases)', () => {
    const r = run(plan('[[artifact]]\nname = "x"\npath = "**"\nlinkage = "dynamic"\npie = false\n'), [a, lib]);
    expect(r.checks.map((c) => [c.file, c.rule, c.findings.length])).toEqual([
      ['dist/bin/app', 'linkage', 0], ['dist/bin/app', 'pie', 1],
      ['dist/lib/libx.so.1', 'linkage', 0], ['dist/lib/libx.so.1', 'pie', 0],
    ]);
  });

  it('matchPath offers several spellings: relative (even with ..) and absolute', () => {
    const p = plan('[[artifact]]\npath = "../out/*"\n[[artifact]]\npath = "/abs/**"\n');
    const r = evaluate(p, [elfLit({ path: 'x' })], { matchPath: () => ['../out/x', '/abs/out/x'] });
    expect(r.binaries[0].artifacts).toEqual(['../out/*', '/abs/**']);
  });
});
