import { defineRule } from './define.js';
import { fieldName } from './fields.js';
import { checkSearchPaths } from './search-path-check.js';

/**
 * RPATH and RUNPATH together, whichever the linker wrote. Older GNU ld with --enable-new-dtags writes the same list
 * as both DT_RPATH and DT_RUNPATH (the loader then uses RUNPATH only), so identical lists count once; different
 * ones are both checked.
 */
export default defineRule({
  id: 'search-paths',
  severity: 'error',
  param: (e) => e.searchPaths,
  check(f, expected) {
    const same = f.rpath.length === f.runpath.length && f.rpath.every((e, i) => e === f.runpath[i]);
    const actual = same ? [...f.runpath] : [...f.rpath, ...f.runpath];
    const field = fieldName(f, 'searchPaths');
    const args = checkSearchPaths(f, field, actual, expected);
    if (!args) return [];
    return [{ field, expected, actual, evidence: actual.map((value) => ({ field, value })), args }];
  },
});
