/**
 * The terminal half of "linkplan in a real CI pipeline and a real terminal": tables fit the width, paths keep their
 * file name, colour follows NO_COLOR, universal binaries say where slices differ, links say what happened, and the
 * demo builds only when dist/ is stale.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayWidth, shortenPath } from '../src/report/text.js';
import { renderInspectTable, wrapIndented } from '../src/report/table.js';
import { terminalWidth, useColor } from '../src/cli/terminal.js';
import type { BinaryFacts, MachoFacts } from '../src/facts/types.js';
import { elfLit } from './plan-helpers.js';
import { facts, sample } from './helpers.js';
// @ts-expect-error: a plain .mjs script, no declarations
import { isStale } from '../scripts/build-if-stale.mjs';

const report = (binaries: BinaryFacts[], symlinks: { path: string; target: string; inTree: boolean }[] = []) =>
  ({ binaries, symlinks, notes: [], skipped: 0 });
const lines = (s: string) => s.trimEnd().split('\n');

describe('shortenPath', () => {
  const swc = 'node_modules/@swc/core-win32-ia32-msvc/swc-core-win32-ia32-msvc-1.16.22/package/swc.win32-ia32-msvc.node';
  it('keeps the file name whole and elides the middle', () => {
    const s = shortenPath(swc, 40);
    expect(displayWidth(s)).toBe(40);
    expect(s).toMatch(/^node_m.*…\/package\/swc\.win32-ia32-msvc\.node$/);
    expect(shortenPath(swc, 200)).toBe(swc);
  });
  it('an archive member keeps its inner base name', () => {
    expect(shortenPath('dist/release-artifacts.tgz!package/bin/tool', 16)).toMatch(/…\/bin\/tool$|…\/tool$/);
    expect(shortenPath('dir/a.tgz!tool-with-a-long-name', 24)).toMatch(/^d.*…!tool-with-a-long-name$/);
  });
  it('measures columns, never cuts a surrogate pair or a wide character, and always fits', () => {
    const p = '樣本/目錄/😀😀😀😀/名前の長いファイル.so';
    for (let w = 0; w <= 40; w++) {
      const s = shortenPath(p, w);
      expect(displayWidth(s), `${w}: ${s}`).toBeLessThanOrEqual(w);
      expect(s).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    }
    expect(shortenPath(p, 26)).toBe('樣…/名前の長いファイル.so');
    // A combining mark whose base was cut off is dropped rather than drawn on the "…".
    expect(shortenPath('dir/e\u0301e\u0301e\u0301e\u0301e\u0301e\u0301.so', 8)).not.toMatch(/…\u0301/);
  });
});

describe('useColor and terminalWidth', () => {
  it('colour only on a TTY, never with NO_COLOR set or --no-color', () => {
    expect(useColor({}, true, undefined)).toBe(true);
    expect(useColor({ NO_COLOR: '1' }, true, undefined)).toBe(false);
    expect(useColor({ NO_COLOR: '' }, true, undefined)).toBe(true); // no-color.org: set and non-empty
    expect(useColor({}, true, false)).toBe(false);
    expect(useColor({}, false, true)).toBe(false);
    expect(useColor({}, undefined, undefined)).toBe(false);
  });
  it('COLUMNS wins, then the terminal, then 120', () => {
    expect(terminalWidth({ COLUMNS: '80' }, 100)).toBe(80);
    expect(terminalWidth({}, 100)).toBe(100);
    expect(terminalWidth({ COLUMNS: 'wide' }, undefined)).toBe(120);
    expect(terminalWidth({ COLUMNS: '0' }, undefined)).toBe(120);
  });
});

describe('the inspect table fits the terminal', () => {
  const paths = [
    'node_modules/@swc/core-win32-ia32-msvc/swc-core-win32-ia32-msvc-1.16.22/package/swc.win32-ia32-msvc.node',
    'pkgs/中文目录/数据库/共享库.so',
    'pkgs/emoji-😀-dir/🚀rocket',
    'pkgs/combining/cafe\u0301-bin',
    'pkgs/release.tgz!package/bin/tool',
  ];
  const bins = paths.map((path, i) => elfLit({ path, needed: Array.from({ length: i }, (_, k) => `lib${k}.so`), runpath: i ? ['$ORIGIN/../lib'] : [] }));
  it.each([80, 100, 120, 200])('one row per binary; every table line the same width, none over %i columns', (cols) => {
    const out = renderInspectTable(report(bins), { width: cols });
    const table = lines(out).filter((l) => /^[┌│├└]/.test(l));
    expect(new Set(table.map(displayWidth)).size).toBe(1);
    for (const l of lines(out)) expect(displayWidth(l), l).toBeLessThanOrEqual(cols);
    // The needed column is a count, not the list: 5 binaries, one table.
    expect(out).not.toContain('lib0.so');
    const base = (p: string) => p.split(/[/!]/).pop()!;
    const longest = Math.max(...paths.map((p) => displayWidth(base(p))));
    if (cols >= 100) for (const p of paths) expect(out).toContain(base(p));
    else expect(longest).toBeGreaterThan(14); // at 80 the long names are elided, the short ones kept whole
    if (cols < 100) for (const p of paths.filter((x) => displayWidth(base(x)) <= 12)) expect(out, p).toContain(base(p));
  });

  it('warnings are wrapped to the width, continuation lines indented (none can start a workflow command)', () => {
    const b = elfLit({ path: 'bin/app', warnings: [{ code: 'x', detail: `${'word '.repeat(300)}::error::x ${'a'.repeat(900)}` }] as BinaryFacts['warnings'] });
    const out = lines(renderInspectTable(report([b]), { width: 80 }));
    for (const l of out) {
      expect(displayWidth(l)).toBeLessThanOrEqual(80);
      expect(l.startsWith('::')).toBe(false);
    }
    expect(out.filter((l) => l.startsWith('warning: bin/app: word'))).toHaveLength(1);
    expect(out.filter((l) => l.startsWith('  ')).length).toBeGreaterThan(2);
  });

  it('--long blocks fit the width too', () => {
    const out = renderInspectTable(report([facts(sample('rust/crt-static'))]), { width: 80, long: true });
    for (const l of lines(out)) expect(displayWidth(l), l).toBeLessThanOrEqual(80);
    expect(out).toContain('rustc version');
  });
});

describe('links say what happened to them', () => {
  it('a link inside the tree: not followed; its target, if a binary, is listed at its own path', () => {
    const out = renderInspectTable(report([], [{ path: 'lib/libfoo.so', target: 'README.txt', inTree: true }]), { width: 200 });
    expect(out).toContain('symlink: lib/libfoo.so -> README.txt (inside the tree: not followed; its target, if a binary, is listed at its own path)');
    expect(out).not.toContain('its target is inspected');
  });
});

describe('universal binaries: slices, not the top level', () => {
  const universal = (): MachoFacts => {
    const b = facts(sample('macho/universal/bin/mismatch'));
    if (b.format !== 'macho' || !b.slices) throw new Error('not universal');
    return b;
  };
  it('the row shows per-slice counts and says where slices differ, with empty top-level facts', () => {
    const b = universal();
    b.slices![1] = { ...b.slices![1], needed: b.slices![1].needed.slice(0, 1), linkage: 'static' };
    // As the facts will have it: the top level holds only what every slice agrees on.
    Object.assign(b, { needed: [], rpath: [], linkage: null, dylibs: [], rpaths: [] });
    const out = renderInspectTable(report([b]), { width: 200 });
    const row = lines(out).find((l) => l.includes('mismatch'))!;
    expect(row).toMatch(/│ x86_64 arm64 *│/);
    expect(row).toContain('slices differ');
    expect(row).toMatch(/x86_64: \d+, arm64: 1/);
    const long = renderInspectTable(report([b]), { width: 200, long: true });
    expect(long).toContain('x86_64: dynamic');
    expect(long).toContain('arm64: static');
    expect(long).toMatch(/│ needed +│ x86_64: @rpath\/libfoo\.dylib/);
    expect(long).toMatch(/│ +│ arm64: /);
  });
});

describe('build-if-stale (npm run demo)', () => {
  it('stale when dist/ or its bundle is missing, or older than src/, a tsconfig or the bundle script; fresh otherwise', () => {
    const root = mkdtempSync(join(tmpdir(), 'linkplan-stale-'));
    try {
      mkdirSync(join(root, 'src'));
      mkdirSync(join(root, 'scripts'));
      mkdirSync(join(root, 'dist/cli'), { recursive: true });
      writeFileSync(join(root, 'src/a.ts'), '');
      writeFileSync(join(root, 'tsconfig.json'), '{}');
      writeFileSync(join(root, 'scripts/bundle.mjs'), '');
      expect(isStale(root)).toBe(true); // no dist/cli/main.js
      writeFileSync(join(root, 'dist/cli/main.js'), '');
      const t = (p: string, s: number) => utimesSync(join(root, p), s, s);
      t('src/a.ts', 1000); t('tsconfig.json', 1000); t('scripts/bundle.mjs', 1000); t('dist/cli/main.js', 2000);
      expect(isStale(root)).toBe(true); // no bundle
      // A build that could not bundle here (no rolldown for the platform) says so: no bundle is then not stale.
      writeFileSync(join(root, 'dist/cli/no-bundle'), '');
      t('dist/cli/no-bundle', 2000);
      expect(isStale(root)).toBe(false);
      rmSync(join(root, 'dist/cli/no-bundle'));
      expect(isStale(root)).toBe(true);
      writeFileSync(join(root, 'dist/cli/linkplan.cjs'), '');
      t('dist/cli/linkplan.cjs', 2000);
      expect(isStale(root)).toBe(false);
      t('src/a.ts', 3000);
      expect(isStale(root)).toBe(true);
      t('src/a.ts', 1000); t('tsconfig.json', 3000);
      expect(isStale(root)).toBe(true);
      t('tsconfig.json', 1000); t('scripts/bundle.mjs', 3000);
      expect(isStale(root)).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('wrapped lines', () => {
  it('a long word cut across lines comes back whole: no space inside a path or a link target', () => {
    const target = `/opt/${'z'.repeat(200)}/lib`;
    const s = `link: release.tar!bin/tool -> ${target}`;
    for (const width of [40, 57, 80]) {
      const lines = wrapIndented(s, width);
      for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(width);
      expect(lines.slice(1).every((l) => l.startsWith('  '))).toBe(true);
      // The lines, their indents off, put back together as wrapping cut them: the text, with its own spaces only.
      const back = lines.map((l, i) => (i ? l.slice(2) : l));
      expect(back.join('').replace(/ /g, '')).toBe(s.replace(/ /g, ''));
      expect(back.some((l) => l.includes(target.slice(0, 20)))).toBe(true);
      expect(back.join('\n')).not.toMatch(/z z/);
    }
  });
});
