/**
 * A plan with several mistakes names all of them in one run (it used to stop at the first: `prest`, then, once
 * fixed, `glibcMax`, then `"statik"`). Syntax errors stay one error: nothing after them can be read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlan } from '../src/plan/load.js';
import { formatPlanError, MAX_PLAN_ERRORS } from '../src/plan/schema.js';
import { cli } from './helpers.js';

const THREE = '[[artifact]]\npath = "**"\nprest = "musl-static"\nglibcMax = 2.28\nlinkage = "statik"\n';

const errorsOf = (text: string, file = 'linkplan.toml') => {
  const r = parsePlan(text, file);
  if (!('errors' in r)) throw new Error('expected plan errors');
  expect(r.error).toEqual(r.errors[0]);
  return r.errors.map(formatPlanError);
};

describe('plan errors: all of them, one line each', () => {
  it('three mistakes, three errors in document order', () => {
    expect(errorsOf(THREE)).toEqual([
      'linkplan.toml: artifact[0].prest: unknown key (did you mean "preset"?)',
      'linkplan.toml: artifact[0].glibcMax: expected a version string like "2.28", got 2.28',
      'linkplan.toml: artifact[0].linkage: expected "static", "static-pie" or "dynamic", got "statik" (did you mean "static"?)',
    ]);
  });

  it('across artifacts, lists, maps and missing keys', () => {
    const text = 'unmatched = "eror"\nseverity.piee = "off"\n[[artifact]]\npath = ["ok", 3, "bin/[x"]\n[[artifact]]\nname = "no path"\n';
    expect(errorsOf(text)).toEqual([
      'linkplan.toml: unmatched: expected "error", "warn" or "ignore", got "eror" (did you mean "error"?)',
      'linkplan.toml: severity.piee: unknown key (did you mean "pie"?)',
      'linkplan.toml: artifact[0].path[1]: expected a glob string, got 3',
      'linkplan.toml: artifact[0].path[2]: malformed glob "bin/[x": Missing closing: "]"',
      'linkplan.toml: artifact[1].path: missing (required)',
    ]);
  });

  it(`capped at ${MAX_PLAN_ERRORS}, then "… and N more errors"`, () => {
    const text = `[[artifact]]\npath = "**"\n${Array.from({ length: 70 }, (_, i) => `bad${i} = 1`).join('\n')}\n`;
    const errs = errorsOf(text);
    expect(errs).toHaveLength(MAX_PLAN_ERRORS + 1);
    expect(errs[MAX_PLAN_ERRORS]).toBe('linkplan.toml: … and 20 more errors');
  });

  it('two artifacts of one name: an error (a layer above could change only the first); one path list twice is not', () => {
    expect(errorsOf('[[artifact]]\nname = "A"\npath = "x"\n[[artifact]]\nname = "B"\npath = "y"\n[[artifact]]\nname = "A"\npath = "z"\n')).toEqual([
      'linkplan.toml: artifact[2].name: "A" is the name of artifact[0] too: give each artifact its own name',
    ]);
    expect('plan' in parsePlan('[[artifact]]\npath = "x"\nlinkage = "static"\n[[artifact]]\npath = "x"\npie = true\n', 'p.toml')).toBe(true);
  });

  it('a JSON plan with a key given twice: an error, as TOML\'s is, not the last one silently', () => {
    expect(errorsOf('{"artifact": [{"path": "**", "linkage": "static",\n "linkage": "dynamic"}]}', 'linkplan.json'))
      .toEqual(['linkplan.json:2:2: JSON: duplicate key "linkage" (only one may be given)']);
    // The same key in two objects, and a key's name as a value, are no duplicates.
    expect('plan' in parsePlan('{"artifact": [{"path": "linkage", "linkage": "static"}, {"path": "b", "linkage": "dynamic"}]}', 'p.json')).toBe(true);
  });

  it('an empty list of allowed values is an error (it would fail every binary); needed.allow = [] means no NEEDED', () => {
    expect(errorsOf('[[artifact]]\npath = "**"\nlinkage = []\ncrt = []\nneeded.allow = []\n')).toEqual([
      'linkplan.toml: artifact[0].linkage: an empty list allows nothing, so every binary would fail: give at least one value, or leave the key out',
      'linkplan.toml: artifact[0].crt: an empty list allows nothing, so every binary would fail: give at least one value, or leave the key out',
    ]);
  });

  it('a syntax error is still one error', () => {
    expect(errorsOf('[[artifact]]\npath = "**"\nprest = \nlinkage = "statik"\n')).toHaveLength(1);
    expect(errorsOf('{"artifact": [{"path": "**", "prest": 1,}]}', 'linkplan.json')).toHaveLength(1);
  });

  it('a valid plan still parses', () => {
    expect(parsePlan('[[artifact]]\npath = "**"\npreset = "musl-static"\n', 'linkplan.toml')).toHaveProperty('plan');
  });

  it('the CLI prints each error on its own line and exits 2 (plan check and verify)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linkplan-errors-'));
    writeFileSync(join(dir, 'linkplan.toml'), THREE);
    for (const args of [['plan', 'check', 'linkplan.toml'], ['verify', '--plan', 'linkplan.toml', 'x']]) {
      const r = cli(args, { cwd: dir });
      expect(r.code, args.join(' ')).toBe(2);
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines, r.stderr).toHaveLength(3);
      expect(lines[0]).toMatch(/artifact\[0\]\.prest: unknown key/);
      expect(lines[1]).toMatch(/artifact\[0\]\.glibcMax: expected a version string/);
      expect(lines[2]).toMatch(/artifact\[0\]\.linkage: .*"statik"/);
    }
  });
});
