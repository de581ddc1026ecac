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

/** Does any pattern match this path (or base name, for patterns without "/")? */
export function matchesPath(patterns: readonly string[], path: string): boolean {
  return patterns.some((p) => compile(p, false, true)(path));
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
