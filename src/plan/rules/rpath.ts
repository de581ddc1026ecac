import { defineRule } from './define.js';
import { fieldName } from './fields.js';
import { checkSearchPaths } from './search-path-check.js';

export default defineRule({
  id: 'rpath',
  severity: 'error',
  param: (e) => e.rpath,
  check(f, expected) {
    const actual = f.rpath;
    const field = fieldName(f, 'rpath');
    const args = checkSearchPaths(f, field, actual, expected);
    if (!args) return [];
    return [{ field, expected, actual, evidence: actual.map((value) => ({ field, value })), args }];
  },
});
