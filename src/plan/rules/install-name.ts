import { defineRule } from './define.js';
import { matchEntry } from '../glob.js';

/** Mach-O LC_ID_DYLIB. Other formats have no install name: nothing to check. */
export default defineRule({
  id: 'install-name',
  severity: 'error',
  formats: ['macho'],
  param: (e) => e.installName,
  check(f, expected) {
    switch (f.format) {
      case 'elf': case 'pe': return [];
      case 'macho': {
        const actual = f.installName;
        const ok = expected === false ? actual === null : actual !== null && matchEntry(expected, actual);
        return ok ? [] : [{ field: 'LC_ID_DYLIB', expected, actual, evidence: f.evidence.installName ?? [], args: { expected, actual } }];
      }
      default: {
        const never: never = f;
        return never;
      }
    }
  },
});
