/**
 * Hostile plans and hostile names: inputs built to make a backtracking matcher, a quadratic validator or an
 * unbounded error message blow up. Every input is generated here; the tests assert outcomes only (no timings):
 * the matcher is linear, so each case simply finishes.
 */
import { describe, expect, it } from 'vitest';
import { compileGlob, matchesPath, matchName } from '../src/plan/glob.js';
import { parsePlan } from '../src/plan/load.js';
import { outcome } from '../src/plan/evaluate.js';
import { MAX_ARTIFACTS, MAX_GLOB_LENGTH, MAX_GLOBS_PER_LIST, MAX_GLOBS_PER_PLAN, quote } from '../src/plan/limits.js';
import { formatPlanError, type PlanError } from '../src/plan/schema.js';
import { elfLit, peLit, plan, planFor, rulesOf, run } from './plan-helpers.js';

/** The plan error a text produces (the test fails if it parses). */
function planError(text: string, file = 'linkplan.toml'): PlanError {
  const r = parsePlan(text, file);
  if (!('error' in r)) throw new Error('expected a plan error');
  return r.error;
}
const oneLine = (e: PlanError) => {
  const line = formatPlanError(e);
  expect(line).not.toContain('\n');
  return line;
};

describe('hostile names against plan globs', () => {
  // 27.6 s with picomatch: each "*" backtracks over every split of the dashes.
  const dashes = `api-ms-win-${'-'.repeat(4000)}x0`;

  it('api-ms-win- + 4,000 dashes + x0 does not match api-ms-win-*-*-*.dll', () => {
    expect(matchName(['api-ms-win-*-*-*.dll'], dashes, true)).toBeUndefined();
    expect(matchName(['api-ms-win-*-*-*.dll'], `${dashes}.dll`, true)).toBe('api-ms-win-*-*-*.dll');
  });

  it('a PE importing hundreds of such DLLs against needed.allow: one needed-allow finding', () => {
    // With an extension of their own (without one, the loader's `.dll` is appended, and the glob allows them).
    const dlls = Array.from({ length: 200 }, (_, i) => `${dashes}${i}.drv`);
    const pe = peLit({ needed: dlls, imports: dlls.map((dll) => ({ dll, class: 'other', functions: [], bound: false })) as never });
    const r = run(planFor('needed.allow = ["api-ms-win-*-*-*.dll", "kernel32.dll"]'), [pe]);
    expect(rulesOf(r)).toEqual(['needed-allow']);
    expect(outcome(r)).toBe('violated');
  });

  it('**/*a*a*a*a*a*a*b against a 3.8k-character path (over 60 s with picomatch)', () => {
    const path = `${'a/'.repeat(200)}${'a'.repeat(3400)}`;
    expect(path.length).toBeGreaterThanOrEqual(3800);
    expect(matchesPath(['**/*a*a*a*a*a*a*b'], path)).toBe(false);
    expect(matchesPath(['**/*a*a*a*a*a*a*b'], `${path}b`)).toBe(true);
    const r = run(plan('unmatched = "error"\n[[artifact]]\npath = "**/*a*a*a*a*a*a*b"\n'), [elfLit({ path })]);
    expect(r.binaries[0].status).toBe('unmatched');
  });

  it('names of hundreds of thousands of characters cost linear time in every glob-matching rule', () => {
    const huge = 'x'.repeat(500_000);
    const elf = elfLit({
      needed: [`lib${huge}.so`, `libssl.so.${huge}`], soname: `lib${huge}`, rpath: [`$ORIGIN/${huge}`], runpath: [`/${huge}`],
      interpreter: `/lib/${huge}`, type: 'shared-library', pie: null,
    });
    const p = planFor([
      'needed.allow = ["lib*x*x*x*x*y.so"]', 'needed.forbid = ["*x*x*x*x*y*"]', 'soname = "lib*x*x*x*y"',
      'rpath = ["$ORIGIN/**/*x*x*y"]', 'runpath = "no-absolute"', 'libs.openssl = "absent"',
    ].join('\n'));
    expect(rulesOf(run(p, [elf]))).toEqual(['libs', 'needed-allow', 'rpath', 'runpath', 'soname']);
    expect(compileGlob('*x*x*x*x*x*x*x*x*y')(huge)).toBe(false);
    expect(compileGlob('**/*x*x*x*x*x*x*x*x*y', true)(`${'x/'.repeat(50_000)}${huge}`)).toBe(false);
  });

  it('a brace-heavy glob compiles into alternation, not an expansion: 2^32 spellings still cost one pass', () => {
    const p = `${'{a,b}'.repeat(32)}c`;
    expect(compileGlob(p)(`${'ab'.repeat(16)}c`)).toBe(true);
    expect(compileGlob(p)(`${'ab'.repeat(16)}d`)).toBe(false);
    expect(compileGlob(p)('a'.repeat(100_000))).toBe(false);
  });
});

describe('path = "**" covers names a regex "." would not', () => {
  const NAMES = ['bad\nname', 'dir/bad\nname', 'bad\rname', 'bad\u2028name', 'sub/\ud800x'];
  it.each(NAMES)('musl-static plan, binary %j: matched by the artifact, and failing it', (path) => {
    const p = plan('unmatched = "ignore"\n[[artifact]]\nname = "all"\npath = "**"\npreset = "musl-static"\n');
    const r = run(p, [elfLit({ path })]);
    expect(r.binaries).toEqual([expect.objectContaining({ file: path, artifacts: ['all'], status: 'fail' })]);
    expect(rulesOf(r)).toEqual(['interpreter', 'linkage', 'needed-allow']);
    expect(outcome(r)).toBe('violated');
  });

  it('ignore = "**" hides them too, and exclude = "**/*" takes them out of an artifact', () => {
    expect(run(plan('ignore = "**"\n[[artifact]]\npath = "**"\n'), [elfLit({ path: 'bad\nname' })]).binaries).toEqual([]);
    const r = run(plan('unmatched = "error"\n[[artifact]]\npath = "**"\nexclude = "**/*"\n'), [elfLit({ path: 'd/bad\nname' })]);
    expect(r.binaries[0].status).toBe('unmatched');
  });
});

describe('plan cost limits', () => {
  it('300k path globs (3.5 MB, under the 4 MiB plan limit): one-line error naming the key and the limit', () => {
    const text = `[[artifact]]\npath = [${Array.from({ length: 300_000 }, (_, i) => `"bin/${i}*"`).join(',')}]\n`;
    expect(text.length).toBeGreaterThan(3_000_000);
    expect(text.length).toBeLessThan(4 << 20);
    const e = planError(text);
    expect(e.key).toBe('artifact[0].path');
    expect(oneLine(e)).toBe(`linkplan.toml: artifact[0].path: 300000 globs, more than the limit of ${MAX_GLOBS_PER_LIST}`);
  });

  it('the same in every glob list (ignore, exclude, needed.forbid, delayImports, rpath entries)', () => {
    const globs = `[${Array.from({ length: MAX_GLOBS_PER_LIST + 1 }, (_, i) => `"x${i}"`).join(',')}]`;
    expect(planError(`ignore = ${globs}\n[[artifact]]\npath = "**"\n`).key).toBe('ignore');
    for (const k of ['exclude', 'needed.forbid', 'delayImports', 'rpath', 'interpreter']) {
      const e = planError(`[[artifact]]\npath = "**"\n${k} = ${globs}\n`);
      expect(e.key).toBe(`artifact[0].${k}`);
      expect(e.message).toBe(`${MAX_GLOBS_PER_LIST + 1} globs, more than the limit of ${MAX_GLOBS_PER_LIST}`);
    }
  });

  it('globs in the whole plan are capped too, at the first glob over the limit', () => {
    const list = `[${Array.from({ length: 4000 }, (_, i) => `"x${i}"`).join(',')}]`;
    const text = Array.from({ length: 17 }, () => `[[artifact]]\npath = ${list}\n`).join('');
    const e = planError(text);
    expect(e.key).toBe(`artifact[16].path[${MAX_GLOBS_PER_PLAN - 16 * 4000}]`);
    expect(e.message).toBe(`more than ${MAX_GLOBS_PER_PLAN} globs in the plan (the limit)`);
  });

  it('a plan at the limits is fine: 4,096 artifacts holding 65,536 globs', () => {
    const paths = (a: number) => Array.from({ length: 16 }, (_, i) => `d${a}/${i}/*`);
    const text = Array.from({ length: MAX_ARTIFACTS }, (_, a) => `[[artifact]]\npath = ${JSON.stringify(paths(a))}\n`).join('');
    const r = parsePlan(text, 'linkplan.toml');
    if ('error' in r) throw new Error(formatPlanError(r.error));
    expect(r.plan.artifacts).toHaveLength(MAX_ARTIFACTS);
    const rep = run(r.plan, [elfLit({ path: 'd4095/15/x' }), elfLit({ path: 'none' })]);
    expect(rep.binaries.map((b) => b.artifacts)).toEqual([[paths(4095).join(', ')], []]);
  });

  it('more artifacts than the limit', () => {
    const text = '[[artifact]]\npath = "x"\n'.repeat(MAX_ARTIFACTS + 1);
    const e = planError(text);
    expect(oneLine(e)).toBe(`linkplan.toml: artifact: ${MAX_ARTIFACTS + 1} entries, more than the limit of ${MAX_ARTIFACTS}`);
  });

  it('a glob longer than the limit, quoted short', () => {
    const g = `bin/${'a'.repeat(MAX_GLOB_LENGTH)}`;
    const e = planError(`[[artifact]]\npath = "${g}"\n`);
    expect(e.message).toBe(`a glob of ${g.length} characters, more than the limit of ${MAX_GLOB_LENGTH}`);
    const json = planError(JSON.stringify({ artifact: [{ path: '**', needed: { allow: [`*${'a*'.repeat(3000)}`] } }] }), 'linkplan.json');
    expect(json.key).toBe('artifact[0].needed.allow[0]');
    expect(json.message).toContain('more than the limit of 4096');
  });
});

describe('plan errors stay short', () => {
  it('a 4 MB unknown key: no edit distance over it, and the message quotes at most 120 characters of it', () => {
    const key = 'k'.repeat(4_000_000);
    const e = planError(`${key} = 1\n[[artifact]]\npath = "**"\n`);
    const line = oneLine(e);
    expect(line.length).toBeLessThan(500);
    expect(line).not.toContain('did you mean');
    expect(line).toContain('(4000000 characters)');
    expect(line).toMatch(/^linkplan\.toml: \["k{120}"… \(4000000 characters\)\]: unknown key \(expected one of: /);
  });

  it('a 4 MB unknown key inside an artifact, and in a map (severity, libs)', () => {
    const key = `linkage${'e'.repeat(4_000_000)}`;
    for (const where of ['', 'severity.', 'libs.']) {
      const line = oneLine(planError(`[[artifact]]\npath = "**"\n${where}${key} = "static"\n`));
      expect(line.length).toBeLessThan(500);
      expect(line).not.toContain('did you mean');
    }
  });

  it('a 4 MB enum value or version string: quoted short, no suggestion', () => {
    const v = `stati${'c'.repeat(4_000_000)}`;
    for (const k of ['linkage', 'preset', 'glibcMax', 'unmatched', 'severity.pie']) {
      const line = oneLine(planError(`[[artifact]]\npath = "**"\n${k} = "${v}"\n`));
      expect(line.length, k).toBeLessThan(500);
      expect(line).not.toContain('did you mean');
    }
  });

  it('short typos still get a suggestion', () => {
    expect(planError('[[artifact]]\npath = "**"\nlinkge = "static"\n').message).toBe('unknown key (did you mean "linkage"?)');
  });

  it('a long path glob with a backslash, a long malformed glob, a glob with a newline: one short line each', () => {
    for (const g of [`bin\\${'x'.repeat(1_000_000)}`, `bin/[${'x'.repeat(4000)}`, 'bin/[a\nb']) {
      const line = oneLine(planError(JSON.stringify({ artifact: [{ path: g }] }), 'linkplan.json'));
      expect(line.length).toBeLessThan(500);
    }
  });

  it('an unclosed bracket or brace: the documented one-line error', () => {
    expect(oneLine(planError('[[artifact]]\npath = "bin/[abc"\n'))).toBe('linkplan.toml: artifact[0].path: malformed glob "bin/[abc": Missing closing: "]"');
    expect(planError('[[artifact]]\npath = "**"\nneeded.forbid = ["libssl{3,1.1"]\n').message).toBe('malformed glob "libssl{3,1.1": Missing closing: "}"');
  });

  it('extglobs and POSIX classes are plan errors, not silently literal', () => {
    expect(planError('[[artifact]]\npath = "bin/@(a|b)"\n').message).toBe(
      'malformed glob "bin/@(a|b)": extglob "@(…)" is not supported: write alternatives as {a,b} (a literal "(" is [(])');
    expect(planError('[[artifact]]\npath = "**"\nneeded.allow = ["lib[[:alpha:]].so"]\n').message).toContain('POSIX class "[:alpha:]" is not supported');
  });

  it('keys named like Object.prototype members are unknown keys', () => {
    expect(planError('constructor = 1\n[[artifact]]\npath = "**"\n').message).toMatch(/^unknown key/);
    expect(planError('[[artifact]]\npath = "**"\ntoString = 1\n').message).toMatch(/^unknown key/);
    expect(planError('[[artifact]]\npath = "**"\nneeded.hasOwnProperty = 1\n').message).toMatch(/^unknown key/);
  });

  it('quote(): short strings as JSON, long ones cut with their length, never half a surrogate pair', () => {
    expect(quote('a\nb')).toBe('"a\\nb"');
    expect(quote('x'.repeat(120))).toBe(JSON.stringify('x'.repeat(120)));
    expect(quote('x'.repeat(121))).toBe(`${JSON.stringify('x'.repeat(120))}… (121 characters)`);
    expect(quote(`${'x'.repeat(119)}😀yy`)).toBe(`${JSON.stringify('x'.repeat(119))}… (123 characters)`);
  });
});
