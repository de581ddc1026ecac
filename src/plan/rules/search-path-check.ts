import type { BinaryFacts } from '../../facts/types.js';
import type { RpathArgs } from '../model.js';
import type { RpathPolicy } from '../enums.js';
import { matchEntry } from '../glob.js';
import { anchored, fieldName } from './fields.js';
import { defineRule } from './define.js';

/**
 * Shared by rpath, runpath and search-paths. An exact list compares entry by entry, in order (the loader searches
 * them in order), each expected entry a glob. Policies look at each entry: an absolute entry ties the binary to the
 * build machine's layout; an unanchored relative one is resolved against the current directory (gABI), which is
 * worse.
 */
export function checkSearchPaths(f: BinaryFacts, field: string, actual: string[], expected: string[] | RpathPolicy): RpathArgs | null {
  if (Array.isArray(expected)) {
    // gABI: $ORIGIN and ${ORIGIN} are the same token, so either spelling in the plan matches either in the binary.
    const norm = (e: string) => (f.format === 'elf' ? e.replace(/\$\{ORIGIN\}/g, '$ORIGIN') : e);
    const ok = actual.length === expected.length && expected.every((p, i) => matchEntry(norm(p), norm(actual[i])));
    return ok ? null : { field, policy: 'exact', expected, actual, offending: [] };
  }
  const offending = expected === 'no-absolute'
    ? actual.filter((e) => e.startsWith('/') || /^[A-Za-z]:[\\/]/.test(e))
    : actual.filter((e) => !anchored(f, e));
  return offending.length ? { field, policy: expected, expected: null, actual, offending } : null;
}

/** The rpath and runpath rules: the same check over DT_RPATH (Mach-O LC_RPATH) or DT_RUNPATH. */
export function searchPathRule<Id extends 'rpath' | 'runpath'>(id: Id) {
  return defineRule<Id, string[] | RpathPolicy>({
    id,
    severity: 'error',
    param: (e) => e[id],
    check(f, expected) {
      const actual: string[] = f[id];
      const field = fieldName(f, id);
      const args = checkSearchPaths(f, field, actual, expected);
      if (!args) return [];
      return [{ field, expected, actual, evidence: actual.map((value) => ({ field, value })), args }];
    },
  });
}
