import type { BinaryFacts } from '../../facts/types.js';
import { anchored } from '../../plan/rules/fields.js';
import { defineAuditRule } from '../define.js';
import { type RecordedPath, searchPathEntries } from '../paths.js';

/** What an entry must start with to be found relative to the binary (expected, as data). */
const ANCHORS = { elf: ['$ORIGIN', '${ORIGIN}'], macho: ['@loader_path', '@executable_path'] } as const;
/** What a Mach-O dylib name must start with not to be opened relative to the working directory. */
const DYLIB_ANCHORS = ['@rpath/', '@loader_path/', '@executable_path/'] as const;

/**
 * Libraries named by a path relative to the working directory: an ELF DT_NEEDED with a slash that is neither absolute
 * nor $ORIGIN-anchored (`gcc u.c sub/libssl.so.3` records "sub/libssl.so.3": ld.so opens it as written), a Mach-O
 * dylib that is neither absolute nor under @rpath/, @loader_path/, @executable_path/ (`@rpathx/libfoo.dylib`: dyld
 * opens it as a relative path). linkplan resolve calls both ambiguous.
 */
function relativeLoads(f: BinaryFacts): (RecordedPath & { expected: readonly string[] })[] {
  switch (f.format) {
    case 'elf':
      return [...new Set(f.needed)].filter((n) => n.includes('/') && !n.startsWith('/') && !anchored(f, n))
        .map((path) => ({ field: 'DT_NEEDED', path, expected: ANCHORS.elf }));
    case 'macho':
      return f.dylibs.filter((d) => !d.name.startsWith('/') && !DYLIB_ANCHORS.some((a) => d.name.startsWith(a)))
        .map((d) => ({ field: d.cmd, path: d.name, expected: DYLIB_ANCHORS.map((a) => a.slice(0, -1)) }));
    default: return [];
  }
}

/**
 * A relative search-path entry (the empty one included: it means the current directory), or a library named by a
 * relative path, is resolved against the process's working directory, so whoever controls the directory the
 * program is run from can plant a library in it. Absolute entries are build-path's business; anchored ones
 * ($ORIGIN, @loader_path, @rpath/ for a dylib) are safe.
 */
export default defineAuditRule({
  id: 'unanchored-search-path',
  severity: 'error',
  formats: ['elf', 'macho'],
  check(f) {
    if (f.format === 'pe') return [];
    const entries = searchPathEntries(f)
      .filter(({ path }) => !path.startsWith('/') && !anchored(f, path))
      .map(({ field, path }) => ({ field, path, expected: ANCHORS[f.format] as readonly string[] }));
    return [...entries, ...relativeLoads(f)].map(({ field, path, expected }) => ({
      field, expected: [...expected], actual: path, evidence: [{ field, value: path }], args: { field, entry: path },
    }));
  },
});
