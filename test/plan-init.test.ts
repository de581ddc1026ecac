/**
 * `plan init` for each Rust target family: the plan it writes parses, encodes crt-static's per-platform meaning,
 * and accepts and rejects the samples it should. The CLI round trip (`plan init > linkplan.toml && verify`) too.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNELS, initPlan, nearestTargets, parseTarget } from '../src/plan/init.js';
import { RUST_TARGETS } from '../src/plan/targets.js';
import { describeFinding } from '../src/plan/messages.js';
import { cli, facts, sample, SAMPLES } from './helpers.js';
import { plan, run } from './plan-helpers.js';

const CASES: { target: string; crtStatic?: boolean; accepts: string[]; rejects: [string, string[]][] }[] = [
  {
    target: 'x86_64-unknown-linux-musl', accepts: ['elf/musl-static', 'elf/musl-static-pie', 'rust/musl-crt-static'],
    rejects: [
      ['elf/musl-dynamic', ['interpreter', 'linkage', 'needed-allow']], ['rust/libcdy.so', ['libc', 'linkage', 'needed-allow']],
      ['elf/libtiny32.so', ['arch', 'linkage']],
      // Static, but glibc's: not a musl build.
      ['elf/glibc-static', ['libc']],
    ],
  },
  {
    target: 'x86_64-unknown-linux-musl', crtStatic: false, accepts: ['elf/musl-dynamic'],
    rejects: [['elf/musl-static', ['linkage']], ['elf/glibc-pie', ['libc']]],
  },
  {
    target: 'x86_64-unknown-linux-gnu', crtStatic: true, accepts: ['rust/crt-static', 'rust/crt-static-nopie', 'elf/glibc-static-pie'],
    rejects: [
      ['rust/dynamic', ['interpreter', 'linkage', 'needed-allow']], ['rust/libcdy.so', ['linkage', 'needed-allow']],
      ['rust/librdy.so', ['linkage', 'needed-allow']],
    ],
  },
  {
    target: 'x86_64-unknown-linux-gnu', accepts: ['rust/dynamic', 'rust/libcdy.so', 'rust/use-rdy'],
    rejects: [['rust/crt-static', ['linkage']], ['elf/musl-dynamic', ['libc']], ['elf/i386-pie', ['arch']]],
  },
  { target: 'i686-unknown-linux-gnu', accepts: ['elf/i386-pie'], rejects: [['elf/glibc-pie', ['arch']]] },
  {
    target: 'x86_64-pc-windows-msvc', crtStatic: true,
    accepts: ['pe/msvc/x64/mt_like.dll', 'pe/msvc/x64/use_md.exe', 'pe/msvc/x64/resonly.dll'],
    rejects: [
      ['pe/msvc/x64/md_like.dll', ['crt', 'needed-forbid', 'needed-forbid', 'needed-forbid']],
      ['pe/msvc/x64/debug.dll', ['crt', 'crt-debug', 'needed-forbid', 'needed-forbid']], ['pe/msvc/arm64/mt_like.dll', ['arch']],
    ],
  },
  {
    target: 'x86_64-pc-windows-msvc', accepts: ['pe/msvc/x64/md_like.dll', 'pe/msvc/x64/msvcp.dll'],
    rejects: [['pe/msvc/x64/mt_like.dll', ['crt']], ['pe/msvc/x64/debug.dll', ['crt', 'crt-debug']]],
  },
  {
    target: 'aarch64-pc-windows-msvc', crtStatic: true, accepts: ['pe/msvc/arm64/mt_like.dll'],
    rejects: [['pe/msvc/arm64/hybrid.dll', ['crt', 'needed-forbid', 'needed-forbid']]],
  },
  { target: 'i686-pc-windows-msvc', accepts: ['pe/msvc/x86/md_like.dll'], rejects: [['pe/msvc/x64/md_like.dll', ['arch']]] },
  {
    target: 'x86_64-pc-windows-gnu', crtStatic: true,
    accepts: ['pe/mingw/pthread-static.exe', 'pe/mingw/cxx-static.dll', 'rust/hello-windows-gnu.exe'],
    rejects: [
      ['pe/mingw/pthread-dyn.exe', ['needed-forbid']], ['pe/mingw/cxx-dyn.exe', ['needed-forbid', 'needed-forbid']],
      ['pe/mingw/hello32.exe', ['arch']],
    ],
  },
  { target: 'x86_64-pc-windows-gnu', accepts: ['pe/mingw/pthread-dyn.exe', 'pe/mingw/hello-ucrt.exe'], rejects: [['pe/msvc/x64/md_like.dll', ['crt']]] },
  {
    target: 'aarch64-apple-darwin', accepts: ['macho/arm64/bin/usefoo', 'macho/arm64/lib/libfoo.dylib'],
    rejects: [['macho/arm64/bin/homebrew-user', ['dylibs-allow', 'dylibs-allow']], ['macho/x86_64/bin/hello', ['arch']]],
  },
  { target: 'x86_64-apple-darwin', accepts: ['macho/x86_64/bin/upward'], rejects: [['macho/universal/bin/mismatch', ['arch', 'search-paths']]] },
];

describe('plan init', () => {
  const flag = (c: (typeof CASES)[number]) => (c.crtStatic === undefined ? 'default' : c.crtStatic ? '--crt-static' : '--no-crt-static');
  it.each(CASES.map((c) => [c.target, flag(c), c] as const))('%s %s', (_t, _f, c) => {
    const r = initPlan(c.target, c.crtStatic);
    if ('error' in r) throw new Error(r.error);
    const p = plan(r.text);
    expect(p.artifacts).toHaveLength(1);
    expect(p.artifacts[0].paths).toEqual(['**']);
    expect(p.unmatched).toBe('error');
    for (const s of c.accepts) expect(run(p, [facts(sample(s))]).findings.map((f) => `${s}: ${f.rule}: ${describeFinding(f)}`)).toEqual([]);
    for (const [s, rules] of c.rejects) expect(run(p, [facts(sample(s))]).findings.map((f) => f.rule).sort(), s).toEqual(rules);
  });

  it('crt-static on musl and gnu flags a shared object with the reason', () => {
    const r = initPlan('x86_64-unknown-linux-gnu', true) as { text: string };
    const f = run(plan(r.text), [facts(sample('rust/libcdy.so'))]).findings.find((x) => x.rule === 'linkage')!;
    expect(describeFinding(f)).toMatch(/shared library.*crt-static cannot make a shared object static/);
  });

  it('writes the short form: the target, and crtStatic only where it is not rustc\'s default', () => {
    const t = (x: string, cs?: boolean) => (initPlan(x, cs) as { text: string }).text;
    expect(t('x86_64-unknown-linux-musl')).toMatch(/\ntarget = "x86_64-unknown-linux-musl"\n$/);
    expect(t('x86_64-unknown-linux-musl', true)).not.toContain('crtStatic');
    expect(t('x86_64-unknown-linux-musl', false)).toMatch(/\ncrtStatic = false\n$/);
    expect(t('x86_64-pc-windows-msvc', true)).toMatch(/\ncrtStatic = true\n$/);
    // The keys the target stands for are comments, not keys: the plan states only what differs.
    expect(t('x86_64-unknown-linux-gnu')).toContain(
      '# The target\'s defaults (`linkplan plan show` prints them): linkage = ["dynamic"], libc = ["glibc"], arch = "x86_64".',
    );
    expect(t('x86_64-unknown-linux-gnu')).not.toMatch(/^linkage/m);
  });

  it('crt-static defaults follow rustc: on for musl, off elsewhere', () => {
    expect((initPlan('aarch64-unknown-linux-musl') as { text: string }).text).toContain('preset = "musl-static"');
    expect((initPlan('aarch64-unknown-linux-musl') as { text: string }).text).toContain('arch = "aarch64"');
    expect((initPlan('x86_64-pc-windows-msvc') as { text: string }).text).toContain('preset = "msvc-crt-dynamic"');
    expect((initPlan('riscv64gc-unknown-linux-gnu') as { text: string }).text).toContain('arch = "riscv64"');
  });

  it.each([
    ['aarch64-apple-darwin', true, /no static libSystem/],
    ['wasm32-unknown-unknown', undefined, /^wasm32-unknown-unknown is a Rust target, but linkplan has no plan family for it \(supported: /],
    ['x86_64', undefined, /^"x86_64" is not a Rust target \(rustc 1\.95\.0 --print target-list\)$/],
  ] as const)('refuses %s (crt-static %s)', (t, cs, re) => {
    const r = initPlan(t, cs);
    expect(r).toHaveProperty('error');
    expect((r as { error: string }).error).toMatch(re);
  });

  it('every rustc target is recognised: two-component ones (wasm32-wasip1) are unsupported, not "not a triple"', () => {
    expect(RUST_TARGETS).toContain('wasm32-wasip1');
    expect(RUST_TARGETS.length).toBeGreaterThan(300);
    const supported = RUST_TARGETS.filter((t) => !('error' in parseTarget(t)));
    for (const t of RUST_TARGETS) {
      const r = parseTarget(t);
      const unsupported = /is a Rust target, but linkplan has no plan family for it \(supported: .*musl.*gnu.*windows-msvc.*windows-gnu.*apple-darwin\)$/;
      if ('error' in r) expect(r.error, t).toMatch(unsupported);
    }
    expect(supported).toEqual(expect.arrayContaining([
      'x86_64-unknown-linux-musl', 'aarch64-pc-windows-gnullvm', 'arm64e-apple-darwin', 'armv7-unknown-linux-gnueabihf',
    ]));
    expect(supported).not.toContain('aarch64-apple-ios');
    const r = cli(['plan', 'init', '--target', 'wasm32-wasip1']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('linkplan: wasm32-wasip1 is a Rust target, but linkplan has no plan family for it (supported: *-linux-musl*, *-linux-gnu*, '
      + '*-windows-msvc, *-windows-gnu, *-windows-gnullvm, *-apple-darwin)\n');
  });

  it('an unknown triple is not a Rust target, with a bounded did-you-mean from the list', () => {
    const r = cli(['plan', 'init', '--target', 'x86_64-unkown-linux-musl']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^linkplan: "x86_64-unkown-linux-musl" is not a Rust target \(rustc 1\.95\.0 --print target-list\); /);
    expect(r.stderr).toContain('did you mean "x86_64-unknown-linux-musl"');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(nearestTargets('x86_64-unknown-linux')).toHaveLength(3);
    expect(nearestTargets('aarch64-apple-darwn')[0]).toBe('"aarch64-apple-darwin"');
    expect(nearestTargets('zzzz')).toEqual([]);
    const long = initPlan(`x86_64-${'a'.repeat(100_000)}`) as { error: string };
    expect(long.error.length).toBeLessThan(300);
    expect(long.error).not.toContain('did you mean');
  });

  it('plan init > linkplan.toml && verify works as is (CLI)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'linkplan-init-'));
    const init = cli(['plan', 'init', '--target', 'x86_64-unknown-linux-musl'], { cwd: dir });
    expect(init.code).toBe(0);
    expect(init.stderr).toBe('');
    writeFileSync(join(dir, 'linkplan.toml'), init.stdout);
    const ok = cli(['verify', join(SAMPLES, 'elf/musl-static'), join(SAMPLES, 'rust/musl-crt-static')], { cwd: dir });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const bad = cli(['verify', join(SAMPLES, 'elf/musl-dynamic')], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(cli(['plan', 'init', '--target', 'aarch64-apple-darwin', '--crt-static']).code).toBe(2);
    expect(cli(['plan', 'init']).code).toBe(2);
    // A Cargo target directory as cargo leaves it: the host build script and a proc-macro are not what ships.
    const t = join(dir, 'target');
    mkdirSync(join(t, 'x86_64-unknown-linux-musl/release'), { recursive: true });
    mkdirSync(join(t, 'release/build/foo-1'), { recursive: true });
    mkdirSync(join(t, 'release/deps'), { recursive: true });
    copyFileSync(join(SAMPLES, 'elf/musl-static'), join(t, 'x86_64-unknown-linux-musl/release/myapp'));
    copyFileSync(join(SAMPLES, 'elf/glibc-pie'), join(t, 'release/build/foo-1/build-script-build'));
    copyFileSync(join(SAMPLES, 'elf/libfoo.so.1'), join(t, 'release/deps/libserde_derive-0123.so'));
    // A release tarball's own release/deps/ folder is what ships: checked (the ignore list is Cargo's target/ only).
    mkdirSync(join(dir, 'rel/app/release/deps'), { recursive: true });
    copyFileSync(join(SAMPLES, 'elf/musl-static'), join(dir, 'rel/app/release/deps/tool'));
    const shipped = cli(['verify', 'rel'], { cwd: dir });
    expect(shipped.stdout).toMatch(/1 binary checked/);
    const cargo = cli(['verify', 'target/'], { cwd: dir });
    expect([cargo.code, cargo.stdout.trim().split('\n').pop()])
      .toEqual([0, 'plan holds: 1 binary checked against linkplan.toml: 1 passed, 0 failed; 0 errors, 0 warnings']);
  });

  it('--channel: a plan for a release channel, with or without a target; the channel\'s preset is the artifact\'s', () => {
    for (const ch of CHANNELS) {
      const r = initPlan(undefined, undefined, ch);
      if ('error' in r) throw new Error(r.error);
      const p = plan(r.text);
      expect(p.artifacts.map((a) => [a.name, a.preset, a.paths])).toEqual([[ch, ch, ['**']]]);
      expect(r.text).toContain(`# Channel ${ch}: `);
    }
    const t = plan((initPlan(undefined, undefined, 'tarball') as { text: string }).text);
    expect(t.artifacts[0].expect.deps).toEqual({ resolve: 'inside-root', 'allow-provenance': ['system', 'apple-system', 'crt', 'bundled'] });
    expect(run(t, [facts(sample('elf-tree/bin/use-rpath'))]).findings).toEqual([]);
    expect(run(t, [facts(sample('rust/use-rdy'))]).findings.map((f) => f.rule)).toEqual(['deps-resolve', 'deps-resolve']);
    // A target and a channel: the target's defaults, then the channel's preset over them.
    const mac = initPlan('aarch64-apple-darwin', undefined, 'app-bundle') as { text: string };
    expect(mac.text).toContain('target = "aarch64-apple-darwin"\n# Channel app-bundle: ');
    const m = plan(mac.text);
    expect(run(m, [facts(sample('macho/arm64/bin/usefoo'))]).findings).toEqual([]);
    expect(run(m, [facts(sample('macho/arm64/bin/homebrew-user'))]).findings.map((f) => f.rule).sort())
      .toEqual(['deps-resolve', 'deps-resolve', 'dylibs-allow', 'dylibs-allow']);
    const bad = cli(['plan', 'init', '--channel', 'tarbal']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('linkplan: "tarbal" is not a channel (expected distro, tarball, app-bundle, homebrew-formula, windows-portable, '
      + 'windows-installer); did you mean "tarball"?\n');
    const ok = cli(['plan', 'init', '--channel', 'windows-portable']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('preset = "windows-portable"');
  });

  it('a target and a channel: what both allow, or refused where nothing can hold both', () => {
    // crt-static survives a channel that allows the dynamic CRT too: the plan states the intersection.
    const both = initPlan('x86_64-pc-windows-msvc', true, 'windows-installer') as { text: string };
    expect(both.text).toContain('preset = "windows-installer"\n# crt: what both the target and the channel allow.\ncrt = ["msvc-static","none"]\n');
    const p = plan(both.text);
    expect(p.artifacts[0].expect.crt).toEqual(['msvc-static', 'none']);
    expect(p.artifacts[0].expect.needed?.forbid).toEqual(expect.arrayContaining(['vcruntime*.dll', 'libgcc_s*.dll']));
    expect(run(p, [facts(sample('pe/msvc/x64/md_like.dll'))]).findings.map((f) => f.rule)).toContain('crt');
    expect(run(p, [facts(sample('pe/msvc/x64/mt_like.dll'))]).findings.filter((f) => f.rule === 'crt' || f.rule === 'needed-forbid')).toEqual([]);
    for (const [triple, cs, ch, want] of [
      ['x86_64-unknown-linux-musl', undefined, 'distro', 'asks for linkage = ["dynamic"], but x86_64-unknown-linux-musl with crt-static gives '
        + 'linkage = ["static","static-pie"]: no binary holds both (choose another channel, or --no-crt-static, or write the plan by hand)'],
      ['x86_64-pc-windows-gnu', undefined, 'windows-installer', 'asks for crt = ["msvc-dynamic","msvc-static","msvc-hybrid","none"], but '
        + 'x86_64-pc-windows-gnu without crt-static gives crt = ["mingw-msvcrt","mingw-ucrt"]'],
    ] as const) {
      const r = initPlan(triple, cs, ch);
      expect(r).toEqual({ error: expect.stringContaining(`--channel ${ch} ${want}`) });
      const c = cli(['plan', 'init', '--target', triple, '--channel', ch]);
      expect([c.code, c.stdout]).toEqual([2, '']);
    }
    // Without crt-static, musl and distro agree: nothing to restate.
    expect((initPlan('x86_64-unknown-linux-musl', false, 'distro') as { text: string }).text).toMatch(/preset = "distro"\n$/);
    const flags = cli(['plan', 'init', '--target', 'x86_64-pc-windows-msvc', '--crt-static', '--no-crt-static']);
    expect([flags.code, flags.stdout, flags.stderr])
      .toEqual([2, '', 'linkplan: plan init: --crt-static and --no-crt-static contradict each other: give one\n']);
  });
});
