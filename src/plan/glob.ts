/**
 * Glob matching for plans (picomatch). Paths: relative to the plan's directory, `/`-separated; a pattern without
 * "/" matches the base name at any depth. Names (needed libraries, DLLs, dylibs): the same, so `libssl.so*` matches
 * a Mach-O install name `/opt/homebrew/opt/openssl@3/lib/libssl.3.dylib` by its base name. PE names compare
 * case-insensitively, as Windows' loader does.
 */
import picomatch from 'picomatch';

const cache = new Map<string, (s: string) => boolean>();

// picomatch's own `basename` option also rewrites patterns that do contain "/" (elf/x-* stops matching elf/x-y),
// so the base-name rule is applied here.
function compile(pattern: string, nocase: boolean, basename: boolean): (s: string) => boolean {
  const k = `${nocase ? 'i' : ''}${basename ? 'b' : ''}\0${pattern}`;
  let m = cache.get(k);
  if (!m) {
    const re = picomatch(pattern, { dot: true, nocase, strictBrackets: true });
    m = basename && !pattern.includes('/') ? (s: string) => re(baseName(s)) : re;
    cache.set(k, m);
  }
  return m;
}

/** An absolute path or pattern: `/…`, or a Windows drive (`C:/…`). */
export const isAbsolutePath = (p: string) => p.startsWith('/') || /^[A-Za-z]:\//.test(p);

/**
 * Does any pattern match this path (or base name, for patterns without "/")? `path` may be several spellings of
 * one file: its path relative to the plan (perhaps with "../") and its absolute path. An absolute pattern is
 * matched against the absolute spelling only, a relative one against the relative spellings; a file outside the
 * plan's directory (every relative spelling starts with "../", which no glob matches) also offers its absolute
 * path to relative patterns, so "**" covers it. `nocase` for PE files: Windows file names are case-insensitive,
 * so `bin/*.dll` covers `bin/FOO.DLL`.
 */
export function matchesPath(patterns: readonly string[], path: string | readonly string[], nocase = false): boolean {
  const ps = typeof path === 'string' ? [path] : path;
  const abs = ps.filter(isAbsolutePath);
  const rel = ps.filter((p) => !isAbsolutePath(p));
  const outside = !rel.some((p) => !p.startsWith('../') && p !== '..');
  const forRelative = outside ? ps : rel;
  return patterns.some((p) => {
    const m = compile(p, nocase, true);
    return (isAbsolutePath(p) ? abs : forRelative).some((x) => m(x));
  });
}

/** The first pattern matching a library name, or undefined. */
export function matchName(patterns: readonly string[], name: string, nocase = false): string | undefined {
  return patterns.find((p) => compile(p, nocase, true)(name));
}

/** A whole-string match, `*` not crossing "/" (search-path entries such as `$ORIGIN/../lib/rustlib/<glob>/lib`). */
export function matchEntry(pattern: string, entry: string): boolean {
  return compile(pattern, false, false)(entry);
}

export const baseName = (p: string) => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
