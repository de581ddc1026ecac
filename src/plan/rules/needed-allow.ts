import { defineRule } from './define.js';
import { caseInsensitiveNames, fieldName, neededNames } from './fields.js';
import { matchName } from '../glob.js';

/** Every needed library must match an allowed glob; `allow = []` means nothing may be needed. One finding per binary. */
export default defineRule({
  id: 'needed-allow',
  severity: 'error',
  param: (e) => e.needed?.allow,
  check(f, allow) {
    const field = fieldName(f, 'needed');
    const names = neededNames(f).filter((n) => matchName(allow, n, caseInsensitiveNames(f)) === undefined);
    if (!names.length) return [];
    return [{ field, expected: allow, actual: names, evidence: names.map((value) => ({ field, value })), args: { names, allow } }];
  },
});
