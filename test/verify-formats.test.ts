/**
 * verify's machine formats: JSON (versioned), SARIF 2.1.0 validated against the official OASIS schema, JUnit
 * checked against the structure of the common Jenkins/Ant JUnit XSD, GitHub workflow annotations.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { failed, type BinaryResult } from '../src/facts/types.js';
import { evaluate } from '../src/plan/evaluate.js';
import { RULE_IDS } from '../src/plan/enums.js';
import { describeFinding } from '../src/plan/messages.js';
import type { VerifyReport } from '../src/plan/model.js';
import { renderVerifyGithub } from '../src/report/github.js';
import { renderVerifyJson } from '../src/report/verify-json.js';
import { renderVerifyJunit } from '../src/report/junit.js';
import { renderVerifySarif } from '../src/report/sarif.js';
import { renderVerifyTable } from '../src/report/verify-table.js';
import { cli, facts, ROOT, sample } from './helpers.js';
import { elfLit, machoLit, peLit, plan } from './plan-helpers.js';
import { parseXml, type El } from './xml.js';

// ------------------------------------------------------------------ fixtures: a holding, a violated, an unanalysable run
const P = plan(`unmatched = "warn"
[[artifact]]
name = "static & <friends>"
path = ["elf/musl-static*", "elf/glibc-pie", "pe/**", "macho/**"]
linkage = ["static", "static-pie"]
[[artifact]]
name = "never built"
path = "dist/app"
`, 'samples/linkplan.toml');
/** A sample as the CLI would name it from the repository root. */
const rel = (p: string): BinaryResult => ({ ...facts(sample(p)), path: `samples/${p}` });
const planRelative = { matchPath: (p: string) => p.replace(/^samples\//, '') };
const results: BinaryResult[] = [
  rel('elf/musl-static'), rel('elf/glibc-pie'), rel('pe/msvc/x64/debug.dll'), rel('macho/universal/bin/mismatch'), rel('rust/dynamic'),
  elfLit({ path: 'odd "name"/with <xml> & 100% , : chars\nnewline', linkage: 'static' }),
];
const violated = evaluate(P, results, planRelative);
const holds = evaluate(plan('[[artifact]]\npath = "**"\nlinkage = "static"\n'), [facts(sample('elf/musl-static'))]);
const broken = evaluate(P, [failed('misc/truncated-elf', 'elf', 'malformed', 'program header table runs past the end'), peLit(), machoLit()]);
const REPORTS: [string, VerifyReport][] = [['violated', violated], ['holds', holds], ['unanalysable', broken]];

const lines = (s: string) => s.split('\n').filter(Boolean);

// ------------------------------------------------------------------ SARIF
describe('SARIF', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sarif/sarif-schema-2.1.0.json'), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema's formats, checked for real rather than ignored.
  ajv.addFormat('uri', /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/);
  ajv.addFormat('uri-reference', /^[^\s]*$/);
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  const validate = ajv.compile(schema);

  it('the schema is the official one', () => {
    expect(schema.title).toBe('Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema');
    expect(Object.keys(schema.definitions)).toHaveLength(52);
    expect(schema.definitions.run.required).toEqual(['tool']);
  });

  it.each(REPORTS)('is valid SARIF 2.1.0 (%s)', (_n, r) => {
    const log = JSON.parse(renderVerifySarif(r, '1.2.3'));
    expect(validate(log), JSON.stringify(validate.errors, null, 1)).toBe(true);
  });

  it('one result per finding, with its rule, level, message and location', () => {
    const log = JSON.parse(renderVerifySarif(violated, '1.2.3'));
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((x: { id: string }) => x.id)).toEqual([...RULE_IDS]);
    expect(run.results).toHaveLength(violated.findings.length);
    violated.findings.forEach((f, i) => {
      const res = run.results[i];
      expect(res.ruleId).toBe(f.rule);
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(f.rule);
      expect(res.level).toBe(f.severity);
      expect(res.message.text).toContain(describeFinding(f));
      expect(res.properties).toMatchObject({ field: f.field, expected: f.expected, actual: f.actual });
    });
    const missing = run.results.find((x: { ruleId: string }) => x.ruleId === 'artifact-missing');
    expect(missing.locations[0].physicalLocation.artifactLocation.uri).toBe('samples/linkplan.toml');
    expect(run.invocations[0].executionSuccessful).toBe(true);
  });

  it('locations for code scanning: relative URIs against %SRCROOT%, absolute ones as file: URIs; rules carry help and tags', () => {
    const r = evaluate(P, [
      { ...facts(sample('elf/glibc-pie')), path: './samples/elf/glibc-pie' },
      { ...facts(sample('elf/musl-dynamic')), path: '/abs/dir with space/musl-dynamic' },
    ], { matchPath: () => 'elf/glibc-pie' });
    const log = JSON.parse(renderVerifySarif(r, '1', { srcRoot: '/work/repo' }));
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const run = log.runs[0];
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/repo/' } });
    const locs = run.results.map((x: { locations: { physicalLocation: { artifactLocation: unknown } }[] }) => x.locations[0].physicalLocation.artifactLocation);
    expect(locs).toContainEqual({ uri: 'samples/elf/glibc-pie', uriBaseId: '%SRCROOT%' });
    expect(locs).toContainEqual({ uri: 'file:///abs/dir%20with%20space/musl-dynamic' });
    const rule = run.tool.driver.rules.find((x: { id: string }) => x.id === 'nx-stack');
    expect(rule.help.markdown).toContain('non-executable stack');
    expect(rule.properties.tags).toEqual(['linkage', 'security']);
    expect(run.tool.driver.rules.every((x: { help: { text: string } }) => x.help.text.length > 20)).toBe(true);
  });

  it('files that could not be analysed are tool notifications and fail the execution', () => {
    const run = JSON.parse(renderVerifySarif(broken, '1')).runs[0];
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toContain('misc/truncated-elf');
  });
});

// ------------------------------------------------------------------ JUnit
/** The Jenkins/Ant JUnit XSD's required elements and attributes, and counts that add up. */
function checkJunit(doc: El): void {
  expect(doc.name).toBe('testsuites');
  let tests = 0, failures = 0, errors = 0;
  for (const suite of doc.children) {
    expect(suite.name).toBe('testsuite');
    for (const k of ['name', 'tests', 'failures', 'errors']) expect(suite.attrs, k).toHaveProperty(k);
    const cases = suite.children;
    expect(cases.every((c) => c.name === 'testcase')).toBe(true);
    expect(Number(suite.attrs.tests)).toBe(cases.length);
    let f = 0, e = 0;
    for (const c of cases) {
      expect(c.attrs.name).toMatch(/\S/);
      expect(c.attrs.classname).toMatch(/\S/);
      for (const child of c.children) {
        expect(['failure', 'error', 'system-out', 'skipped']).toContain(child.name);
        if (child.name === 'failure' || child.name === 'error') expect(child.attrs.message).toMatch(/\S/);
      }
      if (c.children.some((x) => x.name === 'failure')) f++;
      if (c.children.some((x) => x.name === 'error')) e++;
    }
    expect(Number(suite.attrs.failures)).toBe(f);
    expect(Number(suite.attrs.errors)).toBe(e);
    tests += cases.length; failures += f; errors += e;
  }
  expect(Number(doc.attrs.tests)).toBe(tests);
  expect(Number(doc.attrs.failures)).toBe(failures);
  expect(Number(doc.attrs.errors)).toBe(errors);
}

describe('JUnit', () => {
  it.each(REPORTS)('has the structure of the JUnit XSD (%s)', (_n, r) => checkJunit(parseXml(renderVerifyJunit(r))));

  it('one testcase per binary × rule per artifact suite, failing on error findings', () => {
    const doc = parseXml(renderVerifyJunit(violated));
    const suite = doc.children.find((x) => x.attrs.name === 'static & <friends>')!;
    const glibc = suite.children.filter((c) => c.attrs.classname === 'samples/elf/glibc-pie');
    expect(glibc.map((c) => c.attrs.name)).toEqual(['linkage']);
    expect(glibc[0].children[0].attrs.message).toBe('is dynamic, expected static or static-pie');
    const musl = suite.children.find((c) => c.attrs.classname === 'samples/elf/musl-static')!;
    expect(musl.children).toEqual([]);
    // Plan-level findings: the missing artifact (a failure) and the unmatched binary (a warning, so passing).
    const planSuite = doc.children.find((x) => x.attrs.name.startsWith('plan '))!;
    expect(planSuite.children.map((c) => [c.attrs.name, c.children.map((x) => x.name)])).toEqual([
      ['unmatched-binary', ['system-out']], ['unmatched-binary', ['system-out']], ['artifact-missing', ['failure']],
    ]);
    // debug.dll: a crt-debug testcase (crt-debug runs for every PE binary).
    expect(suite.children.filter((c) => c.attrs.classname.endsWith('debug.dll')).map((c) => c.attrs.name)).toEqual(['linkage', 'crt-debug']);
  });

  it('files that could not be analysed are <error> testcases', () => {
    const doc = parseXml(renderVerifyJunit(broken));
    const s = doc.children.find((x) => x.attrs.name === 'unanalysable')!;
    expect(s.children[0].children[0]).toMatchObject({ name: 'error', attrs: { message: 'program header table runs past the end' } });
  });
});

// ------------------------------------------------------------------ JSON, GitHub, table
describe('JSON', () => {
  it.each(REPORTS)('is versioned data with rendered messages (%s)', (name, r) => {
    const j = JSON.parse(renderVerifyJson(r, '1.2.3'));
    expect(j).toMatchObject({ schemaVersion: 1, tool: { name: 'linkplan', version: '1.2.3' }, outcome: name, summary: r.summary });
    expect(j.findings).toHaveLength(r.findings.length);
    for (const f of j.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining([
        'rule', 'severity', 'file', 'artifact', 'field', 'expected', 'actual', 'evidence', 'args', 'message',
      ]));
      expect(f.message).toMatch(/\S/);
    }
  });
});

describe('GitHub annotations', () => {
  it('one workflow command per finding and error, escaped, then a summary line', () => {
    const out = renderVerifyGithub(violated).trimEnd().split('\n');
    expect(out).toHaveLength(violated.findings.length + 1);
    for (const l of out.slice(0, -1)) expect(l).toMatch(/^::(error|warning) file=[^,:]+,title=[^,:]+::.+$/);
    // A line break in a file name is shown as "\n" (the sanitizer), never passed on even in its %0A form.
    const odd = out.find((l) => l.includes('chars\\nnewline'))!;
    expect(odd).toContain('file=odd "name"/with <xml> & 100%25 %2C %3A chars\\nnewline,');
    expect(out.at(-1)).toMatch(/^linkplan: 6 binaries checked against samples\/linkplan.toml: 1 passed, 3 failed, 2 not in the plan, 5 errors, 2 warnings$/);
    expect(renderVerifyGithub(broken)).toMatch(/^::error file=misc\/truncated-elf,title=linkplan%3A could not analyse::/m);
  });
});

describe('table', () => {
  it('one row per binary, the findings in words, and a verdict line', () => {
    const t = renderVerifyTable(violated, { width: 200, all: true });
    expect(t).toContain('samples/elf/glibc-pie');
    expect(t).toContain('✗ linkage: is dynamic, expected static or static-pie');
    expect(t).toContain('✓ ok');
    expect(t).toContain('! unmatched-binary: no artifact in the plan matches this binary');
    expect(t).toContain('error: samples/linkplan.toml: expected artifact missing: artifact "never built" matched no binary (patterns: dist/app)');
    expect(t).toMatch(/\[arm64\]|\[x86_64, arm64\]/);
    expect(t.trimEnd().split('\n').at(-1)).toMatch(/^plan violated: 6 binaries checked/);
    expect(renderVerifyTable(holds).trimEnd().split('\n').at(-1)).toMatch(/^plan holds: 1 binary checked/);
    expect(renderVerifyTable(broken)).toContain('error: misc/truncated-elf: could not be analysed');
  });

  it('by default lists only binaries with findings, and counts the rest in one line', () => {
    const t = renderVerifyTable(violated, { width: 200 });
    expect(t).not.toContain('✓ ok');
    expect(t).not.toContain('samples/elf/musl-static ');
    expect(t).toContain('✗ linkage: is dynamic, expected static or static-pie');
    expect(t).toContain('! unmatched-binary');
    expect(t).toMatch(/^✓ 1 more binary holds the plan \(--all lists every binary\)$/m);
    expect(t.trimEnd().split('\n').at(-1)).toMatch(/^plan violated: 6 binaries checked/);
    // Nothing wrong: no table at all, one line and the verdict.
    expect(renderVerifyTable(holds)).toBe('✓ 1 binary holds the plan (--all lists every binary)\n' +
      'plan holds: 1 binary checked against linkplan.toml: 1 passed, 0 failed; 0 errors, 0 warnings\n');
    const ignored = evaluate(
      plan('unmatched = "ignore"\n[[artifact]]\npath = "elf/musl-static"\n'), [rel('elf/musl-static'), rel('rust/dynamic')], planRelative,
    );
    expect(renderVerifyTable(ignored).split('\n')[0]).toBe('✓ 1 binary holds the plan; 1 not in the plan (ignored) (--all lists every binary)');
  });

  it('stays short over the whole samples tree: one line per finding, not per binary', () => {
    const r = cli(['verify', '--plan', 'samples/linkplan.toml', 'samples']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toHaveLength(2);
    expect(r.stdout).toMatch(/^✓ \d{3} binaries hold the plan/);
  });
});

describe('CLI formats', () => {
  beforeAll(() => expect(cli(['--version']).code).toBe(0));
  it.each(['json', 'sarif', 'junit', 'github', 'table'])('--format %s: exit codes hold for every format', (fmt) => {
    expect(cli(['verify', '--plan', 'samples/linkplan.toml', 'samples', '-f', fmt]).code).toBe(0);
    const bad = cli(['verify', '--plan', 'samples/plans/hardening.toml', 'samples/elf', '-f', fmt]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('');
    if (fmt === 'json' || fmt === 'sarif') JSON.parse(bad.stdout);
    if (fmt === 'junit') checkJunit(parseXml(bad.stdout));
  });
});
