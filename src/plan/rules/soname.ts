import { defineRule } from './define.js';
import { caseInsensitiveNames, fieldName } from './fields.js';
import { matchEntry } from '../glob.js';

export default defineRule({
  id: 'soname',
  severity: 'error',
  param: (e) => e.soname,
  check(f, expected) {
    const actual = f.soname;
    const ok = expected === false ? actual === null : actual !== null && matchEntry(expected, actual, caseInsensitiveNames(f));
    const field = fieldName(f, 'soname');
    return ok ? [] : [{ field, expected, actual, evidence: [{ field, value: actual }], args: { expected, actual } }];
  },
});
