import { defineRule } from './define.js';
import { caseInsensitiveNames, fieldName, neededNames } from './fields.js';
import { matchName } from '../glob.js';

export default defineRule({
  id: 'needed-forbid',
  severity: 'error',
  param: (e) => e.needed?.forbid,
  check(f, forbid) {
    const field = fieldName(f, 'needed');
    const out = [];
    for (const name of neededNames(f)) {
      const pattern = matchName(forbid, name, caseInsensitiveNames(f));
      if (pattern !== undefined) out.push({ field, expected: `not ${pattern}`, actual: name, evidence: [{ field, value: name }], args: { name, pattern } });
    }
    return out;
  },
});
