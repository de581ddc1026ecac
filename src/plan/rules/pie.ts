import { defineRule } from './define.js';
import { fieldName } from './fields.js';

/** Position independence is a property of executables; libraries are always position-independent or not ours. */
export default defineRule({
  id: 'pie',
  severity: 'error',
  param: (e) => e.pie,
  check(f, expected) {
    if (f.type !== 'executable' || f.pie === expected) return [];
    return [{ field: fieldName(f, 'pie'), expected, actual: f.pie, evidence: f.evidence.pie ?? [], args: { expected, actual: f.pie } }];
  },
});
