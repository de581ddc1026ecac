import { defineRule } from './define.js';
import { fieldName } from './fields.js';
import { matchEntry } from '../glob.js';

/**
 * false: no program interpreter at all. Globs: an executable's interpreter must match one; a library has none of
 * its own (it runs under its host's), so only an interpreter it does carry is checked.
 */
export default defineRule({
  id: 'interpreter',
  severity: 'error',
  param: (e) => e.interpreter,
  check(f, expected) {
    const actual = f.interpreter;
    const v = [{
      field: fieldName(f, 'interpreter'), expected, actual, evidence: [{ field: fieldName(f, 'interpreter'), value: actual }],
      args: { expected, actual },
    }];
    if (expected === false) return actual === null ? [] : v;
    if (actual === null) return f.type === 'executable' ? v : [];
    return expected.some((p) => matchEntry(p, actual)) ? [] : v;
  },
});
