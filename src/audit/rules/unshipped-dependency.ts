import type { BinaryFacts } from '../../facts/types.js';
import type { LookedIn, RuleArgs } from '../../plan/model.js';
import type { Violation } from '../../plan/rules/define.js';
import type { DepKind, ResolveResult } from '../../resolve/model.js';
import { baseName, defineAuditRule, type AuditContext } from '../define.js';
import { elfSystem, isElfSystemLib } from '../system-libs.js';

type Args = RuleArgs['unshipped-dependency'];

/** Shipped names lower-cased once per set (PE compares names case-insensitively, as its loader does). */
const lowered = new WeakMap<ReadonlySet<string>, Set<string>>();
function shippedNoCase(s: ReadonlySet<string>): Set<string> {
  let l = lowered.get(s);
  if (!l) lowered.set(s, (l = new Set([...s].map((n) => n.toLowerCase()))));
  return l;
}

const finding = (field: string, name: string, loaded: Args['loaded'], lookedIn: LookedIn[], shippedAt: readonly string[] = []): Violation<Args> => ({
  field, expected: lookedIn, actual: name, evidence: [{ field, value: name }],
  args: { field, name, loaded, lookedIn, ...(shippedAt.length ? { shippedAt: [...shippedAt] } : {}) },
});

/** By name: a library counts as shipped when a file of its name is anywhere in the same input (no trees known). */
function byName(f: BinaryFacts, ctx: AuditContext): Violation<Args>[] {
  switch (f.format) {
    case 'elf': {
      const sys = elfSystem(f.libc).name;
      return [...new Set(f.needed)]
        .filter((n) => !ctx.shipped.has(baseName(n)) && !isElfSystemLib(f.libc, baseName(n)))
        .map((n) => finding('DT_NEEDED', n, 'start', ['shipped', sys]));
    }
    case 'pe': {
      // crt and system DLLs come with Windows or its redistributables (facts/windows-dlls.ts); only the
      // application's own DLLs must travel with it. Each name once, case-insensitively (dupcase.exe has two).
      const shipped = shippedNoCase(ctx.shipped);
      const seen = new Set<string>();
      const rows = [...f.imports.map((i) => [i, 'import'] as const), ...f.delayImports.map((i) => [i, 'delay-import'] as const)];
      return rows.flatMap(([i, field]) => {
        const n = i.dll.toLowerCase();
        if (i.class !== 'application' || seen.has(n)) return [];
        seen.add(n);
        if (shipped.has(n)) return [];
        return [finding(field, i.dll, field === 'import' ? 'start' : 'delayed', ['shipped', 'windows'])];
      });
    }
    case 'macho':
      // apple-system dylibs live in the shared cache; @rpath/@loader_path/@executable_path ones are bundled by
      // definition, so only the archive can provide them; Homebrew and other absolute paths are not on a clean Mac.
      return f.dylibs.flatMap((d) => {
        if (d.class === 'apple-system' || ctx.shipped.has(baseName(d.name))) return [];
        const loaded = d.kind === 'weak' ? 'weak' : d.kind === 'lazy' ? 'delayed' : 'start';
        return [finding(d.cmd, d.name, loaded, d.class === 'relative' ? ['shipped'] : ['shipped', 'macos'])];
      });
    default: {
      const never: never = f;
      return never;
    }
  }
}

const LOADED: Record<DepKind, Args['loaded']> = {
  needed: 'start', import: 'start', load: 'start', reexport: 'start', upward: 'start', 'delay-import': 'delayed', lazy: 'delayed', weak: 'weak',
};

/** What each format calls the list a dependency comes from, and where a missing one was looked for. */
function where(f: BinaryFacts, kind: DepKind, name: string, root: boolean): { field: string; lookedIn: LookedIn[] } {
  switch (f.format) {
    case 'elf': return { field: 'DT_NEEDED', lookedIn: root ? ['shipped'] : ['shipped', elfSystem(f.libc).name] };
    case 'pe': return { field: kind === 'delay-import' ? 'delay-import' : 'import', lookedIn: ['shipped', 'windows'] };
    case 'macho': {
      const cmd = f.dylibs.find((d) => d.name === name)?.cmd ?? 'LC_LOAD_DYLIB';
      return { field: cmd, lookedIn: name.startsWith('@') ? ['shipped'] : ['shipped', 'macos'] };
    }
    default: {
      const never: never = f;
      return never;
    }
  }
}

/**
 * By resolution: the binary's own dependencies where its loader finds them in the shipped tree (+ --root). Not found
 * is a finding, except: without --root, an ELF library of the C library's own set (the target system has it); a
 * Windows C runtime (the VC++ redistributable installs it: debug-crt is the rule for that); and, for a shared
 * library, one shipped under its name somewhere, since its loaders' search paths (the executable's DT_RPATH, the
 * application directory) are not known from the library alone.
 */
function byResolution(f: BinaryFacts, ctx: AuditContext, resolved: ResolveResult): Violation<Args>[] {
  const shipped = f.format === 'pe' ? shippedNoCase(ctx.shipped) : ctx.shipped;
  const key = (n: string) => (f.format === 'pe' ? baseName(n).toLowerCase() : baseName(n));
  // Against a --root, its program interpreter too: the loader every dependency waits on, missing, starts nothing.
  const interp = !ctx.root ? []
    : resolved.findings.filter((x) => x.code === 'missing-interpreter').map((x) => finding('PT_INTERP', x.name, 'start', ['shipped']));
  return [...interp, ...resolved.deps.flatMap((d) => {
    if (d.status !== 'missing') return [];
    if (d.provenance === 'crt') return [];
    if (f.format === 'elf' && !ctx.root && isElfSystemLib(f.libc, baseName(d.name))) return [];
    const there = shipped.has(key(d.name));
    if (f.type === 'shared-library' && there) return [];
    const w = where(f, d.kind, d.name, !!ctx.root);
    // Shipped, but where the loader does not look (RPATH $ORIGIN/../libx, the library in lib/): say where it is.
    return [finding(w.field, d.name, LOADED[d.kind], w.lookedIn, there ? (ctx.shippedAt?.(baseName(d.name)) ?? []) : [])];
  })];
}

function check(f: BinaryFacts, ctx: AuditContext): Violation<Args>[] {
  const r = ctx.resolved?.find((x) => x.arch === f.arch) ?? ctx.resolved?.[0];
  return !r || r.error !== null ? byName(f, ctx) : byResolution(f, ctx, r);
}

/**
 * A library the loader must find that is neither in the archive (or tree) it ships in nor provided by the target
 * system: the release does not start on a clean machine. Delay-loaded DLLs, lazy and weak dylibs are warnings:
 * the program starts, and fails (or does without) only when it first calls them.
 */
export default defineAuditRule({
  id: 'unshipped-dependency',
  severity: 'error',
  severityOf: (v) => (v.args.loaded === 'start' ? 'error' : 'warning'),
  check,
});
