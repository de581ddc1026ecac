/**
 * No source line is longer than 160 characters (counted in code points). The files checked are the tracked ones
 * (`git ls-files`) under src/, test/, scripts/ and web/ (not web/dist) ending in .ts, .cts, .mjs, .js, .css or .html; outside a
 * git checkout (or without git) the same folders are walked instead.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAX = 160;
const EXTENSIONS = ['.ts', '.cts', '.mjs', '.js', '.css', '.html'];
const FOLDERS = ['src/', 'test/', 'scripts/', 'web/'];

/** Repository-relative paths with '/' separators. */
function checked(path: string): boolean {
  const segments = path.split('/');
  return FOLDERS.some((f) => path.startsWith(f)) && !path.startsWith('web/dist/') && !segments.includes('node_modules')
    && EXTENSIONS.some((e) => path.endsWith(e));
}

/** The tracked files, or null when ROOT is not the top of a git checkout or git cannot be run. */
function tracked(): string[] | null {
  const git = (args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const top = git(['rev-parse', '--show-toplevel']);
  if (top.error || top.status !== 0) return null;
  try {
    if (realpathSync(top.stdout.trim()) !== realpathSync(ROOT)) return null;
  } catch {
    return null;
  }
  const ls = git(['ls-files', '-z', '--', ...FOLDERS]);
  if (ls.error || ls.status !== 0) return null;
  return ls.stdout.split('\0').filter((p) => p !== '');
}

/** Without git: src, test, scripts and web/src walked (no dot folders, node_modules or dist), and the files directly in web/. */
function walked(): string[] {
  const walk = (dir: string): string[] => {
    if (!existsSync(join(ROOT, dir))) return [];
    return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) return e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'dist' ? [] : walk(path);
      return e.isFile() ? [path] : [];
    });
  };
  const webTop = existsSync(join(ROOT, 'web'))
    ? readdirSync(join(ROOT, 'web'), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => `web/${e.name}`)
    : [];
  return [...walk('src'), ...walk('test'), ...walk('scripts'), ...walk('web/src'), ...webTop];
}

const listed = tracked();
const files = (listed ?? walked())
  .filter(checked)
  // A tracked file deleted from the work tree is not there to read.
  .filter((p) => existsSync(join(ROOT, p)) && statSync(join(ROOT, p)).isFile())
  .sort();

describe(`source lines within ${MAX} characters (files from ${listed ? 'git ls-files' : 'a walk of the folders'})`, () => {
  it('finds files to check', () => {
    expect(files.length, `no file to check in ${ROOT}`).toBeGreaterThan(0);
  });

  it(`no line is longer than ${MAX} characters`, () => {
    expect(files.length).toBeGreaterThan(0);
    const long: string[] = [];
    for (const file of files) {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        const length = [...line.replace(/\r$/, '')].length;
        if (length > MAX) long.push(`${file}:${i + 1} (${length} characters)`);
      });
    }
    expect(long, `${long.length} line(s) over ${MAX} characters:\n${long.join('\n')}`).toEqual([]);
  });
});
