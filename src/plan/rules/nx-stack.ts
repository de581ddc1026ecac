import { defineRule } from './define.js';

/**
 * A non-executable stack. ELF: PT_GNU_STACK without PF_X (a missing PT_GNU_STACK means an executable stack on most
 * architectures, so it does not count). PE: DllCharacteristics NX_COMPAT (DEP). Mach-O: no MH_ALLOW_STACK_EXECUTION.
 */
export default defineRule({
  id: 'nx-stack',
  severity: 'error',
  param: (e) => e.nxStack,
  check(f, expected) {
    switch (f.format) {
      case 'elf': {
        const actual = f.hardening.nxStack;
        if (actual === expected) return [];
        return [{ field: 'PT_GNU_STACK', expected, actual, evidence: f.evidence.nxStack ?? [], args: { expected, actual } }];
      }
      case 'pe': {
        const actual = f.dllCharacteristics.includes('NX_COMPAT');
        if (actual === expected) return [];
        return [{
          field: 'DllCharacteristics', expected, actual,
          evidence: [{ field: 'DllCharacteristics', value: f.dllCharacteristics.join(' ') || null }], args: { expected, actual },
        }];
      }
      case 'macho': {
        const actual = !f.macho.flags.includes('MH_ALLOW_STACK_EXECUTION');
        if (actual === expected) return [];
        return [{ field: 'flags', expected, actual, evidence: [{ field: 'MH_ALLOW_STACK_EXECUTION', value: !actual }], args: { expected, actual } }];
      }
      default: {
        const never: never = f;
        return never;
      }
    }
  },
});
