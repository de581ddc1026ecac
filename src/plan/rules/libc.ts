import { defineRule } from './define.js';
import { fieldName } from './fields.js';

export default defineRule({
  id: 'libc',
  severity: 'error',
  param: (e) => e.libc,
  check(f, expected) {
    if (expected.includes(f.libc)) return [];
    return [{ field: fieldName(f, 'libc'), expected, actual: f.libc, evidence: f.evidence.libc ?? [], args: { expected, actual: f.libc } }];
  },
});
