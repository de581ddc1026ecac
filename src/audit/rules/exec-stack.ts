import type { BinaryType } from '../../facts/types.js';
import { defineAuditRule } from '../define.js';

/** Files the loader maps: an object file, a core dump or a separate debug file has no PT_GNU_STACK to get right. */
const LOADED: readonly BinaryType[] = ['executable', 'shared-library', 'dylinker'];

/**
 * An executable stack turns every stack overflow into code execution. ELF: PT_GNU_STACK with PF_X, or none at all
 * (executable by default on most architectures). Mach-O: MH_ALLOW_STACK_EXECUTION. A warning: it is usually an
 * accident of one assembly file without .note.GNU-stack, and the plan's nx-stack rule makes it an error.
 */
export default defineAuditRule({
  id: 'exec-stack',
  severity: 'warning',
  formats: ['elf', 'macho'],
  check(f) {
    switch (f.format) {
      case 'elf': {
        if (f.hardening.nxStack !== false || !LOADED.includes(f.type)) return [];
        const value = f.elf.gnuStack;
        return [{ field: 'PT_GNU_STACK', expected: 'RW', actual: value, evidence: f.evidence.nxStack ?? [], args: { field: 'PT_GNU_STACK', value } }];
      }
      case 'macho': {
        if (!f.macho.flags.includes('MH_ALLOW_STACK_EXECUTION')) return [];
        const value = 'MH_ALLOW_STACK_EXECUTION';
        return [{ field: 'flags', expected: false, actual: true, evidence: [{ field: 'flags', value }], args: { field: 'flags', value } }];
      }
      case 'pe': return [];
      default: {
        const never: never = f;
        return never;
      }
    }
  },
});
