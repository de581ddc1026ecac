/**
 * Plan layers (docs/plan.md "Plan layers"): an upstream plan and a packager's override over the same committed
 * binaries, `extends` chains, LINKPLAN_PLAN, `skip`, list add/remove, target defaults equal to what `plan init`
 * wrote, and `plan show` round-tripping to the same findings. Plans are written at test time.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { initPlan, TARGET_DEFAULTS, type TargetFamily } from '../src/plan/init.js';
import { loadPlanLayers, type PlanIO } from '../src/plan/load.js';
import type { Finding } from '../src/plan/model.js';
import type { Plan } from '../src/plan/schema.js';
import { cli, SAMPLES } from './helpers.js';
import { elfLit, plan, run } from './plan-helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'linkplan-layers-'));
const put = (dir: string, name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };
const lines = (s: string) => s.split('\n').filter(Boolean);

/** Plans in memory: `extends` resolves like paths do, against the directory of the plan. */
function memory(files: Record<string, string>): PlanIO {
  return {
    read: (f) => (Object.hasOwn(files, f) ? { text: files[f] } : { error: 'cannot read plan: no such file' }),
    resolve: (from, rel) => posix.normalize(posix.join(posix.dirname(from), rel)),
    id: (f) => posix.normalize(f),
  };
}
function layered(files: Record<string, string>, ...names: string[]): Plan {
  const r = loadPlanLayers(names.map((file) => ({ file })), memory(files));
  if ('error' in r) throw new Error(JSON.stringify(r.errors));
  return r.plan;
}
function refused(files: Record<string, string>, ...names: string[]): string[] {
  const r = loadPlanLayers(names.map((file) => ({ file })), memory(files));
  if (!('error' in r)) throw new Error('expected the layers to be refused');
  return r.errors.map((e) => `${e.file}: ${e.key ? `${e.key}: ` : ''}${e.message}`);
}

const TREE = `${SAMPLES}/elf-tree/bin/*`;
const UPSTREAM = `version = 1
[[artifact]]
name = "tools"
path = "${TREE}"
linkage = "dynamic"
libs.openssl = "absent"
searchPaths = "no-absolute"
`;
const PACKAGER = `[[artifact]]
name = "tools"
preset = "distro"
libs.openssl = "dynamic"
`;

describe('an upstream plan and a packager override', () => {
  it('the override flips libs.openssl and a preset: the same binaries go from holding to violated, each finding naming its layer', () => {
    const d = tmp();
    const up = put(d, 'linkplan.toml', UPSTREAM);
    const pk = put(d, 'packager.toml', PACKAGER);
    const alone = cli(['verify', '--plan', up, '--format', 'json', `${SAMPLES}/elf-tree/bin`]);
    expect(alone.code, alone.stderr).toBe(0);
    const both = cli(['verify', '--plan', up, '--plan', pk, '--format', 'json', `${SAMPLES}/elf-tree/bin`]);
    expect(both.code, both.stderr).toBe(1);
    const fs = JSON.parse(both.stdout).findings as Finding[];
    // distro's deps.allow-provenance = ["system"] also flags the libfoo.so.1 the binaries bundle through $ORIGIN.
    expect(new Set(fs.map((f) => f.rule))).toEqual(new Set(['libs', 'rpath', 'runpath', 'deps-provenance']));
    expect(new Set(fs.map((f) => f.layer))).toEqual(new Set([pk]));
    // The table says so briefly; SARIF carries it in properties.
    const table = cli(['verify', '--plan', up, '--plan', pk, `${SAMPLES}/elf-tree/bin`], { columns: 400 });
    expect(table.stdout).toContain(`(set by ${pk})`);
    const sarif = JSON.parse(cli(['verify', '--plan', up, '--plan', pk, '--format', 'sarif', `${SAMPLES}/elf-tree/bin`]).stdout);
    expect(sarif.runs[0].results.map((r: { properties: { layer: string } }) => r.properties.layer)).toContain(pk);
    // Every report names it: JUnit in the failure text, GitHub annotations and Markdown after the sentence.
    const fmt = (f: string) => cli(['verify', '--plan', up, '--plan', pk, '--format', f, `${SAMPLES}/elf-tree/bin`]).stdout;
    expect(fmt('junit')).toContain(`layer: ${pk}`);
    expect(fmt('github')).toContain(`(set by ${pk.replace(/%/g, '%25')})`);
    expect(fmt('markdown')).toContain('(set by ');
  });

  it('a finding of a key the upstream plan set names the upstream plan, and the table says nothing more', () => {
    const d = tmp();
    const up = put(d, 'linkplan.toml', UPSTREAM.replace('linkage = "dynamic"', 'linkage = "static"'));
    const r = cli(['verify', '--plan', up, '--format', 'json', `${SAMPLES}/elf-tree/bin`]);
    expect(new Set((JSON.parse(r.stdout).findings as Finding[]).map((f) => f.layer))).toEqual(new Set([up]));
    expect(cli(['verify', '--plan', up, `${SAMPLES}/elf-tree/bin`]).stdout).not.toContain('(set by');
  });

  it('LINKPLAN_PLAN adds the environment layers, over every --plan', () => {
    const d = tmp();
    const up = put(d, 'linkplan.toml', UPSTREAM);
    const pk = put(d, 'packager.toml', PACKAGER);
    // A --plan over the upstream plan that the environment layer overrides again.
    const mid = put(d, 'mid.toml', '[[artifact]]\nname = "tools"\nlibs.openssl = "absent"\n');
    const old = process.env.LINKPLAN_PLAN;
    process.env.LINKPLAN_PLAN = `${join(d, 'nothing-here.toml')}`;
    try {
      const missing = cli(['verify', '--plan', up, `${SAMPLES}/elf-tree/bin`]);
      expect(missing.code).toBe(2);
      expect(lines(missing.stderr)).toEqual([`linkplan: ${join(d, 'nothing-here.toml')}: cannot read plan: no such file`]);
      process.env.LINKPLAN_PLAN = pk;
      const r = cli(['verify', '--plan', up, '--plan', mid, '--format', 'json', `${SAMPLES}/elf-tree/bin`]);
      expect(r.code).toBe(1);
      const fs = JSON.parse(r.stdout).findings as Finding[];
      expect(fs.find((f) => f.rule === 'libs')!.layer).toBe(`${pk} (LINKPLAN_PLAN)`);
      const shown = cli(['plan', 'show', '--plan', up, '--plan', mid]);
      expect(shown.stdout).toContain(`libs.openssl = "dynamic"  # ${pk} (LINKPLAN_PLAN)`);
    } finally {
      if (old === undefined) delete process.env.LINKPLAN_PLAN;
      else process.env.LINKPLAN_PLAN = old;
    }
  });

  it('plan show writes a libs table inline, and the samples\' plan shown is itself the same plan', () => {
    const d = tmp();
    const shown = cli(['plan', 'show', '--plan', 'samples/linkplan.toml']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`libs.zlib = { static = true, min = "1.2.13" }  # samples/linkplan.toml`);
    // Paths in a plan are relative to its folder: the shown plan beside the samples' own, in a copy of the samples.
    cpSync(SAMPLES, join(d, 's'), { recursive: true });
    const again = put(join(d, 's'), 'shown.toml', shown.stdout);
    const strip = (out: string) => (JSON.parse(out).findings as Finding[]).map(({ layer: _l, file: _f, ...f }) => f);
    const a = cli(['verify', '--plan', 'linkplan.toml', '--format', 'json', '.'], { cwd: join(d, 's') });
    const b = cli(['verify', '--plan', again, '--format', 'json', '.'], { cwd: join(d, 's') });
    expect([b.code, b.stderr]).toEqual([a.code, a.stderr]);
    // The samples' plan holds: what it checked (libs rules included) is what must be the same.
    const checks = (out: string) => (JSON.parse(out).checks as { file: string; rule: string }[]).map((c) => `${c.file} ${c.rule}`);
    expect(checks(b.stdout)).toEqual(checks(a.stdout));
    expect(checks(a.stdout).filter((c) => c.endsWith(' libs')).length).toBeGreaterThan(3);
    expect(strip(b.stdout)).toEqual(strip(a.stdout));
  });

  it('plan show round-trips: its TOML, as the only plan, gives the same findings as the layers', () => {
    const d = tmp();
    const up = put(d, 'linkplan.toml', UPSTREAM.replace('version = 1', 'version = 1\nunmatched = "error"\n[severity]\nrunpath = "warn"'));
    const pk = put(d, 'packager.toml', `${PACKAGER}needed.allow = { add = ["libc.so.6"] }\n[[artifact]]\nname = "libs"\n`
      + `path = "${SAMPLES}/elf-tree/lib/**"\ntarget = "x86_64-unknown-linux-gnu"\n`);
    const shown = cli(['plan', 'show', '--plan', up, '--plan', pk]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('# target default (x86_64-unknown-linux-gnu)');
    expect(shown.stdout).toContain(`runpath = "warn"  # ${up}`);
    const again = put(d, 'shown.toml', shown.stdout);
    const strip = (out: string) => (JSON.parse(out).findings as Finding[]).map(({ layer: _l, ...f }) => f);
    const a = cli(['verify', '--plan', up, '--plan', pk, '--format', 'json', `${SAMPLES}/elf-tree`]);
    const b = cli(['verify', '--plan', again, '--format', 'json', `${SAMPLES}/elf-tree`]);
    expect(a.code).toBe(1);
    expect(b.code).toBe(a.code);
    expect(strip(b.stdout)).toEqual(strip(a.stdout));
    expect(strip(a.stdout).length).toBeGreaterThan(3);
    // JSON: a source per value.
    const j = JSON.parse(cli(['plan', 'show', '--plan', up, '--plan', pk, '--format', 'json']).stdout);
    expect(j.layers).toEqual([up, pk]);
    expect(j.unmatched).toEqual({ value: 'error', source: up });
    expect(j.artifacts[0]['libs.openssl']).toEqual({ value: 'dynamic', source: pk });
    expect(j.artifacts[1].libc).toEqual({ value: ['glibc'], source: 'target default (x86_64-unknown-linux-gnu)' });
    // --target shows the artifacts verify --target would check.
    const t = JSON.parse(cli(['plan', 'show', '--plan', up, '--plan', pk, '--format', 'json', '--target', 'x86_64-unknown-linux-gnu']).stdout);
    expect(t.artifacts.map((x: { name: { value: string } }) => x.name.value)).toEqual(['libs']);
  });
});

describe('extends', () => {
  it('chains resolve relative to the plan that says it; lower layers first', () => {
    const p = layered({
      '/r/linkplan.toml': '[[artifact]]\nname = "app"\npath = "bin/*"\nlinkage = "dynamic"\npie = true\n',
      '/r/pkg/mid.toml': 'extends = "../linkplan.toml"\n[[artifact]]\nname = "app"\npie = false\n',
      '/r/pkg/deb/top.toml': 'extends = ["../mid.toml"]\nunmatched = "error"\n',
    }, '/r/pkg/deb/top.toml');
    expect(p.layers).toEqual(['/r/linkplan.toml', '/r/pkg/mid.toml', '/r/pkg/deb/top.toml']);
    expect(p.artifacts[0].expect).toEqual({ linkage: ['dynamic'], pie: false });
    expect(p.artifacts[0].sources).toMatchObject({ linkage: '/r/linkplan.toml', pie: '/r/pkg/mid.toml' });
    expect(p.unmatched).toBe('error');
  });

  it('a cycle is refused in one line naming the chain', () => {
    expect(refused({
      '/a.toml': 'extends = "b.toml"\n[[artifact]]\npath = "**"\n',
      '/b.toml': 'extends = "./a.toml"\n',
    }, '/a.toml')).toEqual(['/b.toml: extends: a cycle: /a.toml → /b.toml → /a.toml']);
    expect(refused({ '/a.toml': 'extends = "a.toml"\n[[artifact]]\npath = "**"\n' }, '/a.toml')).toEqual(['/a.toml: extends: a cycle: /a.toml → /a.toml']);
  });

  it('a missing file is refused, naming the plan that extends it', () => {
    expect(refused({ '/x/a.toml': 'extends = "../up.toml"\n[[artifact]]\npath = "**"\n' }, '/x/a.toml'))
      .toEqual(['/up.toml: cannot read plan: no such file (extended by /x/a.toml)']);
  });

  it('more than 8 deep is refused', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`/p${i}.toml`] = `extends = "p${i + 1}.toml"\n`;
    const e = refused(files, '/p0.toml');
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/^\/p8\.toml: extends: more than 8 plans deep: \/p0\.toml → .* → \/p9\.toml$/);
  });

  it('the CLI reads each layer through readPlanText: a directory as a layer is refused in one line', () => {
    const d = tmp();
    mkdirSync(join(d, 'dir.toml'));
    put(d, 'linkplan.toml', 'extends = "dir.toml"\n[[artifact]]\npath = "**"\n');
    const r = cli(['plan', 'show'], { cwd: d });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toEqual([`linkplan: dir.toml: is a directory, not a plan file (extended by linkplan.toml)`]);
  });
});

describe('merging', () => {
  const base = '[[artifact]]\nname = "app"\npath = "bin/app"\nneeded.allow = ["libc.so.6", "libm.so.6"]\n'
    + '[[artifact]]\nname = "tool"\npath = "bin/tool"\nlinkage = "static"\n';

  it('skip = true switches one artifact off; a new name adds one', () => {
    const p = layered({
      '/linkplan.toml': base,
      '/o.toml': '[[artifact]]\nname = "tool"\nskip = true\n[[artifact]]\nname = "extra"\npath = "bin/extra"\npie = true\n',
    }, '/linkplan.toml', '/o.toml');
    expect(p.artifacts.map((a) => a.name)).toEqual(['app', 'extra']);
    const r = run(p, [elfLit({ path: 'bin/tool' })]);
    expect(r.findings.map((f) => f.rule)).toContain('unmatched-binary');
  });

  it('lists replace, unless written { add } / { remove }', () => {
    const files = { '/linkplan.toml': base };
    const over = (line: string) => layered({ ...files, '/o.toml': `[[artifact]]\nname = "app"\n${line}\n` }, '/linkplan.toml', '/o.toml')
      .artifacts[0].expect.needed;
    expect(over('needed.allow = ["libz.so.1"]')).toEqual({ allow: ['libz.so.1'] });
    expect(over('needed.allow = { add = ["libz.so.1", "libc.so.6"] }')).toEqual({ allow: ['libc.so.6', 'libm.so.6', 'libz.so.1'] });
    expect(over('needed.allow = { remove = ["libm.so.6"] }')).toEqual({ allow: ['libc.so.6'] });
    expect(over('needed = { allow = { remove = ["libc.so.6"], add = ["libz.so.1"] } }')).toEqual({ allow: ['libm.so.6', 'libz.so.1'] });
    // The edit is checked like the list it edits.
    expect(refused({ ...files, '/o.toml': '[[artifact]]\nname = "app"\nneeded.allow = { add = ["lib[z"] }\n' }, '/linkplan.toml', '/o.toml'))
      .toEqual([expect.stringMatching(/^\/o\.toml: artifact\[0\]\.needed\.allow\.add\[0\]: malformed glob "lib\[z"/)]);
  });

  it('an edited list takes effect in findings, and the finding names the layer', () => {
    const p = layered(
      { '/linkplan.toml': base, '/o.toml': '[[artifact]]\nname = "app"\nneeded.allow = { remove = ["libm.so.6"] }\n' }, '/linkplan.toml', '/o.toml',
    );
    const r = run(p, [elfLit({ path: 'bin/app', needed: ['libc.so.6', 'libm.so.6'] })]);
    expect(r.findings.filter((f) => f.rule !== 'artifact-missing').map((f) => [f.rule, f.layer])).toEqual([['needed-allow', '/o.toml']]);
    // artifact-missing for the other artifact names the layer that set its path.
    expect(r.findings.filter((f) => f.rule === 'artifact-missing').map((f) => [f.artifact, f.layer])).toEqual([['tool', '/linkplan.toml']]);
  });

  it('a plan of one file edits its target defaults; artifacts and extends take no edits', () => {
    const p = plan('[[artifact]]\npath = "**"\ntarget = "x86_64-pc-windows-gnu"\ncrtStatic = true\n'
      + 'needed.forbid = { remove = ["libstdc++*.dll"], add = ["libssp*.dll"] }\n');
    expect(p.artifacts[0].expect.needed).toEqual({ forbid: ['libgcc_s*.dll', 'libwinpthread*.dll', 'libssp*.dll'] });
    expect(p.artifacts[0].sources?.['needed.forbid']).toBe('linkplan.toml');
    expect(refused({ '/linkplan.toml': base, '/o.toml': 'artifact = { add = [{ path = "x" }] }\n' }, '/linkplan.toml', '/o.toml'))
      .toEqual(['/o.toml: artifact: expected a list of tables, got a table']);
    expect(refused({ '/o.toml': 'extends = { add = ["x.toml"] }\n[[artifact]]\npath = "**"\n' }, '/o.toml'))
      .toEqual(['/o.toml: extends: expected a string, or a list of them, got a table']);
  });

  it('a layer artifact with neither name nor path, and a merged artifact without a path, are refused', () => {
    expect(refused({ '/linkplan.toml': base, '/o.toml': '[[artifact]]\npie = true\n' }, '/linkplan.toml', '/o.toml'))
      .toEqual(['/o.toml: artifact[0]: an artifact in a layer needs a name (to change that artifact of the layers below) or a path']);
    expect(refused({ '/linkplan.toml': base, '/o.toml': '[[artifact]]\nname = "new"\npie = true\n' }, '/linkplan.toml', '/o.toml'))
      .toEqual(['/o.toml: artifact[0].path: missing (required)']);
  });

  it('a preset named in a layer overrides the keys of the layers below', () => {
    const p = layered({
      '/linkplan.toml': '[[artifact]]\nname = "app"\npath = "**"\nrpath = ["$ORIGIN/../lib"]\n',
      '/o.toml': '[[artifact]]\nname = "app"\npreset = "distro"\n',
    }, '/linkplan.toml', '/o.toml');
    expect(p.artifacts[0].expect.rpath).toEqual([]);
    expect(p.artifacts[0].sources?.rpath).toBe('/o.toml');
  });
});

describe('target defaults', () => {
  // What `plan init` wrote before it wrote the short form, key by key: target defaults must give exactly these.
  const LONG: Record<TargetFamily, { static?: string; dynamic: string }> = {
    'linux-musl': { static: 'preset = "musl-static"\nlibc = ["musl", "unknown", "none"]', dynamic: 'preset = "musl-dynamic"' },
    'linux-gnu': { static: 'linkage = ["static", "static-pie"]\ninterpreter = false\nneeded.allow = []', dynamic: 'linkage = "dynamic"\nlibc = "glibc"' },
    'windows-msvc': { static: 'preset = "msvc-crt-static"', dynamic: 'preset = "msvc-crt-dynamic"' },
    'windows-gnu': {
      static: 'crt = ["mingw-msvcrt", "mingw-ucrt"]\nneeded.forbid = ["libgcc_s*.dll", "libwinpthread*.dll", "libstdc++*.dll"]',
      dynamic: 'crt = ["mingw-msvcrt", "mingw-ucrt"]',
    },
    'apple-darwin': { dynamic: 'preset = "macos-app"' },
  };
  const TRIPLES: Record<TargetFamily, [string, string]> = {
    'linux-musl': ['aarch64-unknown-linux-musl', 'aarch64'], 'linux-gnu': ['x86_64-unknown-linux-gnu', 'x86_64'],
    'windows-msvc': ['i686-pc-windows-msvc', 'i386'], 'windows-gnu': ['x86_64-pc-windows-gnullvm', 'x86_64'],
    'apple-darwin': ['aarch64-apple-darwin', 'aarch64'],
  };

  const cases = (Object.keys(TARGET_DEFAULTS) as TargetFamily[])
    .flatMap((f) => [true, false].filter((cs) => cs ? LONG[f].static : true).map((cs) => [f, cs] as const));
  it.each(cases)('%s, crt-static %s: what plan init writes equals the long form', (family, cs) => {
    const [triple, arch] = TRIPLES[family];
    const init = initPlan(triple, cs);
    if ('error' in init) throw new Error(init.error);
    expect(init.text).toContain(`target = "${triple}"`);
    const short = plan(init.text).artifacts[0];
    const long = plan(`[[artifact]]\npath = "**"\narch = "${arch}"\n${cs ? LONG[family].static : LONG[family].dynamic}\n`).artifacts[0];
    expect(short.expect).toEqual(long.expect);
    expect(short.sources?.arch).toBe(`target default (${triple})`);
  });

  it('every family is covered by the long forms above', () => expect(Object.keys(LONG).sort()).toEqual(Object.keys(TARGET_DEFAULTS).sort()));

  it('a plan states only what differs; a glob over targets takes every arch; different defaults are refused', () => {
    const p = plan('[[artifact]]\npath = "**"\ntarget = "*-unknown-linux-musl"\nneeded.allow = ["libc.so"]\n');
    expect(p.artifacts[0].expect.linkage).toEqual(['static', 'static-pie']);
    expect(p.artifacts[0].expect.needed).toEqual({ allow: ['libc.so'] });
    expect(p.artifacts[0].expect.arch).toEqual(expect.arrayContaining(['x86_64', 'aarch64', 'i386']));
    const bad = loadPlanLayers([{ file: '/p.toml' }], memory({
      '/p.toml': '[[artifact]]\npath = "**"\ntarget = ["x86_64-unknown-linux-gnu", "x86_64-pc-windows-msvc"]\n',
    }));
    expect('error' in bad && bad.error.message).toMatch(/takes in targets with different defaults \(linux-gnu, windows-msvc\): give each its own artifact/);
    const mac = loadPlanLayers([{ file: '/p.toml' }], memory({ '/p.toml': '[[artifact]]\npath = "**"\ntarget = "aarch64-apple-darwin"\ncrtStatic = true\n' }));
    expect('error' in mac && `${mac.error.key}: ${mac.error.message}`).toMatch(/^artifact\[0\]\.target: crt-static has no effect on aarch64-apple-darwin/);
  });

  it('findings of a target default name it', () => {
    const p = plan('[[artifact]]\npath = "**"\ntarget = "x86_64-unknown-linux-musl"\n');
    const r = run(p, [elfLit({ path: 'bin/app' })]);
    expect(new Set(r.findings.map((f) => f.layer))).toEqual(new Set(['target default (x86_64-unknown-linux-musl)']));
  });
});
