import { defineRule } from './define.js';
import { matchName } from '../glob.js';

/** PE delay-load import descriptors: false forbids them all; otherwise each must match an allowed glob (case-insensitively). */
export default defineRule({
  id: 'delay-imports',
  severity: 'error',
  formats: ['pe'],
  param: (e) => e.delayImports,
  check(f, allow) {
    switch (f.format) {
      case 'elf': case 'macho': return [];
      case 'pe':
        return f.delayImports
          .filter((d) => allow === false || matchName(allow, d.dll, true) === undefined)
          .map((d) => ({
            field: 'delay import', expected: allow, actual: d.dll, evidence: [{ field: 'delay import', value: d.dll }],
            args: { name: d.dll, allow },
          }));
      default: {
        const never: never = f;
        return never;
      }
    }
  },
});
