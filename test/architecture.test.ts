/**
 * The import structure the architecture promises: the core (everything under src/ but node/ and cli/) uses no Node
 * built-ins, so the web inspector runs it; data flows one way (bytes → formats → facts → plan/report → cli), so no
 * lower layer imports a higher one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

const SRC = join(ROOT, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const layer = (p: string) => relative(SRC, p).split('/')[0].replace(/\.[jt]s$/, '');
const imports = (text: string) =>
  [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)].map((m) => m[1] ?? m[2]);
/** Code without comments and string literals, for the `process` / `Buffer` checks (prose may say "process"). */
const code = (text: string) =>
  text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''").replace(/(^|[^:])\/\/.*$/gm, '$1');
/** Packages the core may import: pure JavaScript that runs in a browser. */
const BROWSER_SAFE = ['smol-toml', 'xz-decompress', 'unbzip2-stream/lib/bzip2.js', 'unbzip2-stream/lib/bit_iterator.js'];

const CORE = files(SRC).filter((p) => !['node', 'cli'].includes(layer(p)));

describe('the core uses no Node built-ins', () => {
  it('finds the core files it checks', () => expect(CORE.length).toBeGreaterThan(60));

  it.each(CORE.map((p) => [relative(ROOT, p), p]))('%s', (_n, p) => {
    const text = readFileSync(p, 'utf8');
    for (const spec of imports(text)) {
      if (!spec.startsWith('.')) expect(BROWSER_SAFE, `${p} imports ${spec}`).toContain(spec);
    }
    const c = code(text);
    expect(c).not.toMatch(/\bprocess\s*\.|\bBuffer\s*\.|\brequire\s*\(/);
  });

  it('tsconfig.core.json compiles the core with no Node types', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.core.json')], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('the built library entry (dist/index.js) reaches no node: module', () => {
    const seen = new Set<string>();
    const visit = (p: string) => {
      if (seen.has(p)) return;
      seen.add(p);
      for (const spec of imports(readFileSync(p, 'utf8'))) {
        if (!spec.startsWith('.')) {
          expect(BROWSER_SAFE, `${relative(ROOT, p)} imports ${spec}`).toContain(spec);
          continue;
        }
        visit(resolve(dirname(p), spec));
      }
    };
    const entry = join(ROOT, 'dist/index.js');
    expect(existsSync(entry), 'npm run build first').toBe(true);
    visit(entry);
    expect(seen.size).toBeGreaterThan(30);
  });
});

/** Which layers each layer may import (itself always). */
const MAY: Record<string, string[]> = {
  bytes: [],
  formats: ['bytes'],
  facts: ['bytes', 'formats'],
  archive: ['bytes', 'formats', 'facts'],
  registry: ['bytes', 'formats', 'facts'],
  inspect: ['bytes', 'formats', 'facts', 'registry', 'archive', 'report'],
  // resolve sits right above facts: plan rules (deps.*) and the audit (unshipped-dependency) judge its results.
  resolve: ['bytes', 'facts'],
  plan: ['bytes', 'facts', 'resolve'],
  audit: ['bytes', 'facts', 'plan', 'resolve'],
  diff: ['bytes', 'facts', 'plan'],
  report: ['bytes', 'facts', 'plan', 'audit', 'diff', 'resolve'],
  index: ['bytes', 'formats', 'facts', 'registry', 'inspect', 'plan', 'audit', 'report', 'archive', 'diff', 'resolve'],
};

describe('data flows one way', () => {
  it.each(CORE.map((p) => [relative(ROOT, p), p]))('%s', (_n, p) => {
    const from = layer(p);
    expect(MAY[from], `no rule for layer ${from}`).toBeDefined();
    for (const spec of imports(readFileSync(p, 'utf8'))) {
      const to = layer(resolve(dirname(p), spec));
      if (to !== from) expect(MAY[from], `${relative(ROOT, p)} (${from}) imports ${spec} (${to})`).toContain(to);
    }
  });
});

/** The web inspector (web/src) reaches the core through its entry, `linkplan` (src/index.ts), and nothing else. */
describe('web/ imports the core entry only', () => {
  const WEB = join(ROOT, 'web', 'src');
  const web = files(WEB);
  it('finds the page and its worker', () => expect(web.map((p) => relative(WEB, p))).toEqual(expect.arrayContaining(['main.ts', 'worker.ts'])));

  it.each(web.map((p) => [relative(ROOT, p), p]))('%s', (_n, p) => {
    for (const spec of imports(readFileSync(p, 'utf8'))) {
      if (spec === 'linkplan') continue;
      expect(spec.startsWith('.'), `${relative(ROOT, p)} imports ${spec}: only 'linkplan' and web/src's own modules`).toBe(true);
      expect(relative(WEB, resolve(dirname(p), spec)).startsWith('..'), `${relative(ROOT, p)} imports ${spec}, outside web/src`).toBe(false);
    }
  });

  it('the build resolves `linkplan` to the core entry', () => {
    expect(readFileSync(join(ROOT, 'web', 'vite.config.ts'), 'utf8')).toContain("alias: { linkplan: here('../src/index.ts') }");
  });
});
