/**
 * `linkplan resolve` output: a tree for people (libtree's layout: one level of indentation per level of loading,
 * the path found and its provenance; `why` adds every step), JSON with the steps, and Graphviz DOT.
 */
import type { ResolveResult, ResolvedDep } from '../resolve/model.js';
import { describeResolveFinding, describeStep } from '../resolve/messages.js';
import { visible } from './text.js';

const STATUS: Record<ResolvedDep['status'], string> = {
  found: '', present: '', reused: 'already loaded', missing: 'not found', 'wrong-arch': 'wrong architecture',
  unloadable: 'cannot be loaded', ambiguous: 'ambiguous',
};

const LATER = new Set(['delay-import', 'lazy', 'weak']);

function depLine(d: ResolvedDep): string {
  const tags: string[] = [];
  if (LATER.has(d.kind)) tags.push(d.kind === 'delay-import' ? 'delay-loaded' : d.kind);
  if (d.provenance) tags.push(d.provenance);
  if (STATUS[d.status]) tags.push(STATUS[d.status]);
  const where = d.path && d.path !== d.name ? ` => ${d.path}` : '';
  return `${d.name}${where}${tags.length ? ` (${tags.join(', ')})` : ''}`;
}

export interface TreeOptions { why?: boolean }

/** The tree for one result; every line through visible(). */
export function renderResolveTree(r: ResolveResult, opts: TreeOptions = {}): string {
  const out: string[] = [];
  const line = (s: string) => out.push(visible(s));
  const slice = r.arch && r.loader === 'dyld' ? ` [${r.arch}]` : '';
  line(`${r.path}${slice} (${r.loader}, root: ${r.root})`);
  if (r.error) { line(`  could not analyse: ${r.error.message}`); return `${out.join('\n')}\n`; }
  if (opts.why) for (const s of r.setup) line(`  · ${describeStep(s)}`);
  const walk = (deps: ResolvedDep[], prefix: string) => {
    deps.forEach((d, i) => {
      const last = i === deps.length - 1;
      line(`${prefix}${last ? '└── ' : '├── '}${depLine(d)}`);
      const inner = `${prefix}${last ? '    ' : '│   '}`;
      if (opts.why) for (const s of d.steps) line(`${inner}${d.deps.length ? '│ ' : '  '}· ${describeStep(s)}`);
      walk(d.deps, inner);
    });
  };
  if (r.deps.length === 0) line('  (no dependencies)');
  walk(r.deps, '');
  for (const f of r.findings) line(`${f.severity}: ${describeResolveFinding(f)}`);
  return `${out.join('\n')}\n`;
}

export function renderResolveJson(results: ResolveResult[], version: string): string {
  return `${JSON.stringify({ tool: 'linkplan', version, command: 'resolve', results }, null, 2)}\n`;
}

/** A DOT string: quotes and backslashes escaped, and nothing that could end the line or drive a terminal. */
const dotString = (s: string) => `"${visible(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** One digraph: a node per file (or provided name), an edge per dependency; missing ones dashed red. */
export function renderResolveDot(results: ResolveResult[]): string {
  const ids = new Map<string, string>();
  const lines = ['digraph linkplan {', '  rankdir=LR;', '  node [shape=box];'];
  const node = (key: string, label: string, attrs = '') => {
    let id = ids.get(key);
    if (!id) {
      id = `n${ids.size}`;
      ids.set(key, id);
      lines.push(`  ${id} [label=${dotString(label)}${attrs}];`);
    }
    return id;
  };
  for (const r of results) {
    const top = node(`file:${r.rootPath}`, r.path);
    const walk = (from: string, deps: ResolvedDep[]) => {
      for (const d of deps) {
        const bad = d.status === 'missing' || d.status === 'wrong-arch' || d.status === 'unloadable' || d.status === 'ambiguous';
        const key = d.path ? `file:${d.path}` : `name:${d.name}:${bad ? d.status : 'present'}`;
        const id = node(key, d.path ?? d.name, bad ? ', color=red, style=dashed' : '');
        lines.push(`  ${from} -> ${id}${LATER.has(d.kind) ? ' [style=dotted]' : ''};`);
        walk(id, d.deps);
      }
    };
    walk(top, r.deps);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
