/**
 * The Windows loader's search for implicitly linked and delay-loaded DLLs of a desktop application
 * (learn.microsoft.com "Dynamic-link library search order", SafeDllSearchMode on, no manifest redirection):
 *  1. API sets (api-ms-win-*, ext-ms-win-*) are resolved by the API set schema, never as files;
 *  2. KnownDLLs (HKLM\System\CurrentControlSet\Control\Session Manager\KnownDLLs) are always System32's: a copy in
 *     the application directory is never used (reported as shadowed);
 *  3. a DLL already loaded under that name (case-insensitively) is reused;
 *  4. the application directory: the directory of the .exe, also for the DLLs that DLLs import;
 *  5. System32 — modelled by the table of DLLs that ship with Windows (facts/windows-dlls.ts) and the C runtimes
 *     Windows 10 carries (msvcrt.dll, ucrtbase.dll); other C runtimes (VCRUNTIME140, MSVCP140, MinGW's libgcc /
 *     libstdc++ / winpthread) must be shipped or installed by a redistributable: missing when not shipped.
 * The working directory and PATH come later in the order; they are not the application's to rely on, and are not
 * searched. Names compare case-insensitively (a directory listing is used when the Sysroot has one). A DLL of
 * another machine than the executable's fails to load (STATUS_INVALID_IMAGE_FORMAT).
 */
import type { PeFacts } from '../facts/types.js';
import { crtDll, isApiSet, isKnownDll, isSystemDll, loadedDllName } from '../facts/windows-dlls.js';
import { type Candidate, type Ctx, type LoaderImpl, type Obj, open, provenanceOf, step } from './engine.js';
import type { Step } from './model.js';
import { join } from './paths.js';

const pe = (o: Obj) => o.facts as PeFacts;

/**
 * A listing by lower-cased name (the first of names that differ only in case, as the sorted listing has them), kept
 * per listing: a shipped tree lists the same array for every DLL of every binary, and a scan per DLL was quadratic.
 */
const byLowerName = new WeakMap<readonly string[], Map<string, string>>();
function noCase(names: readonly string[]): Map<string, string> {
  let m = byLowerName.get(names);
  if (!m) {
    m = new Map();
    for (const x of names) if (!m.has(x.toLowerCase())) m.set(x.toLowerCase(), x);
    byLowerName.set(names, m);
  }
  return m;
}

/** The file in `dir` whose name equals `name` case-insensitively (the exact name when the Sysroot cannot list). */
function inDir(ctx: Ctx, dir: string, name: string): string | null {
  const names = ctx.sysroot.list?.(dir);
  if (names) {
    const n = noCase(names).get(name.toLowerCase());
    return n !== undefined && ctx.sysroot.isFile(join(dir, n)) ? join(dir, n) : null;
  }
  return ctx.sysroot.isFile(join(dir, name)) ? join(dir, name) : null;
}

export const windows: LoaderImpl = {
  name: 'windows',
  setup() {},
  deps(o) {
    const seen = new Set<string>();
    const f = pe(o);
    const rows = [...f.imports.map((i) => [i.dll, 'import'] as const), ...f.delayImports.map((i) => [i.dll, 'delay-import'] as const)];
    const key = (n: string) => loadedDllName(n).toLowerCase();
    return rows.filter(([n]) => !seen.has(key(n)) && seen.add(key(n))).map(([name, kind]) => ({ name, kind }));
  },
  register(ctx, o, name) {
    ctx.loaded.set(`name:${loadedDllName(name).toLowerCase()}`, o.path);
  },
  resolve(ctx, o, imported): Candidate {
    const steps: Step[] = [];
    // The file the loader looks for: `.dll` appended to a name without an extension (facts/windows-dlls.ts).
    const name = loadedDllName(imported);
    const lower = name.toLowerCase();
    const appDir = ctx.main.dir;
    const crt = crtDll(name);
    if (isApiSet(name)) return { status: 'present', path: null, provenance: crt ? 'crt' : 'system', steps: [step('api-set', { name })] };
    if (isKnownDll(name)) {
      steps.push(step('known-dll', { name }));
      const copy = inDir(ctx, appDir, name);
      if (copy) steps.push(step('shadowed', { path: copy }));
      return { status: 'present', path: null, provenance: crt ? 'crt' : 'system', steps };
    }
    const prior = ctx.loaded.get(`name:${lower}`);
    if (prior !== undefined) return { status: 'reused', path: prior, provenance: null, steps: [step('reused', { path: prior, by: 'name' })] };
    const local = inDir(ctx, appDir, name);
    if (local) {
      const r = open(ctx, local);
      if ('error' in r || r.facts.format !== 'pe') {
        steps.push(step('unreadable', { path: local, via: 'app-dir', reason: 'error' in r ? r.error : `a ${r.facts.format} file, not PE` }));
        return { status: 'unloadable', path: local, provenance: null, steps };
      }
      if (r.facts.pe.machine !== pe(ctx.main).pe.machine) {
        steps.push(step('wrong-arch', { path: local, via: 'app-dir', found: r.facts.pe.machine, wanted: pe(ctx.main).pe.machine }));
        return { status: 'wrong-arch', path: local, provenance: null, steps };
      }
      steps.push(step('found', { path: local, via: 'app-dir' }));
      return { status: 'found', path: local, provenance: crt ? 'crt' : provenanceOf(ctx, local, false, true), steps, facts: r.facts };
    }
    steps.push(step('absent', { path: join(appDir, name), via: 'app-dir' }));
    if (isSystemDll(name) || crt?.role === 'msvcrt' || (crt?.role === 'ucrt' && !crt.debug)) {
      steps.push(step('system-dll', { name }));
      return { status: 'present', path: null, provenance: crt ? 'crt' : 'system', steps };
    }
    if (crt) steps.push(step('crt-redist', { name }));
    return { status: 'missing', path: null, provenance: crt ? 'crt' : null, steps: [...steps, step('not-found')] };
  },
};
