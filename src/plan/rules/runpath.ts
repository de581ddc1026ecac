import { defineRule } from './define.js';
import { fieldName } from './fields.js';
import { checkSearchPaths } from './search-path-check.js';

export default defineRule({
  id: 'runpath',
  severity: 'error',
  param: (e) => e.runpath,
  check(f, expected) {
    const actual = f.runpath;
    const field = fieldName(f, 'runpath');
    const args = checkSearchPaths(f, field, actual, expected);
    if (!args) return [];
    return [{ field, expected, actual, evidence: actual.map((value) => ({ field, value })), args }];
  },
});
