import { defineRule } from './define.js';
import { fieldName } from './fields.js';

/** broken-static-pie and null (objects, core files) never satisfy a plan. */
export default defineRule({
  id: 'linkage',
  severity: 'error',
  param: (e) => e.linkage,
  check(f, expected) {
    if (f.linkage !== null && (expected as string[]).includes(f.linkage)) return [];
    return [{
      field: fieldName(f, 'linkage'), expected, actual: f.linkage, evidence: f.evidence.linkage ?? [],
      args: { expected, actual: f.linkage, type: f.type },
    }];
  },
});
