import { defineRule } from './define.js';
import { fieldName } from './fields.js';

export default defineRule({
  id: 'binary-type',
  severity: 'error',
  param: (e) => e.type,
  check(f, expected) {
    if (expected.includes(f.type)) return [];
    return [{ field: fieldName(f, 'type'), expected, actual: f.type, evidence: f.evidence.type ?? [], args: { expected, actual: f.type } }];
  },
});
