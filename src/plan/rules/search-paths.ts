import { defineRule } from './define.js';
import { fieldName } from './fields.js';
import { checkSearchPaths } from './search-path-check.js';

export default defineRule({
  id: 'search-paths',
  severity: 'error',
  param: (e) => e.searchPaths,
  check(f, expected) {
    const actual = [...f.rpath, ...f.runpath];
    const field = fieldName(f, 'searchPaths');
    const args = checkSearchPaths(f, field, actual, expected);
    if (!args) return [];
    return [{ field, expected, actual, evidence: actual.map((value) => ({ field, value })), args }];
  },
});
