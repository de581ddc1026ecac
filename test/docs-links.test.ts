/** Every relative link in README.md and docs/**\/*.md resolves to a file or folder inside the repository. */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from './helpers.js';

function markdown(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdown(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : []);
}

describe('docs links', () => {
  const files = [join(ROOT, 'README.md'), ...markdown(join(ROOT, 'docs'))];
  it.each(files.map((f) => [relative(ROOT, f), f]))('%s: relative links resolve inside the repository', (_, file) => {
    // Code spans and fences are not links: `](x)` inside them is text.
    const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
    const bad: string[] = [];
    for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1];
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      const path = resolve(dirname(file), decodeURIComponent(target.split('#')[0]));
      const rel = relative(ROOT, path);
      if (rel.startsWith('..') || !existsSync(path)) bad.push(target);
    }
    expect(bad).toEqual([]);
  });
});
